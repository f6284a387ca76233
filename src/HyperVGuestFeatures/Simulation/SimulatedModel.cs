using System;
using System.Collections.Generic;

namespace HyperVGuestFeatures.Simulation;

/// <summary>A VM's power state, in the Hyper-V module's words.</summary>
internal enum SimulatedVMState
{
    Running,
    Off,
    Saved,
    Paused,
    Starting,
    Stopping,
}

/// <summary>The six integration components (docs/provider-model.md "Integration components").</summary>
internal enum IntegrationComponentKind
{
    Shutdown,
    TimeSynchronization,
    Heartbeat,
    KeyValuePairExchange,
    Vss,
    GuestServiceInterface,
}

/// <summary>
/// What the guest side of an enabled component reports in <c>OperationalStatus[0]</c> while the VM
/// runs (docs/provider-model.md "Integration components"; values are the provider's).
/// </summary>
internal enum IntegrationComponentStatus : ushort
{
    OK = 2,
    Degraded = 3,
    NonRecoverableError = 7,
    NoContact = 12,
    LostCommunication = 13,
}

internal enum SimulatedNicType
{
    Synthetic,
    Legacy,
}

/// <summary>VLAN operation mode (Msvm_EthernetSwitchPortVlanSettingData.OperationMode).</summary>
internal enum SimulatedVlanMode
{
    Access = 1,
    Trunk = 2,
    Private = 3,
}

internal enum SimulatedControllerType
{
    Scsi,
    Ide,
}

/// <summary>A whole lab: what a scenario or a fixture describes, before it becomes a host.</summary>
internal sealed class SimulatedLab
{
    public string Scenario { get; set; } = "Custom";

    public Version HostVersion { get; set; } = HostVersions.WS2022;

    public bool LiveMigrationEnabled { get; set; } = true;

    public List<SimulatedVM> VMs { get; } = new();
}

/// <summary>Host versions as the spec names them (Win32_OperatingSystem.Version).</summary>
internal static class HostVersions
{
    public static readonly Version WS2022 = new(10, 0, 20348);
    public static readonly Version WS2019 = new(10, 0, 17763);
    public static readonly Version WS2016 = new(10, 0, 14393);
    public static readonly Version WS2012R2 = new(6, 3, 9600);

    /// <summary>The first Windows 10 build: MSDOC's "added in Windows 10" (Windows Server 2016 is build 14393).</summary>
    public static readonly Version Windows10 = new(10, 0, 10240);

    /// <summary>Windows 10 / Windows Server version 1703: MSDOC's "added in Windows 10, version 1703".</summary>
    public static readonly Version Version1703 = new(10, 0, 15063);

    /// <summary>The product name of a host version, for Win32_OperatingSystem.Caption.</summary>
    public static string Caption(Version version)
    {
        if (version >= WS2022)
        {
            return "Microsoft Windows Server 2022 Datacenter";
        }

        if (version >= WS2019)
        {
            return "Microsoft Windows Server 2019 Datacenter";
        }

        return version >= WS2016 ? "Microsoft Windows Server 2016 Datacenter" : "Microsoft Windows Server 2012 R2 Datacenter";
    }

    /// <summary>The newest VM configuration version a host creates by default.</summary>
    public static string DefaultConfigurationVersion(Version version)
    {
        if (version >= WS2022)
        {
            return "10.0";
        }

        if (version >= WS2019)
        {
            return "9.0";
        }

        return version >= WS2016 ? "8.0" : "5.0";
    }
}

/// <summary>Memory settings and runtime values of one VM, in MB as on the wire (docs/provider-model.md "Per VM", "Summary information").</summary>
internal sealed class SimulatedMemory
{
    public ulong StartupMB { get; set; } = 2048;

    public ulong MinimumMB { get; set; } = 512;

    public ulong MaximumMB { get; set; } = 1048576;

    public bool DynamicMemoryEnabled { get; set; }

    public uint BufferPercent { get; set; } = 20;

    /// <summary>Msvm_MemorySettingData.Weight (Priority × 100; Assumption, docs/provider-model.md "Could not confirm").</summary>
    public uint Weight { get; set; } = 5000;

    /// <summary>Memory assigned while running; null means "follow startup".</summary>
    public ulong? AssignedMB { get; set; }

    /// <summary>Memory the guest demands while running; null means "60 % of assigned".</summary>
    public ulong? DemandMB { get; set; }

    public SimulatedMemory Clone() => (SimulatedMemory)MemberwiseClone();
}

/// <summary>One integration component: the setting (enabled) and what the guest reports.</summary>
internal sealed class SimulatedComponent
{
    public bool Enabled { get; set; } = true;

    public IntegrationComponentStatus Status { get; set; } = IntegrationComponentStatus.OK;
}

internal sealed class SimulatedNetworkAdapter
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "Network Adapter";

    public SimulatedNicType Type { get; set; } = SimulatedNicType.Synthetic;

    /// <summary>Twelve hex digits, no separators, as the provider writes it.</summary>
    public string MacAddress { get; set; } = "00155D000000";

    public bool StaticMacAddress { get; set; }

    /// <summary>The virtual switch; null means not connected (no port settings then).</summary>
    public string? SwitchName { get; set; } = "External";

    public SimulatedVlanMode? VlanMode { get; set; }

    public ushort AccessVlanId { get; set; }

    public ushort NativeVlanId { get; set; }

    public List<ushort> TrunkVlanIds { get; } = new();

    public uint IovWeight { get; set; }

    public uint VmqWeight { get; set; } = 100;

    public bool MacSpoofing { get; set; }
}

internal sealed class SimulatedController
{
    public Guid Id { get; set; }

    public SimulatedControllerType Type { get; set; } = SimulatedControllerType.Scsi;

    public List<SimulatedDisk> Disks { get; } = new();
}

/// <summary>What sits in a drive slot of a controller.</summary>
internal enum SimulatedDriveKind
{
    /// <summary>A synthetic disk drive holding a virtual hard disk (.vhdx/.vhd).</summary>
    HardDisk,

    /// <summary>A synthetic DVD drive holding an image (.iso), or none.</summary>
    Dvd,
}

/// <summary>
/// One drive on a controller and the medium in it: the provider shows the drive (a resource allocation setting
/// whose Parent is the controller) and the medium (a storage allocation setting whose Parent is the drive).
/// </summary>
internal sealed class SimulatedDisk
{
    public Guid Id { get; set; }

    public SimulatedDriveKind Kind { get; set; } = SimulatedDriveKind.HardDisk;

    /// <summary>The .vhdx/.vhd/.iso path on the host; empty for a DVD drive with no medium.</summary>
    public string Path { get; set; } = string.Empty;
}

internal sealed class SimulatedFcAdapter
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "Fibre Channel Adapter";
}

/// <summary>A device assigned to the VM with Discrete Device Assignment.</summary>
internal sealed class SimulatedAssignedDevice
{
    public Guid Id { get; set; }

    /// <summary>The host's location path of the device, e.g. <c>PCIROOT(0)#PCI(0300)#PCI(0000)</c>.</summary>
    public string LocationPath { get; set; } = string.Empty;
}

/// <summary>
/// One simulated VM. Mutable on purpose: scenarios and fixtures build it, and the host changes it
/// under its lock. Code outside the host reads it only through <see cref="SimulatedHost"/>.
/// </summary>
internal sealed class SimulatedVM
{
    public SimulatedVM(string name, Guid id)
    {
        Name = name;
        Id = id;
        IdText = id.ToString("D").ToUpperInvariant();
        foreach (IntegrationComponentKind kind in Enum.GetValues(typeof(IntegrationComponentKind)))
        {
            Components[kind] = new SimulatedComponent();
        }
    }

    public Guid Id { get; }

    /// <summary>The VM GUID as the provider writes it: upper case, D format.</summary>
    public string IdText { get; }

    public string Name { get; set; }

    public SimulatedVMState State { get; set; } = SimulatedVMState.Running;

    public int Generation { get; set; } = 2;

    public string ConfigurationVersion { get; set; } = "10.0";

    public bool SecureBootEnabled { get; set; }

    /// <summary>The secure boot template GUID (Gen2); null where the host has none.</summary>
    public Guid? SecureBootTemplateId { get; set; }

    public ulong ProcessorCount { get; set; } = 2;

    /// <summary>
    /// Virtual NUMA (Msvm_VirtualSystemSettingData.VirtualNumaEnabled); on by default, as on Hyper-V. It
    /// excludes dynamic memory (docs/provider-model.md "Memory rules"), so the labs turn it off on VMs whose dynamic memory is on.
    /// </summary>
    public bool VirtualNumaEnabled { get; set; } = true;

    public SimulatedMemory Memory { get; set; } = new();

    /// <summary>MMIO gaps in MB (Gen2); null when not reported.</summary>
    public ulong? LowMmioGapMB { get; set; }

    public ulong? HighMmioGapMB { get; set; }

    public Dictionary<IntegrationComponentKind, SimulatedComponent> Components { get; } = new();

    /// <summary>KVP Source 0: pushed by the host (HostExchangeItems). Keys are case-sensitive.</summary>
    public Dictionary<string, string> HostItems { get; } = new(StringComparer.Ordinal);

    /// <summary>KVP Source 4: host-only items (HostOnlyItems).</summary>
    public Dictionary<string, string> HostOnlyItems { get; } = new(StringComparer.Ordinal);

    /// <summary>KVP Source 1: pushed by the guest (GuestExchangeItems), visible while running.</summary>
    public Dictionary<string, string> GuestItems { get; } = new(StringComparer.Ordinal);

    /// <summary>KVP Source 2: generated by the guest daemon (GuestIntrinsicExchangeItems), visible while running.</summary>
    public Dictionary<string, string> IntrinsicItems { get; } = new(StringComparer.Ordinal);

    public GuestFileSystem Files { get; } = new();

    public List<SimulatedNetworkAdapter> NetworkAdapters { get; } = new();

    public List<SimulatedController> Controllers { get; } = new();

    public bool SyntheticDisplay { get; set; } = true;

    public List<SimulatedFcAdapter> FibreChannelAdapters { get; } = new();

    public List<SimulatedAssignedDevice> AssignedDevices { get; } = new();

    /// <summary>How many NMIs the VM has received (for tests).</summary>
    public int NmiCount { get; set; }

    /// <summary>When the VM last started (for OnTimeInMilliseconds).</summary>
    public DateTime StartedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>Running or paused: the states in which runtime components exist (docs/provider-model.md "Per VM").</summary>
    public bool HasRuntimeComponents => State is SimulatedVMState.Running or SimulatedVMState.Paused;
}
