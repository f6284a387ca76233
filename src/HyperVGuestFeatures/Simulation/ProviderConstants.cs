using System;
using System.Collections.Generic;
using System.Linq;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>One integration component's identity (docs/provider-model.md "Integration components").</summary>
internal sealed class IntegrationComponentInfo
{
    internal IntegrationComponentInfo(IntegrationComponentKind kind, string id, string componentClass, string displayName)
    {
        Kind = kind;
        Id = id;
        ComponentClass = componentClass;
        SettingClass = componentClass + "SettingData";
        DisplayName = displayName;
    }

    public IntegrationComponentKind Kind { get; }

    /// <summary>Upper-case GUID text, as in the setting's InstanceID and the component's DeviceID.</summary>
    public string Id { get; }

    public string ComponentClass { get; }

    public string SettingClass { get; }

    /// <summary>The name the Hyper-V module shows (Assumption for all but GSI, Time Synchronization, Heartbeat: docs/provider-model.md "Integration components", "Could not confirm").</summary>
    public string DisplayName { get; }

    public static IReadOnlyList<IntegrationComponentInfo> All { get; } = new[]
    {
        new IntegrationComponentInfo(IntegrationComponentKind.Shutdown, "9F8233AC-BE49-4C79-8EE3-E7E1985B2077", "Msvm_ShutdownComponent", "Shutdown"),
        new IntegrationComponentInfo(IntegrationComponentKind.TimeSynchronization, "2497F4DE-E9FA-4204-80E4-4B75C46419C0", "Msvm_TimeSyncComponent", "Time Synchronization"),
        new IntegrationComponentInfo(IntegrationComponentKind.Heartbeat, "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", "Msvm_HeartbeatComponent", "Heartbeat"),
        new IntegrationComponentInfo(IntegrationComponentKind.KeyValuePairExchange, "2A34B1C2-FD73-4043-8A5B-DD2159BC743F", "Msvm_KvpExchangeComponent", "Key-Value Pair Exchange"),
        new IntegrationComponentInfo(IntegrationComponentKind.Vss, "5CED1297-4598-4915-A5FC-AD21BB4D02A4", "Msvm_VssComponent", "VSS"),
        new IntegrationComponentInfo(IntegrationComponentKind.GuestServiceInterface, "6C09BB55-D683-4DA0-8931-C9BF705F6480", "Msvm_GuestServiceInterfaceComponent", "Guest Service Interface"),
    };

    public static IntegrationComponentInfo Of(IntegrationComponentKind kind) => All.First(c => c.Kind == kind);

    /// <summary>Finds a component by display name, case-insensitively; null when none has it.</summary>
    public static IntegrationComponentInfo? FromDisplayName(string name)
        => All.FirstOrDefault(c => string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase));

    public static IntegrationComponentInfo? FromId(string id)
        => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Fixed values of the provider the simulator reproduces.</summary>
internal static class ProviderConstants
{
    public const string MicrosoftWindowsTemplate = "1734C6E8-3154-4DDA-BA5F-A874CC483422";
    public const string MicrosoftUefiCaTemplate = "272E7447-90A4-4563-A4B9-8E4AB00526CE";

    /// <summary>Msvm_MemorySettingData's device suffix in InstanceID (docs/provider-model.md).</summary>
    public const string MemoryDeviceGuid = "4764334d-e001-4176-82ee-5594ec9b530e";

    /// <summary>Msvm_ProcessorSettingData's device suffix in InstanceID (docs/provider-model.md).</summary>
    public const string ProcessorDeviceGuid = "b637f346-6a0e-4dec-af52-bd70cb80a21d";

    // Ethernet switch port feature ids in the port-feature InstanceID (…\C\<feature GUID>).
    // Assumption (docs/provider-model.md "Per VM": VLAN/offload class and property names are Unverified): the feature GUIDs as
    // Hyper-V writes them in its feature setting InstanceIDs.
    public const string VlanFeatureGuid = "952C5004-4465-451C-8CB8-FA9AB382B773";
    public const string OffloadFeatureGuid = "C885BFD1-ABB7-418F-8163-9F379C9F7166";
    public const string SecurityFeatureGuid = "776E0BA7-94A1-41C8-8F28-951F524251B5";

    public const string RealizedType = "Microsoft:Hyper-V:System:Realized";
    public const string VmDescription = "Microsoft Virtual Machine";
    public const string HostDescription = "Microsoft Hosting Computer System";

    // Method return codes and job states: the protocol's vocabulary, shared with the client side
    // (Cim/ReturnCodes.cs, docs/provider-model.md "Methods", "Jobs"), so both ends speak the same numbers.
    public const uint Completed = ReturnCodes.Completed;
    public const uint JobStarted = ReturnCodes.JobStarted;
    public const uint Failed = ReturnCodes.Failed;
    public const uint AccessDenied = ReturnCodes.AccessDenied;
    public const uint NotSupported = ReturnCodes.NotSupported;
    public const uint InvalidParameter = ReturnCodes.InvalidParameter;
    public const uint InvalidState = ReturnCodes.InvalidState;
    public const uint NotFound = ReturnCodes.NotFound;

    public const ushort JobRunning = JobStates.Running;
    public const ushort JobCompleted = JobStates.Completed;
    public const ushort JobTerminated = JobStates.Terminated;
    public const ushort JobKilled = JobStates.Killed;
    public const ushort JobException = JobStates.Exception;

    /// <summary>The meaning of a return code, for descriptions (docs/provider-model.md "Methods").</summary>
    public static string Describe(uint code) => ReturnCodes.Describe(code);

    /// <summary>Msvm_ComputerSystem.EnabledState, v2 values (docs/provider-model.md "Per VM").</summary>
    public static ushort EnabledState(SimulatedVMState state) => state switch
    {
        SimulatedVMState.Running => 2,
        SimulatedVMState.Off => 3,
        SimulatedVMState.Saved => 6,
        SimulatedVMState.Paused => 9,
        SimulatedVMState.Starting => 10,
        SimulatedVMState.Stopping => 4,
        _ => 0,
    };

    public static string StatusDescription(ushort status) => status switch
    {
        2 => "OK",
        3 => "Degraded",
        7 => "Non-Recoverable Error",
        12 => "No Contact",
        13 => "Lost Communication",
        15 => "Paused",
        _ => "Unknown",
    };
}
