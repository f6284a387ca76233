using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>Host-name resolution shared by the simulator cmdlets (names, wildcards, the local computer).</summary>
internal static class SimulatorCommandSupport
{
    /// <summary>The requested names, or the local computer when none were given.</summary>
    public static IEnumerable<string> NamesOrLocal(string[]? names)
        => names is { Length: > 0 } ? names : new[] { Environment.MachineName };

    /// <summary>
    /// The registered hosts matching each name (wildcards allowed). A name without wildcards that matches
    /// nothing yields a SimulatorNotFound failure through <paramref name="notFound"/>.
    /// </summary>
    public static List<SimulatedHost> Resolve(IEnumerable<string> names, Action<GuestFeatureException> notFound)
    {
        var registered = SimulatorSessions.Current.Hosts;
        var result = new List<SimulatedHost>();
        foreach (var name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                result.AddRange(registered.Where(h => pattern.IsMatch(h.ComputerName) && !result.Contains(h)));
                continue;
            }

            if (SimulatorSessions.Current.TryGet(name, out var host))
            {
                if (!result.Contains(host))
                {
                    result.Add(host);
                }
            }
            else
            {
                var normalized = SimulatorSessions.NormalizeHostName(name);
                notFound(GuestFeatureException.Create("SimulatorNotFound", FailureKind.NotFound, normalized, normalized));
            }
        }

        return result;
    }
}
