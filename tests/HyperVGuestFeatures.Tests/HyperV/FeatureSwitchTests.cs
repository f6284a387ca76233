using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>Which features the host can switch, by what, and the embedded instances sent to switch them.</summary>
public class FeatureSwitchTests
{
    private static FeatureDefinition Feature(string id) => FeatureCatalog.Find(id)!;

    [Theory]
    [InlineData("integrated-shutdown", "Msvm_ShutdownComponentSettingData")]
    [InlineData("time-sync", "Msvm_TimeSyncComponentSettingData")]
    [InlineData("accurate-time", "Msvm_TimeSyncComponentSettingData")]
    [InlineData("heartbeat", "Msvm_HeartbeatComponentSettingData")]
    [InlineData("kvp", "Msvm_KvpExchangeComponentSettingData")]
    [InlineData("live-backup", "Msvm_VssComponentSettingData")]
    [InlineData("file-copy", "Msvm_GuestServiceInterfaceComponentSettingData")]
    public void Integration_features_switch_their_service_by_class(string id, string settingClass)
    {
        var switched = FeatureSwitch.For(Feature(id))!;
        Assert.Equal(FeatureSwitchKind.IntegrationService, switched.Kind);
        Assert.Equal(settingClass, switched.Component!.SettingClass);
    }

    [Fact]
    public void Features_that_share_a_switch_have_one_key()
    {
        Assert.Equal(FeatureSwitch.For(Feature("time-sync"))!.Key, FeatureSwitch.For(Feature("accurate-time"))!.Key);
        Assert.Same(FeatureSwitch.DynamicMemory, FeatureSwitch.For(Feature("dm-hot-add")));
        Assert.Same(FeatureSwitch.DynamicMemory, FeatureSwitch.For(Feature("dm-ballooning")));
        Assert.Same(FeatureSwitch.SecureBoot, FeatureSwitch.For(Feature("secure-boot")));
    }

    [Theory]
    [InlineData("jumbo-frames", "lives in the guest", "inside each guest")]
    [InlineData("vhdx-resize", "follows from the VM's devices", "Detail column")]
    [InlineData("vlan", "network adapter ports", "Detail column")]
    [InlineData("live-migration", "a setting of the host", "Detail column")]
    [InlineData("multiprocessing", "rather than a switch", "Detail column")]
    [InlineData("static-ip-injection", "no switch of its own", "KVP exchange")]
    public void Other_features_are_not_switchable_with_why_and_what_instead(string id, string why, string instead)
    {
        Assert.Null(FeatureSwitch.For(Feature(id)));
        var failure = FeatureSwitch.NotSwitchable(Feature(id));
        Assert.Equal("FeatureNotSwitchable", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal(Feature(id).Name, failure.Target);
        Assert.Contains(why, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", failure.Message, StringComparison.Ordinal);
        Assert.Contains(instead, failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_catalog_features_are_switchable()
        => Assert.Equal(10, FeatureSwitch.SwitchableFeatures.Count);

    [Fact]
    public void An_integration_service_is_switched_by_InstanceID_and_EnabledState_only()
    {
        var setting = new CimObject("Msvm_HeartbeatComponentSettingData", new Dictionary<string, object?>
        {
            ["InstanceID"] = @"Microsoft:5A1F0000-0000-0000-0000-000000000001\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47",
            ["ElementName"] = "Heartbeat",
            ["EnabledState"] = (ushort)3,
        });
        var sent = CimXml.Parse(FeatureSwitcher.EmbeddedServiceSetting(IntegrationComponent.Heartbeat, setting, true));
        Assert.Equal("Msvm_HeartbeatComponentSettingData", sent.ClassName);
        Assert.Equal(new[] { "EnabledState", "InstanceID" }, sent.Properties.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal((ushort)2, sent.GetUInt16("EnabledState"));
        Assert.Equal((ushort)3, CimXml.Parse(FeatureSwitcher.EmbeddedServiceSetting(IntegrationComponent.Heartbeat, setting, false)).GetUInt16("EnabledState"));
    }

    [Fact]
    public void Secure_boot_on_sends_the_UEFI_CA_template_and_off_sends_only_the_switch()
    {
        var vssd = new CimObject("Msvm_VirtualSystemSettingData", new Dictionary<string, object?>
        {
            ["InstanceID"] = "Microsoft:5A1F0000-0000-0000-0000-000000000001",
            ["SecureBootEnabled"] = true,
            ["SecureBootTemplateId"] = "1734C6E8-3154-4DDA-BA5F-A874CC483422",
        });
        var on = CimXml.Parse(FeatureSwitcher.EmbeddedSecureBoot(vssd, true));
        Assert.Equal("Msvm_VirtualSystemSettingData", on.ClassName);
        Assert.True(on.GetBoolean("SecureBootEnabled"));
        Assert.Equal("272E7447-90A4-4563-A4B9-8E4AB00526CE", on.GetString("SecureBootTemplateId"));
        var off = CimXml.Parse(FeatureSwitcher.EmbeddedSecureBoot(vssd, false));
        Assert.Equal(new[] { "InstanceID", "SecureBootEnabled" }, off.Properties.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.False(off.GetBoolean("SecureBootEnabled"));
    }

    [Fact]
    public void Templates_are_named_by_id_for_messages()
    {
        Assert.Equal("Microsoft UEFI Certificate Authority", FeatureSwitch.TemplateName(VmView.MicrosoftUefiCertificateAuthorityTemplate));
        Assert.Equal("Microsoft Windows", FeatureSwitch.TemplateName(VmView.MicrosoftWindowsTemplate));
        Assert.Equal("none", FeatureSwitch.TemplateName(Guid.Empty));
    }
}
