using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// The simulated hosts registered in one runspace (Start-HyperVSimulator), by host name. Kept per
/// runspace so parallel runspaces (ForEach-Object -Parallel, Pester, jobs) never see each other's labs.
/// </summary>
internal sealed class SimulatorSessions
{
    private static readonly ConditionalWeakTable<Runspace, SimulatorSessions> PerRunspace = new();
    private readonly Dictionary<string, SimulatedHost> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry of the calling pipeline thread's runspace.</summary>
    public static SimulatorSessions Current => PerRunspace.GetValue(Runspace.DefaultRunspace, _ => new SimulatorSessions());

    public IReadOnlyList<SimulatedHost> Hosts
    {
        get
        {
            lock (_hosts)
            {
                return _hosts.Values.OrderBy(h => h.ComputerName, StringComparer.OrdinalIgnoreCase).ToList();
            }
        }
    }

    /// <summary>"The local computer" is <see cref="Environment.MachineName"/>; localhost, . and empty mean the same.</summary>
    public static string NormalizeHostName(string? name)
        => string.IsNullOrWhiteSpace(name) || name == "." || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            ? Environment.MachineName
            : name!.Trim();

    public bool TryGet(string computerName, out SimulatedHost host)
    {
        lock (_hosts)
        {
            return _hosts.TryGetValue(NormalizeHostName(computerName), out host!);
        }
    }

    /// <summary>Registers the host; returns the host it replaced, if any.</summary>
    public SimulatedHost? Register(SimulatedHost host)
    {
        lock (_hosts)
        {
            var name = NormalizeHostName(host.ComputerName);
            _hosts.TryGetValue(name, out var replaced);
            _hosts[name] = host;
            return replaced;
        }
    }

    public bool Unregister(string computerName)
    {
        lock (_hosts)
        {
            return _hosts.Remove(NormalizeHostName(computerName));
        }
    }
}
