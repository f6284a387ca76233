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
    /// nothing yields a SimulatorNotFound failure through <paramref name="notFound"/>, an invalid pattern
    /// an InvalidWildcardPattern failure.
    /// </summary>
    public static List<SimulatedHost> Resolve(IEnumerable<string> names, Action<GuestFeatureException> notFound)
    {
        var registered = SimulatorSessions.Current.Hosts;
        var result = new List<SimulatedHost>();
        foreach (var name in names)
        {
            if (NamePatterns.Check(name, "ComputerName") is { } invalid)
            {
                notFound(invalid);
                continue;
            }

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

    /// <summary>The registered host of that name (the local computer for null), or null after a SimulatorNotFound failure.</summary>
    public static SimulatedHost? Find(string? computerName, Action<GuestFeatureException> fail)
    {
        var hostName = SimulatorSessions.NormalizeHostName(computerName);
        if (SimulatorSessions.Current.TryGet(hostName, out var host))
        {
            return host;
        }

        fail(GuestFeatureException.Create("SimulatorNotFound", FailureKind.NotFound, hostName, hostName));
        return null;
    }

    /// <summary>
    /// The host's VM names each requested name matches (wildcards allowed, case-insensitive), in the host's
    /// order, each once. A name without wildcards that matches nothing yields VMNotFound through
    /// <paramref name="fail"/>, an invalid pattern InvalidWildcardPattern.
    /// </summary>
    public static List<string> MatchVMs(SimulatedHost host, IEnumerable<string> requested, Action<GuestFeatureException> fail)
    {
        var names = host.VMNames;
        var result = new List<string>();
        foreach (var name in requested)
        {
            if (NamePatterns.Check(name, "VMName") is { } invalid)
            {
                fail(invalid);
                continue;
            }

            var wildcard = WildcardPattern.ContainsWildcardCharacters(name);
            var matches = wildcard
                ? names.Where(n => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(n)).ToList()
                : names.Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0 && !wildcard)
            {
                fail(GuestFeatureException.Create("VMNotFound", FailureKind.NotFound, name, name, host.ComputerName));
            }

            result.AddRange(matches.Where(m => !result.Contains(m, StringComparer.Ordinal)));
        }

        return result;
    }
}

/// <summary>
/// A simulator cmdlet that works on registered simulated hosts, named by -ComputerName (position 0,
/// wildcards, pipeline); the local computer by default.
/// </summary>
public abstract class SimulatedHostsCmdletBase : GuestFeatureCmdletBase
{
    private protected SimulatedHostsCmdletBase()
    {
    }

    /// <summary>Simulated host names (wildcards allowed); the local computer by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    [ValidateComputerName]
    public string[]? ComputerName { get; set; }

    /// <summary>
    /// The hosts -ComputerName names; a name without wildcards that matches nothing is written as a
    /// SimulatorNotFound error. Without -ComputerName: the local computer, or every simulated host
    /// when <paramref name="allWhenOmitted"/> (Get-HyperVSimulator).
    /// </summary>
    private protected List<SimulatedHost> SelectedHosts(bool allWhenOmitted = false)
        => ComputerName is not { Length: > 0 } && allWhenOmitted
            ? new List<SimulatedHost>(SimulatorSessions.Current.Hosts)
            : SimulatorCommandSupport.Resolve(SimulatorCommandSupport.NamesOrLocal(ComputerName), WriteFailure);
}
