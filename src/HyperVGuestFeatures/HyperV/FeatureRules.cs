using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>A feature's state on one VM and the reason, before host and guest support are added.</summary>
internal readonly struct FeatureReading
{
    public FeatureReading(FeatureState state, string detail)
    {
        State = state;
        Detail = detail;
    }

    public FeatureState State { get; }

    public string Detail { get; }
}

/// <summary>
/// How each catalog feature's state follows from what the host can see (docs/provider-model.md "Per VM";
/// the states as Get-GuestFeature's help, docs/en-US/Get-GuestFeature.md, gives them). Pure functions of a <see cref="VmView"/>: no I/O here. A feature the host
/// can't see from outside the guest is NotObservable with the reason, never a guessed Enabled.
/// </summary>
internal static class FeatureRules
{
    /// <summary>The snapshot queries each feature needs; a probe reads the union for the features asked for.</summary>
    public static IEnumerable<SnapshotQuery> QueriesFor(FeatureDefinition feature)
    {
        yield return SnapshotQuery.HostOperatingSystem;
        // Intrinsic KVP items give the guest OS for GuestSupport, whatever the feature.
        yield return SnapshotQuery.ComponentOf(IntegrationComponent.KeyValuePairExchange);
        foreach (var query in FeatureQueries(feature.Id))
        {
            yield return query;
        }
    }

    public static FeatureReading Evaluate(FeatureDefinition feature, VmView vm)
    {
        // A class the host's provider lacks (older hosts, docs/provider-model.md "Host versions") tells nothing:
        // the feature can't be seen from here, which is not the same as Disabled.
        foreach (var query in QueriesById.GetOrAdd(feature.Id, id => FeatureQueries(id).ToArray()))
        {
            if (!query.IsSummary && vm.HostLacks(query))
            {
                return new FeatureReading(FeatureState.NotObservable, $"This host's Hyper-V provider has no {query.ClassName} class (older hosts lack it), so the host can't show this");
            }
        }

        switch (feature.Id)
        {
            case "integrated-shutdown":
                return Integration(vm, IntegrationComponent.Shutdown);
            case "time-sync":
                return Integration(vm, IntegrationComponent.TimeSynchronization);
            case "heartbeat":
                return Integration(vm, IntegrationComponent.Heartbeat);
            case "live-backup":
                return Integration(vm, IntegrationComponent.Vss);
            case "file-copy":
                return Integration(vm, IntegrationComponent.GuestServiceInterface);
            case "kvp":
                return Kvp(vm);
            case "accurate-time":
                return AccurateTime(vm);
            case "static-ip-injection":
                return StaticIpInjection(vm);
            case "multiprocessing":
                return Multiprocessing(vm);
            case "hv-storage-device":
                return StorageDevice(vm);
            case "hv-network-device":
                return NetworkDevice(vm);
            case "vlan":
                return Vlan(vm);
            case "live-migration":
                return LiveMigration(vm);
            case "sr-iov":
                return SrIov(vm);
            case "vhdx-resize":
                return VhdxResize(vm);
            case "virtual-fc":
                return Present(vm.FibreChannelAdapters.Count, "virtual Fibre Channel adapter", "No virtual Fibre Channel adapter — Add-VMFibreChannelHba");
            case "mmio-gap":
                return MmioGap(vm);
            case "dm-hot-add":
            case "dm-ballooning":
                return DynamicMemory(vm, feature.Id == "dm-hot-add");
            case "runtime-memory-resize":
                return RuntimeResize(vm);
            case "hv-video":
                return Present(vm.Displays.Count, "synthetic display controller", "No synthetic display controller in the VM's settings");
            case "nmi":
                return Nmi(vm);
            case "dda":
                return Present(vm.AssignedDevices.Count, "assigned PCI Express device", "No device is assigned (Discrete Device Assignment) — Add-VMAssignableDevice");
            case "uefi-boot":
                return UefiBoot(vm);
            case "secure-boot":
                return SecureBoot(vm);
            default:
                // Integrated mouse, jumbo frames, vRSS, offloads, LRO, TRIM, SCSI WWN, PAE, lsvmbus, Hyper-V sockets.
                return new FeatureReading(FeatureState.NotObservable, UnobservableTexts.TryGetValue(feature.Id, out var text) ? text
                    : UnobservableTexts.GetOrAdd(feature.Id, "Not observable from the host: " + Lower(feature.SignalDescription.Replace("Not observable: ", string.Empty).Replace("Not observable from the VM: ", string.Empty))));
        }
    }

    // Every row asks which classes its feature reads: worked out once per feature.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SnapshotQuery[]> QueriesById = new(StringComparer.Ordinal);

    // A feature only the guest can see has the same text on every VM.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> UnobservableTexts = new(StringComparer.Ordinal);

    // The usual answer of a healthy VM, one text per component rather than one per row.
    private static readonly Dictionary<IntegrationComponent, string> RespondingTexts = IntegrationComponent.All.ToDictionary(
        c => c, c => $"{c.DisplayName} is enabled and the guest responds (OK)");

    private static IEnumerable<SnapshotQuery> FeatureQueries(string id) => id switch
    {
        "integrated-shutdown" => Ic(IntegrationComponent.Shutdown),
        "time-sync" or "accurate-time" => Ic(IntegrationComponent.TimeSynchronization),
        "heartbeat" => Ic(IntegrationComponent.Heartbeat),
        "live-backup" => Ic(IntegrationComponent.Vss),
        "file-copy" => Ic(IntegrationComponent.GuestServiceInterface),
        "kvp" => Ic(IntegrationComponent.KeyValuePairExchange),
        "static-ip-injection" => Ic(IntegrationComponent.KeyValuePairExchange).Concat(new[] { SnapshotQuery.SyntheticAdapters }),
        "multiprocessing" => new[] { SnapshotQuery.Processor },
        "hv-storage-device" or "vhdx-resize" => new[] { SnapshotQuery.StorageDevices, SnapshotQuery.Disks },
        "hv-network-device" => new[] { SnapshotQuery.SyntheticAdapters, SnapshotQuery.EmulatedAdapters },
        "vlan" => new[] { SnapshotQuery.SyntheticAdapters, SnapshotQuery.EmulatedAdapters, SnapshotQuery.PortVlan },
        "sr-iov" => new[] { SnapshotQuery.SyntheticAdapters, SnapshotQuery.PortOffload },
        "live-migration" => new[] { SnapshotQuery.Migration },
        "virtual-fc" => new[] { SnapshotQuery.FibreChannel },
        "mmio-gap" or "uefi-boot" or "secure-boot" => new[] { SnapshotQuery.SystemSettings },
        "dm-hot-add" or "dm-ballooning" => new[] { SnapshotQuery.Memory, SnapshotQuery.Summary },
        "runtime-memory-resize" => new[] { SnapshotQuery.Memory },
        "hv-video" => new[] { SnapshotQuery.Display },
        "dda" => new[] { SnapshotQuery.AssignedDevices },
        _ => Array.Empty<SnapshotQuery>(),
    };

    private static SnapshotQuery[] Ic(IntegrationComponent component)
        => new[] { SnapshotQuery.SettingOf(component), SnapshotQuery.ComponentOf(component) };

    /// <summary>
    /// An integration service: its setting (EnabledState, every power state) and, while the VM runs,
    /// its component's OperationalStatus (docs/provider-model.md "Integration components"). A disabled setting is Disabled whatever the
    /// power state; an enabled one is NotObservable while the VM is not running (docs/en-US/Get-GuestFeature.md).
    /// </summary>
    private static FeatureReading Integration(VmView vm, IntegrationComponent component)
    {
        var setting = vm.Setting(component);
        if (setting is null)
        {
            return new FeatureReading(FeatureState.NotObservable, $"The host reported no {component.DisplayName} integration service for this VM");
        }

        if (setting.GetUInt16("EnabledState") != 2)
        {
            return new FeatureReading(FeatureState.Disabled,
                $"{component.DisplayName} is disabled — {CommandText.EnableFeature(vm.Machine, FeatureSwitch.FeatureOf(component).Name)}");
        }

        if (!vm.Machine.IsRunning)
        {
            return new FeatureReading(FeatureState.NotObservable,
                $"{component.DisplayName} is enabled in the VM's settings; its runtime status can't be seen while the VM is {vm.Machine.State}");
        }

        var runtime = vm.Component(component);
        if (runtime is null)
        {
            return new FeatureReading(FeatureState.NotObservable, $"{component.DisplayName} is enabled, but the host reported no runtime status for it");
        }

        var status = runtime.GetUInt16Array("OperationalStatus");
        var primary = status.Length > 0 ? status[0] : (ushort)0;
        return primary switch
        {
            2 when component == IntegrationComponent.Heartbeat && status.Length > 1 && status[1] != 2
                => new FeatureReading(FeatureState.Degraded, $"Heartbeat OK, but the guest reports application state {Describe(runtime, 1, status[1])}"),
            2 => new FeatureReading(FeatureState.Enabled, RespondingTexts[component]),
            3 => new FeatureReading(FeatureState.Degraded, $"{component.DisplayName} works with an older protocol than the host's — update the guest's kernel or Linux Integration Services"),
            7 => new FeatureReading(FeatureState.Degraded, $"{component.DisplayName}: no protocol version compatible with the host (Non-Recoverable Error) — update the guest's kernel"),
            12 => new FeatureReading(FeatureState.Degraded, $"{component.DisplayName}: no contact with the guest — is {component.GuestDaemon} installed and running in the guest (package hyperv-daemons or hyperv-tools)?"),
            13 when component == IntegrationComponent.Heartbeat
                => new FeatureReading(FeatureState.Degraded, "Heartbeat lost: no response from the guest (Lost Communication) — the guest may be hung; Send-VMNmi can force a crash dump"),
            13 => new FeatureReading(FeatureState.Degraded, $"{component.DisplayName}: lost communication — the guest stopped responding"),
            15 => new FeatureReading(FeatureState.NotObservable, $"{component.DisplayName}: the VM is paused"),
            _ => new FeatureReading(FeatureState.Degraded, $"{component.DisplayName}: status {Describe(runtime, 0, primary)}"),
        };
    }

    private static FeatureReading Kvp(VmView vm)
    {
        var reading = Integration(vm, IntegrationComponent.KeyValuePairExchange);
        if (reading.State != FeatureState.Enabled)
        {
            return reading;
        }

        var items = vm.IntrinsicItems;
        if (items.Count == 0)
        {
            return new FeatureReading(FeatureState.Degraded, "Key-Value Pair Exchange responds, but the guest reports no intrinsic items — is hv_kvp_daemon running?");
        }

        var guest = vm.Guest;
        var reported = guest is null ? string.Empty : ": " + guest.DisplayName;
        return new FeatureReading(FeatureState.Enabled, $"Key-Value Pair Exchange is enabled and the guest reports {items.Count} intrinsic items{reported}");
    }

    private static FeatureReading AccurateTime(VmView vm)
    {
        var timeSync = Integration(vm, IntegrationComponent.TimeSynchronization);
        return timeSync.State == FeatureState.Enabled
            ? new FeatureReading(FeatureState.Enabled, $"Time Synchronization is OK on a host that offers accurate time ({vm.HostVersion}); the accuracy itself can't be seen from the host")
            : new FeatureReading(timeSync.State, "Needs Time Synchronization. " + timeSync.Detail);
    }

    private static FeatureReading StaticIpInjection(VmView vm)
    {
        if (vm.SyntheticAdapters.Count == 0)
        {
            return new FeatureReading(FeatureState.Disabled, "No synthetic network adapter: static IP injection works on synthetic adapters only");
        }

        var kvp = Integration(vm, IntegrationComponent.KeyValuePairExchange);
        return kvp.State == FeatureState.Enabled
            ? new FeatureReading(FeatureState.Enabled, "Key-Value Pair Exchange responds, so the host can read and set the guest's IP configuration (Msvm_GuestNetworkAdapterConfiguration)")
            : new FeatureReading(kvp.State, "Needs Key-Value Pair Exchange. " + kvp.Detail);
    }

    private static FeatureReading Multiprocessing(VmView vm)
    {
        var count = vm.Processor?.GetUInt64("VirtualQuantity");
        return count switch
        {
            null => new FeatureReading(FeatureState.NotObservable, "The host reported no processor settings for this VM"),
            > 1 => new FeatureReading(FeatureState.Enabled, $"{count} virtual processors"),
            _ => new FeatureReading(FeatureState.Disabled, $"1 virtual processor — Set-VMProcessor {CommandText.Target(vm.Machine)} -Count 2 (VM off)"),
        };
    }

    private static FeatureReading StorageDevice(VmView vm)
    {
        var controllers = vm.ScsiControllers;
        if (controllers.Count == 0)
        {
            return new FeatureReading(FeatureState.Disabled, "No synthetic SCSI controller: disks are on the emulated IDE controller — Add-VMScsiController");
        }

        var disks = vm.Disks.Count(vm.IsOnScsi);
        return new FeatureReading(FeatureState.Enabled, $"{controllers.Count} synthetic SCSI controller(s) with {disks} virtual disk(s); whether the guest's storvsc driver is in use can't be seen from the host");
    }

    private static FeatureReading NetworkDevice(VmView vm)
    {
        var synthetic = vm.SyntheticAdapters.Count;
        var legacy = vm.EmulatedAdapters.Count;
        if (synthetic > 0)
        {
            return new FeatureReading(FeatureState.Enabled, legacy > 0
                ? $"{synthetic} synthetic and {legacy} legacy network adapter(s)"
                : $"{synthetic} synthetic network adapter(s)");
        }

        return new FeatureReading(FeatureState.Disabled, legacy > 0
            ? $"Only legacy (emulated) network adapters — Add-VMNetworkAdapter {CommandText.Target(vm.Machine)} adds a synthetic one"
            : "No network adapter");
    }

    private static FeatureReading Vlan(VmView vm)
    {
        var adapters = vm.SyntheticAdapters.Concat(vm.EmulatedAdapters).ToList();
        if (adapters.Count == 0)
        {
            return new FeatureReading(FeatureState.Disabled, "No network adapter");
        }

        var tagged = new List<string>();
        foreach (var vlan in vm.PortVlans)
        {
            var adapter = adapters.FirstOrDefault(a => string.Equals(a.GetString("InstanceID"), HostSnapshot.AdapterKeyOf(vlan), StringComparison.OrdinalIgnoreCase));
            var name = adapter?.GetString("ElementName") ?? "Network Adapter";
            switch (vlan.GetUInt32("OperationMode"))
            {
                case 1 when (vlan.GetUInt16("AccessVlanId") ?? 0) != 0:
                    tagged.Add($"{name}: access VLAN {vlan.GetUInt16("AccessVlanId")}");
                    break;
                case 2:
                    var trunk = vlan.GetUInt16Array("TrunkVlanIdArray");
                    tagged.Add($"{name}: trunk VLANs {string.Join(",", trunk)} (native {vlan.GetUInt16("NativeVlanId") ?? 0})");
                    break;
                case 3:
                    tagged.Add($"{name}: private VLAN");
                    break;
            }
        }

        return tagged.Count > 0
            ? new FeatureReading(FeatureState.Enabled, string.Join("; ", tagged))
            : new FeatureReading(FeatureState.Disabled, $"Untagged: no adapter has a VLAN — Set-VMNetworkAdapterVlan {CommandText.Target(vm.Machine)} -Access -VlanId <id>");
    }

    private static FeatureReading LiveMigration(VmView vm) => vm.HostMigrationEnabled switch
    {
        true => new FeatureReading(FeatureState.Enabled, "The host accepts live migrations"),
        false => new FeatureReading(FeatureState.Disabled, "Live migration is disabled on the host — Enable-VMMigration"),
        _ => new FeatureReading(FeatureState.NotObservable, "The host's migration service settings could not be read"),
    };

    private static FeatureReading SrIov(VmView vm)
    {
        if (vm.SyntheticAdapters.Count == 0)
        {
            return new FeatureReading(FeatureState.Disabled, "No synthetic network adapter");
        }

        var requested = vm.PortOffloads.Where(o => (o.GetUInt32("IOVOffloadWeight") ?? 0) > 0).ToList();
        return requested.Count > 0
            ? new FeatureReading(FeatureState.Enabled, $"SR-IOV requested on {requested.Count} adapter(s) (IOV weight {requested[0].GetUInt32("IOVOffloadWeight")}); whether a virtual function is in use can't be seen from the host")
            : new FeatureReading(FeatureState.Disabled, $"IOV weight is 0 on every adapter — Set-VMNetworkAdapter {CommandText.Target(vm.Machine)} -IovWeight 100 (needs an SR-IOV switch)");
    }

    private static FeatureReading VhdxResize(VmView vm)
    {
        var vhdx = vm.Disks.Where(d => d.GetStringArray("HostResource").Any(p => p.EndsWith(".vhdx", StringComparison.OrdinalIgnoreCase))).ToList();
        if (vhdx.Count == 0)
        {
            return new FeatureReading(FeatureState.Disabled, "No .vhdx virtual disk attached");
        }

        var onScsi = vhdx.Count(vm.IsOnScsi);
        return onScsi > 0
            ? new FeatureReading(FeatureState.Enabled, $"{onScsi} .vhdx disk(s) on SCSI can be resized while the VM runs")
            : new FeatureReading(FeatureState.Degraded, "The .vhdx disks are on IDE: online resize works only for disks on a SCSI controller");
    }

    private static FeatureReading MmioGap(VmView vm)
    {
        var settings = vm.SystemSettings;
        if (settings is null)
        {
            return new FeatureReading(FeatureState.NotObservable, "The host reported no settings for this VM");
        }

        var low = settings.GetUInt64("LowMmioGapSize");
        var high = settings.GetUInt64("HighMmioGapSize");
        if (low is null && high is null)
        {
            return new FeatureReading(FeatureState.NotObservable, "The VM's settings carry no MMIO gap sizes");
        }

        // HighMmioGapSize came with version 1703 (MSDOC msvm-virtualsystemsettingdata): older hosts don't have it.
        var highText = settings.Properties.ContainsKey("HighMmioGapSize")
            ? $"high MMIO gap {high} MB — Set-VM -LowMemoryMappedIoSpace/-HighMemoryMappedIoSpace"
            : "the high MMIO gap is not reported by this host (HighMmioGapSize came with Windows Server version 1703) — Set-VM -LowMemoryMappedIoSpace";
        return new FeatureReading(FeatureState.Enabled, $"Low MMIO gap {low} MB, {highText}");
    }

    private static FeatureReading DynamicMemory(VmView vm, bool hotAdd)
    {
        var memory = vm.Memory;
        if (memory is null)
        {
            return new FeatureReading(FeatureState.NotObservable, "The host reported no memory settings for this VM");
        }

        if (memory.GetBoolean("DynamicMemoryEnabled") != true)
        {
            return new FeatureReading(FeatureState.Disabled,
                $"Static memory ({memory.GetUInt64("VirtualQuantity")} MB) — Set-DynamicMemory {CommandText.Target(vm.Machine)} -DynamicMemoryEnabled $true (VM off)");
        }

        var range = $"{memory.GetUInt64("Reservation")}–{memory.GetUInt64("Limit")} MB, buffer {memory.GetUInt32("TargetMemoryBuffer")}%";
        var assigned = vm.Machine.IsRunning ? vm.Summary?.GetUInt64("MemoryUsage") : null;
        var runtime = assigned is null ? string.Empty : $"; {assigned} MB assigned now";
        var mechanism = hotAdd ? "hot-add grows it up to the maximum" : "ballooning returns memory down to the minimum";
        return new FeatureReading(FeatureState.Enabled, $"Dynamic memory {range}{runtime}; {mechanism}");
    }

    private static FeatureReading RuntimeResize(VmView vm)
    {
        var memory = vm.Memory;
        if (memory is null)
        {
            return new FeatureReading(FeatureState.NotObservable, "The host reported no memory settings for this VM");
        }

        return memory.GetBoolean("DynamicMemoryEnabled") == true
            ? new FeatureReading(FeatureState.Disabled, "Dynamic memory is on: runtime resize applies to static memory (with dynamic memory only minimum and maximum change while running)")
            : new FeatureReading(FeatureState.Enabled, $"Static memory ({memory.GetUInt64("VirtualQuantity")} MB) can be resized while the VM runs");
    }

    private static FeatureReading Nmi(VmView vm)
        => vm.Machine.IsRunning
            ? new FeatureReading(FeatureState.Enabled, $"The VM is running: Send-VMNmi {CommandText.Target(vm.Machine)} can inject an NMI for a crash dump")
            : new FeatureReading(FeatureState.Disabled, $"An NMI can only be sent to a running VM; this one is {vm.Machine.State}");

    private static FeatureReading UefiBoot(VmView vm) => vm.Generation switch
    {
        2 => new FeatureReading(FeatureState.Enabled, "Generation 2 VM: boots with UEFI firmware"),
        1 => new FeatureReading(FeatureState.NotSupported, "Generation 1 VM: boots with BIOS; UEFI needs a Generation 2 VM (the generation can't be changed)"),
        _ => new FeatureReading(FeatureState.NotObservable, "The VM's generation could not be read"),
    };

    /// <summary>
    /// Secure boot for a Linux guest works only with the Microsoft UEFI Certificate Authority template
    /// (docs/provider-model.md "Integration components", secure boot templates); with the Windows template the shim is refused at boot.
    /// </summary>
    private static FeatureReading SecureBoot(VmView vm)
    {
        if (vm.Generation != 2)
        {
            return vm.Generation == 1
                ? new FeatureReading(FeatureState.NotSupported, "Generation 1 VM: secure boot needs a Generation 2 VM")
                : new FeatureReading(FeatureState.NotObservable, "The VM's generation could not be read");
        }

        var settings = vm.SystemSettings!;
        if (settings.GetBoolean("SecureBootEnabled") != true)
        {
            return new FeatureReading(FeatureState.Disabled,
                $"Secure boot is off — {CommandText.EnableFeature(vm.Machine, FeatureSwitch.SecureBootFeatureName)} (VM off; sets the Microsoft UEFI Certificate Authority template)");
        }

        var template = Guid.TryParse(settings.GetString("SecureBootTemplateId"), out var id) ? id : Guid.Empty;
        if (template == VmView.MicrosoftUefiCertificateAuthorityTemplate)
        {
            return new FeatureReading(FeatureState.Enabled, "Secure boot is on with the Microsoft UEFI Certificate Authority template");
        }

        var which = template == VmView.MicrosoftWindowsTemplate ? "the Microsoft Windows template" : $"template {settings.GetString("SecureBootTemplateId")}";
        return new FeatureReading(FeatureState.Degraded,
            $"Secure boot uses {which}, which refuses Linux boot loaders — {CommandText.EnableFeature(vm.Machine, FeatureSwitch.SecureBootFeatureName)} (VM off; sets the Microsoft UEFI Certificate Authority template)");
    }

    private static FeatureReading Present(int count, string what, string absent)
        => count > 0
            ? new FeatureReading(FeatureState.Enabled, $"{count} {what}(s) in the VM's settings")
            : new FeatureReading(FeatureState.Disabled, absent);

    private static string Describe(CimObject component, int index, ushort code)
    {
        var descriptions = component.GetStringArray("StatusDescriptions");
        return descriptions.Length > index ? $"{code} ({descriptions[index]})" : code.ToString(CultureInfo.InvariantCulture);
    }

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text.Substring(1);
}
