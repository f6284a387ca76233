using System;
using System.IO;
using System.Linq;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures;

/// <summary>
/// One simulated host as Get-HyperVSimulator reports it: identity, lab, and the operation counters at the
/// time of the call. A snapshot: it holds no reference to the live host (the simulator's model is reached
/// through the simulator cmdlets only: Get-/Set-HyperVSimulatorVM, Get-HyperVSimulatorInstance).
/// </summary>
public sealed class HyperVSimulatorInfo
{
    internal HyperVSimulatorInfo(SimulatedHost host, SimulatorCounters counters)
    {
        if (host is null)
        {
            throw new ArgumentNullException(nameof(host));
        }

        ComputerName = host.ComputerName;
        Scenario = host.Scenario;
        HostVersion = host.HostVersion;
        VMCount = host.VMCount;
        QueryCount = counters.Queries;
        MethodCallCount = counters.MethodCalls;
        ChangeCallCount = counters.ChangeCalls;
        JobCount = counters.Jobs;
        Latency = host.Latency;
        JobDuration = host.SettingsJobDuration;
        Faults = host.Faults.ToArray();
        FaultCount = Faults.Length;
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

    /// <summary>How long the simulated provider's jobs run (Start-HyperVSimulator -JobDuration).</summary>
    public TimeSpan JobDuration { get; }

    /// <summary>Armed faults (Add-HyperVSimulatorFault).</summary>
    public int FaultCount { get; }

    /// <summary>The armed faults; each one's Remaining counts down as calls hit it.</summary>
    public HyperVSimulatorFault[] Faults { get; }

    public override string ToString() => ComputerName;
}

/// <summary>A simulated host's operation counters, read together.</summary>
internal readonly struct SimulatorCounters
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

/// <summary>
/// A simulated VM as Get-HyperVSimulatorVM and Set-HyperVSimulatorVM -PassThru report it: what the
/// simulator plays that the provider does not show (the NMIs the guest received, the files in its file
/// system), read under the host's lock at the time of the call.
/// </summary>
public sealed class HyperVSimulatorVMInfo
{
    internal HyperVSimulatorVMInfo(string computerName, SimulatedVM vm)
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
        NmiCount = vm.NmiCount;
        GuestFiles = vm.Files.FilePaths
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new HyperVSimulatorGuestFile(p, vm.Files.ContentOf(p)!))
            .ToArray();
        GuestDirectories = vm.Files.Directories.OrderBy(d => d, StringComparer.Ordinal).ToArray();
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>Running, Off, Saved, Paused, Starting or Stopping.</summary>
    public string State { get; }

    public int Generation { get; }

    public string[] EnabledComponents { get; }

    public string[] DisabledComponents { get; }

    /// <summary>Non-maskable interrupts the guest received (Send-VMNmi) since the host started.</summary>
    public int NmiCount { get; }

    /// <summary>The files in the guest's file system (what Copy-GuestFile and the lab put there), by path.</summary>
    public HyperVSimulatorGuestFile[] GuestFiles { get; }

    /// <summary>The directories in the guest's file system, as '/'-separated absolute paths.</summary>
    public string[] GuestDirectories { get; }

    public override string ToString() => VMName;
}

/// <summary>One file in a simulated guest's file system.</summary>
public sealed class HyperVSimulatorGuestFile
{
    private readonly GuestFileContent _content;

    internal HyperVSimulatorGuestFile(string path, GuestFileContent content)
    {
        Path = path;
        _content = content;
    }

    /// <summary>The absolute guest path, '/'-separated, as the guest's file copy daemon writes it.</summary>
    public string Path { get; }

    /// <summary>The size in bytes.</summary>
    public long Length => _content.Length;

    /// <summary>
    /// The file's bytes as they were when the VM was read; null when they are gone (a later copy replaced the
    /// file, or the host stopped and removed the copies it kept on this computer's disk).
    /// </summary>
    public byte[]? ReadAllBytes()
    {
        try
        {
            return _content.ReadAll();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override string ToString() => Path;
}
