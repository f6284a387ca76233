using System;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>The power states the Hyper-V module shows (Get-VM's State).</summary>
public enum VMState
{
    Other,
    Running,
    Off,
    Stopping,
    Saved,
    Paused,
    Starting,
    Saving,
    Pausing,
    Resuming,
}

/// <summary>A VM as the domain knows it: identity, host and power state, from Msvm_ComputerSystem.</summary>
internal sealed class VirtualMachine
{
    public VirtualMachine(string computerName, Guid id, string name, VMState state, CimInstancePath path)
    {
        ComputerName = computerName;
        Id = id;
        Name = name;
        State = state;
        Path = path;
    }

    public string ComputerName { get; }

    public Guid Id { get; }

    public string Name { get; }

    public VMState State { get; }

    /// <summary>The Msvm_ComputerSystem path, for instance methods and REF parameters.</summary>
    public CimInstancePath Path { get; }

    public bool IsRunning => State == VMState.Running;

    /// <summary>Running or paused: the states in which the host has runtime values (assigned memory, components).</summary>
    public bool HasRuntimeState => State is VMState.Running or VMState.Paused;

    /// <summary>Maps Msvm_ComputerSystem.EnabledState (v2 values, plus the v1 vendor values clients still meet; docs/provider-model.md "Per VM").</summary>
    public static VMState StateFromEnabledState(ushort enabledState) => enabledState switch
    {
        2 => VMState.Running,
        3 => VMState.Off,
        4 => VMState.Stopping,
        6 => VMState.Saved,
        9 => VMState.Paused,
        10 => VMState.Starting,
        32768 => VMState.Paused,
        32769 => VMState.Saved,
        32770 => VMState.Starting,
        32773 => VMState.Saving,
        32774 => VMState.Stopping,
        32776 => VMState.Pausing,
        32777 => VMState.Resuming,
        _ => VMState.Other,
    };

    public override string ToString() => Name;
}
