using System;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures;

/// <summary>
/// One simulated host as Get-HyperVSimulator reports it: identity, lab, and the operation counters at the
/// time of the call. <see cref="Host"/> is the live host: <c>$sim.Host.Connect()</c> opens an ICimClient on it.
/// </summary>
public sealed class HyperVSimulatorInfo
{
    public HyperVSimulatorInfo(SimulatedHost host, SimulatorCounters counters)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        ComputerName = host.ComputerName;
        Scenario = host.Scenario;
        HostVersion = host.HostVersion;
        VMCount = host.VMCount;
        QueryCount = counters.Queries;
        MethodCallCount = counters.MethodCalls;
        ChangeCallCount = counters.ChangeCalls;
        JobCount = counters.Jobs;
        Latency = host.Latency;
        FaultCount = host.Faults.Count;
    }

    public string ComputerName { get; }

    public string Scenario { get; }

    public Version HostVersion { get; }

    public int VMCount { get; }

    /// <summary>Query, GetInstance and GetAssociated round trips.</summary>
    public long QueryCount { get; }

    public long MethodCallCount { get; }

    /// <summary>Method calls that may change a VM or the host (all but read-only ones such as GetSummaryInformation).</summary>
    public long ChangeCallCount { get; }

    /// <summary>Jobs the provider started.</summary>
    public long JobCount { get; }

    public TimeSpan Latency { get; }

    /// <summary>Armed faults (Add-HyperVSimulatorFault).</summary>
    public int FaultCount { get; }

    public SimulatedHost Host { get; }

    public override string ToString() => ComputerName;
}

/// <summary>A simulated host's operation counters, read together.</summary>
public readonly struct SimulatorCounters
{
    public SimulatorCounters(long queries, long methodCalls, long changeCalls, long jobs)
    {
        Queries = queries;
        MethodCalls = methodCalls;
        ChangeCalls = changeCalls;
        Jobs = jobs;
    }

    public long Queries { get; }

    public long MethodCalls { get; }

    public long ChangeCalls { get; }

    public long Jobs { get; }
}

/// <summary>A simulated VM after Set-HyperVSimulatorVM -PassThru.</summary>
public sealed class HyperVSimulatorVMInfo
{
    public HyperVSimulatorVMInfo(string computerName, SimulatedVM vm)
    {
        if (vm is null)
        {
            throw new ArgumentNullException(nameof(vm));
        }

        ComputerName = computerName;
        VMName = vm.Name;
        VMId = vm.Id;
        State = vm.State.ToString();
        Generation = vm.Generation;
        var enabled = new System.Collections.Generic.List<string>();
        var disabled = new System.Collections.Generic.List<string>();
        foreach (var component in IntegrationComponentInfo.All)
        {
            (vm.Components[component.Kind].Enabled ? enabled : disabled).Add(component.DisplayName);
        }

        EnabledComponents = enabled.ToArray();
        DisabledComponents = disabled.ToArray();
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>Running, Off, Saved, Paused, Starting or Stopping.</summary>
    public string State { get; }

    public int Generation { get; }

    public string[] EnabledComponents { get; }

    public string[] DisabledComponents { get; }

    public override string ToString() => VMName;
}
