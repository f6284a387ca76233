using System;
using System.Collections.Generic;
using System.Linq;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// The simulated hosts registered with Start-HyperVSimulator, by host name: one registry for the whole
/// process, so every runspace sees the same labs. DSC engines run resources in runspaces of their own
/// (PSDesiredStateConfiguration 2.0 per Invoke-DscResource, the DSC v3 PowerShell adapter per
/// operation), as do ForEach-Object -Parallel and thread jobs: a lab started at the prompt must answer
/// there too, and Stop-HyperVSimulator in any runspace removes a host for all of them.
/// Thread-safe; host names compare case-insensitively.
/// </summary>
internal sealed class SimulatorSessions
{
    private readonly Dictionary<string, SimulatedHost> _hosts = new(StringComparer.OrdinalIgnoreCase);

    private SimulatorSessions()
    {
    }

    /// <summary>The process-wide registry (the same from every runspace and thread).</summary>
    public static SimulatorSessions Current { get; } = new();

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

    /// <summary>
    /// Removes this very host. A host another runspace registered under the same name meanwhile stays:
    /// a Stop-HyperVSimulator that selected the old host must not remove its replacement.
    /// </summary>
    public bool Unregister(SimulatedHost host)
    {
        lock (_hosts)
        {
            var name = NormalizeHostName(host.ComputerName);
            return _hosts.TryGetValue(name, out var registered) && ReferenceEquals(registered, host) && _hosts.Remove(name);
        }
    }
}
