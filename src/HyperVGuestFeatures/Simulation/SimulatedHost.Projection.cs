using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>The model seen as CIM instances: exactly the classes, keys and properties of docs/provider-model.md.</summary>
internal sealed partial class SimulatedHost
{
    internal const string OperatingSystemClass = "Win32_OperatingSystem";
    internal const string ComputerSystemClass = "Msvm_ComputerSystem";
    internal const string ManagementServiceClass = "Msvm_VirtualSystemManagementService";
    internal const string MigrationSettingClass = "Msvm_VirtualSystemMigrationServiceSettingData";
    internal const string SystemSettingClass = "Msvm_VirtualSystemSettingData";
    internal const string MemorySettingClass = "Msvm_MemorySettingData";
    internal const string ProcessorSettingClass = "Msvm_ProcessorSettingData";
    internal const string SummaryClass = "Msvm_SummaryInformation";
    internal const string GuestFileServiceClass = "Msvm_GuestFileService";
    internal const string RegisteredGuestServiceClass = "Msvm_RegisteredGuestService";
    internal const string SyntheticNicClass = "Msvm_SyntheticEthernetPortSettingData";
    internal const string LegacyNicClass = "Msvm_EmulatedEthernetPortSettingData";
    internal const string PortAllocationClass = "Msvm_EthernetPortAllocationSettingData";
    internal const string VlanClass = "Msvm_EthernetSwitchPortVlanSettingData";
    internal const string OffloadClass = "Msvm_EthernetSwitchPortOffloadSettingData";
    internal const string SecurityClass = "Msvm_EthernetSwitchPortSecuritySettingData";
    internal const string DisplayClass = "Msvm_SyntheticDisplayControllerSettingData";
    internal const string ControllerClass = "Msvm_ResourceAllocationSettingData";
    internal const string DiskClass = "Msvm_StorageAllocationSettingData";
    internal const string FcClass = "Msvm_SyntheticFcPortSettingData";
    internal const string PciClass = "Msvm_PciExpressSettingData";
    internal const string JobClass = "Msvm_ConcreteJob";
    internal const string CopyJobClass = "Msvm_CopyFileToGuestJob";
    internal const string KvpItemClass = "Msvm_KvpExchangeDataItem";
    internal const string CopySettingClass = "Msvm_CopyFileToGuestSettingData";

    private static readonly string[] InstanceIdKey = { "InstanceID" };
    private static readonly string[] SystemKeys = { "CreationClassName", "Name" };
    private static readonly string[] ServiceKeys = { "CreationClassName", "Name", "SystemCreationClassName", "SystemName" };
    private static readonly string[] DependencyKeys = { "Antecedent", "Dependent" };
    private static readonly string[] DeviceKeys = { "CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName" };
    private static readonly string[] NameKey = { "Name" };

    /// <summary>Classes that exist in the provider but that the simulator keeps empty.</summary>
    private static readonly HashSet<string> EmptyClasses = new(StringComparer.OrdinalIgnoreCase)
    {
        "Msvm_Memory", "Msvm_Processor", "Msvm_GuestNetworkAdapterConfiguration", "Msvm_VirtualEthernetSwitch",
        "Msvm_VirtualEthernetSwitchSettingData", "Msvm_FcPortAllocationSettingData", KvpItemClass, CopySettingClass,
        "Msvm_VirtualSystemMigrationService", "Msvm_ImageManagementService",
    };

    /// <summary>
    /// Classes whose queries also return instances of the subclasses the simulator produces. Msvm_CopyFileToGuestJob
    /// derives from CIM_ConcreteJob, not from Msvm_ConcreteJob (MSDOC msvm-copyfiletoguestjob MOF; microsoft/wmi's
    /// generated Msvm_CopyFileToGuestJob embeds CIM_ConcreteJob), so only queries of CIM_ConcreteJob return both.
    /// </summary>
    private static readonly Dictionary<string, string[]> ConcreteClasses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CIM_ConcreteJob"] = new[] { JobClass, CopyJobClass },
    };

    private static readonly HashSet<string> VirtualizationClasses = new(
        new[]
        {
            ComputerSystemClass, ManagementServiceClass, MigrationSettingClass, SystemSettingClass, MemorySettingClass,
            ProcessorSettingClass, SummaryClass, GuestFileServiceClass, RegisteredGuestServiceClass, SyntheticNicClass, LegacyNicClass, PortAllocationClass,
            VlanClass, OffloadClass, SecurityClass, DisplayClass, ControllerClass, DiskClass, FcClass, PciClass, JobClass, CopyJobClass,
            "CIM_ConcreteJob",
        }
        .Concat(IntegrationComponentInfo.All.Select(c => c.ComponentClass))
        .Concat(IntegrationComponentInfo.All.Select(c => c.SettingClass))
        .Concat(EmptyClasses),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Every class the simulated provider knows, per namespace (for completion; older hosts lack a few).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownClasses { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        [CimNamespaces.Virtualization] = VirtualizationClasses.OrderBy(c => c, StringComparer.OrdinalIgnoreCase).ToList(),
        [CimNamespaces.Cimv2] = new[] { OperatingSystemClass },
    };

    /// <summary>What Msvm_VirtualSystemSettingDataComponent links a VSSD to.</summary>
    private static readonly string[] SettingDataComponents = new[] { MemorySettingClass, ProcessorSettingClass }
        .Concat(IntegrationComponentInfo.All.Select(c => c.SettingClass))
        .Concat(new[] { SyntheticNicClass, LegacyNicClass, DisplayClass, ControllerClass, DiskClass, FcClass, PciClass })
        .ToArray();

    private static string NormalizeNamespace(string? name)
        => (name ?? string.Empty).Replace('/', '\\').Trim('\\', ' ');

    private static bool IsClass(string actual, string wanted)
        => string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase)
            || (ConcreteClasses.TryGetValue(wanted, out var concrete) && concrete.Contains(actual, StringComparer.OrdinalIgnoreCase));

    private static CimObject Make(string className, string[] keys, params (string Name, object? Value)[] properties)
        => new(className, properties, keys);

    /// <summary>Every instance of the class (and of its simulated subclasses); <paramref name="only"/> narrows per-VM classes to one VM.</summary>
    private List<CimObject> InstancesOf(string namespaceName, string className, SimulatedVM? only)
    {
        var ns = NormalizeNamespace(namespaceName);
        var isCimv2 = string.Equals(ns, CimNamespaces.Cimv2, StringComparison.OrdinalIgnoreCase);
        if (!isCimv2 && !string.Equals(ns, CimNamespaces.Virtualization, StringComparison.OrdinalIgnoreCase))
        {
            throw GuestFeatureException.Create("CimInvalidNamespace", FailureKind.InvalidArgument, namespaceName, namespaceName, ComputerName);
        }

        if (isCimv2)
        {
            if (!string.Equals(className, OperatingSystemClass, StringComparison.OrdinalIgnoreCase))
            {
                throw InvalidClass(className);
            }

            return new List<CimObject> { OperatingSystem() };
        }

        if (!VirtualizationClasses.Contains(className) || !ClassExistsOnThisHost(className))
        {
            throw InvalidClass(className);
        }

        var result = new List<CimObject>(only is null ? _vms.Count + 1 : 4);
        var classes = ConcreteClasses.TryGetValue(className, out var concrete) ? concrete : new[] { className };
        foreach (var cls in classes)
        {
            if (string.Equals(cls, JobClass, StringComparison.OrdinalIgnoreCase) || string.Equals(cls, CopyJobClass, StringComparison.OrdinalIgnoreCase))
            {
                var now = DateTime.UtcNow;
                result.AddRange(_jobs.Values.Where(j => string.Equals(j.ClassName, cls, StringComparison.OrdinalIgnoreCase)).OrderBy(j => j.StartUtc).Select(j => JobObject(j, now)));
                continue;
            }

            if (string.Equals(cls, ComputerSystemClass, StringComparison.OrdinalIgnoreCase) && only is null)
            {
                result.Add(HostSystem());
            }
            else if (string.Equals(cls, ManagementServiceClass, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(ManagementService());
                continue;
            }
            else if (string.Equals(cls, MigrationSettingClass, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(MigrationSetting());
                continue;
            }

            foreach (var vm in only is null ? _vms : new List<SimulatedVM> { only })
            {
                foreach (var instance in VMInstances(vm, cls))
                {
                    result.Add(instance);
                }
            }
        }

        return result;
    }

    /// <summary>The instance at <paramref name="path"/>, or null. <paramref name="vm"/> (from the keys) narrows the search.</summary>
    private CimObject? FindInstance(CimInstancePath path, SimulatedVM? vm)
    {
        if (path.IsClassPath)
        {
            return null;
        }

        var candidates = InstancesOf(path.Namespace, path.ClassName, vm);
        return candidates.FirstOrDefault(candidate => path.Keys.All(key =>
            string.Equals(
                Convert.ToString(candidate[key.Key], CultureInfo.InvariantCulture),
                Convert.ToString(key.Value, CultureInfo.InvariantCulture),
                StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The VM an instance path is about: Name/SystemName/VirtualSystemIdentifier or the InstanceID prefix.</summary>
    private SimulatedVM? VMOfKeys(IReadOnlyDictionary<string, object?> keys)
    {
        foreach (var name in new[] { "Name", "SystemName", "VirtualSystemIdentifier" })
        {
            if (keys.TryGetValue(name, out var value) && FindVMById(value as string) is { } vm)
            {
                return vm;
            }
        }

        if (keys.TryGetValue("Name", out var serviceName) && serviceName is string text && VMIdOfInstanceId(text) is { } serviceVM)
        {
            return FindVMById(serviceVM);
        }

        return keys.TryGetValue("InstanceID", out var instanceId) && instanceId is string id && VMIdOfInstanceId(id) is { } vmId
            ? FindVMById(vmId)
            : null;
    }

    /// <summary>The VM GUID of a <c>Microsoft:&lt;VM&gt;[\...]</c> id, or null.</summary>
    private static string? VMIdOfInstanceId(string instanceId)
    {
        const string Prefix = "Microsoft:";
        if (!instanceId.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || instanceId.Length < Prefix.Length + 36)
        {
            return null;
        }

        var id = instanceId.Substring(Prefix.Length, 36);
        return Guid.TryParse(id, out _) ? id : null;
    }

    private List<CimObject> Associated(CimObject origin, SimulatedVM? vm, string associationClass, string? resultClass)
    {
        var results = new List<CimObject>();
        var from = origin.ClassName;
        void AddAll(params string[] classes)
        {
            foreach (var cls in classes)
            {
                if (vm is not null)
                {
                    results.AddRange(VMInstances(vm, cls));
                }
            }
        }

        switch (associationClass?.ToUpperInvariant())
        {
            case "MSVM_SETTINGSDEFINESTATE":
                if (vm is null)
                {
                    break;
                }

                if (IsClass(from, ComputerSystemClass))
                {
                    AddAll(SystemSettingClass);
                }
                else if (IsClass(from, SystemSettingClass))
                {
                    AddAll(ComputerSystemClass);
                }
                else if (IntegrationComponentInfo.All.FirstOrDefault(c => IsClass(from, c.ComponentClass)) is { } component)
                {
                    AddAll(component.SettingClass);
                }
                else if (IntegrationComponentInfo.All.FirstOrDefault(c => IsClass(from, c.SettingClass)) is { } setting)
                {
                    AddAll(setting.ComponentClass);
                }

                break;
            case "MSVM_SYSTEMDEVICE":
                if (vm is null)
                {
                    break;
                }

                if (IsClass(from, ComputerSystemClass))
                {
                    AddAll(IntegrationComponentInfo.All.Select(c => c.ComponentClass).ToArray());
                }
                else if (IntegrationComponentInfo.All.Any(c => IsClass(from, c.ComponentClass)))
                {
                    AddAll(ComputerSystemClass);
                }

                break;
            case "MSVM_VIRTUALSYSTEMSETTINGDATACOMPONENT":
                if (vm is null)
                {
                    break;
                }

                if (IsClass(from, SystemSettingClass))
                {
                    AddAll(SettingDataComponents);
                }
                else
                {
                    AddAll(SystemSettingClass);
                }

                break;
            case "MSVM_REGISTEREDGUESTSERVICE":
                if (vm is null)
                {
                    break;
                }

                if (IsClass(from, "Msvm_GuestServiceInterfaceComponent"))
                {
                    AddAll(GuestFileServiceClass);
                }
                else if (IsClass(from, GuestFileServiceClass))
                {
                    AddAll("Msvm_GuestServiceInterfaceComponent");
                }

                break;
            case "MSVM_COMPUTERSYSTEMSUMMARYINFORMATION":
                if (vm is not null && IsClass(from, ComputerSystemClass))
                {
                    AddAll(SummaryClass);
                }

                break;
        }

        return string.IsNullOrEmpty(resultClass)
            ? results
            : results.Where(r => IsClass(r.ClassName, resultClass!)).ToList();
    }

    /// <summary>
    /// Classes newer than the host do not exist on it; the provider answers "invalid class". Msvm_PciExpressSettingData
    /// (DDA) and Msvm_SyntheticDisplayControllerSettingData need Windows Server 2016 (MSDOC msvm-pciexpresssettingdata,
    /// msvm-syntheticdisplaycontrollersettingdata: minimum supported server).
    /// </summary>
    private bool ClassExistsOnThisHost(string className)
        => !(string.Equals(className, PciClass, StringComparison.OrdinalIgnoreCase) || string.Equals(className, DisplayClass, StringComparison.OrdinalIgnoreCase))
            || HostVersion >= HostVersions.WS2016;

    private GuestFeatureException InvalidClass(string className)
        => GuestFeatureException.Create("CimInvalidClass", FailureKind.NotSupported, className, className, ComputerName);

    // ---- host-wide instances ----

    private CimObject OperatingSystem()
        => new(
            OperatingSystemClass,
            new Dictionary<string, object?>
            {
                ["Name"] = HostVersions.Caption(HostVersion) + @"|C:\Windows|\Device\Harddisk0\Partition2",
                ["Caption"] = HostVersions.Caption(HostVersion),
                ["Version"] = HostVersion.ToString(3),
                ["BuildNumber"] = HostVersion.Build.ToString(CultureInfo.InvariantCulture),
                ["CSName"] = ComputerName,
                ["OSArchitecture"] = "64-bit",
                ["ProductType"] = 3u,
            },
            NameKey,
            CimNamespaces.Cimv2);

    private CimObject HostSystem()
        => Make(
            ComputerSystemClass,
            SystemKeys,
            ("CreationClassName", ComputerSystemClass),
            ("Name", ComputerName),
            ("ElementName", ComputerName),
            ("Caption", "Hosting Computer System"),
            ("Description", ProviderConstants.HostDescription),
            ("EnabledState", (ushort)2),
            ("HealthState", (ushort)5),
            ("OnTimeInMilliseconds", null));

    private CimObject ManagementService()
        => Make(
            ManagementServiceClass,
            ServiceKeys,
            ("CreationClassName", ManagementServiceClass),
            ("Name", "vmms"),
            ("SystemCreationClassName", ComputerSystemClass),
            ("SystemName", ComputerName),
            ("ElementName", "Virtual System Management Service"),
            ("EnabledState", (ushort)2));

    // Assumption (docs/provider-model.md "Host"): InstanceID "Microsoft:<host>".
    private CimObject MigrationSetting()
        => Make(
            MigrationSettingClass,
            InstanceIdKey,
            ("InstanceID", "Microsoft:" + ComputerName),
            ("ElementName", "Virtual System Migration Service Setting Data"),
            ("EnableVirtualSystemMigration", _liveMigrationEnabled));

    private static CimObject JobObject(SimulatedJob job, DateTime now)
    {
        var end = job.EndUtc ?? now;
        var total = (job.DueUtc - job.StartUtc).Ticks;
        var percent = job.State == ProviderConstants.JobCompleted ? 100
            : total <= 0 ? 0 : (int)Math.Min(99, (end - job.StartUtc).Ticks * 100 / total);
        if (job.State != ProviderConstants.JobCompleted && job.WorkProgress is { } work)
        {
            percent = Math.Min(percent, (int)Math.Min(99, Math.Max(0, work() * 100)));
        }
        var status = job.State switch
        {
            ProviderConstants.JobRunning => "Job is running",
            ProviderConstants.JobCompleted => "Job completed successfully",
            ProviderConstants.JobTerminated => "Job was terminated",
            ProviderConstants.JobKilled => "Job was killed",
            _ => "Job failed",
        };
        return Make(
            job.ClassName,
            InstanceIdKey,
            ("InstanceID", job.Id),
            ("Caption", job.Description),
            ("Description", job.Description),
            ("ElementName", job.Description),
            ("JobState", job.State),
            ("JobStatus", status),
            ("PercentComplete", (ushort)percent),
            ("ErrorCode", job.ErrorCode),
            ("ErrorDescription", job.ErrorDescription),
            ("ErrorSummaryDescription", job.ErrorDescription),
            ("Cancellable", job.Cancellable),
            ("DeleteOnCompletion", false),
            ("TimeSubmitted", job.StartUtc),
            ("StartTime", job.StartUtc),
            ("ElapsedTime", end - job.StartUtc),
            ("TimeBeforeRemoval", TimeBeforeRemoval));
    }

    // ---- per-VM instances ----

    private IEnumerable<CimObject> VMInstances(SimulatedVM vm, string className)
    {
        var cls = className.ToUpperInvariant();
        switch (cls)
        {
            case "MSVM_COMPUTERSYSTEM":
                return new[] { VMSystem(vm) };
            case "MSVM_VIRTUALSYSTEMSETTINGDATA":
                return new[] { SystemSetting(vm) };
            case "MSVM_MEMORYSETTINGDATA":
                return new[] { MemorySetting(vm) };
            case "MSVM_PROCESSORSETTINGDATA":
                return new[] { ProcessorSetting(vm) };
            case "MSVM_SUMMARYINFORMATION":
                return new[] { Summary(vm) };
            case "MSVM_GUESTFILESERVICE":
                return vm.HasRuntimeComponents ? new[] { GuestFileService(vm) } : Array.Empty<CimObject>();
            case "MSVM_REGISTEREDGUESTSERVICE":
                // The association itself (MSDOC msvm-registeredguestservice): the VM's Guest Service Interface component
                // (Antecedent) and the guest service registered on it (Dependent), here the file service.
                return vm.HasRuntimeComponents
                    ? new[]
                    {
                        Make(
                            RegisteredGuestServiceClass,
                            DependencyKeys,
                            ("Antecedent", Component(vm, IntegrationComponentInfo.Of(IntegrationComponentKind.GuestServiceInterface)).Path),
                            ("Dependent", GuestFileService(vm).Path)),
                    }
                    : Array.Empty<CimObject>();
            case "MSVM_SYNTHETICETHERNETPORTSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.Type == SimulatedNicType.Synthetic).Select(n => NicSetting(vm, n));
            case "MSVM_EMULATEDETHERNETPORTSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.Type == SimulatedNicType.Legacy).Select(n => NicSetting(vm, n));
            case "MSVM_ETHERNETPORTALLOCATIONSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.SwitchName is not null).Select(n => PortAllocation(vm, n));
            case "MSVM_ETHERNETSWITCHPORTVLANSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.SwitchName is not null && n.VlanMode is not null).Select(n => Vlan(vm, n));
            case "MSVM_ETHERNETSWITCHPORTOFFLOADSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.SwitchName is not null).Select(n => Offload(vm, n));
            case "MSVM_ETHERNETSWITCHPORTSECURITYSETTINGDATA":
                return vm.NetworkAdapters.Where(n => n.SwitchName is not null).Select(n => Security(vm, n));
            case "MSVM_SYNTHETICDISPLAYCONTROLLERSETTINGDATA":
                return vm.SyntheticDisplay ? new[] { Display(vm) } : Array.Empty<CimObject>();
            case "MSVM_RESOURCEALLOCATIONSETTINGDATA":
                return vm.Controllers.Select((c, i) => Controller(vm, i))
                    .Concat(vm.Controllers.SelectMany((c, i) => c.Disks.Select((d, slot) => Drive(vm, i, slot))));
            case "MSVM_STORAGEALLOCATIONSETTINGDATA":
                return vm.Controllers.SelectMany((c, i) => c.Disks.Select((d, slot) => (Disk: d, Slot: slot)).Where(d => d.Disk.Path.Length > 0).Select(d => Medium(vm, i, d.Slot)));
            case "MSVM_SYNTHETICFCPORTSETTINGDATA":
                return vm.FibreChannelAdapters.Select(f => Make(
                    FcClass, InstanceIdKey, ("InstanceID", DeviceInstanceId(vm, f.Id)), ("ElementName", f.Name), ("ResourceType", (ushort)7), ("ResourceSubType", "Microsoft:Hyper-V:Synthetic FibreChannel Port")));
            case "MSVM_PCIEXPRESSSETTINGDATA":
                // docs/provider-model.md "Per VM": HostResource holds the device's location path.
                return vm.AssignedDevices.Select(d => Make(
                    PciClass, InstanceIdKey, ("InstanceID", DeviceInstanceId(vm, d.Id)), ("ElementName", "PCI Express Port"), ("HostResource", new[] { d.LocationPath })));
        }

        if (IntegrationComponentInfo.All.FirstOrDefault(c => string.Equals(c.SettingClass, className, StringComparison.OrdinalIgnoreCase)) is { } setting)
        {
            return new[] { ComponentSetting(vm, setting) };
        }

        if (IntegrationComponentInfo.All.FirstOrDefault(c => string.Equals(c.ComponentClass, className, StringComparison.OrdinalIgnoreCase)) is { } component)
        {
            // Runtime components exist only while the VM runs or is paused (docs/provider-model.md "Per VM").
            return vm.HasRuntimeComponents ? new[] { Component(vm, component) } : Array.Empty<CimObject>();
        }

        return Array.Empty<CimObject>();
    }

    private static string DeviceInstanceId(SimulatedVM vm, Guid device) => "Microsoft:" + vm.IdText + "\\" + SimulatorIds.Text(device);

    internal static string MemoryInstanceId(SimulatedVM vm) => "Microsoft:" + vm.IdText + "\\" + ProviderConstants.MemoryDeviceGuid;

    internal static string ComponentSettingInstanceId(SimulatedVM vm, IntegrationComponentInfo component) => "Microsoft:" + vm.IdText + "\\" + component.Id;

    private static CimObject VMSystem(SimulatedVM vm)
        => Make(
            ComputerSystemClass,
            SystemKeys,
            ("CreationClassName", ComputerSystemClass),
            ("Name", vm.IdText),
            ("ElementName", vm.Name),
            ("Caption", "Virtual Machine"),
            ("Description", ProviderConstants.VmDescription),
            ("EnabledState", ProviderConstants.EnabledState(vm.State)),
            ("HealthState", (ushort)5),
            ("OnTimeInMilliseconds", vm.HasRuntimeComponents ? (ulong)Math.Max(0, (DateTime.UtcNow - vm.StartedUtc).TotalMilliseconds) : 0UL));

    /// <summary>
    /// The realized VSSD. Properties newer than the host are absent, not null, as on a real host (MSDOC
    /// msvm-virtualsystemsettingdata): SecureBootTemplateId "added in Windows 10 and Windows Server 2016",
    /// HighMmioGapSize "added in Windows 10, version 1703".
    /// </summary>
    private CimObject SystemSetting(SimulatedVM vm)
    {
        var properties = new List<(string, object?)>
        {
            ("InstanceID", "Microsoft:" + vm.IdText),
            ("ElementName", vm.Name),
            ("VirtualSystemIdentifier", vm.IdText),
            ("VirtualSystemType", ProviderConstants.RealizedType),
            ("VirtualSystemSubType", "Microsoft:Hyper-V:SubType:" + vm.Generation.ToString(CultureInfo.InvariantCulture)),
            ("Version", vm.ConfigurationVersion),
            ("VirtualNumaEnabled", vm.VirtualNumaEnabled),
            ("SecureBootEnabled", vm.Generation == 2 && vm.SecureBootEnabled),
            ("LowMmioGapSize", vm.Generation == 2 ? vm.LowMmioGapMB : null),
        };
        if (HostVersion >= HostVersions.Windows10)
        {
            properties.Add(("SecureBootTemplateId", vm.Generation == 2 ? vm.SecureBootTemplateId?.ToString("D").ToUpperInvariant() : null));
        }

        if (HostVersion >= HostVersions.Version1703)
        {
            properties.Add(("HighMmioGapSize", vm.Generation == 2 ? vm.HighMmioGapMB : null));
        }

        return Make(SystemSettingClass, InstanceIdKey, properties.ToArray());
    }

    private static CimObject MemorySetting(SimulatedVM vm)
        => Make(
            MemorySettingClass,
            InstanceIdKey,
            ("InstanceID", MemoryInstanceId(vm)),
            ("ElementName", "Memory"),
            ("ResourceType", (ushort)4),
            ("ResourceSubType", "Microsoft:Hyper-V:Memory"),
            ("AllocationUnits", "byte * 2^20"),
            ("VirtualQuantityUnits", "byte * 2^20"),
            ("VirtualQuantity", vm.Memory.StartupMB),
            ("Reservation", vm.Memory.MinimumMB),
            ("Limit", vm.Memory.MaximumMB),
            ("DynamicMemoryEnabled", vm.Memory.DynamicMemoryEnabled),
            ("TargetMemoryBuffer", vm.Memory.BufferPercent),
            ("Weight", vm.Memory.Weight));

    private static CimObject ProcessorSetting(SimulatedVM vm)
        => Make(
            ProcessorSettingClass,
            InstanceIdKey,
            ("InstanceID", "Microsoft:" + vm.IdText + "\\" + ProviderConstants.ProcessorDeviceGuid + "\\0"),
            ("ElementName", "Processor"),
            ("ResourceType", (ushort)3),
            ("ResourceSubType", "Microsoft:Hyper-V:Processor"),
            ("VirtualQuantity", vm.ProcessorCount));

    internal static ulong AssignedMB(SimulatedVM vm) => vm.Memory.AssignedMB ?? vm.Memory.StartupMB;

    internal static ulong DemandMB(SimulatedVM vm) => vm.Memory.DemandMB ?? AssignedMB(vm) * 60 / 100;

    /// <summary>
    /// Msvm_SummaryInformation as a query returns it: identity and state only. The runtime memory values come from
    /// GetSummaryInformation (<see cref="SummaryOf"/>); whether a plain query fills them on a real host is unconfirmed
    /// (docs/provider-model.md "Summary information"), so the simulator does not, and nothing may rely on it.
    /// </summary>
    private static CimObject Summary(SimulatedVM vm)
        => Make(
            SummaryClass,
            NameKey,
            ("Name", vm.IdText),
            ("ElementName", vm.Name),
            ("EnabledState", ProviderConstants.EnabledState(vm.State)),
            ("NumberOfProcessors", (ushort)vm.ProcessorCount),
            ("MemoryUsage", null),
            ("MemoryAvailable", null),
            ("AvailableMemoryBuffer", null),
            ("UpTime", null));

    private CimObject ComponentSetting(SimulatedVM vm, IntegrationComponentInfo component)
    {
        var properties = new List<(string, object?)>(7)
        {
            ("InstanceID", ComponentSettingInstanceId(vm, component)),
            ("ElementName", component.DisplayName),
            ("Caption", component.DisplayName),
            ("EnabledState", vm.Components[component.Kind].Enabled ? (ushort)2 : (ushort)3),
        };
        if (component.Kind == IntegrationComponentKind.KeyValuePairExchange)
        {
            properties.Add(("HostExchangeItems", KvpItems(vm.HostItems, 0)));
            properties.Add(("HostOnlyItems", KvpItems(vm.HostOnlyItems, 4)));
            // DisableHostKVPItems arrived with version 1703 (build 15063, docs/provider-model.md "Host versions"): absent before.
            if (HostVersion >= HostVersions.Version1703)
            {
                properties.Add(("DisableHostKVPItems", false));
            }
        }

        return new CimObject(component.SettingClass, properties, InstanceIdKey);
    }

    private static CimObject Component(SimulatedVM vm, IntegrationComponentInfo component)
    {
        var state = vm.Components[component.Kind];
        ushort[] status;
        if (!state.Enabled)
        {
            // Assumption (docs/provider-model.md): a disabled component still exists while the VM runs,
            // with EnabledState 3 and OperationalStatus {12} No Contact.
            status = new ushort[] { 12 };
        }
        else if (vm.State == SimulatedVMState.Paused)
        {
            status = new ushort[] { 15 }; // the guest is paused: OperationalStatus 15 Paused (docs/provider-model.md "Integration components")
        }
        else if (component.Kind == IntegrationComponentKind.Heartbeat && state.Status == IntegrationComponentStatus.OK)
        {
            status = new ushort[] { 2, 2 }; // [1] = application state OK (docs/provider-model.md "Integration components")
        }
        else
        {
            status = new[] { (ushort)state.Status };
        }

        var properties = new List<(string, object?)>(10)
        {
            ("CreationClassName", component.ComponentClass),
            ("DeviceID", "Microsoft:" + component.Id),
            ("SystemCreationClassName", ComputerSystemClass),
            ("SystemName", vm.IdText),
            ("ElementName", component.DisplayName),
            ("EnabledState", state.Enabled ? (ushort)2 : (ushort)3),
            ("OperationalStatus", status),
            ("StatusDescriptions", status.Select(ProviderConstants.StatusDescription).ToArray()),
        };
        if (component.Kind == IntegrationComponentKind.KeyValuePairExchange)
        {
            // The guest's pools reach the host only while its daemon talks to it.
            var talking = state.Enabled && state.Status is IntegrationComponentStatus.OK or IntegrationComponentStatus.Degraded;
            properties.Add(("GuestExchangeItems", talking ? KvpItems(vm.GuestItems, 1) : Array.Empty<string>()));
            properties.Add(("GuestIntrinsicExchangeItems", talking ? KvpItems(vm.IntrinsicItems, 2) : Array.Empty<string>()));
        }

        return new CimObject(component.ComponentClass, properties, DeviceKeys);
    }

    /// <summary>KVP items as the provider gives them: CIM-XML Msvm_KvpExchangeDataItem texts (docs/provider-model.md "Methods").</summary>
    private static string[] KvpItems(Dictionary<string, string> items, ushort source)
    {
        var texts = new string[items.Count];
        var i = 0;
        foreach (var item in items)
        {
            texts[i++] = CimXml.Serialize(new CimObject(KvpItemClass, new (string, object?)[] { ("Name", item.Key), ("Data", item.Value), ("Source", source) }));
        }

        return texts;
    }

    // Assumption (docs/provider-model.md): the service's Name is "Microsoft:<VM>\GuestFileService".
    private static CimObject GuestFileService(SimulatedVM vm)
        => Make(
            GuestFileServiceClass,
            ServiceKeys,
            ("CreationClassName", GuestFileServiceClass),
            ("Name", GuestFileServiceName(vm)),
            ("SystemCreationClassName", ComputerSystemClass),
            ("SystemName", vm.IdText),
            ("ElementName", "Guest File Service"));

    internal static string GuestFileServiceName(SimulatedVM vm) => "Microsoft:" + vm.IdText + "\\GuestFileService";

    private static CimObject NicSetting(SimulatedVM vm, SimulatedNetworkAdapter nic)
        => Make(
            nic.Type == SimulatedNicType.Synthetic ? SyntheticNicClass : LegacyNicClass,
            InstanceIdKey,
            ("InstanceID", DeviceInstanceId(vm, nic.Id)),
            ("ElementName", nic.Name),
            ("ResourceType", (ushort)10),
            ("ResourceSubType", nic.Type == SimulatedNicType.Synthetic ? "Microsoft:Hyper-V:Synthetic Ethernet Port" : "Microsoft:Hyper-V:Emulated Ethernet Port"),
            ("Address", nic.MacAddress),
            ("StaticMacAddress", nic.StaticMacAddress));

    private static string PortInstanceId(SimulatedVM vm, SimulatedNetworkAdapter nic) => DeviceInstanceId(vm, nic.Id) + "\\C";

    private static CimObject PortAllocation(SimulatedVM vm, SimulatedNetworkAdapter nic)
        => Make(
            PortAllocationClass,
            InstanceIdKey,
            ("InstanceID", PortInstanceId(vm, nic)),
            ("ElementName", "Dynamic Ethernet Switch Port"),
            ("ResourceType", (ushort)33),
            ("ResourceSubType", "Microsoft:Hyper-V:Ethernet Connection"),
            ("Parent", DeviceInstanceId(vm, nic.Id)),
            ("HostResource", new[] { "Msvm_VirtualEthernetSwitch.CreationClassName=\"Msvm_VirtualEthernetSwitch\",Name=\"" + SimulatorIds.Text(SimulatorIds.From("switch/" + nic.SwitchName)) + "\"" }),
            ("EnabledState", (ushort)2),
            ("LastKnownSwitchName", nic.SwitchName));

    // docs/provider-model.md "Per VM" (MSDOC, microsoft/wmi).
    private static CimObject Vlan(SimulatedVM vm, SimulatedNetworkAdapter nic)
        => Make(
            VlanClass,
            InstanceIdKey,
            ("InstanceID", PortInstanceId(vm, nic) + "\\" + ProviderConstants.VlanFeatureGuid),
            ("ElementName", "Ethernet Switch Port VLAN Settings"),
            ("OperationMode", (uint)nic.VlanMode!.Value),
            ("AccessVlanId", nic.AccessVlanId),
            ("NativeVlanId", nic.NativeVlanId),
            ("TrunkVlanIdArray", nic.TrunkVlanIds.ToArray()));

    // docs/provider-model.md "Per VM" (MSDOC, microsoft/wmi).
    private static CimObject Offload(SimulatedVM vm, SimulatedNetworkAdapter nic)
        => Make(
            OffloadClass,
            InstanceIdKey,
            ("InstanceID", PortInstanceId(vm, nic) + "\\" + ProviderConstants.OffloadFeatureGuid),
            ("ElementName", "Ethernet Switch Port Offload Settings"),
            ("VMQOffloadWeight", nic.VmqWeight),
            ("IOVOffloadWeight", nic.IovWeight));

    private static CimObject Security(SimulatedVM vm, SimulatedNetworkAdapter nic)
        => Make(
            SecurityClass,
            InstanceIdKey,
            ("InstanceID", PortInstanceId(vm, nic) + "\\" + ProviderConstants.SecurityFeatureGuid),
            ("ElementName", "Ethernet Switch Port Security Settings"),
            ("AllowMacSpoofing", nic.MacSpoofing));

    private static CimObject Display(SimulatedVM vm)
        => Make(
            DisplayClass,
            InstanceIdKey,
            ("InstanceID", DeviceInstanceId(vm, SimulatorIds.From(vm.IdText + "/display"))),
            ("ElementName", "Synthetic Display Controller"),
            ("ResourceType", (ushort)24),
            ("ResourceSubType", "Microsoft:Hyper-V:Synthetic Display Controller"));

    /// <summary>The emulated IDE controller's device id in its InstanceIDs (public Hyper-V data; docs/provider-model.md "Storage").</summary>
    internal const string IdeControllerDeviceId = "83F8638B-8DCA-4152-9EDA-2CA8B33039B4";

    /// <summary>
    /// A controller's InstanceID: <c>Microsoft:&lt;VM&gt;\83F8638B-…\&lt;n&gt;</c> for IDE controller n,
    /// <c>Microsoft:&lt;VM&gt;\&lt;GUID&gt;</c> for a SCSI controller (docs/provider-model.md "Storage").
    /// </summary>
    private static string ControllerInstanceId(SimulatedVM vm, int index)
    {
        var controller = vm.Controllers[index];
        return controller.Type == SimulatedControllerType.Ide
            ? "Microsoft:" + vm.IdText + "\\" + IdeControllerDeviceId + "\\" + ControllerNumber(vm, index).ToString(CultureInfo.InvariantCulture)
            : DeviceInstanceId(vm, controller.Id);
    }

    private static int ControllerNumber(SimulatedVM vm, int index) => vm.Controllers.Take(index).Count(c => c.Type == vm.Controllers[index].Type);

    /// <summary>A drive's InstanceID: its controller's, then the slot, then <c>D</c>; the medium in it ends in <c>L</c> (DUMP1).</summary>
    private static string DriveInstanceId(SimulatedVM vm, int controller, int slot, char suffix)
        => ControllerInstanceId(vm, controller)
            + (vm.Controllers[controller].Type == SimulatedControllerType.Ide ? string.Empty : "\\0")
            + "\\" + slot.ToString(CultureInfo.InvariantCulture) + "\\" + suffix;

    /// <summary>
    /// A reference as the provider writes it in Parent: the WMI object path of the setting, the backslashes of the
    /// key value doubled (openstack os-win sets drive.Parent to the controller's path_(); docs/provider-model.md).
    /// </summary>
    private string SettingPath(string className, string instanceId)
        => "\\\\" + ComputerName + "\\root\\virtualization\\v2:" + className + ".InstanceID=\"" + instanceId.Replace("\\", "\\\\") + "\"";

    // "Microsoft:Hyper-V:Synthetic SCSI Controller" and "…:Emulated IDE Controller": libvirt and os-win use these subtypes.
    private static CimObject Controller(SimulatedVM vm, int index)
    {
        var scsi = vm.Controllers[index].Type == SimulatedControllerType.Scsi;
        var number = ControllerNumber(vm, index);
        return Make(
            ControllerClass,
            InstanceIdKey,
            ("InstanceID", ControllerInstanceId(vm, index)),
            ("ElementName", (scsi ? "SCSI Controller " : "IDE Controller ") + number.ToString(CultureInfo.InvariantCulture)),
            ("ResourceType", scsi ? (ushort)6 : (ushort)5),
            ("ResourceSubType", scsi ? "Microsoft:Hyper-V:Synthetic SCSI Controller" : "Microsoft:Hyper-V:Emulated IDE Controller"),
            ("Address", number.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The drive in a controller slot: a Msvm_ResourceAllocationSettingData, ResourceType 17 "Synthetic Disk Drive"
    /// (16 "Synthetic DVD Drive"), whose Parent is the controller (libvirt hypervDomainAddVirtualDiskParent; os-win
    /// vmutils attach_drive; containers/libhvee diskdrive_settings.go).
    /// </summary>
    private CimObject Drive(SimulatedVM vm, int controller, int slot)
    {
        var dvd = vm.Controllers[controller].Disks[slot].Kind == SimulatedDriveKind.Dvd;
        return Make(
            ControllerClass,
            InstanceIdKey,
            ("InstanceID", DriveInstanceId(vm, controller, slot, 'D')),
            ("ElementName", dvd ? "DVD Drive" : "Hard Drive"),
            ("ResourceType", dvd ? (ushort)16 : (ushort)17),
            ("ResourceSubType", dvd ? "Microsoft:Hyper-V:Synthetic DVD Drive" : "Microsoft:Hyper-V:Synthetic Disk Drive"),
            ("Parent", SettingPath(ControllerClass, ControllerInstanceId(vm, controller))),
            ("AddressOnParent", slot.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The medium in a drive: a Msvm_StorageAllocationSettingData, ResourceType 31 (Logical Disk) with subtype
    /// "Virtual Hard Disk" or "Virtual CD/DVD Disk" (MSDOC msvm-storageallocationsettingdata), the file in
    /// HostResource and the drive as Parent (os-win: res.Parent = drive_path).
    /// </summary>
    private CimObject Medium(SimulatedVM vm, int controller, int slot)
    {
        var disk = vm.Controllers[controller].Disks[slot];
        var dvd = disk.Kind == SimulatedDriveKind.Dvd;
        return Make(
            DiskClass,
            InstanceIdKey,
            ("InstanceID", DriveInstanceId(vm, controller, slot, 'L')),
            ("ElementName", dvd ? "ISO Disk Image" : "Hard Disk Image"),
            ("ResourceType", (ushort)31),
            ("ResourceSubType", dvd ? "Microsoft:Hyper-V:Virtual CD/DVD Disk" : "Microsoft:Hyper-V:Virtual Hard Disk"),
            ("HostResource", new[] { disk.Path }),
            ("Parent", SettingPath(ControllerClass, DriveInstanceId(vm, controller, slot, 'D'))));
    }
}
