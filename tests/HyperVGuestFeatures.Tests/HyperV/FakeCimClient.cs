using System.Text.RegularExpressions;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>
/// A canned ICimClient for domain unit tests: answers a query with every object of the class named
/// in FROM (conditions are not evaluated; the simulator's tests cover WQL) and records what was asked.
/// </summary>
internal sealed class FakeCimClient : ICimClient
{
    private readonly List<CimObject> _objects = new();

    public string ComputerName { get; init; } = "fakehost";

    public List<string> Queries { get; } = new();

    /// <summary>Classes this host's provider lacks: a query of one fails with CimInvalidClass, as on an older host.</summary>
    public HashSet<string> MissingClasses { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<CimInstancePath> Gets { get; } = new();

    public void Add(CimObject instance) => _objects.Add(instance);

    /// <summary>Replaces the first instance of the class matching <paramref name="match"/> by a changed copy.</summary>
    public void Change(string className, Func<CimObject, bool> match, Action<Dictionary<string, object?>> change)
    {
        var existing = _objects.First(o => o.ClassName == className && match(o));
        var properties = existing.Properties.ToDictionary(p => p.Key, p => p.Value);
        change(properties);
        _objects[_objects.IndexOf(existing)] = new CimObject(className, properties, existing.KeyNames, existing.Namespace);
    }

    public void Add(string className, Dictionary<string, object?> properties, string ns = CimNamespaces.Virtualization, params string[] keys)
        => _objects.Add(new CimObject(className, properties, keys, ns));

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken)
    {
        lock (Queries)
        {
            Queries.Add(wql);
        }

        var className = Regex.Match(wql, @"FROM\s+(\w+)").Groups[1].Value;
        if (MissingClasses.Contains(className))
        {
            throw new GuestFeatureException("CimInvalidClass", FailureKind.NotSupported, className, "invalid class");
        }

        var found = _objects.Where(o => o.ClassName == className && o.Namespace == namespaceName).ToList();
        if (found.Count == 0 && className == "Msvm_VirtualSystemManagementService")
        {
            // Every host has its management service.
            found.Add(new CimObject(className, new Dictionary<string, object?> { ["CreationClassName"] = className, ["Name"] = "vmms", ["SystemCreationClassName"] = "Msvm_ComputerSystem", ["SystemName"] = ComputerName.ToUpperInvariant() }, new[] { "CreationClassName", "Name", "SystemCreationClassName", "SystemName" }));
        }

        return found;
    }

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
    {
        Gets.Add(path);
        return _objects.FirstOrDefault(o => o.ClassName == path.ClassName && path.Keys.All(k => string.Equals(o[k.Key]?.ToString(), k.Value?.ToString(), StringComparison.OrdinalIgnoreCase)))
            ?? throw new GuestFeatureException("NotFound", FailureKind.NotFound, path, "not found");
    }

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
        => throw new NotSupportedException();

    /// <summary>Every method call, in order.</summary>
    public List<(CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters)> Calls { get; } = new();

    /// <summary>
    /// GetSummaryInformation, as MSDOC describes it: one entry per SettingData reference (every stored summary when
    /// null), an entry with an empty Name for a VM not found. Other methods are not modelled.
    /// </summary>
    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((target, methodName, parameters));
        }

        if (methodName != "GetSummaryInformation")
        {
            throw new NotSupportedException(methodName);
        }

        var summaries = _objects.Where(o => o.ClassName == "Msvm_SummaryInformation").ToList();
        var chosen = parameters.TryGetValue("SettingData", out var value) && value is CimInstancePath[] references
            ? references.Select(r => summaries.FirstOrDefault(s => string.Equals("Microsoft:" + s.GetString("Name"), r.Keys["InstanceID"] as string, StringComparison.OrdinalIgnoreCase))
                ?? new CimObject("Msvm_SummaryInformation", new Dictionary<string, object?> { ["Name"] = string.Empty })).ToArray()
            : summaries.ToArray();
        return new CimMethodResult(0, new Dictionary<string, object?> { ["SummaryInformation"] = chosen });
    }

    public void Dispose()
    {
    }
}

/// <summary>Builds provider-shaped instances (docs/provider-model.md) for one fake VM.</summary>
internal static class FakeLab
{
    /// <summary>A fake host whose Win32_OperatingSystem reports <paramref name="version"/> (Windows Server 2022 by default).</summary>
    public static FakeCimClient Host(string version = "10.0.20348", string? computerName = null)
    {
        var client = computerName is null ? new FakeCimClient() : new FakeCimClient { ComputerName = computerName };
        AddHostOs(client, version);
        return client;
    }

    /// <summary>The one row FeatureProbe reports for VM <paramref name="vmName"/> and the catalog feature <paramref name="featureId"/>.</summary>
    public static GuestFeatureStatus Probe(FakeCimClient client, string vmName, string featureId)
    {
        var selection = new VmSelection();
        selection.AddNames(new[] { vmName });
        var result = FeatureProbe.Probe(client, selection, new[] { FeatureCatalog.Find(featureId)! }, null, CancellationToken.None);
        return Assert.Single(result.Rows);
    }

    public static Guid AddVm(FakeCimClient client, string name, ushort enabledState = 2, int generation = 2, bool secureBoot = true, string template = "272E7447-90A4-4563-A4B9-8E4AB00526CE", bool? virtualNuma = null)
    {
        var id = Guid.NewGuid();
        var vm = id.ToString("D").ToUpperInvariant();
        client.Add("Msvm_ComputerSystem", new() { ["CreationClassName"] = "Msvm_ComputerSystem", ["Name"] = vm, ["ElementName"] = name, ["Description"] = "Microsoft Virtual Machine", ["EnabledState"] = enabledState }, keys: new[] { "CreationClassName", "Name" });
        client.Add("Msvm_VirtualSystemSettingData", new()
        {
            ["InstanceID"] = "Microsoft:" + vm,
            ["VirtualSystemIdentifier"] = vm,
            ["VirtualSystemType"] = "Microsoft:Hyper-V:System:Realized",
            ["VirtualSystemSubType"] = "Microsoft:Hyper-V:SubType:" + generation,
            ["SecureBootEnabled"] = generation == 2 && secureBoot,
            ["SecureBootTemplateId"] = template,
            ["VirtualNumaEnabled"] = virtualNuma, // null: an older host whose VSSD has no such property
        }, keys: "InstanceID");
        foreach (var ic in HyperVGuestFeatures.HyperV.IntegrationComponent.All)
        {
            client.Add(ic.SettingClass, new() { ["InstanceID"] = $"Microsoft:{vm}\\{ic.Id:D}", ["EnabledState"] = (ushort)2 }, keys: "InstanceID");
            if (enabledState == 2)
            {
                client.Add(ic.ComponentClass, new() { ["SystemName"] = vm, ["EnabledState"] = (ushort)2, ["OperationalStatus"] = new ushort[] { 2 }, ["StatusDescriptions"] = new[] { "OK" } }, keys: "SystemName");
            }
        }

        return id;
    }

    public static void SetProperty(FakeCimClient client, Guid vmId, string className, string property, object? value)
    {
        var vm = vmId.ToString("D").ToUpperInvariant();
        client.Change(className, o => o.GetString("SystemName") == vm || o.GetString("VirtualSystemIdentifier") == vm || (o.GetString("InstanceID") ?? string.Empty).StartsWith("Microsoft:" + vm, StringComparison.Ordinal), p => p[property] = value);
    }

    /// <summary>
    /// A controller with drives and media, shaped as the real provider returns them (docs/provider-model.md
    /// "Storage"): InstanceIDs that nest, Parent written as a WMI object path with the key's backslashes doubled.
    /// <paramref name="media"/> paths ending in .iso go into DVD drives, the others into disk drives.
    /// </summary>
    public static string AddController(FakeCimClient client, Guid vmId, bool scsi, int number, params string[] media)
    {
        var vm = vmId.ToString("D").ToUpperInvariant();
        var controller = scsi ? $"Microsoft:{vm}\\{Guid.NewGuid().ToString("D").ToUpperInvariant()}" : $"Microsoft:{vm}\\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\\{number}";
        client.Add("Msvm_ResourceAllocationSettingData", new()
        {
            ["InstanceID"] = controller,
            ["ResourceType"] = scsi ? (ushort)6 : (ushort)5,
            ["ResourceSubType"] = scsi ? "Microsoft:Hyper-V:Synthetic SCSI Controller" : "Microsoft:Hyper-V:Emulated IDE Controller",
        }, keys: "InstanceID");
        for (var slot = 0; slot < media.Length; slot++)
        {
            var dvd = media[slot].EndsWith(".iso", StringComparison.OrdinalIgnoreCase);
            var drive = controller + (scsi ? "\\0" : string.Empty) + $"\\{slot}\\D";
            client.Add("Msvm_ResourceAllocationSettingData", new()
            {
                ["InstanceID"] = drive,
                ["ResourceType"] = dvd ? (ushort)16 : (ushort)17,
                ["ResourceSubType"] = dvd ? "Microsoft:Hyper-V:Synthetic DVD Drive" : "Microsoft:Hyper-V:Synthetic Disk Drive",
                ["Parent"] = WmiPath(client, controller),
            }, keys: "InstanceID");
            client.Add("Msvm_StorageAllocationSettingData", new()
            {
                ["InstanceID"] = drive[..^1] + "L",
                ["ResourceType"] = (ushort)31,
                ["ResourceSubType"] = dvd ? "Microsoft:Hyper-V:Virtual CD/DVD Disk" : "Microsoft:Hyper-V:Virtual Hard Disk",
                ["HostResource"] = new[] { media[slot] },
                ["Parent"] = WmiPath(client, drive),
            }, keys: "InstanceID");
        }

        return controller;
    }

    private static string WmiPath(FakeCimClient client, string instanceId)
        => $"\\\\{client.ComputerName.ToUpperInvariant()}\\root\\virtualization\\v2:Msvm_ResourceAllocationSettingData.InstanceID=\"{instanceId.Replace("\\", "\\\\", StringComparison.Ordinal)}\"";

    public static void AddHostOs(FakeCimClient client, string version)
        => client.Add("Win32_OperatingSystem", new() { ["Version"] = version }, CimNamespaces.Cimv2);
}
