using System;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures;

/// <summary>
/// One VM's memory settings as Get-DynamicMemory and Set-DynamicMemory -PassThru write them: sizes in
/// bytes (the provider's MB × 1 MB), and the runtime values where the host knows them.
/// </summary>
public sealed class DynamicMemoryInfo
{
    internal DynamicMemoryInfo(VirtualMachine machine, MemorySettings settings, long? assignedBytes, long? demandBytes, bool hasAssignedDevice)
    {
        ComputerName = machine.ComputerName;
        VMName = machine.Name;
        VMId = machine.Id;
        VMState = machine.State;
        DynamicMemoryEnabled = settings.DynamicMemoryEnabled;
        StartupBytes = ToBytes(settings.StartupMB);
        MinimumBytes = ToBytes(settings.MinimumMB);
        MaximumBytes = ToBytes(settings.MaximumMB);
        Buffer = (int)Math.Min(int.MaxValue, settings.Buffer);
        Priority = MemoryRules.PriorityOf(settings.Weight);
        AssignedBytes = assignedBytes;
        DemandBytes = demandBytes;
        HasAssignedDevice = hasAssignedDevice;
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>The VM's power state when it was read.</summary>
    public VMState VMState { get; }

    public bool DynamicMemoryEnabled { get; }

    /// <summary>Startup memory; the VM's fixed size when dynamic memory is off.</summary>
    public long StartupBytes { get; }

    /// <summary>Minimum memory (used with dynamic memory).</summary>
    public long MinimumBytes { get; }

    /// <summary>Maximum memory (used with dynamic memory).</summary>
    public long MaximumBytes { get; }

    /// <summary>Memory buffer, percent (5-2000).</summary>
    public int Buffer { get; }

    /// <summary>Memory priority (0-100), the provider's Weight / 100.</summary>
    public int Priority { get; }

    /// <summary>Memory the host has assigned to the running VM; null unless it runs.</summary>
    public long? AssignedBytes { get; }

    /// <summary>Memory the running guest uses (assigned less the available share the host reports); null unless it runs.</summary>
    public long? DemandBytes { get; }

    /// <summary>True when a PCI Express device is assigned (DDA/GPU): with dynamic memory on, startup must equal minimum.</summary>
    public bool HasAssignedDevice { get; }

    public override string ToString() => VMName;

    private static long ToBytes(ulong mb) => mb > (ulong)(long.MaxValue / MemoryRules.BytesPerMB) ? long.MaxValue : (long)mb * MemoryRules.BytesPerMB;
}
