using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Classes, keys, properties and encodings as docs/provider-model.md gives them.</summary>
public class ProviderShapeTests
{
    private readonly SimulatedHost _host;
    private readonly ICimClient _client;

    public ProviderShapeTests() => (_host, _client) = Lab();

    [Fact]
    public void The_host_reports_its_version_in_root_cimv2()
    {
        var os = Assert.Single(_client.Query(CimNamespaces.Cimv2, "SELECT * FROM Win32_OperatingSystem", None));
        Assert.Equal("10.0.20348", os.GetString("Version"));
        Assert.Equal("20348", os.GetString("BuildNumber"));
        Assert.Contains("2022", os.GetString("Caption"), StringComparison.Ordinal);
    }

    [Fact]
    public void VMs_and_the_host_are_told_apart_by_Description()
    {
        var systems = _client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None);
        var host = Assert.Single(systems, s => s.GetString("Description") == "Microsoft Hosting Computer System");
        Assert.Equal("HV1", host.GetString("Name"));
        Assert.Equal(7, systems.Count(s => s.GetString("Description") == "Microsoft Virtual Machine"));
        var vm = _client.VM("ubuntu-web");
        Assert.Equal(new[] { "CreationClassName", "Name" }, vm.KeyNames.OrderBy(k => k));
        Assert.Equal("Msvm_ComputerSystem", vm.GetString("CreationClassName"));
        Assert.True(Guid.TryParse(vm.GetString("Name"), out _));
        Assert.Equal(vm.GetString("Name")!.ToUpperInvariant(), vm.GetString("Name"));
    }

    [Theory]
    [InlineData("Running", 2)]
    [InlineData("Off", 3)]
    [InlineData("Saved", 6)]
    [InlineData("Paused", 9)]
    [InlineData("Starting", 10)]
    [InlineData("Stopping", 4)]
    public void EnabledState_uses_the_v2_values(string state, ushort expected)
    {
        _host.SetVMState("ubuntu-web", Enum.Parse<SimulatedVMState>(state));
        Assert.Equal(expected, _client.VM("ubuntu-web").GetUInt16("EnabledState"));
        Assert.Equal(expected, _client.Single("Msvm_SummaryInformation", "ubuntu-web").GetUInt16("EnabledState"));
    }

    [Fact]
    public void The_realized_settings_carry_generation_secure_boot_and_version()
    {
        var id = _client.VMId("ubuntu-web");
        var vssd = _client.GetInstance(CimInstancePath.ForKey(V2, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + id), None);
        Assert.Equal(id, vssd.GetString("VirtualSystemIdentifier"));
        Assert.Equal("Microsoft:Hyper-V:System:Realized", vssd.GetString("VirtualSystemType"));
        Assert.Equal("Microsoft:Hyper-V:SubType:2", vssd.GetString("VirtualSystemSubType"));
        Assert.Equal("10.0", vssd.GetString("Version"));
        Assert.True(vssd.GetBoolean("SecureBootEnabled"));
        Assert.Equal("272E7447-90A4-4563-A4B9-8E4AB00526CE", vssd.GetString("SecureBootTemplateId"));
        Assert.NotNull(vssd.GetUInt64("LowMmioGapSize"));

        Assert.Equal("1734C6E8-3154-4DDA-BA5F-A874CC483422", _client.Single("Msvm_VirtualSystemSettingData", "debian-build").GetString("SecureBootTemplateId"));
        var gen1 = _client.Single("Msvm_VirtualSystemSettingData", "freebsd-gw");
        Assert.Equal("Microsoft:Hyper-V:SubType:1", gen1.GetString("VirtualSystemSubType"));
        Assert.Null(gen1.GetString("SecureBootTemplateId"));
    }

    [Fact]
    public void Memory_settings_are_in_MB_with_the_documented_instance_id()
    {
        var id = _client.VMId("ubuntu-web");
        var memory = _client.GetInstance(CimInstancePath.ForKey(V2, "Msvm_MemorySettingData", "InstanceID", $"Microsoft:{id}\\4764334d-e001-4176-82ee-5594ec9b530e"), None);
        Assert.Equal(2048UL, memory.GetUInt64("VirtualQuantity"));
        Assert.Equal(512UL, memory.GetUInt64("Reservation"));
        Assert.Equal(4096UL, memory.GetUInt64("Limit"));
        Assert.True(memory.GetBoolean("DynamicMemoryEnabled"));
        Assert.Equal(20u, memory.GetUInt32("TargetMemoryBuffer"));
        Assert.Equal((ushort)4, memory.GetUInt16("ResourceType"));
        Assert.Equal("Microsoft:Hyper-V:Memory", memory.GetString("ResourceSubType"));
        Assert.Equal("byte * 2^20", memory.GetString("AllocationUnits"));
        Assert.IsType<ulong>(memory["VirtualQuantity"]);
    }

    [Fact]
    public void Runtime_memory_is_null_unless_the_VM_runs()
    {
        var running = Summary("ubuntu-web");
        Assert.Equal(2048UL, running.GetUInt64("MemoryUsage"));
        Assert.IsType<int>(running["MemoryAvailable"]);
        var off = Summary("suse-off");
        Assert.Null(off["MemoryUsage"]);
        Assert.Null(off["MemoryAvailable"]);
    }

    [Fact]
    public void GetSummaryInformation_answers_per_reference_with_only_what_was_asked()
    {
        // MSDOC: same number of entries as SettingData; Name always; unrequested properties null; an unknown VM's Name empty.
        var ubuntu = _client.VMId("ubuntu-web");
        var references = new[]
        {
            CimInstancePath.ForKey(V2, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + ubuntu),
            CimInstancePath.ForKey(V2, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + Guid.NewGuid().ToString("D").ToUpperInvariant()),
        };
        var result = _client.InvokeMethod(_client.Service(), "GetSummaryInformation", Args(("SettingData", references), ("RequestedInformation", new uint[] { 103 })), None);

        Assert.Equal(0u, result.ReturnValue);
        var summaries = Assert.IsType<CimObject[]>(result.OutParameters["SummaryInformation"]);
        Assert.Equal(2, summaries.Length);
        Assert.Equal("Msvm_SummaryInformation", summaries[0].ClassName);
        Assert.Equal(ubuntu, summaries[0].GetString("Name"));
        Assert.Equal(2048UL, summaries[0].GetUInt64("MemoryUsage"));
        Assert.Null(summaries[0]["MemoryAvailable"]);
        Assert.Null(summaries[0]["ElementName"]);
        Assert.Equal(string.Empty, summaries[1].GetString("Name"));

        var all = _client.InvokeMethod(_client.Service(), "GetSummaryInformation", Args(("RequestedInformation", new uint[] { 0, 1 })), None);
        Assert.Equal(7, ((CimObject[])all.OutParameters["SummaryInformation"]!).Length);
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "GetSummaryInformation", Args(("RequestedInformation", new[] { "memory" })), None).ReturnValue);
    }

    [Fact]
    public void MemoryAvailable_is_signed_and_set_only_with_dynamic_memory()
    {
        // MSDOC msvm-summaryinformation: sint32; negative when the guest needs more than it has; not valid without
        // dynamic memory (the simulator then says 0, which a client must not read as a demand).
        _host.ModifyVM("rhel-db", vm => vm.Memory.DemandMB = 7680); // 6144 MB assigned
        Assert.Equal(-25, Summary("rhel-db")["MemoryAvailable"]);
        Assert.Equal(36, Summary("ubuntu-web")["MemoryAvailable"]); // 1300 of 2048 MB needed
        Assert.Equal(0, Summary("debian-build")["MemoryAvailable"]);

        // A plain query of the class names the VMs but leaves the runtime values to the method.
        Assert.Null(_client.Single("Msvm_SummaryInformation", "ubuntu-web")["MemoryUsage"]);
    }

    private CimObject Summary(string vmName)
    {
        var reference = CimInstancePath.ForKey(V2, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + _client.VMId(vmName));
        var result = _client.InvokeMethod(_client.Service(), "GetSummaryInformation", Args(("SettingData", new[] { reference }), ("RequestedInformation", new uint[] { 0, 100, 103, 112, 113 })), None);
        return Assert.Single((CimObject[])result.OutParameters["SummaryInformation"]!);
    }

    [Fact]
    public void Integration_components_exist_only_while_the_VM_runs_but_their_settings_always()
    {
        var suse = _client.VMId("suse-off");
        foreach (var component in IntegrationComponentInfo.All)
        {
            var components = _client.Query(V2, Wql.Select(component.ComponentClass), None);
            Assert.Equal(6, components.Count); // the six running VMs
            Assert.DoesNotContain(components, c => c.GetString("SystemName") == suse);
            var settings = _client.Query(V2, Wql.Select(component.SettingClass), None);
            Assert.Equal(7, settings.Count);
            Assert.Contains(settings, s => s.GetString("InstanceID") == $"Microsoft:{suse}\\{component.Id}");
        }

        Assert.Empty(_client.GetAssociated(_client.VM("suse-off").Path, "Msvm_SystemDevice", "Msvm_HeartbeatComponent", None));
    }

    [Fact]
    public void Component_keys_and_status_follow_the_reference()
    {
        var heartbeat = _client.Single("Msvm_HeartbeatComponent", "ubuntu-web");
        Assert.Equal(new[] { "CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName" }, heartbeat.KeyNames.OrderBy(k => k));
        Assert.Equal("Microsoft:84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", heartbeat.GetString("DeviceID"));
        Assert.Equal(new ushort[] { 2, 2 }, heartbeat.GetUInt16Array("OperationalStatus"));
        Assert.Equal((ushort)13, _client.Single("Msvm_HeartbeatComponent", "centos-hung").GetUInt16Array("OperationalStatus")[0]);
        Assert.Equal("Lost Communication", _client.Single("Msvm_HeartbeatComponent", "centos-hung").GetStringArray("StatusDescriptions")[0]);

        var gsi = _client.Single("Msvm_GuestServiceInterfaceComponent", "alma-noguestsvc");
        Assert.Equal((ushort)3, gsi.GetUInt16("EnabledState"));
        Assert.Equal(new ushort[] { 12 }, gsi.GetUInt16Array("OperationalStatus"));
        Assert.Equal((ushort)3, _client.Single("Msvm_GuestServiceInterfaceComponentSettingData", "alma-noguestsvc").GetUInt16("EnabledState"));
        Assert.Equal((ushort)2, _client.Single("Msvm_GuestServiceInterfaceComponentSettingData", "ubuntu-web").GetUInt16("EnabledState"));
    }

    [Fact]
    public void KVP_items_are_CIM_XML_data_items()
    {
        var kvp = _client.Single("Msvm_KvpExchangeComponent", "rhel-db");
        var intrinsic = kvp.GetStringArray("GuestIntrinsicExchangeItems").Select(CimXml.Parse).ToList();
        var names = intrinsic.Select(i => i.GetString("Name")).ToList();
        foreach (var name in new[] { "OSName", "OSVersion", "OSMajorVersion", "OSMinorVersion", "OSBuildNumber", "FullyQualifiedDomainName", "NetworkAddressIPv4", "NetworkAddressIPv6", "IntegrationServicesVersion", "ProcessorArchitecture" })
        {
            Assert.Contains(name, names);
        }

        Assert.Equal("Red Hat Enterprise Linux", intrinsic.Single(i => i.GetString("Name") == "OSName").GetString("Data"));
        // hv_kvp_daemon: VERSION_ID goes to OSMajorVersion, the kernel release to OSVersion/OSBuildNumber.
        Assert.Equal("9.2", intrinsic.Single(i => i.GetString("Name") == "OSMajorVersion").GetString("Data"));
        Assert.Equal("5.14.0", intrinsic.Single(i => i.GetString("Name") == "OSVersion").GetString("Data"));
        Assert.Equal("5.14.0-284.11.1.el9_2.x86_64", intrinsic.Single(i => i.GetString("Name") == "OSBuildNumber").GetString("Data"));
        Assert.All(intrinsic, i => Assert.Equal((ushort)2, i.GetUInt16("Source")));

        var host = CimXml.Parse(Assert.Single(_client.Single("Msvm_KvpExchangeComponentSettingData", "ubuntu-web").GetStringArray("HostExchangeItems")));
        Assert.Equal("Msvm_KvpExchangeDataItem", host.ClassName);
        Assert.Equal("Environment", host.GetString("Name"));
        Assert.Equal((ushort)0, host.GetUInt16("Source"));
    }

    [Theory]
    [InlineData("ubuntu-web", "Ubuntu", "22.04", "5.15.0-91-generic")]
    [InlineData("debian-build", "Debian GNU/Linux", "12", "6.1.0-17-amd64")]
    // FreeBSD's daemon cuts the uname release (13.2-RELEASE) at '-' for OSBuildNumber too.
    [InlineData("freebsd-gw", "FreeBSD", "", "13.2")]
    [InlineData("alma-noguestsvc", "AlmaLinux", "9.3", "5.14.0-362.8.1.el9_3.x86_64")]
    [InlineData("centos-hung", "CentOS Linux", "7", "3.10.0-1160.el7.x86_64")]
    public void Guests_report_their_OS_as_hv_kvp_daemon_does(string vm, string osName, string versionId, string kernel)
    {
        var items = _client.Single("Msvm_KvpExchangeComponent", vm).GetStringArray("GuestIntrinsicExchangeItems").Select(CimXml.Parse)
            .ToDictionary(i => i.GetString("Name")!, i => i.GetString("Data"));
        Assert.Equal(osName, items["OSName"]);
        Assert.Equal(versionId, items["OSMajorVersion"] ?? string.Empty);
        Assert.Equal(kernel, items["OSBuildNumber"]);
        Assert.Equal(kernel.Split('-')[0], items["OSVersion"]);
    }

    [Fact]
    public void Network_storage_and_devices_have_their_settings()
    {
        var vlan = _client.Single("Msvm_EthernetSwitchPortVlanSettingData", "ubuntu-web");
        Assert.Equal(1u, vlan.GetUInt32("OperationMode"));
        Assert.Equal((ushort)10, vlan.GetUInt16("AccessVlanId"));
        var trunk = _client.Single("Msvm_EthernetSwitchPortVlanSettingData", "rhel-db");
        Assert.Equal(2u, trunk.GetUInt32("OperationMode"));
        Assert.Equal(new ushort[] { 100, 200, 300 }, trunk.GetUInt16Array("TrunkVlanIdArray"));
        Assert.True(_client.Single("Msvm_EthernetSwitchPortOffloadSettingData", "rhel-db").GetUInt32("IOVOffloadWeight") > 0);

        var freebsd = _client.VMId("freebsd-gw");
        Assert.Single(_client.Query(V2, "SELECT * FROM Msvm_EmulatedEthernetPortSettingData", None), n => n.GetString("InstanceID")!.Contains(freebsd, StringComparison.Ordinal));
        Assert.Single(_client.Query(V2, "SELECT * FROM Msvm_SyntheticEthernetPortSettingData", None), n => n.GetString("InstanceID")!.Contains(freebsd, StringComparison.Ordinal));
        var ide = Assert.Single(Storage("freebsd-gw"), s => s.GetUInt16("ResourceType") == 5);
        Assert.Equal("Microsoft:Hyper-V:Emulated IDE Controller", ide.GetString("ResourceSubType"));
        Assert.Equal("Microsoft:" + freebsd + "\\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\\0", ide.GetString("InstanceID"));
        var scsi = Assert.Single(Storage("ubuntu-web"), s => s.GetUInt16("ResourceType") == 6);
        Assert.Equal("Microsoft:Hyper-V:Synthetic SCSI Controller", scsi.GetString("ResourceSubType"));

        var port = _client.Single("Msvm_EthernetPortAllocationSettingData", "ubuntu-web");
        Assert.Equal(_client.Single("Msvm_SyntheticEthernetPortSettingData", "ubuntu-web").GetString("InstanceID"), port.GetString("Parent"));
        Assert.StartsWith(port.GetString("InstanceID") + "\\", vlan.GetString("InstanceID"), StringComparison.Ordinal);

        Assert.Equal(7, _client.Query(V2, "SELECT * FROM Msvm_SyntheticDisplayControllerSettingData", None).Count);
        Assert.Single(_client.Query(V2, "SELECT * FROM Msvm_SyntheticFcPortSettingData", None));
        Assert.Empty(_client.Query(V2, "SELECT * FROM Msvm_PciExpressSettingData", None));
        Assert.True(Assert.Single(_client.Query(V2, "SELECT * FROM Msvm_VirtualSystemMigrationServiceSettingData", None)).GetBoolean("EnableVirtualSystemMigration"));
    }

    [Fact]
    public void A_virtual_disk_hangs_under_its_disk_drive_under_the_controller()
    {
        // libvirt hypervDomainAddVirtualDiskParent/AddVirtualHardDisk, os-win attach_drive, libhvee: the VHD's
        // Msvm_StorageAllocationSettingData has the drive as Parent; only the drive's Parent is the controller.
        var id = _client.VMId("ubuntu-web");
        var scsi = Assert.Single(Storage("ubuntu-web"), s => s.GetUInt16("ResourceType") == 6);
        var drive = Assert.Single(Storage("ubuntu-web"), s => s.GetUInt16("ResourceType") == 17);
        Assert.Equal("Microsoft:Hyper-V:Synthetic Disk Drive", drive.GetString("ResourceSubType"));
        Assert.Equal("Msvm_ResourceAllocationSettingData", drive.ClassName);
        Assert.Equal($"\\\\HV1\\root\\virtualization\\v2:Msvm_ResourceAllocationSettingData.InstanceID=\"{scsi.GetString("InstanceID")!.Replace("\\", "\\\\", StringComparison.Ordinal)}\"", drive.GetString("Parent"));
        Assert.Equal(scsi.GetString("InstanceID") + "\\0\\0\\D", drive.GetString("InstanceID"));

        var disk = _client.Single("Msvm_StorageAllocationSettingData", "ubuntu-web");
        Assert.Equal((ushort)31, disk.GetUInt16("ResourceType"));
        Assert.Equal("Microsoft:Hyper-V:Virtual Hard Disk", disk.GetString("ResourceSubType"));
        Assert.EndsWith("ubuntu-web.vhdx", disk.GetStringArray("HostResource")[0], StringComparison.Ordinal);
        Assert.Equal(HyperVGuestFeatures.HyperV.HostSnapshot.InstanceIdOf(disk.GetString("Parent")), drive.GetString("InstanceID"));
        Assert.EndsWith("\\0\\0\\L", disk.GetString("InstanceID"), StringComparison.Ordinal);
        Assert.StartsWith("Microsoft:" + id + "\\", disk.GetString("InstanceID"), StringComparison.Ordinal);

        // Gen1: the IDE drive's InstanceID continues the controller's (…\83F8638B-…\0\0\D).
        var ideDrive = Assert.Single(Storage("freebsd-gw"), s => s.GetUInt16("ResourceType") == 17);
        Assert.EndsWith("\\83F8638B-8DCA-4152-9EDA-2CA8B33039B4\\0\\0\\D", ideDrive.GetString("InstanceID"), StringComparison.Ordinal);
    }

    [Fact]
    public void Associations_walk_the_documented_graph()
    {
        var vm = _client.VM("ubuntu-web");
        var vssd = Assert.Single(_client.GetAssociated(vm.Path, "Msvm_SettingsDefineState", "Msvm_VirtualSystemSettingData", None));
        Assert.Equal("Microsoft:" + vm.GetString("Name"), vssd.GetString("InstanceID"));
        Assert.Single(_client.GetAssociated(vssd.Path, "Msvm_VirtualSystemSettingDataComponent", "Msvm_MemorySettingData", None));
        Assert.Equal(6, _client.GetAssociated(vssd.Path, "Msvm_VirtualSystemSettingDataComponent", string.Empty, None).Count(o => o.ClassName.EndsWith("ComponentSettingData", StringComparison.Ordinal)));
        Assert.Equal(6, _client.GetAssociated(vm.Path, "Msvm_SystemDevice", string.Empty, None).Count);
        var gsi = Assert.Single(_client.GetAssociated(vm.Path, "Msvm_SystemDevice", "Msvm_GuestServiceInterfaceComponent", None));
        var service = Assert.Single(_client.GetAssociated(gsi.Path, "Msvm_RegisteredGuestService", "Msvm_GuestFileService", None));
        Assert.Equal(vm.GetString("Name"), service.GetString("SystemName"));
    }

    /// <summary>
    /// Msvm_RegisteredGuestService listed as a class (one query for every VM), as MSDOC msvm-registeredguestservice
    /// defines it: Antecedent the VM's Guest Service Interface component, Dependent the guest service on it. Only VMs
    /// whose runtime components exist have one.
    /// </summary>
    [Fact]
    public void The_guest_service_registrations_list_each_running_vms_component_and_file_service()
    {
        var registrations = _client.Query(CimNamespaces.Virtualization, "SELECT * FROM Msvm_RegisteredGuestService", None);
        var vm = _client.VM("ubuntu-web");
        var gsi = Assert.Single(_client.GetAssociated(vm.Path, "Msvm_SystemDevice", "Msvm_GuestServiceInterfaceComponent", None));
        var mine = Assert.Single(registrations, r => Equals(r["Antecedent"], gsi.Path));
        Assert.Equal(_client.Single("Msvm_GuestFileService", "ubuntu-web").Path, mine["Dependent"]);
        Assert.Equal(new[] { "Antecedent", "Dependent" }, mine.KeyNames.OrderBy(k => k, StringComparer.Ordinal));

        var suseOff = _client.VM("suse-off").GetString("Name");
        Assert.DoesNotContain(registrations, r => Equals(((CimInstancePath)r["Antecedent"]!).Keys["SystemName"], suseOff));
    }

    [Fact]
    public void Older_hosts_lack_the_classes_and_properties_that_came_later()
    {
        // MSDOC: Msvm_SyntheticDisplayControllerSettingData and Msvm_PciExpressSettingData from Windows Server 2016;
        // SecureBootTemplateId "added in Windows 10 and Windows Server 2016"; HighMmioGapSize and DisableHostKVPItems
        // from version 1703. An older host has no such class (invalid class) and no such property (absent, not null).
        var (_, r2) = Lab("WS2012R2");
        foreach (var cls in new[] { "Msvm_SyntheticDisplayControllerSettingData", "Msvm_PciExpressSettingData" })
        {
            Assert.Equal("CimInvalidClass", Assert.Throws<GuestFeatureException>(() => r2.Query(V2, "SELECT * FROM " + cls, None)).ErrorId);
        }

        var oldSettings = r2.Single("Msvm_VirtualSystemSettingData", "ubuntu-web");
        Assert.False(oldSettings.Properties.ContainsKey("SecureBootTemplateId"));
        Assert.False(oldSettings.Properties.ContainsKey("HighMmioGapSize"));
        Assert.True(oldSettings.Properties.ContainsKey("LowMmioGapSize"));
        Assert.False(r2.Single("Msvm_KvpExchangeComponentSettingData", "ubuntu-web").Properties.ContainsKey("DisableHostKVPItems"));

        var (_, s16) = Lab("WS2016");
        Assert.Equal(7, s16.Query(V2, "SELECT * FROM Msvm_SyntheticDisplayControllerSettingData", None).Count);
        var settings2016 = s16.Single("Msvm_VirtualSystemSettingData", "ubuntu-web");
        Assert.True(settings2016.Properties.ContainsKey("SecureBootTemplateId"));
        Assert.False(settings2016.Properties.ContainsKey("HighMmioGapSize"));

        var (_, s19) = Lab("WS2019");
        Assert.Equal(512UL, s19.Single("Msvm_VirtualSystemSettingData", "ubuntu-web").GetUInt64("HighMmioGapSize"));
        Assert.False(s19.Single("Msvm_KvpExchangeComponentSettingData", "ubuntu-web").GetBoolean("DisableHostKVPItems"));
    }

    [Fact]
    public void A_fixture_DVD_drive_holds_its_image_and_is_not_a_disk()
    {
        var json = "{\"vms\":[{\"name\":\"installer\",\"controllers\":[{\"type\":\"SCSI\",\"disks\":[\"C:\\\\vms\\\\installer.vhdx\"],\"dvdDrives\":[\"C:\\\\iso\\\\ubuntu.iso\"]}]}]}";
        var host = new SimulatedHost("HVD", SimulatorFixture.Parse(System.Text.Encoding.UTF8.GetBytes(json), "dvd.json", "HVD"));
        var client = host.Connect();
        var dvd = Assert.Single(client.Query(V2, "SELECT * FROM Msvm_ResourceAllocationSettingData WHERE ResourceType = 16", None));
        Assert.Equal("Microsoft:Hyper-V:Synthetic DVD Drive", dvd.GetString("ResourceSubType"));
        Assert.EndsWith("\\0\\1\\D", dvd.GetString("InstanceID"), StringComparison.Ordinal);
        var image = Assert.Single(client.Query(V2, "SELECT * FROM Msvm_StorageAllocationSettingData WHERE ResourceSubType = 'Microsoft:Hyper-V:Virtual CD/DVD Disk'", None));
        Assert.Equal(@"C:\iso\ubuntu.iso", image.GetStringArray("HostResource")[0]);
        Assert.Equal(dvd.GetString("InstanceID"), HyperVGuestFeatures.HyperV.HostSnapshot.InstanceIdOf(image.GetString("Parent")));
    }

    private IEnumerable<CimObject> Storage(string vmName)
    {
        var prefix = "Microsoft:" + _client.VMId(vmName) + "\\";
        return _client.Query(V2, "SELECT * FROM Msvm_ResourceAllocationSettingData", None).Where(s => s.GetString("InstanceID")!.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void GetInstance_of_a_missing_key_is_NotFound()
    {
        var e = Assert.Throws<GuestFeatureException>(() => _client.GetInstance(CimInstancePath.ForKey(V2, "Msvm_MemorySettingData", "InstanceID", "Microsoft:nope"), None));
        Assert.Equal(FailureKind.NotFound, e.Kind);
    }
}
