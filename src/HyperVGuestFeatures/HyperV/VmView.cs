using System;
using System.Collections.Generic;
using System.Linq;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>One VM's slice of a <see cref="HostSnapshot"/>, with the readings the feature rules need.</summary>
internal sealed class VmView
{
    // docs/provider-model.md: secure boot templates are matched by id, never by display name.
    public static readonly Guid MicrosoftWindowsTemplate = new("1734C6E8-3154-4DDA-BA5F-A874CC483422");
    public static readonly Guid MicrosoftUefiCertificateAuthorityTemplate = new("272E7447-90A4-4563-A4B9-8E4AB00526CE");

    private readonly HostSnapshot _snapshot;
    private IReadOnlyDictionary<string, string>? _intrinsicItems;
    private GuestOperatingSystem? _guest;
    private bool _guestRead;
    private List<CimObject>? _scsiControllers;
    private List<CimObject>? _disks;
    private Dictionary<CimObject, bool>? _onScsi;

    public VmView(VirtualMachine machine, HostSnapshot snapshot)
    {
        Machine = machine;
        _snapshot = snapshot;
    }

    public VirtualMachine Machine { get; }

    public Version? HostVersion => _snapshot.HostVersion;

    public bool? HostMigrationEnabled => _snapshot.MigrationEnabled;

    public CimObject? SystemSettings => Single(SnapshotQuery.SystemSettings);

    public CimObject? Memory => Single(SnapshotQuery.Memory);

    public CimObject? Summary => Single(SnapshotQuery.Summary);

    public CimObject? Processor => Single(SnapshotQuery.Processor);

    /// <summary>1 or 2 from VirtualSystemSubType (Microsoft:Hyper-V:SubType:N); null when unknown.</summary>
    public int? Generation
    {
        get
        {
            var subType = SystemSettings?.GetString("VirtualSystemSubType");
            return subType is null ? null
                : subType.EndsWith(":2", StringComparison.Ordinal) ? 2
                : subType.EndsWith(":1", StringComparison.Ordinal) ? 1
                : null;
        }
    }

    public IReadOnlyList<CimObject> SyntheticAdapters => All(SnapshotQuery.SyntheticAdapters);

    public IReadOnlyList<CimObject> EmulatedAdapters => All(SnapshotQuery.EmulatedAdapters);

    public IReadOnlyList<CimObject> PortVlans => All(SnapshotQuery.PortVlan);

    public IReadOnlyList<CimObject> PortOffloads => All(SnapshotQuery.PortOffload);

    public IReadOnlyList<CimObject> Displays => All(SnapshotQuery.Display);

    /// <summary>The VM's synthetic SCSI controllers.</summary>
    public IReadOnlyList<CimObject> ScsiControllers => _scsiControllers ??= Storage(SnapshotQuery.SyntheticScsiSubType).ToList();

    /// <summary>The virtual hard disks (not DVD images) in the VM's disk drives.</summary>
    public IReadOnlyList<CimObject> Disks
        => _disks ??= All(SnapshotQuery.Disks).Where(d => string.Equals(d.GetString("ResourceSubType"), SnapshotQuery.VirtualHardDiskSubType, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// The controller a virtual disk hangs on, following disk → drive → controller: the disk's Parent is its disk
    /// drive, whose Parent is the controller (docs/provider-model.md "Storage"). Null when the chain breaks.
    /// </summary>
    public CimObject? ControllerOf(CimObject disk)
    {
        var driveId = HostSnapshot.InstanceIdOf(disk?.GetString("Parent"));
        var drive = driveId is null ? null : Storage(SnapshotQuery.SyntheticDiskDriveSubType).FirstOrDefault(d => HasInstanceId(d, driveId));
        var controllerId = HostSnapshot.InstanceIdOf(drive?.GetString("Parent"));
        return controllerId is null ? null : All(SnapshotQuery.StorageDevices)
            .FirstOrDefault(c => !IsSubType(c, SnapshotQuery.SyntheticDiskDriveSubType) && HasInstanceId(c, controllerId));
    }

    /// <summary>Whether the disk is on a synthetic SCSI controller (worked out once per disk).</summary>
    public bool IsOnScsi(CimObject disk)
    {
        _onScsi ??= new Dictionary<CimObject, bool>();
        if (!_onScsi.TryGetValue(disk, out var onScsi))
        {
            onScsi = ControllerOf(disk) is { } controller && IsSubType(controller, SnapshotQuery.SyntheticScsiSubType);
            _onScsi[disk] = onScsi;
        }

        return onScsi;
    }

    public IReadOnlyList<CimObject> FibreChannelAdapters => All(SnapshotQuery.FibreChannel);

    public IReadOnlyList<CimObject> AssignedDevices => All(SnapshotQuery.AssignedDevices);

    /// <summary>True when the host's provider lacks the query's class (an older host).</summary>
    public bool HostLacks(SnapshotQuery query) => _snapshot.IsMissing(query);

    public CimObject? Setting(IntegrationComponent component) => Single(SnapshotQuery.SettingOf(component));

    public CimObject? Component(IntegrationComponent component) => Single(SnapshotQuery.ComponentOf(component));

    /// <summary>The guest's intrinsic KVP items (Source 2: OSName, OSVersion, ...), parsed once; empty unless the VM runs and reports them.</summary>
    public IReadOnlyDictionary<string, string> IntrinsicItems => _intrinsicItems ??= ParseIntrinsicItems();

    /// <summary>The guest OS its intrinsic items report (read once); null when they name none.</summary>
    public GuestOperatingSystem? Guest
    {
        get
        {
            if (!_guestRead)
            {
                _guest = GuestOperatingSystem.FromKvp(IntrinsicItems);
                _guestRead = true;
            }

            return _guest;
        }
    }

    private Dictionary<string, string> ParseIntrinsicItems()
    {
        var texts = Component(IntegrationComponent.KeyValuePairExchange)?.GetStringArray("GuestIntrinsicExchangeItems") ?? Array.Empty<string>();
        var items = new Dictionary<string, string>(texts.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var text in texts)
        {
            try
            {
                var item = CimXml.Parse(text);
                if (item.GetString("Name") is { Length: > 0 } name)
                {
                    items[name] = item.GetString("Data") ?? string.Empty;
                }
            }
            catch (FormatException)
            {
                // A malformed item from a guest must not break the report; the others still count.
            }
        }

        return items;
    }

    private static bool IsSubType(CimObject setting, string subType)
        => string.Equals(setting.GetString("ResourceSubType"), subType, StringComparison.OrdinalIgnoreCase);

    // As HostSnapshot.RefersTo, with the reference's key read once rather than for every candidate.
    private static bool HasInstanceId(CimObject instance, string instanceId)
        => instance.GetString("InstanceID") is { Length: > 0 } id && string.Equals(id, instanceId, StringComparison.OrdinalIgnoreCase);

    private IEnumerable<CimObject> Storage(string subType) => All(SnapshotQuery.StorageDevices).Where(s => IsSubType(s, subType));

    private CimObject? Single(SnapshotQuery query) => _snapshot.InstancesOf(query, Machine.Id) is { Count: > 0 } instances ? instances[0] : null;

    private IReadOnlyList<CimObject> All(SnapshotQuery query) => _snapshot.InstancesOf(query, Machine.Id);
}
