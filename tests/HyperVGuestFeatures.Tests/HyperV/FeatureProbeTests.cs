using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class FeatureProbeTests
{
    private static GuestFeatureStatus Probe(FakeCimClient client, string vmName, string featureId) => FakeLab.Probe(client, vmName, featureId);

    private static FakeCimClient Host(string version = "10.0.20348") => FakeLab.Host(version);

    [Fact]
    public void Secure_boot_with_the_uefi_ca_template_is_enabled()
    {
        var client = Host();
        FakeLab.AddVm(client, "web");
        Assert.Equal(FeatureState.Enabled, Probe(client, "web", "secure-boot").State);
    }

    [Fact]
    public void Secure_boot_with_the_windows_template_is_degraded_with_the_fix()
    {
        var client = Host();
        FakeLab.AddVm(client, "deb", template: "1734c6e8-3154-4dda-ba5f-a874cc483422");
        var status = Probe(client, "deb", "secure-boot");
        Assert.Equal(FeatureState.Degraded, status.State);
        Assert.Contains("Enable-GuestFeature -VMName 'deb'", status.Detail, StringComparison.Ordinal);
        Assert.Contains("-Name 'Secure boot' (VM off; sets the Microsoft UEFI Certificate Authority template)", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Secure_boot_is_not_supported_on_generation_1()
        => Assert.Equal(FeatureState.NotSupported, Probe(WithVm(generation: 1), "vm", "secure-boot").State);

    [Fact]
    public void A_disabled_integration_service_is_disabled_with_the_command_to_enable_it()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "alma");
        FakeLab.SetProperty(client, id, "Msvm_GuestServiceInterfaceComponentSettingData", "EnabledState", (ushort)3);
        var status = Probe(client, "alma", "file-copy");
        Assert.Equal(FeatureState.Disabled, status.State);
        Assert.Equal("Guest Service Interface is disabled — Enable-GuestFeature -VMName 'alma' -ComputerName 'fakehost' -Name 'File copy from host to guest'", status.Detail);
    }

    [Fact]
    public void An_enabled_integration_service_of_an_off_vm_is_not_observable()
    {
        var status = Probe(WithVm(enabledState: 3), "vm", "heartbeat");
        Assert.Equal(FeatureState.NotObservable, status.State);
        Assert.Contains("while the VM is Off", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Lost_heartbeat_is_degraded()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "hung");
        FakeLab.SetProperty(client, id, "Msvm_HeartbeatComponent", "OperationalStatus", new ushort[] { 13 });
        var status = Probe(client, "hung", "heartbeat");
        Assert.Equal(FeatureState.Degraded, status.State);
        Assert.StartsWith("Heartbeat lost: no response from the guest", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void No_contact_names_the_guest_daemon()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "vm");
        FakeLab.SetProperty(client, id, "Msvm_KvpExchangeComponent", "OperationalStatus", new ushort[] { 12 });
        var status = Probe(client, "vm", "kvp");
        Assert.Equal(FeatureState.Degraded, status.State);
        Assert.Contains("hv_kvp_daemon", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6.3.9600", FeatureState.NotSupported, false)]
    [InlineData("10.0.14393", FeatureState.Enabled, true)]
    public void Accurate_time_follows_the_host_version(string hostVersion, FeatureState expected, bool hostSupported)
    {
        var client = Host(hostVersion);
        FakeLab.AddVm(client, "vm");
        var status = Probe(client, "vm", "accurate-time");
        Assert.Equal(expected, status.State);
        Assert.Equal(hostSupported, status.HostSupported);
    }

    [Theory]
    [InlineData("integrated-mouse")]
    [InlineData("jumbo-frames")]
    [InlineData("trim")]
    [InlineData("hv-sockets")]
    public void Guest_side_features_are_not_observable_never_guessed(string featureId)
    {
        var status = Probe(WithVm(), "vm", featureId);
        Assert.Equal(FeatureState.NotObservable, status.State);
        Assert.StartsWith("Not observable from the host", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trips_do_not_grow_with_the_number_of_vms()
    {
        int QueriesFor(int vmCount)
        {
            var client = Host();
            for (var i = 0; i < vmCount; i++)
            {
                FakeLab.AddVm(client, "vm" + i);
            }

            var selection = new VmSelection();
            selection.AddAll();
            var result = FeatureProbe.Probe(client, selection, FeatureCatalog.Features, null, CancellationToken.None);
            Assert.Equal(vmCount * 35, result.Rows.Count);
            return client.Queries.Count + client.Gets.Count;
        }

        Assert.Equal(QueriesFor(3), QueriesFor(60));
    }

    [Fact]
    public void A_few_vms_are_read_by_their_own_keys_with_the_same_round_trips()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "one");
        FakeLab.AddVm(client, "other");
        var all = new VmSelection();
        all.AddAll();
        FeatureProbe.Probe(client, all, FeatureCatalog.Features, null, CancellationToken.None);
        var hostWide = client.Queries.Count;
        client.Queries.Clear();

        var selection = new VmSelection();
        selection.AddNames(new[] { "one" });
        var result = FeatureProbe.Probe(client, selection, FeatureCatalog.Features, null, CancellationToken.None);

        Assert.Equal(hostWide, client.Queries.Count);
        var vm = id.ToString("D").ToUpperInvariant();
        Assert.Contains($"SELECT * FROM Msvm_HeartbeatComponent WHERE SystemName = '{vm}'", client.Queries);
        Assert.Contains($"SELECT * FROM Msvm_VirtualSystemSettingData WHERE VirtualSystemType = 'Microsoft:Hyper-V:System:Realized' AND VirtualSystemIdentifier = '{vm}'", client.Queries);
        Assert.All(result.Rows, s => Assert.Equal("one", s.VMName));
    }

    [Fact]
    public void Exact_names_become_one_escaped_equality_query()
    {
        var client = Host();
        var selection = new VmSelection();
        selection.AddNames(new[] { "x' OR Name like '%", "web" });
        var lookup = VmInventory.Find(client, selection, CancellationToken.None);
        var query = Assert.Single(client.Queries);
        Assert.Equal(@"SELECT * FROM Msvm_ComputerSystem WHERE Description = 'Microsoft Virtual Machine' AND (ElementName = 'x\' OR Name like \'%' OR ElementName = 'web')", query);
        Assert.Equal(2, lookup.Failures.Count);
        Assert.All(lookup.Failures, f => Assert.Equal("VMNotFound", f.ErrorId));
    }

    [Fact]
    public void A_single_id_is_fetched_by_key()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "vm");
        var selection = new VmSelection();
        selection.AddIds(new[] { id });
        var lookup = VmInventory.Find(client, selection, CancellationToken.None);
        Assert.Empty(client.Queries);
        Assert.Equal("vm", Assert.Single(lookup.Machines).Name);
    }

    [Fact]
    public void A_wildcard_that_matches_nothing_is_silent()
    {
        var selection = new VmSelection();
        selection.AddNames(new[] { "zz*" });
        var lookup = VmInventory.Find(WithVm(), selection, CancellationToken.None);
        Assert.Empty(lookup.Machines);
        Assert.Empty(lookup.Failures);
    }

    private static FakeCimClient WithVm(ushort enabledState = 2, int generation = 2)
    {
        var client = Host();
        FakeLab.AddVm(client, "vm", enabledState, generation);
        return client;
    }
}

public class CommandTextTests
{
    [Fact]
    public void Suggested_commands_quote_names_and_name_the_host()
    {
        var vm = new VirtualMachine("hv'01", Guid.Empty, "it's", VMState.Off, VmInventory.PathOf(Guid.Empty));
        Assert.Equal("-VMName 'it''s' -ComputerName 'hv''01'", CommandText.Target(vm));
    }
}
