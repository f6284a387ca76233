using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// The six integration components (docs/provider-model.md "Integration components"). Matched by class and GUID,
/// never by display name, which is localized; the display name is only for messages and for
/// parameters that take the names the Hyper-V module shows.
/// </summary>
internal sealed class IntegrationComponent
{
    public static readonly IntegrationComponent Shutdown = new("Shutdown", new Guid("9F8233AC-BE49-4C79-8EE3-E7E1985B2077"), "Msvm_ShutdownComponent", "hv_utils");
    public static readonly IntegrationComponent TimeSynchronization = new("Time Synchronization", new Guid("2497F4DE-E9FA-4204-80E4-4B75C46419C0"), "Msvm_TimeSyncComponent", "hv_utils");
    public static readonly IntegrationComponent Heartbeat = new("Heartbeat", new Guid("84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47"), "Msvm_HeartbeatComponent", "hv_utils");
    public static readonly IntegrationComponent KeyValuePairExchange = new("Key-Value Pair Exchange", new Guid("2A34B1C2-FD73-4043-8A5B-DD2159BC743F"), "Msvm_KvpExchangeComponent", "hv_kvp_daemon");
    public static readonly IntegrationComponent Vss = new("VSS", new Guid("5CED1297-4598-4915-A5FC-AD21BB4D02A4"), "Msvm_VssComponent", "hv_vss_daemon");
    public static readonly IntegrationComponent GuestServiceInterface = new("Guest Service Interface", new Guid("6C09BB55-D683-4DA0-8931-C9BF705F6480"), "Msvm_GuestServiceInterfaceComponent", "hv_fcopy_daemon");

    private IntegrationComponent(string displayName, Guid id, string componentClass, string guestDaemon)
    {
        DisplayName = displayName;
        Id = id;
        ComponentClass = componentClass;
        GuestDaemon = guestDaemon;
    }

    public static IReadOnlyList<IntegrationComponent> All { get; } = new[] { Shutdown, TimeSynchronization, Heartbeat, KeyValuePairExchange, Vss, GuestServiceInterface };

    /// <summary>The name Get-VMIntegrationService shows (English).</summary>
    public string DisplayName { get; }

    public Guid Id { get; }

    /// <summary>The runtime component class, e.g. Msvm_HeartbeatComponent (exists only while the VM runs).</summary>
    public string ComponentClass { get; }

    /// <summary>The setting-data class, e.g. Msvm_HeartbeatComponentSettingData (exists in every power state).</summary>
    public string SettingClass => ComponentClass + "SettingData";

    /// <summary>The Linux driver or daemon that answers for it in the guest.</summary>
    public string GuestDaemon { get; }

    /// <summary>Finds a component by its Hyper-V module display name (case-insensitive).</summary>
    public static IntegrationComponent? FromDisplayName(string name)
        => All.FirstOrDefault(c => string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => DisplayName;
}
