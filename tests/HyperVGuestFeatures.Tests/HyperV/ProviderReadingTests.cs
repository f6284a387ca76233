using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>
/// The module's reading of each class, against instances shaped as the real provider returns them
/// (docs/provider-model.md), not as the simulator happens to write them.
/// </summary>
public class ProviderReadingTests
{
    private static GuestFeatureStatus Probe(FakeCimClient client, string vmName, string featureId) => FakeLab.Probe(client, vmName, featureId);

    private static FakeCimClient Host(string version = "10.0.20348") => FakeLab.Host(version, "hv01");

    // ---- storage: disk -> drive -> controller ----

    [Fact]
    public void Disks_are_counted_through_their_drives_and_DVD_images_are_not_disks()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "web");
        FakeLab.AddController(client, id, scsi: true, 0, @"D:\vms\web.vhdx", @"D:\iso\ubuntu.iso");

        var storage = Probe(client, "web", "hv-storage-device");
        Assert.Equal(FeatureState.Enabled, storage.State);
        Assert.StartsWith("1 synthetic SCSI controller(s) with 1 virtual disk(s)", storage.Detail, StringComparison.Ordinal);

        var resize = Probe(client, "web", "vhdx-resize");
        Assert.Equal(FeatureState.Enabled, resize.State);
        Assert.StartsWith("1 .vhdx disk(s) on SCSI", resize.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vhdx_on_the_IDE_drive_is_not_on_SCSI_even_with_a_SCSI_controller()
    {
        var client = Host();
        var id = FakeLab.AddVm(client, "old", generation: 1);
        FakeLab.AddController(client, id, scsi: false, 0, @"D:\vms\old.vhdx");
        FakeLab.AddController(client, id, scsi: true, 0, @"D:\iso\tools.iso");

        var resize = Probe(client, "old", "vhdx-resize");
        Assert.Equal(FeatureState.Degraded, resize.State);
        Assert.Contains("on IDE", resize.Detail, StringComparison.Ordinal);
        Assert.StartsWith("1 synthetic SCSI controller(s) with 0 virtual disk(s)", Probe(client, "old", "hv-storage-device").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disk_whose_parent_names_the_controller_itself_is_not_taken_for_a_drive()
    {
        // The simulator's old simplification (Parent = controller) is not the provider's shape: no drive, no controller.
        var client = Host();
        var id = FakeLab.AddVm(client, "odd");
        var controller = FakeLab.AddController(client, id, scsi: true, 0);
        client.Add("Msvm_StorageAllocationSettingData", new()
        {
            ["InstanceID"] = controller + "\\0\\0\\L",
            ["ResourceSubType"] = "Microsoft:Hyper-V:Virtual Hard Disk",
            ["HostResource"] = new[] { @"D:\vms\odd.vhdx" },
            ["Parent"] = controller,
        }, keys: "InstanceID");

        Assert.Equal(FeatureState.Degraded, Probe(client, "odd", "vhdx-resize").State);
    }

    [Theory]
    [InlineData(@"\\HV01\root\virtualization\v2:Msvm_ResourceAllocationSettingData.InstanceID=""Microsoft:A\\B\\0\\0\\D""", @"Microsoft:A\B\0\0\D")]
    [InlineData(@"Msvm_ResourceAllocationSettingData.InstanceID=""Microsoft:A\\B""", @"Microsoft:A\B")]
    [InlineData(@"Microsoft:A\B", @"Microsoft:A\B")]
    [InlineData(null, null)]
    public void A_reference_names_an_InstanceID_whole(string? reference, string? instanceId)
        => Assert.Equal(instanceId, HostSnapshot.InstanceIdOf(reference));

    // ---- classes and properties older hosts lack ----

    [Fact]
    public void A_class_the_host_lacks_is_not_observable_rather_than_disabled()
    {
        // MSDOC msvm-syntheticdisplaycontrollersettingdata: minimum server Windows Server 2016.
        var client = Host("6.3.9600");
        client.MissingClasses.Add("Msvm_SyntheticDisplayControllerSettingData");
        FakeLab.AddVm(client, "web");

        var video = Probe(client, "web", "hv-video");
        Assert.Equal(FeatureState.NotObservable, video.State);
        Assert.Contains("Msvm_SyntheticDisplayControllerSettingData", video.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absent_HighMmioGapSize_is_said_to_be_unreported_not_empty()
    {
        // MSDOC msvm-virtualsystemsettingdata: HighMmioGapSize "was added in Windows 10, version 1703".
        var client = Host("10.0.14393");
        var id = FakeLab.AddVm(client, "web");
        FakeLab.SetProperty(client, id, "Msvm_VirtualSystemSettingData", "LowMmioGapSize", 128UL);

        var mmio = Probe(client, "web", "mmio-gap");
        Assert.Equal(FeatureState.Enabled, mmio.State);
        Assert.Contains("Low MMIO gap 128 MB", mmio.Detail, StringComparison.Ordinal);
        Assert.Contains("not reported by this host", mmio.Detail, StringComparison.Ordinal);

        FakeLab.SetProperty(client, id, "Msvm_VirtualSystemSettingData", "HighMmioGapSize", 512UL);
        Assert.Contains("high MMIO gap 512 MB", Probe(client, "web", "mmio-gap").Detail, StringComparison.Ordinal);
    }

    // ---- instances without key flags (unconfirmed over WS-Man) ----

    [Fact]
    public void A_vm_without_key_flags_still_gets_its_path()
    {
        var client = Host();
        var id = Guid.NewGuid();
        client.Add(new CimObject("Msvm_ComputerSystem", new Dictionary<string, object?>
        {
            ["CreationClassName"] = "Msvm_ComputerSystem",
            ["Name"] = id.ToString("D").ToUpperInvariant(),
            ["ElementName"] = "flagless",
            ["Description"] = "Microsoft Virtual Machine",
            ["EnabledState"] = (ushort)2,
        }));
        var selection = new VmSelection();
        selection.AddNames(new[] { "flagless" });

        var vm = Assert.Single(VmInventory.Find(client, selection, CancellationToken.None).Machines);

        Assert.False(vm.Path.IsClassPath);
        Assert.Equal(VmInventory.PathOf(id), vm.Path);
    }

    [Fact]
    public void A_service_without_key_flags_is_addressed_by_its_CIM_Service_keys()
    {
        var client = Host();
        client.Add(new CimObject("Msvm_VirtualSystemManagementService", new Dictionary<string, object?>
        {
            ["CreationClassName"] = "Msvm_VirtualSystemManagementService",
            ["Name"] = "vmms",
            ["SystemCreationClassName"] = "Msvm_ComputerSystem",
            ["SystemName"] = "HV01",
            ["ElementName"] = "Virtual System Management Service",
        }));

        var path = ManagementService.Find(client, CancellationToken.None);

        Assert.Equal(new[] { "CreationClassName", "Name", "SystemCreationClassName", "SystemName" }, path.Keys.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("HV01", path.Keys["SystemName"]);
    }
}
