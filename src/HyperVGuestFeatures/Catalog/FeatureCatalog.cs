using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// The 35 features of Microsoft's Feature Descriptions page ("the seed") in its 7 groups, with the minimum
/// host of docs/guest-support.md "Minimum hosts" and the host-visible signal (the classes of docs/provider-model.md "Per VM").
/// Descriptions are our own summaries of the seed's text.
/// </summary>
internal static class FeatureCatalog
{
    public static readonly HostRelease WindowsServer2008R2 = new("ws2008r2", "Windows Server 2008 R2", new Version(6, 1, 7600), 1);
    public static readonly HostRelease WindowsServer2012 = new("ws2012", "Windows Server 2012", new Version(6, 2, 9200), 2);
    public static readonly HostRelease WindowsServer2012R2 = new("ws2012r2", "Windows Server 2012 R2", new Version(6, 3, 9600), 3);
    public static readonly HostRelease WindowsServer2016 = new("ws2016", "Windows Server 2016", new Version(10, 0, 14393), 4);
    public static readonly HostRelease WindowsServer2019 = new("ws2019", "Windows Server 2019", new Version(10, 0, 17763), 5);
    public static readonly HostRelease WindowsServer2022 = new("ws2022", "Windows Server 2022", new Version(10, 0, 20348), 6);
    public static readonly HostRelease WindowsServer2025 = new("ws2025", "Windows Server 2025", new Version(10, 0, 26100), 7);

    /// <summary>Host releases, oldest first.</summary>
    public static IReadOnlyList<HostRelease> HostReleases { get; } = new[]
    {
        WindowsServer2008R2, WindowsServer2012, WindowsServer2012R2, WindowsServer2016, WindowsServer2019, WindowsServer2022, WindowsServer2025,
    };

    /// <summary>Every feature, in the seed's order.</summary>
    public static IReadOnlyList<FeatureDefinition> Features { get; } = Build();

    /// <summary>The newest release whose version is at most <paramref name="hostVersion"/> (null when older than all).</summary>
    public static HostRelease? ReleaseOf(Version hostVersion)
        => HostReleases.LastOrDefault(r => CompareBuild(hostVersion, r.Version) >= 0);

    /// <summary>Whether a host of <paramref name="hostVersion"/> meets the feature's minimum host.</summary>
    public static bool IsSupportedBy(FeatureDefinition feature, Version hostVersion)
        => CompareBuild(hostVersion, feature.MinimumHost.Version) >= 0;

    /// <summary>The feature with this id or seed name (case-insensitive), or null.</summary>
    public static FeatureDefinition? Find(string idOrName)
        => Features.FirstOrDefault(f => f.IsNamed(n => string.Equals(n, idOrName, StringComparison.OrdinalIgnoreCase)));

    // Compare major.minor.build only: a host's revision number says nothing about features.
    private static int CompareBuild(Version a, Version b)
    {
        var major = a.Major.CompareTo(b.Major);
        if (major != 0)
        {
            return major;
        }

        var minor = a.Minor.CompareTo(b.Minor);
        return minor != 0 ? minor : Math.Max(a.Build, 0).CompareTo(Math.Max(b.Build, 0));
    }

    private static FeatureDefinition[] Build()
    {
        const FeatureCategory core = FeatureCategory.Core;
        const FeatureCategory net = FeatureCategory.Networking;
        const FeatureCategory storage = FeatureCategory.Storage;
        const FeatureCategory memory = FeatureCategory.Memory;
        const FeatureCategory video = FeatureCategory.Video;
        const FeatureCategory misc = FeatureCategory.Miscellaneous;
        const FeatureCategory gen2 = FeatureCategory.Generation2;
        var r2008 = WindowsServer2008R2;
        var r2012 = WindowsServer2012;
        var r2012R2 = WindowsServer2012R2;
        var r2016 = WindowsServer2016;

        return new[]
        {
            F("integrated-shutdown", "Integrated shutdown", core, r2008, FeatureSignal.IntegrationComponent, "core",
                "Lets the host shut the guest down cleanly (Stop-VM, Hyper-V Manager) instead of cutting power.",
                "Shutdown integration service: Msvm_ShutdownComponentSettingData.EnabledState and Msvm_ShutdownComponent.OperationalStatus"),
            F("time-sync", "Time synchronization", core, r2008, FeatureSignal.IntegrationComponent, "core",
                "Keeps the guest clock in step with the host clock.",
                "Time Synchronization integration service: Msvm_TimeSyncComponentSettingData.EnabledState and Msvm_TimeSyncComponent.OperationalStatus"),
            F("accurate-time", "Windows Server 2016 Accurate Time", core, r2016, FeatureSignal.HostVersion, "accurate-time",
                "Tightens guest time synchronization to about 1 ms on Windows Server 2016 and later hosts.",
                "Host build 14393 or later plus a working Time Synchronization service; the accuracy itself is not visible to the host"),
            F("multiprocessing", "Multiprocessing support", core, r2008, FeatureSignal.VirtualMachineSetting, "core",
                "Lets the guest run on several virtual processors.",
                "Msvm_ProcessorSettingData.VirtualQuantity (virtual processor count)"),
            F("heartbeat", "Heartbeat", core, r2008, FeatureSignal.IntegrationComponent, "core",
                "Lets the host see whether the guest is alive and responding.",
                "Heartbeat integration service: Msvm_HeartbeatComponent.OperationalStatus[0] and [1]"),
            F("integrated-mouse", "Integrated mouse support", core, r2008, FeatureSignal.NotObservable, "core",
                "Moves the mouse seamlessly between the host desktop and the VM console.",
                "Not observable: the device is always present and the guest driver state is unknown to the host"),
            F("hv-storage-device", "Hyper-V specific Storage device", core, r2008, FeatureSignal.Device, "core",
                "Gives the guest high-performance synthetic (SCSI) access to its virtual disks.",
                "A synthetic SCSI controller in the VM settings (Msvm_ResourceAllocationSettingData, ResourceSubType Microsoft:Hyper-V:Synthetic SCSI Controller)"),
            F("hv-network-device", "Hyper-V specific Network device", core, r2008, FeatureSignal.Device, "core",
                "Gives the guest high-performance synthetic network adapters.",
                "A synthetic network adapter in the VM settings (Msvm_SyntheticEthernetPortSettingData)"),

            F("jumbo-frames", "Jumbo frames", net, r2008, FeatureSignal.NotObservable, "jumbo-frames",
                "Allows network frames larger than 1500 bytes for higher throughput.",
                "Not observable: the MTU is configured inside the guest"),
            F("vlan", "VLAN tagging and trunking", net, r2008, FeatureSignal.NetworkPort, "vlan",
                "Puts the VM's network traffic on tagged VLANs, one (access) or several (trunk).",
                "Msvm_EthernetSwitchPortVlanSettingData.OperationMode, AccessVlanId, TrunkVlanIdArray on the adapters' ports"),
            F("live-migration", "Live Migration", net, r2008, FeatureSignal.HostSetting, "live-migration",
                "Moves the running VM to another host without downtime.",
                "Msvm_VirtualSystemMigrationServiceSettingData.EnableVirtualSystemMigration on the host"),
            F("static-ip-injection", "Static IP Injection", net, r2012, FeatureSignal.IntegrationComponent, "static-ip-injection",
                "Lets the host set the guest's static IP address, e.g. to keep it after a Replica failover.",
                "Needs the Key-Value Pair Exchange service running in the guest (Msvm_KvpExchangeComponent) and a synthetic adapter; read through Msvm_GuestNetworkAdapterConfiguration"),
            F("vrss", "vRSS", net, r2012R2, FeatureSignal.NotObservable, "vrss",
                "Virtual receive side scaling: spreads a virtual adapter's receive load over several virtual processors.",
                "Not observable: a guest-side setting; only the port offload weights are visible to the host"),
            F("tso-cso", "TCP Segmentation and Checksum Offloads", net, r2008, FeatureSignal.NotObservable, "tso-cso",
                "Moves TCP segmentation and checksum work from the guest CPU to the host switch or NIC.",
                "Not observable: the offloads are negotiated inside the guest"),
            F("lro", "Large Receive Offload", net, r2012R2, FeatureSignal.NotObservable, "lro",
                "Aggregates received packets into larger buffers to cut CPU overhead on fast links.",
                "Not observable: the offload is negotiated inside the guest"),
            F("sr-iov", "SR-IOV", net, r2016, FeatureSignal.NetworkPort, "sr-iov",
                "Gives the guest a virtual function of a physical NIC for low latency and high throughput.",
                "Msvm_EthernetSwitchPortOffloadSettingData.IOVOffloadWeight > 0 on an adapter's port"),

            F("vhdx-resize", "VHDX resize", storage, r2012R2, FeatureSignal.Device, "vhdx-resize",
                "Lets the administrator grow or shrink an attached .vhdx while the VM runs (SCSI-attached disks only).",
                "Msvm_StorageAllocationSettingData: a .vhdx disk on a SCSI controller"),
            F("virtual-fc", "Virtual Fibre Channel", storage, r2012R2, FeatureSignal.Device, "virtual-fc",
                "Lets the guest see and mount Fibre Channel LUNs natively through a virtual HBA.",
                "A virtual Fibre Channel adapter in the VM settings (Msvm_FcPortAllocationSettingData)"),
            F("live-backup", "Live virtual machine backup", storage, r2012R2, FeatureSignal.IntegrationComponent, "live-backup",
                "Backs the VM up while it runs, without downtime, through the guest's VSS daemon.",
                "VSS integration service: Msvm_VssComponentSettingData.EnabledState and Msvm_VssComponent.OperationalStatus"),
            F("trim", "TRIM support", storage, r2012R2, FeatureSignal.NotObservable, "trim",
                "Passes the guest's discard hints down so unused virtual disk space can be reclaimed.",
                "Not observable: discard is issued by the guest file system"),
            F("scsi-wwn", "SCSI WWN", storage, r2012R2, FeatureSignal.NotObservable, "scsi-wwn",
                "Exposes the World Wide Names of attached devices in the guest's sysfs.",
                "Not observable: done by the guest's storvsc driver"),

            F("pae", "PAE Kernel Support", memory, r2008, FeatureSignal.NotObservable, "pae",
                "Lets a 32-bit guest kernel address more than 4 GB of memory.",
                "Not observable: a property of the guest kernel"),
            F("mmio-gap", "Configuration of MMIO gap", memory, r2012R2, FeatureSignal.VirtualMachineSetting, "mmio-gap",
                "Lets appliance builders place the memory-mapped I/O gap where their guest needs it.",
                "Msvm_VirtualSystemSettingData.LowMmioGapSize and HighMmioGapSize (MB)"),
            F("dm-hot-add", "Dynamic Memory - Hot-Add", memory, r2012, FeatureSignal.VirtualMachineSetting, "dm-hot-add",
                "Lets the host add memory to the running guest as its demand grows, up to the maximum.",
                "Msvm_MemorySettingData.DynamicMemoryEnabled, Reservation, Limit; at runtime assigned memory against demand"),
            F("dm-ballooning", "Dynamic Memory - Ballooning", memory, r2012, FeatureSignal.VirtualMachineSetting, "dm-ballooning",
                "Lets the host take unused memory back from the running guest, down to the minimum.",
                "Msvm_MemorySettingData.DynamicMemoryEnabled, Reservation, Limit; at runtime assigned memory against demand"),
            F("runtime-memory-resize", "Runtime Memory Resize", memory, r2016, FeatureSignal.VirtualMachineSetting, "runtime-memory-resize",
                "Lets the administrator change a running VM's static memory size (dynamic memory off).",
                "Msvm_MemorySettingData.DynamicMemoryEnabled off, host build 14393 or later, VM running"),

            F("hv-video", "Hyper-V-specific video device", video, r2008, FeatureSignal.Device, "hv-video",
                "A synthetic display adapter with better graphics performance and resolution.",
                "A synthetic display controller in the VM settings (Msvm_SyntheticDisplayControllerSettingData)"),

            F("kvp", "KVP exchange", misc, r2008, FeatureSignal.IntegrationComponent, "kvp",
                "Exchanges key/value pairs between host and guest: guest OS, IP addresses, and the administrator's own data.",
                "Key-Value Pair Exchange integration service: Msvm_KvpExchangeComponentSettingData.EnabledState, Msvm_KvpExchangeComponent.OperationalStatus and its intrinsic items"),
            F("nmi", "Non-Maskable Interrupt", misc, r2012R2, FeatureSignal.VirtualMachineSetting, "nmi",
                "Sends a non-maskable interrupt to a hung guest so that it writes a crash dump.",
                "Msvm_ComputerSystem.InjectNonMaskableInterrupt exists (host 2012 R2 or later) and the VM is running"),
            F("file-copy", "File copy from host to guest", misc, r2012R2, FeatureSignal.IntegrationComponent, "file-copy",
                "Copies files from the host into the guest without a network connection.",
                "Guest Service Interface integration service: Msvm_GuestServiceInterfaceComponentSettingData.EnabledState and Msvm_GuestServiceInterfaceComponent.OperationalStatus"),
            F("lsvmbus", "lsvmbus command", misc, r2008, FeatureSignal.NotObservable, "lsvmbus",
                "Lists the devices on the guest's VMBus, like lspci does for PCI.",
                "Not observable: a guest command"),
            F("hv-sockets", "Hyper-V Sockets", misc, r2016, FeatureSignal.NotObservable, "hv-sockets",
                "A socket channel between host and guest that needs no network.",
                "Not observable from the VM: services register under the host registry key GuestCommunicationServices"),
            F("dda", "PCI Passthrough/DDA", misc, r2016, FeatureSignal.Device, "dda",
                "Passes a physical PCI Express device (NIC, GPU, NVMe) through to the guest.",
                "An assigned PCI Express device in the VM settings (Msvm_PciExpressSettingData)"),

            F("uefi-boot", "Boot using UEFI", gen2, r2012R2, FeatureSignal.VirtualMachineSetting, "uefi-boot",
                "Boots the guest with UEFI firmware; needs a generation 2 VM.",
                "Msvm_VirtualSystemSettingData.VirtualSystemSubType Microsoft:Hyper-V:SubType:2"),
            F("secure-boot", "Secure boot", gen2, r2016, FeatureSignal.VirtualMachineSetting, "secure-boot",
                "Verifies the boot loader and kernel signatures at boot; Linux needs the Microsoft UEFI Certificate Authority template.",
                "Msvm_VirtualSystemSettingData.SecureBootEnabled and SecureBootTemplateId"),
        };
    }

    private static FeatureDefinition F(string id, string name, FeatureCategory category, HostRelease minimumHost, FeatureSignal signal, string matrixRow, string description, string signalDescription)
        => new(id, name, category, minimumHost, signal, description, signalDescription, matrixRow)
        {
            AlternateNames = AlternateNamesOf(id),
        };

    // The seed's description-table spellings, the distribution pages' row labels (docs/guest-support.md "The catalog")
    // and the integration-service names admins know the feature by.
    private static string[] AlternateNamesOf(string id) => id switch
    {
        "vrss" => new[] { "vRSS (Virtual Receive Side Scaling)", "Virtual Receive Side Scaling" },
        "lro" => new[] { "Large Receive Offload (LRO)", "LRO" },
        "kvp" => new[] { "KVP (Key-Value pair) exchange", "Key-Value Pair Exchange", "Key/value pair", "Key-Value Pair", "Data Exchange" },
        "live-migration" => new[] { "Live migration" },
        "hv-video" => new[] { "Hyper-V specific video device", "Hyper-V specific video" },
        "static-ip-injection" => new[] { "Static IP injection" },
        "dm-hot-add" => new[] { "Dynamic Memory Hot-Add" },
        "dm-ballooning" => new[] { "Dynamic Memory Ballooning" },
        "file-copy" => new[] { "Guest Service Interface" },
        "dda" => new[] { "Discrete Device Assignment" },
        _ => Array.Empty<string>(),
    };
}
