using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>
/// The provider methods Enable-/Disable-GuestFeature use, as the simulator serves them
/// (docs/provider-model.md "Switching features"): integration services through ModifyResourceSettings
/// on their setting data, secure boot through ModifySystemSettings; codes are the documented Assumptions.
/// </summary>
public sealed class SwitchingTests
{
    private const string UefiCa = "272E7447-90A4-4563-A4B9-8E4AB00526CE";
    private const string Windows = "1734C6E8-3154-4DDA-BA5F-A874CC483422";

    private readonly SimulatedHost _host;
    private readonly ICimClient _client;

    public SwitchingTests()
    {
        (_host, _client) = Lab();
    }

    private static CimMethodResult SystemSettings(ICimClient client, string vm, params (string Name, object? Value)[] changes)
    {
        var instanceId = client.Single("Msvm_VirtualSystemSettingData", vm).GetString("InstanceID");
        var setting = Embedded("Msvm_VirtualSystemSettingData", new[] { ("InstanceID", (object?)instanceId) }.Concat(changes).ToArray());
        return client.InvokeMethod(client.Service(), "ModifySystemSettings", Args(("SystemSettings", setting)), None);
    }

    private CimMethodResult Service(string vm, string settingClass, object enabledState)
    {
        var instanceId = _client.Single(settingClass, vm).GetString("InstanceID");
        var setting = Embedded(settingClass, ("InstanceID", instanceId), ("EnabledState", enabledState));
        return _client.InvokeMethod(_client.Service(), "ModifyResourceSettings", Args(("ResourceSettings", new[] { setting })), None);
    }

    private CimObject Vssd(string vm) => _client.Single("Msvm_VirtualSystemSettingData", vm);

    [Fact]
    public void Secure_boot_gets_the_UEFI_CA_template_on_a_VM_that_is_off()
    {
        _host.SetVMState("debian-build", SimulatedVMState.Off);
        Assert.Equal(Windows, Vssd("debian-build").GetString("SecureBootTemplateId"));

        AssertCompleted(_client.WaitJob(SystemSettings(_client, "debian-build", ("SecureBootEnabled", true), ("SecureBootTemplateId", UefiCa))));

        Assert.True(Vssd("debian-build").GetBoolean("SecureBootEnabled"));
        Assert.Equal(UefiCa, Vssd("debian-build").GetString("SecureBootTemplateId"));
    }

    [Fact]
    public void Secure_boot_switches_off_and_keeps_its_template()
    {
        AssertCompleted(_client.WaitJob(SystemSettings(_client, "suse-off", ("SecureBootEnabled", false))));
        Assert.False(Vssd("suse-off").GetBoolean("SecureBootEnabled"));
        Assert.Equal(UefiCa, Vssd("suse-off").GetString("SecureBootTemplateId"));
    }

    [Fact]
    public void A_secure_boot_change_on_a_running_VM_fails_its_job_with_32775_and_changes_nothing()
    {
        var job = _client.WaitJob(SystemSettings(_client, "debian-build", ("SecureBootEnabled", true), ("SecureBootTemplateId", UefiCa)));
        AssertFailed(job, 32775);
        Assert.Contains("only while the virtual machine is off", job.GetString("ErrorDescription"), StringComparison.Ordinal);
        Assert.Equal(Windows, Vssd("debian-build").GetString("SecureBootTemplateId"));
    }

    [Fact]
    public void Sending_the_values_a_running_VM_already_has_is_accepted()
        => AssertCompleted(_client.WaitJob(SystemSettings(_client, "ubuntu-web", ("SecureBootEnabled", true), ("SecureBootTemplateId", UefiCa))));

    [Fact]
    public void The_VM_must_be_off_when_the_job_ends_not_only_when_it_starts()
    {
        _host.SetVMState("debian-build", SimulatedVMState.Off);
        _host.SettingsJobDuration = TimeSpan.FromMilliseconds(200);
        var started = SystemSettings(_client, "debian-build", ("SecureBootTemplateId", UefiCa));
        _host.SetVMState("debian-build", SimulatedVMState.Running);
        AssertFailed(_client.WaitJob(started), 32775);
        Assert.Equal(Windows, Vssd("debian-build").GetString("SecureBootTemplateId"));
    }

    [Fact]
    public void Bad_secure_boot_input_is_refused_at_once_with_32773()
    {
        _host.SetVMState("freebsd-gw", SimulatedVMState.Off);
        Assert.Equal(32773u, SystemSettings(_client, "freebsd-gw", ("SecureBootEnabled", true)).ReturnValue);
        Assert.Equal(32773u, SystemSettings(_client, "suse-off", ("SecureBootEnabled", "perhaps")).ReturnValue);
        Assert.Equal(32773u, SystemSettings(_client, "suse-off", ("SecureBootTemplateId", Guid.NewGuid().ToString("D"))).ReturnValue);
        Assert.Equal(32773u, SystemSettings(_client, "suse-off", ("SecureBootTemplateId", "not a guid")).ReturnValue);
        Assert.True(Vssd("suse-off").GetBoolean("SecureBootEnabled"));
    }

    [Fact]
    public void A_host_older_than_2016_has_no_templates_to_set()
    {
        var (old, client) = Lab("WS2012R2", "OLD");
        old.SetVMState("ubuntu-web", SimulatedVMState.Off);
        Assert.Equal(32773u, SystemSettings(client, "ubuntu-web", ("SecureBootTemplateId", UefiCa)).ReturnValue);
        AssertCompleted(client.WaitJob(SystemSettings(client, "ubuntu-web", ("SecureBootEnabled", false))));
    }

    [Fact]
    public void Secure_boot_and_virtual_NUMA_in_one_call_apply_together_or_not_at_all()
    {
        // suse-off has dynamic memory on, so virtual NUMA on is refused: the secure boot part must not apply either.
        AssertFailed(_client.WaitJob(SystemSettings(_client, "suse-off", ("SecureBootEnabled", false), ("VirtualNumaEnabled", true))), 32773);
        Assert.True(Vssd("suse-off").GetBoolean("SecureBootEnabled"));

        _host.SetVMState("debian-build", SimulatedVMState.Off);
        AssertCompleted(_client.WaitJob(SystemSettings(_client, "debian-build", ("SecureBootTemplateId", UefiCa), ("VirtualNumaEnabled", false))));
        Assert.Equal(UefiCa, Vssd("debian-build").GetString("SecureBootTemplateId"));
        Assert.False(Vssd("debian-build").GetBoolean("VirtualNumaEnabled"));
    }

    [Theory]
    [InlineData("Msvm_HeartbeatComponentSettingData")]
    [InlineData("Msvm_ShutdownComponentSettingData")]
    [InlineData("Msvm_TimeSyncComponentSettingData")]
    [InlineData("Msvm_KvpExchangeComponentSettingData")]
    [InlineData("Msvm_VssComponentSettingData")]
    [InlineData("Msvm_GuestServiceInterfaceComponentSettingData")]
    public void An_integration_service_switches_off_and_on_through_its_setting_data_while_the_VM_runs(string settingClass)
    {
        AssertCompleted(_client.WaitJob(Service("rhel-db", settingClass, (ushort)3)));
        Assert.Equal((ushort)3, _client.Single(settingClass, "rhel-db").GetUInt16("EnabledState"));
        AssertCompleted(_client.WaitJob(Service("rhel-db", settingClass, (ushort)2)));
        Assert.Equal((ushort)2, _client.Single(settingClass, "rhel-db").GetUInt16("EnabledState"));
    }

    [Fact]
    public void An_integration_service_takes_only_EnabledState_2_or_3()
        => AssertFailed(_client.WaitJob(Service("rhel-db", "Msvm_HeartbeatComponentSettingData", (ushort)6)), 32773);
}
