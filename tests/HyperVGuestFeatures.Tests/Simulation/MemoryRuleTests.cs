using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>
/// ModifyResourceSettings on Msvm_MemorySettingData: the rules of docs/provider-model.md "Memory rules".
/// Refusals end the job in JobState 10 with 32773 (bad value) or 32775 (wrong state) — Assumption.
/// </summary>
public class MemoryRuleTests
{
    private static CimObject Change(ICimClient client, string vm, params (string Name, object? Value)[] changes)
    {
        var instanceId = client.Single("Msvm_MemorySettingData", vm).GetString("InstanceID");
        var setting = Embedded("Msvm_MemorySettingData", new[] { ("InstanceID", (object?)instanceId) }.Concat(changes).ToArray());
        return client.WaitJob(client.InvokeMethod(client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { setting })), None));
    }

    public static TheoryData<string, string, object, ushort> Refusals => new()
    {
        { "suse-off", "Reservation", 16UL, 32773 },          // 32 MB floor
        { "suse-off", "Reservation", 4096UL, 32773 },        // minimum > startup
        { "suse-off", "VirtualQuantity", 16384UL, 32773 },   // startup > maximum
        { "suse-off", "VirtualQuantity", 2049UL, 32773 },    // odd MB
        { "suse-off", "TargetMemoryBuffer", 4u, 32773 },     // buffer 5–2000
        { "suse-off", "TargetMemoryBuffer", 2001u, 32773 },
        { "suse-off", "Weight", 10001u, 32773 },             // priority 0–100 → weight 0–10000
        { "debian-build", "Reservation", 1024UL, 32773 },    // minimum with dynamic memory off
        { "debian-build", "TargetMemoryBuffer", 30u, 32773 },// buffer with dynamic memory off
        { "ubuntu-web", "DynamicMemoryEnabled", false, 32775 }, // no DM switch while running
        { "debian-build", "DynamicMemoryEnabled", true, 32775 },
        { "ubuntu-web", "VirtualQuantity", 3072UL, 32775 },  // no startup change with DM on while running
        { "debian-build", "VirtualQuantity", 1024UL, 32775 },// runtime shrink below the guest's demand
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_rule_is_refused_and_nothing_changes(string vm, string property, object value, ushort code)
    {
        var (_, client) = Lab();
        var before = client.Single("Msvm_MemorySettingData", vm);
        AssertFailed(Change(client, vm, (property, value)), code);
        var after = client.Single("Msvm_MemorySettingData", vm);
        Assert.Equal(before[property], after[property]);
    }

    [Fact]
    public void Valid_changes_on_an_off_VM_are_applied()
    {
        var (host, client) = Lab();
        AssertCompleted(Change(client, "suse-off", ("VirtualQuantity", 3072UL), ("Reservation", 1024UL), ("Limit", 8192UL), ("TargetMemoryBuffer", 25u), ("Weight", 8000u)));
        var memory = client.Single("Msvm_MemorySettingData", "suse-off");
        Assert.Equal(3072UL, memory.GetUInt64("VirtualQuantity"));
        Assert.Equal(25u, memory.GetUInt32("TargetMemoryBuffer"));
        Assert.Equal(8000u, memory.GetUInt32("Weight"));
        AssertCompleted(Change(client, "suse-off", ("DynamicMemoryEnabled", false)));
        Assert.False(client.Single("Msvm_MemorySettingData", "suse-off").GetBoolean("DynamicMemoryEnabled"));
    }

    [Fact]
    public void Minimum_and_maximum_may_change_while_running_with_dynamic_memory()
    {
        var (host, client) = Lab();
        AssertCompleted(Change(client, "ubuntu-web", ("Reservation", 256UL), ("Limit", 8192UL)));
        Assert.Equal(8192UL, client.Single("Msvm_MemorySettingData", "ubuntu-web").GetUInt64("Limit"));
    }

    [Theory]
    [InlineData("Default", 7)]
    [InlineData("WS2016", 7)]
    [InlineData("WS2012R2", 10)]
    public void Static_memory_resizes_while_running_only_on_WS2016_and_later(string scenario, ushort jobState)
    {
        var (host, client) = Lab(scenario);
        var job = Change(client, "debian-build", ("VirtualQuantity", 6144UL));
        Assert.Equal(jobState, job.GetUInt16("JobState"));
        if (jobState == 10)
        {
            Assert.Equal((ushort)32775, job.GetUInt16("ErrorCode"));
        }
        else
        {
            var settings = CimInstancePath.ForKey(V2, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + client.VMId("debian-build"));
            var summary = client.InvokeMethod(client.Service(), "GetSummaryInformation", Args(("SettingData", new[] { settings }), ("RequestedInformation", new uint[] { 103 })), None);
            Assert.Equal(6144UL, Assert.Single((CimObject[])summary.OutParameters["SummaryInformation"]!).GetUInt64("MemoryUsage"));
        }
    }

    [Fact]
    public void On_WS2012R2_a_running_VM_may_only_lower_the_minimum_and_raise_the_maximum()
    {
        var (host, client) = Lab("WS2012R2");
        AssertFailed(Change(client, "ubuntu-web", ("Limit", 3072UL)), 32775);
        AssertCompleted(Change(client, "ubuntu-web", ("Limit", 6144UL)));
    }

    [Fact]
    public void With_an_assigned_device_and_dynamic_memory_startup_must_equal_minimum()
    {
        var (host, client) = Lab();
        host.ModifyVM("suse-off", vm => vm.AssignedDevices.Add(new SimulatedAssignedDevice { LocationPath = "PCIROOT(0)#PCI(0300)" }));
        AssertFailed(Change(client, "suse-off", ("Reservation", 1536UL)), 32773);
        AssertCompleted(Change(client, "suse-off", ("Reservation", 2048UL)));
        Assert.Single(client.Query(V2, "SELECT * FROM Msvm_PciExpressSettingData", None));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_invalid_parameter()
    {
        var (_, client) = Lab();
        var instanceId = client.Single("Msvm_MemorySettingData", "suse-off").GetString("InstanceID");
        var setting = Embedded("Msvm_MemorySettingData", ("InstanceID", instanceId), ("VirtualQuantity", "lots"));
        Assert.Equal(32773u, client.InvokeMethod(client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { setting })), None).ReturnValue);
    }
}
