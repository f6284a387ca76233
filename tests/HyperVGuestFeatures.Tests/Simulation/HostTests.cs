using System.Diagnostics;
using System.Text;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Faults, counters, latency, thread safety, scenarios and fixtures.</summary>
public class HostTests
{
    private static HyperVSimulatorFault Fault(string? vm = null, string? method = null, uint? code = null, ushort? jobError = null, bool disconnect = false, int? count = null)
        => new("HV1", vm, method, code, jobError, jobError is null ? null : "boom", disconnect, count);

    [Fact]
    public void A_return_code_fault_hits_the_next_Count_matching_calls_only()
    {
        var (host, client) = Lab();
        host.AddFault(Fault(vm: "ubuntu-web", method: "InjectNonMaskableInterrupt", code: 32769, count: 1));
        Assert.Equal(4096u, client.InvokeMethod(client.VM("rhel-db").Path, "InjectNonMaskableInterrupt", Args(), None).ReturnValue);
        Assert.Equal(32769u, client.InvokeMethod(client.VM("ubuntu-web").Path, "InjectNonMaskableInterrupt", Args(), None).ReturnValue);
        Assert.Equal(4096u, client.InvokeMethod(client.VM("ubuntu-web").Path, "InjectNonMaskableInterrupt", Args(), None).ReturnValue);
        Assert.Empty(host.Faults);
    }

    [Fact]
    public void A_job_fault_starts_a_job_that_fails_with_its_code_and_description()
    {
        var (host, client) = Lab();
        host.AddFault(Fault(method: "AddKvpItems", jobError: 32777));
        var job = client.WaitJob(client.InvokeMethod(client.Service(), "AddKvpItems", Args(("TargetSystem", client.VM("rhel-db").Path), ("DataItems", new[] { KvpItem("k", "v") })), None));
        AssertFailed(job, 32777);
        Assert.Equal("boom", job.GetString("ErrorDescription"));
        Assert.Empty(host.InspectVM("rhel-db", vm => vm.HostItems));
    }

    [Fact]
    public void A_disconnect_fault_drops_queries_until_cleared()
    {
        var (host, client) = Lab();
        host.AddFault(Fault(disconnect: true));
        var e = Assert.Throws<GuestFeatureException>(() => client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None));
        Assert.Equal(FailureKind.HostUnreachable, e.Kind);
        Assert.Equal("HostUnreachable", e.ErrorId);
        host.ClearFaults();
        Assert.NotEmpty(client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None));
    }

    [Fact]
    public void A_query_kind_fault_with_a_vm_applies_to_calls_about_that_vm()
    {
        var (host, client) = Lab();
        var ubuntu = client.VM("ubuntu-web").Path;
        var rhel = client.VM("rhel-db").Path;
        host.AddFault(Fault(vm: "ubuntu-web", method: "GetInstance", disconnect: true));
        Assert.NotNull(client.GetInstance(rhel, None));
        Assert.Throws<GuestFeatureException>(() => client.GetInstance(ubuntu, None));
    }

    [Theory]
    [InlineData("Query", 32768u, null, false)]
    [InlineData(null, null, null, false)]
    [InlineData(null, 1u, (ushort)2, false)]
    public void An_impossible_fault_is_refused(string? method, uint? code, ushort? jobError, bool disconnect)
        => Assert.Equal("SimulatorFaultInvalid", Assert.Throws<GuestFeatureException>(() => Fault(method: method, code: code, jobError: jobError, disconnect: disconnect)).ErrorId);

    [Fact]
    public void A_stopped_host_is_unreachable()
    {
        var (host, client) = Lab();
        host.Stop();
        Assert.Equal(FailureKind.HostUnreachable, Assert.Throws<GuestFeatureException>(() => client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None)).Kind);
    }

    [Fact]
    public void Counters_count_each_round_trip_and_reset()
    {
        var (host, client) = Lab();
        var vm = client.VM("rhel-db");                                        // 
        client.GetInstance(vm.Path, None);                                    // GetInstance
        client.GetAssociated(vm.Path, "Msvm_SystemDevice", string.Empty, None); // GetAssociated
        var result = client.InvokeMethod(vm.Path, "InjectNonMaskableInterrupt", Args(), None);
        client.InvokeMethod(client.VM("suse-off").Path, "InjectNonMaskableInterrupt", Args(), None); // refused: no job
        client.InvokeMethod(client.Service(), "GetSummaryInformation", Args(("RequestedInformation", new uint[] { 103 })), None); // Query (the service) + a read-only call
        Assert.Equal((5L, 3L, 2L, 1L), Tuple(host.ReadCounters()));
        Assert.Equal((5L, 3L, 2L, 1L), Tuple(host.ReadCounters(reset: true)));
        Assert.Equal((0L, 0L, 0L, 0L), Tuple(host.ReadCounters()));
        _ = result;

        static (long, long, long, long) Tuple(SimulatorCounters c) => (c.Queries, c.MethodCalls, c.ChangeCalls, c.Jobs);
    }

    [Fact]
    public void Latency_is_slept_per_round_trip_and_cancellable()
    {
        var (host, client) = Lab();
        host.Latency = TimeSpan.FromMilliseconds(60);
        var watch = Stopwatch.StartNew();
        client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None);
        Assert.True(watch.ElapsedMilliseconds >= 50);

        host.Latency = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        watch.Restart();
        Assert.ThrowsAny<OperationCanceledException>(() => client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void One_host_serves_many_threads_consistently()
    {
        var (host, client) = Lab();
        Parallel.For(0, 8, i =>
        {
            for (var n = 0; n < 20; n++)
            {
                Assert.Equal(8, client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None).Count);
                client.WaitJob(client.InvokeMethod(client.Service(), "AddKvpItems", Args(("TargetSystem", client.VM("rhel-db").Path), ("DataItems", new[] { KvpItem($"k{i}-{n}", "v") })), None));
            }
        });
        Assert.Equal(160, host.InspectVM("rhel-db", vm => vm.HostItems.Count));
        Assert.Equal(160L, host.JobCount);
        Assert.Equal(160L, host.MethodCallCount);
    }

    [Fact]
    public void The_default_lab_has_the_seven_spec_VMs_with_stable_ids()
    {
        var (host, client) = Lab();
        Assert.Equal(new[] { "ubuntu-web", "rhel-db", "debian-build", "freebsd-gw", "suse-off", "alma-noguestsvc", "centos-hung" }, host.VMNames);
        Assert.Equal(HostVersions.WS2022, host.HostVersion);
        Assert.Equal(client.VMId("rhel-db"), Lab().Client.VMId("rhel-db"));
        Assert.NotEqual(client.VMId("rhel-db"), Lab(name: "HV2").Client.VMId("rhel-db"));
        Assert.Equal((ushort)3, client.VM("suse-off").GetUInt16("EnabledState"));
        Assert.All(host.VMNames, name => Assert.Empty(host.InspectVM(name, vm => vm.AssignedDevices)));
    }

    [Theory]
    [InlineData("WS2016", "10.0.14393", "8.0", true)]
    [InlineData("WS2012R2", "6.3.9600", "5.0", false)]
    [InlineData("WS2019", "10.0.17763", "9.0", true)]
    public void Older_hosts_run_the_same_lab(string scenario, string version, string configVersion, bool secureBoot)
    {
        var (host, client) = Lab(scenario);
        Assert.Equal(7, host.VMCount);
        Assert.Equal(version, Assert.Single(client.Query(CimNamespaces.Cimv2, "SELECT * FROM Win32_OperatingSystem", None)).GetString("Version"));
        var vssd = client.Single("Msvm_VirtualSystemSettingData", "ubuntu-web");
        Assert.Equal(configVersion, vssd.GetString("Version"));
        Assert.Equal(secureBoot, vssd.GetBoolean("SecureBootEnabled"));
        Assert.Equal(secureBoot, vssd.GetString("SecureBootTemplateId") is not null);
    }

    [Fact]
    public void A_generated_lab_has_N_running_guests()
    {
        var host = new SimulatedHost("BENCH", SimulatorScenarios.Generate(250, "BENCH"));
        var client = host.Connect();
        Assert.Equal(250, client.Query(V2, "SELECT * FROM Msvm_ComputerSystem WHERE EnabledState = 2 AND Description = 'Microsoft Virtual Machine'", None).Count);
        Assert.Equal(250, client.Query(V2, "SELECT * FROM Msvm_KvpExchangeComponent", None).Count);
        Assert.Equal(SimulatorScenarios.Generated, host.Scenario);
        Assert.Equal(client.VMId("linux-0100"), new SimulatedHost("BENCH", SimulatorScenarios.Generate(250, "BENCH")).Connect().VMId("linux-0100"));
    }

    [Fact]
    public void An_unknown_scenario_lists_the_valid_names()
    {
        var e = Assert.Throws<GuestFeatureException>(() => SimulatorScenarios.Create("WS2008", "HV1"));
        Assert.Equal("SimulatorScenarioNotFound", e.ErrorId);
        Assert.Contains("WS2012R2", e.Message, StringComparison.Ordinal);
    }

    private static string FixturePath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tests", "fixtures", "simulator-lab.json")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory!.FullName, "tests", "fixtures", "simulator-lab.json");
    }

    [Fact]
    public void The_sample_fixture_loads_every_field()
    {
        var lab = SimulatorFixture.Load(FixturePath(), "HVF");
        var host = new SimulatedHost("HVF", lab);
        var client = host.Connect();
        Assert.Equal("dda-lab", host.Scenario);
        Assert.False(host.LiveMigrationEnabled);
        Assert.Equal(new[] { "gpu-worker", "legacy-bsd" }, host.VMNames);
        Assert.Equal("PCIROOT(0)#PCI(0300)#PCI(0000)", Assert.Single(client.Query(V2, "SELECT * FROM Msvm_PciExpressSettingData", None)).GetStringArray("HostResource")[0]);
        Assert.Equal(3, client.Query(V2, "SELECT * FROM Msvm_StorageAllocationSettingData", None).Count); // two on gpu-worker, legacy-bsd keeps the default disk
        Assert.Equal("GPU worker\n", Encoding.UTF8.GetString(host.ReadGuestFile("gpu-worker", "/etc/motd")!));
        Assert.True(host.InspectVM("gpu-worker", vm => vm.Files.DirectoryExists("/srv/models")));
        Assert.Equal("00155D0A0001", client.Single("Msvm_SyntheticEthernetPortSettingData", "gpu-worker").GetString("Address"));
        Assert.Equal(100u, client.Single("Msvm_EthernetSwitchPortOffloadSettingData", "gpu-worker").GetUInt32("IOVOffloadWeight"));
        Assert.Empty(client.Query(V2, "SELECT * FROM Msvm_EthernetPortAllocationSettingData WHERE LastKnownSwitchName IS NULL", None));
        Assert.Equal("Microsoft:Hyper-V:SubType:1", client.Single("Msvm_VirtualSystemSettingData", "legacy-bsd").GetString("VirtualSystemSubType"));
        Assert.Equal((ushort)3, client.Single("Msvm_GuestServiceInterfaceComponentSettingData", "legacy-bsd").GetUInt16("EnabledState"));
        Assert.Equal("ml-team", host.InspectVM("gpu-worker", vm => vm.HostOnlyItems["Owner"]));
    }

    [Theory]
    [InlineData("{\"vms\":[{\"name\":\"a\"},{\"name\":\"b\",\"memory\":{\"startupMB\":\"x\"}}]}", "vms[1].memory.startupMB")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"memroy\":{}}]}", "vms[0].memroy")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"memory\":{\"dynamic\":true,\"startupMB\":1024,\"minimumMB\":2048,\"maximumMB\":4096}}]}", "vms[0].memory.minimumMB")]
    [InlineData("{\"vms\":[{\"name\":\"a\"},{\"name\":\"A\"}]}", "vms[1].name")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"state\":\"Sleeping\"}]}", "vms[0].state")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"networkAdapters\":[{\"vlan\":{\"mode\":\"Access\",\"accessId\":5000}}]}]}", "vms[0].networkAdapters[0].vlan.accessId")]
    [InlineData("{\"vms\":[{\"name\":\"a\"},{\"name\":\"b\",\"memory\":{\"startupMB\": tru }}]}", "vms[1].memory.startupMB")]
    [InlineData("{\"base\":\"WS2008\"}", "base")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"virtualNumaEnabled\":true,\"memory\":{\"dynamic\":true,\"startupMB\":1024,\"minimumMB\":512,\"maximumMB\":4096}}]}", "vms[0].virtualNumaEnabled")]
    public void A_malformed_fixture_names_the_file_and_the_place(string json, string place)
    {
        var e = Assert.Throws<GuestFeatureException>(() => SimulatorFixture.Parse(Encoding.UTF8.GetBytes(json), "lab.json", "HV1"));
        Assert.Equal("SimulatorFixtureInvalid", e.ErrorId);
        Assert.Contains("'lab.json'", e.Message, StringComparison.Ordinal);
        Assert.Contains(place, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixture_can_start_from_a_scenario_and_replace_a_VM()
    {
        var lab = SimulatorFixture.Parse(Encoding.UTF8.GetBytes("{\"base\":\"WS2016\",\"vms\":[{\"name\":\"suse-off\",\"state\":\"Running\"},{\"name\":\"extra\"}]}"), "x.json", "HV1");
        Assert.Equal(8, lab.VMs.Count);
        Assert.Equal(HostVersions.WS2016, lab.HostVersion);
        Assert.Equal(SimulatedVMState.Running, lab.VMs.Single(v => v.Name == "suse-off").State);
    }

    [Theory]
    [InlineData("{\"vms\":[{\"name\":\"a\"}]}", true)]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"virtualNumaEnabled\":false}]}", false)]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"memory\":{\"dynamic\":true,\"startupMB\":1024,\"minimumMB\":512,\"maximumMB\":4096}}]}", false)]
    public void A_fixture_VM_has_virtual_NUMA_on_unless_off_or_dynamic_memory_is_on(string json, bool numa)
    {
        var lab = SimulatorFixture.Parse(Encoding.UTF8.GetBytes(json), "x.json", "HV1");
        Assert.Equal(numa, lab.VMs.Single(v => v.Name == "a").VirtualNumaEnabled);
    }
}
