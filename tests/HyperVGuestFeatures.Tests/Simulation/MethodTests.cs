using System.Text;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Methods, return codes and job outcomes (docs/provider-model.md "Methods", "Jobs").</summary>
public sealed class MethodTests : IDisposable
{
    private readonly SimulatedHost _host;
    private readonly ICimClient _client;
    private readonly string _tempFile = Path.GetTempFileName();

    public MethodTests()
    {
        (_host, _client) = Lab();
        File.WriteAllText(_tempFile, "hello guest");
    }

    public void Dispose() => File.Delete(_tempFile);

    private CimMethodResult Kvp(string method, string vm, params string[] items)
        => _client.InvokeMethod(_client.Service(), method, Args(("TargetSystem", _client.VM(vm).Path), ("DataItems", items)), None);

    private CimMethodResult Memory(string vm, params (string Name, object? Value)[] changes)
    {
        var instanceId = _client.Single("Msvm_MemorySettingData", vm).GetString("InstanceID");
        var setting = Embedded("Msvm_MemorySettingData", new[] { ("InstanceID", (object?)instanceId) }.Concat(changes).ToArray());
        return _client.InvokeMethod(_client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { setting })), None);
    }

    private CimMethodResult Copy(string vm, string source, string destination, bool overwrite = false, bool createFullPath = false)
    {
        var service = _client.Single("Msvm_GuestFileService", vm);
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", source), ("DestinationPath", destination), ("OverwriteExisting", overwrite), ("CreateFullPath", createFullPath));
        return _client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);
    }

    [Fact]
    public void Two_memory_changes_in_flight_each_change_only_what_they_sent()
    {
        _host.SettingsJobDuration = TimeSpan.FromMilliseconds(300);
        var buffer = Memory("suse-off", ("TargetMemoryBuffer", 50u));
        var weight = Memory("suse-off", ("Weight", 9000u));
        AssertCompleted(_client.WaitJob(buffer));
        AssertCompleted(_client.WaitJob(weight));
        var memory = _client.Single("Msvm_MemorySettingData", "suse-off");
        Assert.Equal(50u, memory.GetUInt32("TargetMemoryBuffer"));
        Assert.Equal(9000u, memory.GetUInt32("Weight"));
    }

    // ---- ModifySystemSettings and virtual NUMA (docs/provider-model.md "Memory rules"; codes are Assumptions) ----

    private CimMethodResult SystemSettings(string vm, params (string Name, object? Value)[] changes)
    {
        var instanceId = _client.Single("Msvm_VirtualSystemSettingData", vm).GetString("InstanceID");
        var setting = Embedded("Msvm_VirtualSystemSettingData", new[] { ("InstanceID", (object?)instanceId) }.Concat(changes).ToArray());
        return _client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(("SystemSettings", setting)), None);
    }

    private bool? Numa(string vm) => _client.Single("Msvm_VirtualSystemSettingData", vm).GetBoolean("VirtualNumaEnabled");

    [Fact]
    public void The_VSSD_reports_virtual_NUMA_on_by_default_and_off_with_dynamic_memory()
    {
        Assert.True(Numa("debian-build"));
        Assert.False(Numa("suse-off"));
        Assert.False(Numa("ubuntu-web"));
    }

    [Fact]
    public void ModifySystemSettings_switches_virtual_NUMA_on_an_off_VM_when_the_job_ends()
    {
        AssertCompleted(_client.WaitJob(Memory("suse-off", ("DynamicMemoryEnabled", false))));
        AssertCompleted(_client.WaitJob(SystemSettings("suse-off", ("VirtualNumaEnabled", true))));
        Assert.True(Numa("suse-off"));
        Assert.True(_host.InspectVM("suse-off", vm => vm.VirtualNumaEnabled));
        AssertCompleted(_client.WaitJob(SystemSettings("suse-off", ("VirtualNumaEnabled", false))));
        Assert.False(Numa("suse-off"));
    }

    [Fact]
    public void Dynamic_memory_cannot_be_enabled_while_virtual_NUMA_is_on()
    {
        AssertCompleted(_client.WaitJob(Memory("suse-off", ("DynamicMemoryEnabled", false))));
        AssertCompleted(_client.WaitJob(SystemSettings("suse-off", ("VirtualNumaEnabled", true))));
        var job = _client.WaitJob(Memory("suse-off", ("DynamicMemoryEnabled", true)));
        AssertFailed(job, 32773);
        Assert.Contains("exclusive", job.GetString("ErrorDescription"), StringComparison.Ordinal);
        Assert.False(_client.Single("Msvm_MemorySettingData", "suse-off").GetBoolean("DynamicMemoryEnabled"));

        AssertCompleted(_client.WaitJob(SystemSettings("suse-off", ("VirtualNumaEnabled", false))));
        AssertCompleted(_client.WaitJob(Memory("suse-off", ("DynamicMemoryEnabled", true))));
        Assert.True(_client.Single("Msvm_MemorySettingData", "suse-off").GetBoolean("DynamicMemoryEnabled"));
    }

    [Fact]
    public void Virtual_NUMA_cannot_be_enabled_while_dynamic_memory_is_on()
    {
        AssertFailed(_client.WaitJob(SystemSettings("suse-off", ("VirtualNumaEnabled", true))), 32773);
        Assert.False(Numa("suse-off"));
    }

    [Fact]
    public void Virtual_NUMA_changes_only_while_the_VM_is_off()
    {
        AssertFailed(_client.WaitJob(SystemSettings("debian-build", ("VirtualNumaEnabled", false))), 32775);
        Assert.True(Numa("debian-build"));
    }

    /// <summary>
    /// The whole fetched VSSD with one property changed, as openstack/os-win sends it, asks what the partial one
    /// libvirt sends asks (docs/provider-model.md "Methods"): the properties it holds unchanged are no change, even
    /// secure boot off on a Generation 1 VM, where secure boot itself can't be set.
    /// </summary>
    [Theory]
    [InlineData("suse-off")]     // Generation 2: SecureBootEnabled and SecureBootTemplateId travel unchanged
    [InlineData("centos-hung")]  // Generation 1
    public void ModifySystemSettings_takes_the_whole_fetched_VSSD_with_one_property_changed(string vm)
    {
        _host.SetVMState(vm, SimulatedVMState.Off);
        AssertCompleted(_client.WaitJob(Memory(vm, ("DynamicMemoryEnabled", false))));
        var before = _client.Single("Msvm_VirtualSystemSettingData", vm);
        var whole = before.Properties.Where(p => p.Value is not null)
            .Select(p => (p.Key, p.Key == "VirtualNumaEnabled" ? (object?)!(bool)p.Value! : p.Value))
            .ToArray();

        AssertCompleted(_client.WaitJob(_client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(("SystemSettings", Embedded("Msvm_VirtualSystemSettingData", whole))), None)));

        var after = _client.Single("Msvm_VirtualSystemSettingData", vm);
        Assert.Equal(!before.GetBoolean("VirtualNumaEnabled"), after.GetBoolean("VirtualNumaEnabled"));
        Assert.Equal(
            before.Properties.Where(p => p.Key != "VirtualNumaEnabled").Select(p => p.Key + "=" + p.Value),
            after.Properties.Where(p => p.Key != "VirtualNumaEnabled").Select(p => p.Key + "=" + p.Value));

        // A property the simulator can't change is refused only when its value differs, in case too.
        foreach (var name in new[] { "renamed", vm.ToUpperInvariant() })
        {
            var renamed = whole.Select(p => p.Key == "ElementName" ? (p.Key, (object?)name) : p).ToArray();
            Assert.Equal(32770u, _client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(("SystemSettings", Embedded("Msvm_VirtualSystemSettingData", renamed))), None).ReturnValue);
        }
    }

    [Fact]
    public void ModifySystemSettings_refuses_other_properties_and_malformed_input_at_once()
    {
        Assert.Equal(32770u, SystemSettings("suse-off", ("ElementName", "renamed")).ReturnValue);
        Assert.Equal(32773u, SystemSettings("suse-off", ("VirtualNumaEnabled", "maybe")).ReturnValue);
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(("SystemSettings", "<not cim")), None).ReturnValue);
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(), None).ReturnValue);
        var unknown = Embedded("Msvm_VirtualSystemSettingData", ("InstanceID", "Microsoft:" + Guid.NewGuid().ToString("D")), ("VirtualNumaEnabled", false));
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "ModifySystemSettings", Args(("SystemSettings", unknown)), None).ReturnValue);
        Assert.False(Numa("suse-off"));
    }

    // ---- KVP (docs/provider-model.md "KVP") ----

    [Fact]
    public void AddKvpItems_adds_host_and_host_only_items()
    {
        AssertCompleted(_client.WaitJob(Kvp("AddKvpItems", "rhel-db", KvpItem("Role", "db"), KvpItem("Secret", "x", 4))));
        var setting = _client.Single("Msvm_KvpExchangeComponentSettingData", "rhel-db");
        Assert.Equal("db", CimXml.Parse(Assert.Single(setting.GetStringArray("HostExchangeItems"))).GetString("Data"));
        Assert.Equal("Secret", CimXml.Parse(Assert.Single(setting.GetStringArray("HostOnlyItems"))).GetString("Name"));
    }

    [Fact]
    public void AddKvpItems_fails_on_an_existing_key_and_applies_nothing()
    {
        // containers/libhvee (pkg/hypervctl/vm.go) reads a duplicate Add as 32773 Invalid parameter.
        var job = _client.WaitJob(Kvp("AddKvpItems", "ubuntu-web", KvpItem("New", "1"), KvpItem("Environment", "Test")));
        AssertFailed(job, 32773);
        var items = _client.Single("Msvm_KvpExchangeComponentSettingData", "ubuntu-web").GetStringArray("HostExchangeItems").Select(CimXml.Parse).ToList();
        Assert.Equal("Production", Assert.Single(items).GetString("Data"));
    }

    [Fact]
    public void ModifyKvpItems_changes_an_existing_key_and_fails_on_a_missing_one()
    {
        AssertCompleted(_client.WaitJob(Kvp("ModifyKvpItems", "ubuntu-web", KvpItem("Environment", "Staging"))));
        Assert.Equal("Staging", _host.InspectVM("ubuntu-web", vm => vm.HostItems["Environment"]));
        AssertFailed(_client.WaitJob(Kvp("ModifyKvpItems", "ubuntu-web", KvpItem("Missing", "x"))), 32779); // libhvee KvpNotFound
    }

    [Fact]
    public void RemoveKvpItems_removes_and_fails_on_a_missing_key()
    {
        AssertCompleted(_client.WaitJob(Kvp("RemoveKvpItems", "ubuntu-web", KvpItem("Environment", string.Empty))));
        Assert.Empty(_host.InspectVM("ubuntu-web", vm => vm.HostItems));
        AssertFailed(_client.WaitJob(Kvp("RemoveKvpItems", "ubuntu-web", KvpItem("Environment", string.Empty))), 32779);
    }

    [Fact]
    public void KVP_calls_refuse_more_than_128_items_malformed_items_and_other_pools()
    {
        var many = Enumerable.Range(0, 129).Select(i => KvpItem("k" + i, "v")).ToArray();
        Assert.Equal(32773u, Kvp("AddKvpItems", "rhel-db", many).ReturnValue);
        Assert.Equal(4096u, Kvp("AddKvpItems", "rhel-db", many.Take(128).ToArray()).ReturnValue);
        Assert.Equal(32773u, Kvp("AddKvpItems", "rhel-db", "<INSTANCE CLASSNAME=").ReturnValue);
        Assert.Equal(32773u, Kvp("AddKvpItems", "rhel-db", KvpItem("g", "v", 1)).ReturnValue);
        Assert.Equal(32773u, Kvp("AddKvpItems", "rhel-db", KvpItem("long", new string('x', 1025))).ReturnValue);
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "AddKvpItems", Args(("DataItems", new[] { KvpItem("a", "b") })), None).ReturnValue);
    }

    [Fact]
    public void KVP_host_items_can_be_added_while_the_VM_is_off()
        => AssertCompleted(_client.WaitJob(Kvp("AddKvpItems", "suse-off", KvpItem("Role", "sap"))));

    // ---- NMI (docs/provider-model.md "Methods", "Could not confirm") ----

    [Fact]
    public void InjectNonMaskableInterrupt_reaches_a_running_VM()
    {
        AssertCompleted(_client.WaitJob(_client.InvokeMethod(_client.VM("debian-build").Path, "InjectNonMaskableInterrupt", Args(), None)));
        Assert.Equal(1, _host.InspectVM("debian-build", vm => vm.NmiCount));
    }

    [Theory]
    [InlineData("Off")]
    [InlineData("Saved")]
    [InlineData("Paused")]
    public void InjectNonMaskableInterrupt_is_refused_unless_running(string state)
    {
        _host.SetVMState("ubuntu-web", Enum.Parse<SimulatedVMState>(state));
        var result = _client.InvokeMethod(_client.VM("ubuntu-web").Path, "InjectNonMaskableInterrupt", Args(), None);
        Assert.Equal(32775u, result.ReturnValue);
        Assert.Null(result.Job);
    }

    // ---- CopyFilesToGuest (docs/provider-model.md "File copy") ----

    [Fact]
    public void CopyFilesToGuest_copies_a_host_file_into_the_guest()
    {
        var result = Copy("ubuntu-web", _tempFile, "/tmp/hello.txt");
        Assert.Equal("Msvm_CopyFileToGuestJob", result.Job!.ClassName);
        AssertCompleted(_client.WaitJob(result));
        Assert.Equal("hello guest", Encoding.UTF8.GetString(_host.ReadGuestFile("ubuntu-web", "/tmp/hello.txt")!));
    }

    [Fact]
    public void CopyFilesToGuest_onto_an_existing_file_fails_unless_overwrite()
    {
        AssertCompleted(_client.WaitJob(Copy("ubuntu-web", _tempFile, "/tmp/hello.txt")));
        var job = _client.WaitJob(Copy("ubuntu-web", _tempFile, "/tmp/hello.txt"));
        AssertFailed(job, 32768);
        Assert.Equal("Failed to initiate copying files to the guest: The file exists. (0x80070050)", job.GetString("ErrorDescription"));
        AssertCompleted(_client.WaitJob(Copy("ubuntu-web", _tempFile, "/tmp/hello.txt", overwrite: true)));
    }

    [Fact]
    public void CopyFilesToGuest_into_a_directory_uses_the_source_name()
    {
        AssertCompleted(_client.WaitJob(Copy("ubuntu-web", _tempFile, "/home/admin")));
        Assert.NotNull(_host.ReadGuestFile("ubuntu-web", "/home/admin/" + Path.GetFileName(_tempFile)));
    }

    [Fact]
    public void CopyFilesToGuest_needs_the_folder_or_CreateFullPath()
    {
        var job = _client.WaitJob(Copy("ubuntu-web", _tempFile, "/srv/app/x.txt"));
        AssertFailed(job, 32768);
        Assert.Equal("Failed to initiate copying files to the guest: The system cannot find the path specified. (0x80070003)", job.GetString("ErrorDescription"));
        AssertCompleted(_client.WaitJob(Copy("ubuntu-web", _tempFile, "/srv/app/x.txt", createFullPath: true)));
        Assert.NotNull(_host.ReadGuestFile("ubuntu-web", "/srv/app/x.txt"));
    }

    [Fact]
    public void CopyFilesToGuest_reports_a_missing_host_file_in_the_job()
        => AssertFailed(_client.WaitJob(Copy("ubuntu-web", _tempFile + ".missing", "/tmp/x")), 32768);

    [Fact]
    public void CopyFilesToGuest_needs_the_guest_service_interface_and_a_setting()
    {
        _host.SetComponentEnabled("ubuntu-web", IntegrationComponentKind.GuestServiceInterface, false);
        Assert.Equal(32775u, Copy("ubuntu-web", _tempFile, "/tmp/x").ReturnValue);
        Assert.Equal(32775u, Copy("alma-noguestsvc", _tempFile, "/tmp/x").ReturnValue);

        var service = _client.Single("Msvm_GuestFileService", "rhel-db");
        Assert.Equal(32773u, _client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", Array.Empty<string>())), None).ReturnValue);
    }

    [Fact]
    public void CopyFilesToGuest_takes_an_array_of_settings()
    {
        // MSDOC copyfilestoguest-msvm-guestfileservice: "An array of instances of Msvm_CopyFileToGuestSettingData".
        var service = _client.Single("Msvm_GuestFileService", "rhel-db");
        var first = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _tempFile), ("DestinationPath", "/tmp/a"));
        var second = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _tempFile), ("DestinationPath", "/tmp/b"));
        AssertCompleted(_client.WaitJob(_client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { first, second })), None)));
        Assert.NotNull(_host.ReadGuestFile("rhel-db", "/tmp/a"));
        Assert.NotNull(_host.ReadGuestFile("rhel-db", "/tmp/b"));
    }

    [Fact]
    public void CopyFilesToGuest_on_WS2012R2_returns_its_job_in_ParentPools()
    {
        // MSDOC: Job "was added in Windows 10"; ParentPools (Msvm_CopyFileToGuestJob[]) "was removed in Windows 10".
        var (host, client) = Lab("WS2012R2");
        var service = client.Single("Msvm_GuestFileService", "ubuntu-web");
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _tempFile), ("DestinationPath", "/tmp/old.txt"));
        var result = client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);

        Assert.Equal(4096u, result.ReturnValue);
        Assert.False(result.OutParameters.ContainsKey("Job"));
        var pool = Assert.Single(Assert.IsType<CimInstancePath[]>(result.OutParameters["ParentPools"]));
        Assert.Equal("Msvm_CopyFileToGuestJob", pool.ClassName);
        AssertCompleted(client.WaitJob(new CimMethodResult(4096, new Dictionary<string, object?> { ["Job"] = pool })));
        Assert.Equal("hello guest", Encoding.UTF8.GetString(host.ReadGuestFile("ubuntu-web", "/tmp/old.txt")!));

        var (_, current) = Lab("WS2016");
        var newer = current.InvokeMethod(current.Single("Msvm_GuestFileService", "ubuntu-web").Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);
        Assert.NotNull(newer.Job);
        Assert.False(newer.OutParameters.ContainsKey("ParentPools"));
    }

    [Fact]
    public void CopyFilesToGuest_on_a_VM_that_is_not_running_is_refused()
    {
        var service = _client.Single("Msvm_GuestFileService", "ubuntu-web").Path;
        _host.SetVMState("ubuntu-web", SimulatedVMState.Off);
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _tempFile), ("DestinationPath", "/tmp/a"));
        Assert.Equal(32775u, _client.InvokeMethod(service, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None).ReturnValue);
    }

    // ---- RequestStateChange (docs/provider-model.md) ----

    [Fact]
    public void RequestStateChange_starts_a_VM_through_Starting()
    {
        // Long enough that a loaded CI machine still sees the Starting state before the job ends.
        _host.SettingsJobDuration = TimeSpan.FromSeconds(2);
        var result = _client.InvokeMethod(_client.VM("suse-off").Path, "RequestStateChange", Args(("RequestedState", (ushort)2)), None);
        Assert.Equal((ushort)10, _client.VM("suse-off").GetUInt16("EnabledState"));
        AssertCompleted(_client.WaitJob(result));
        Assert.Equal((ushort)2, _client.VM("suse-off").GetUInt16("EnabledState"));
        var os = _client.Single("Msvm_KvpExchangeComponent", "suse-off").GetStringArray("GuestIntrinsicExchangeItems").Select(CimXml.Parse)
            .Single(i => i.GetString("Name") == "OSName");
        Assert.Equal("SUSE Linux Enterprise Server", os.GetString("Data"));
    }

    [Fact]
    public void RequestStateChange_refuses_a_transition_the_state_does_not_allow()
    {
        Assert.Equal(32775u, _client.InvokeMethod(_client.VM("suse-off").Path, "RequestStateChange", Args(("RequestedState", 3)), None).ReturnValue);
        Assert.Equal(32775u, _client.InvokeMethod(_client.VM("ubuntu-web").Path, "RequestStateChange", Args(("RequestedState", 2)), None).ReturnValue);
        Assert.Equal(32773u, _client.InvokeMethod(_client.VM("ubuntu-web").Path, "RequestStateChange", Args(("RequestedState", 42)), None).ReturnValue);
    }

    // ---- integration component settings (docs/provider-model.md "Integration components") ----

    [Fact]
    public void ModifyResourceSettings_toggles_an_integration_component()
    {
        var setting = _client.Single("Msvm_GuestServiceInterfaceComponentSettingData", "alma-noguestsvc");
        var text = Embedded(setting.ClassName, ("InstanceID", setting.GetString("InstanceID")), ("EnabledState", (ushort)2));
        var result = _client.InvokeMethod(_client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { text })), None);
        AssertCompleted(_client.WaitJob(result));
        Assert.Equal((ushort)2, _client.Single("Msvm_GuestServiceInterfaceComponent", "alma-noguestsvc").GetUInt16("EnabledState"));
        Assert.Equal(setting.Path, Assert.Single((CimInstancePath[])result.OutParameters["ResultingResourceSettings"]!));
    }

    [Fact]
    public void ModifyResourceSettings_refuses_malformed_settings()
    {
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { "not xml" })), None).ReturnValue);
        Assert.Equal(32773u, _client.InvokeMethod(_client.Service(), "ModifyResourceSettings", Args(), None).ReturnValue);
    }

    // ---- other targets ----

    [Fact]
    public void A_method_on_a_missing_instance_is_NotFound_and_an_unknown_method_is_refused()
    {
        var missing = new CimInstancePath(V2, "Msvm_ComputerSystem", new Dictionary<string, object?> { ["CreationClassName"] = "Msvm_ComputerSystem", ["Name"] = Guid.Empty.ToString() });
        Assert.Equal(FailureKind.NotFound, Assert.Throws<GuestFeatureException>(() => _client.InvokeMethod(missing, "InjectNonMaskableInterrupt", Args(), None)).Kind);
        Assert.Equal("CimInvalidMethod", Assert.Throws<GuestFeatureException>(() => _client.InvokeMethod(_client.VM("ubuntu-web").Path, "Explode", Args(), None)).ErrorId);
    }
}
