using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>One bulk read of a host: each query below runs at most once per host, whatever the VM count.</summary>
internal sealed class SnapshotQuery
{
    public static readonly SnapshotQuery HostOperatingSystem = new("HostOs", CimNamespaces.Cimv2, "Win32_OperatingSystem");
    public static readonly SnapshotQuery SystemSettings = new("SystemSettings", CimNamespaces.Virtualization, "Msvm_VirtualSystemSettingData", Wql.Equal("VirtualSystemType", "Microsoft:Hyper-V:System:Realized"), "VirtualSystemIdentifier");
    public static readonly SnapshotQuery Memory = new("Memory", CimNamespaces.Virtualization, "Msvm_MemorySettingData");
    /// <summary>
    /// Runtime summaries: not a query but one GetSummaryInformation call (plus the query that finds the service),
    /// as every other client reads assigned memory and demand (docs/provider-model.md "Summary information").
    /// </summary>
    public static readonly SnapshotQuery Summary = new("Summary", CimNamespaces.Virtualization, "Msvm_SummaryInformation", null, "Name") { IsSummary = true };
    public static readonly SnapshotQuery Processor = new("Processor", CimNamespaces.Virtualization, "Msvm_ProcessorSettingData");
    public static readonly SnapshotQuery SyntheticAdapters = new("SyntheticNic", CimNamespaces.Virtualization, "Msvm_SyntheticEthernetPortSettingData");
    public static readonly SnapshotQuery EmulatedAdapters = new("EmulatedNic", CimNamespaces.Virtualization, "Msvm_EmulatedEthernetPortSettingData");
    public static readonly SnapshotQuery PortVlan = new("Vlan", CimNamespaces.Virtualization, "Msvm_EthernetSwitchPortVlanSettingData");
    public static readonly SnapshotQuery PortOffload = new("Offload", CimNamespaces.Virtualization, "Msvm_EthernetSwitchPortOffloadSettingData");
    public static readonly SnapshotQuery Display = new("Display", CimNamespaces.Virtualization, "Msvm_SyntheticDisplayControllerSettingData");
    /// <summary>Controllers and the disk drives on them, in one query (docs/provider-model.md "Storage").</summary>
    public static readonly SnapshotQuery StorageDevices = new("Storage", CimNamespaces.Virtualization, "Msvm_ResourceAllocationSettingData", Wql.AnyOf("ResourceSubType", new object[] { SyntheticScsiSubType, EmulatedIdeSubType, SyntheticDiskDriveSubType }));

    /// <summary>The media in the drives: virtual hard disks and DVD images (Msvm_StorageAllocationSettingData).</summary>
    public static readonly SnapshotQuery Disks = new("Disks", CimNamespaces.Virtualization, "Msvm_StorageAllocationSettingData");
    public static readonly SnapshotQuery FibreChannel = new("FibreChannel", CimNamespaces.Virtualization, "Msvm_SyntheticFcPortSettingData");
    public static readonly SnapshotQuery AssignedDevices = new("Pci", CimNamespaces.Virtualization, "Msvm_PciExpressSettingData");
    public static readonly SnapshotQuery Migration = new("Migration", CimNamespaces.Virtualization, "Msvm_VirtualSystemMigrationServiceSettingData");

    // Storage subtypes (docs/provider-model.md "Storage": libvirt, openstack os-win, containers/libhvee use them).
    public const string SyntheticScsiSubType = "Microsoft:Hyper-V:Synthetic SCSI Controller";
    public const string EmulatedIdeSubType = "Microsoft:Hyper-V:Emulated IDE Controller";
    public const string SyntheticDiskDriveSubType = "Microsoft:Hyper-V:Synthetic Disk Drive";
    public const string VirtualHardDiskSubType = "Microsoft:Hyper-V:Virtual Hard Disk";

    private static readonly Dictionary<IntegrationComponent, SnapshotQuery> Settings = IntegrationComponent.All.ToDictionary(
        c => c, c => new SnapshotQuery("Setting:" + c.ComponentClass, CimNamespaces.Virtualization, c.SettingClass));

    private static readonly Dictionary<IntegrationComponent, SnapshotQuery> Components = IntegrationComponent.All.ToDictionary(
        c => c, c => new SnapshotQuery("Component:" + c.ComponentClass, CimNamespaces.Virtualization, c.ComponentClass, null, "SystemName"));

    private readonly string _className;
    private readonly string? _condition;
    private readonly string? _vmProperty;

    private SnapshotQuery(string key, string namespaceName, string className, string? condition = null, string? vmProperty = null)
    {
        Key = key;
        Namespace = namespaceName;
        ClassName = className;
        _className = className;
        _condition = condition;
        _vmProperty = vmProperty;
        Text = Wql.Select(className, condition);
    }

    public string Key { get; }

    public string Namespace { get; }

    /// <summary>The class the query reads.</summary>
    public string ClassName { get; }

    /// <summary>True for <see cref="Summary"/>, read with GetSummaryInformation rather than a query.</summary>
    public bool IsSummary { get; private init; }

    public string Text { get; }

    /// <summary>
    /// The query for a few known VMs: classes that name their VM in a property (components by
    /// SystemName, realized settings by VirtualSystemIdentifier, summaries by Name) are asked for those
    /// VMs only, with one escaped OR-equality; the others stay host-wide. Still one round trip.
    /// </summary>
    public string TextFor(IReadOnlyCollection<string>? vmNames)
        => vmNames is null || vmNames.Count == 0 || _vmProperty is null
            ? Text
            : Wql.Select(_className, Wql.And(_condition ?? string.Empty, Wql.AnyOf(_vmProperty, vmNames)));

    public static SnapshotQuery SettingOf(IntegrationComponent component) => Settings[component];

    public static SnapshotQuery ComponentOf(IntegrationComponent component) => Components[component];

    public override string ToString() => Text;
}

/// <summary>
/// The instances a bulk probe read from one host, joined in memory by VM id. VM ids come from
/// <c>Name</c>/<c>SystemName</c>/<c>VirtualSystemIdentifier</c>, or from the <c>Microsoft:&lt;VM&gt;</c>
/// prefix of <c>InstanceID</c> (docs/provider-model.md "Per VM"), which also leaves out checkpoint settings.
/// </summary>
internal sealed class HostSnapshot
{
    private readonly Dictionary<string, IReadOnlyList<CimObject>> _results;
    private readonly HashSet<string> _missing;
    private readonly ConcurrentDictionary<string, Dictionary<Guid, CimObject[]>> _byVm;

    private HostSnapshot(string computerName, Dictionary<string, IReadOnlyList<CimObject>> results, HashSet<string> missing, ConcurrentDictionary<string, Dictionary<Guid, CimObject[]>>? byVm = null)
    {
        _byVm = byVm ?? new ConcurrentDictionary<string, Dictionary<Guid, CimObject[]>>(StringComparer.Ordinal);
        ComputerName = computerName;
        _results = results;
        _missing = missing;
        var os = FirstOf(SnapshotQuery.HostOperatingSystem);
        HostVersion = Version.TryParse(os?.GetString("Version"), out var version) ? version : null;
        var migration = FirstOf(SnapshotQuery.Migration);
        MigrationEnabled = migration?.GetBoolean("EnableVirtualSystemMigration");
    }

    public string ComputerName { get; }

    /// <summary>The host OS version (Win32_OperatingSystem.Version), or null when it could not be read.</summary>
    public Version? HostVersion { get; }

    /// <summary>Whether the host's migration service accepts live migrations, when read.</summary>
    public bool? MigrationEnabled { get; }

    /// <summary>
    /// Runs the queries against the host, a few at a time, each exactly once. With <paramref name="onlyVms"/> (VM
    /// GUIDs) the classes that name their VM, and the summaries, are read for those VMs only.
    /// </summary>
    public static HostSnapshot Read(ICimClient client, IEnumerable<SnapshotQuery> queries, int parallelism, CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyVms = null)
    {
        var distinct = queries.GroupBy(q => q.Key).Select(g => g.First()).ToList();
        var results = new Dictionary<string, IReadOnlyList<CimObject>>();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<Exception>();
        var byVm = new ConcurrentDictionary<string, Dictionary<Guid, CimObject[]>>(StringComparer.Ordinal);
        var next = -1;
        void ReadNext()
        {
            int index;
            while (failures.IsEmpty && !cancellationToken.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < distinct.Count)
            {
                var query = distinct[index];
                try
                {
                    var rows = QueryOrNull(client, query, onlyVms, cancellationToken);
                    // Grouped by VM here, while the other queries wait on the host, rather than by the first VM judged.
                    byVm[query.Key] = GroupByVm(rows ?? Array.Empty<CimObject>());
                    lock (results)
                    {
                        results[query.Key] = rows ?? Array.Empty<CimObject>();
                        if (rows is null)
                        {
                            missing.Add(query.Key);
                        }
                    }
                }
#pragma warning disable CA1031 // Handed to the calling thread, which throws it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Enqueue(e);
                }
            }
        }

        // The queries wait on the host, not on a processor: their own threads, rather than the thread pool's few, which
        // are slow to grow while other hosts' reads hold them. The calling thread reads too.
        var helpers = Enumerable.Range(0, Math.Max(0, Math.Min(parallelism, distinct.Count) - 1))
            .Select(_ => new Thread(ReadNext) { IsBackground = true, Name = "HyperVGuestFeatures host read" })
            .ToList();
        helpers.ForEach(t => t.Start());
        ReadNext();
        helpers.ForEach(t => t.Join());

        // Surface the first real failure (host unreachable, access denied) rather than a cancellation it caused.
        if ((failures.FirstOrDefault(e => e is GuestFeatureException) ?? failures.FirstOrDefault()) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new HostSnapshot(client.ComputerName, results, missing, byVm);
    }

    /// <summary>
    /// A class the host's provider does not have (older hosts lack newer classes, e.g. Msvm_PciExpressSettingData
    /// and Msvm_SyntheticDisplayControllerSettingData before Windows Server 2016) is not a failure of the whole
    /// host: null, so the snapshot can say what it could not see (<see cref="IsMissing"/>).
    /// </summary>
    private static IReadOnlyList<CimObject>? QueryOrNull(ICimClient client, SnapshotQuery query, IReadOnlyCollection<string>? onlyVms, CancellationToken cancellationToken)
    {
        try
        {
            return query.IsSummary
                ? VmSummaries.Read(client, onlyVms, cancellationToken)
                : client.Query(query.Namespace, query.TextFor(onlyVms), cancellationToken);
        }
        catch (GuestFeatureException e) when (e.ErrorId is "CimInvalidClass" or "CimInvalidMethod")
        {
            return null;
        }
    }

    /// <summary>True when the host's provider has no class for the query (an older host): its absence is not an answer.</summary>
    public bool IsMissing(SnapshotQuery query) => _missing.Contains(query.Key);

    public IReadOnlyList<CimObject> Results(SnapshotQuery query)
        => _results.TryGetValue(query.Key, out var rows) ? rows : Array.Empty<CimObject>();

    public CimObject? FirstOf(SnapshotQuery query)
    {
        var rows = Results(query);
        return rows.Count > 0 ? rows[0] : null;
    }

    public bool WasRead(SnapshotQuery query) => _results.ContainsKey(query.Key);

    /// <summary>
    /// The instances of a query that belong to the VM, in the order the host gave them. Each query's instances are
    /// grouped by VM once, on first use; safe to call from several threads at once.
    /// </summary>
    public IEnumerable<CimObject> ForVm(SnapshotQuery query, Guid vmId) => InstancesOf(query, vmId);

    /// <summary><see cref="ForVm"/> as a list, for callers that count or index.</summary>
    public IReadOnlyList<CimObject> InstancesOf(SnapshotQuery query, Guid vmId)
    {
        if (!_byVm.TryGetValue(query.Key, out var byVm))
        {
            byVm = _byVm.GetOrAdd(query.Key, _ => GroupByVm(Results(query)));
        }

        return byVm.TryGetValue(vmId, out var instances) ? instances : Array.Empty<CimObject>();
    }

    private static Dictionary<Guid, CimObject[]> GroupByVm(IReadOnlyList<CimObject> instances)
    {
        var byVm = new Dictionary<Guid, CimObject[]>();
        foreach (var instance in instances)
        {
            if (VmIdOf(instance) is not { } id)
            {
                continue;
            }

            // Most classes have one instance per VM: a one-element array, grown in the rare other case.
            if (byVm.TryGetValue(id, out var known))
            {
                Array.Resize(ref known, known.Length + 1);
                known[known.Length - 1] = instance;
                byVm[id] = known;
            }
            else
            {
                byVm[id] = new[] { instance };
            }
        }

        return byVm;
    }

    /// <summary>The VM an instance belongs to, from its identifying properties.</summary>
    public static Guid? VmIdOf(CimObject instance)
    {
        foreach (var name in new[] { "VirtualSystemIdentifier", "SystemName" })
        {
            if (Guid.TryParse(instance.GetString(name), out var id))
            {
                return id;
            }
        }

        // Msvm_SummaryInformation, or Msvm_SummaryInformationBase as MSDOC types the instances from version 1703.
        if (instance.ClassName.StartsWith("Msvm_SummaryInformation", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(instance.GetString("Name"), out var summaryId))
        {
            return summaryId;
        }

        var instanceId = instance.GetString("InstanceID");
        const string prefix = "Microsoft:";
        if (instanceId is not null && instanceId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = instanceId.Substring(prefix.Length);
            var end = rest.IndexOf('\\');
            if (Guid.TryParse(end < 0 ? rest : rest.Substring(0, end), out var settingId))
            {
                return settingId;
            }
        }

        return null;
    }

    /// <summary>The adapter an adapter-port setting belongs to: the first two segments of its InstanceID.</summary>
    public static string AdapterKeyOf(CimObject portSetting)
    {
        var parts = (portSetting.GetString("InstanceID") ?? string.Empty).Split('\\');
        return parts.Length >= 2 ? parts[0] + "\\" + parts[1] : string.Empty;
    }

    /// <summary>
    /// Whether a Parent reference names the instance: the reference is the instance's WMI object path
    /// (<c>\\HOST\root\virtualization\v2:Class.InstanceID="Microsoft:…\\…"</c>, key backslashes doubled) or
    /// its bare InstanceID; the key is compared whole, never as a substring (docs/provider-model.md "Storage").
    /// </summary>
    public static bool RefersTo(string? parent, CimObject instance)
    {
        var instanceId = instance.GetString("InstanceID");
        return !string.IsNullOrEmpty(instanceId) && string.Equals(InstanceIdOf(parent), instanceId, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The InstanceID a reference names: the key of a WMI object path, unescaped, or the text itself.</summary>
    public static string? InstanceIdOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        const string Key = "InstanceID=\"";
        var start = reference!.IndexOf(Key, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return reference;
        }

        var value = new System.Text.StringBuilder();
        for (var i = start + Key.Length; i < reference.Length; i++)
        {
            var c = reference[i];
            if (c == '\\' && i + 1 < reference.Length)
            {
                value.Append(reference[++i]);
            }
            else if (c == '"')
            {
                break;
            }
            else
            {
                value.Append(c);
            }
        }

        return value.ToString();
    }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}: {1} queries", ComputerName, _results.Count);
}
