using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class GuestFileCopierTests
{
    private static readonly GuestCopyItem Item = new(new GuestCopySource("C:\\src\\app.conf", 1234), "/etc/app.conf");

    private static Guid AddVm(FakeMethodClient client, string name, ushort enabledState = 2, bool fileService = true)
    {
        var id = FakeLab.AddVm(client.Store, name, enabledState);
        if (enabledState == 2 && fileService)
        {
            Register(client, id.ToString("D").ToUpperInvariant(), $"Microsoft:{id.ToString("D").ToUpperInvariant()}\\GuestFileService");
        }

        return id;
    }

    /// <summary>
    /// The registration the provider lists (MSDOC msvm-registeredguestservice): the VM's Guest Service Interface
    /// component, keyed by the VM's id, to the file service of <paramref name="serviceName"/>.
    /// </summary>
    private static void Register(FakeMethodClient client, string vmId, string serviceName, string serviceSystemName = "HOST01")
    {
        var component = new CimInstancePath(CimNamespaces.Virtualization, "Msvm_GuestServiceInterfaceComponent", new Dictionary<string, object?>
        {
            ["CreationClassName"] = "Msvm_GuestServiceInterfaceComponent",
            ["DeviceID"] = "Microsoft:6C09BB55-D683-4DA0-8931-C9BF705F6480",
            ["SystemCreationClassName"] = "Msvm_ComputerSystem",
            ["SystemName"] = vmId,
        });
        var service = new CimInstancePath(CimNamespaces.Virtualization, "Msvm_GuestFileService", new Dictionary<string, object?>
        {
            ["CreationClassName"] = "Msvm_GuestFileService",
            ["Name"] = serviceName,
            ["SystemCreationClassName"] = "Msvm_ComputerSystem",
            ["SystemName"] = serviceSystemName,
        });
        client.Store.Add("Msvm_RegisteredGuestService", new() { ["Antecedent"] = component, ["Dependent"] = service }, keys: new[] { "Antecedent", "Dependent" });
    }

    private static IReadOnlyList<VirtualMachine> Machines(FakeMethodClient client)
    {
        var selection = new VmSelection();
        selection.AddAll();
        return VmInventory.Find(client, selection, CancellationToken.None).Machines;
    }

    private static GuestCopyTarget ReadyTarget(FakeMethodClient client, string name = "web")
    {
        AddVm(client, name);
        return Assert.Single(new GuestFileCopier(client).Prepare(Machines(client), null, CancellationToken.None));
    }

    [Fact]
    public void Preconditions_cost_three_queries_per_host_whatever_the_vm_count()
    {
        var client = new FakeMethodClient();
        for (var i = 0; i < 7; i++)
        {
            AddVm(client, "vm" + i);
        }

        AddVm(client, "off", enabledState: 3);
        var machines = Machines(client);
        client.Store.Queries.Clear();

        var targets = new GuestFileCopier(client).Prepare(machines, null, CancellationToken.None);

        Assert.Equal(3, client.Store.Queries.Count);
        Assert.Equal(7, targets.Count(t => t.Failure is null));
        Assert.Equal("VMNotRunning", targets.Single(t => t.Machine.Name == "off").Failure!.ErrorId);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public void Nothing_is_read_when_no_vm_runs()
    {
        var client = new FakeMethodClient();
        AddVm(client, "off1", enabledState: 3);
        AddVm(client, "off2", enabledState: 6);
        var machines = Machines(client);
        client.Store.Queries.Clear();

        var targets = new GuestFileCopier(client).Prepare(machines, null, CancellationToken.None);

        Assert.Empty(client.Store.Queries);
        Assert.All(targets, t => Assert.Equal("VMNotRunning", t.Failure!.ErrorId));
    }

    [Fact]
    public void Each_vm_is_joined_to_its_own_settings_and_file_service()
    {
        var client = new FakeMethodClient();
        var web = AddVm(client, "web");
        var alma = AddVm(client, "alma");
        FakeLab.SetProperty(client.Store, alma, "Msvm_GuestServiceInterfaceComponentSettingData", "EnabledState", (ushort)3);
        var hung = AddVm(client, "hung");
        FakeLab.SetProperty(client.Store, hung, "Msvm_GuestServiceInterfaceComponent", "OperationalStatus", new ushort[] { 12 });
        AddVm(client, "noservice", fileService: false);

        var targets = new GuestFileCopier(client).Prepare(Machines(client), null, CancellationToken.None).ToDictionary(t => t.Machine.Name);

        Assert.Null(targets["web"].Failure);
        Assert.Equal($"Microsoft:{web.ToString("D").ToUpperInvariant()}\\GuestFileService", targets["web"].FileService!.Keys["Name"]);
        Assert.Equal("Msvm_GuestFileService", targets["web"].FileService!.ClassName);
        Assert.Equal("GuestServiceDisabled", targets["alma"].Failure!.ErrorId);
        Assert.Equal("GuestServiceNotResponding", targets["hung"].Failure!.ErrorId);
        Assert.Equal("GuestServiceNotResponding", targets["noservice"].Failure!.ErrorId);
    }

    /// <summary>
    /// The documented link from a VM to its file service is the registration, not the service's own SystemName
    /// (docs/provider-model.md "Associations"): a registration is followed whatever the service's keys hold, and only
    /// to a file service, never to another guest service registered on the same component.
    /// </summary>
    [Fact]
    public void The_file_service_is_the_one_registered_on_the_vms_guest_service_interface()
    {
        var client = new FakeMethodClient();
        var web = AddVm(client, "web", fileService: false);
        var vmId = web.ToString("D").ToUpperInvariant();
        var other = new CimInstancePath(CimNamespaces.Virtualization, "Msvm_GuestService", new Dictionary<string, object?> { ["Name"] = "other" });
        var component = new CimInstancePath(CimNamespaces.Virtualization, "Msvm_GuestServiceInterfaceComponent", new Dictionary<string, object?> { ["SystemName"] = vmId, ["DeviceID"] = "x" });
        client.Store.Add("Msvm_RegisteredGuestService", new() { ["Antecedent"] = component, ["Dependent"] = other }, keys: new[] { "Antecedent", "Dependent" });
        Register(client, vmId, "files-of-web", serviceSystemName: "NOT-A-VM-ID");

        var target = Assert.Single(new GuestFileCopier(client).Prepare(Machines(client), null, CancellationToken.None));

        Assert.Null(target.Failure);
        Assert.Equal("files-of-web", target.FileService!.Keys["Name"]);
        Assert.Equal("NOT-A-VM-ID", target.FileService.Keys["SystemName"]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void The_setting_carries_the_paths_and_both_switches(bool overwrite, bool createFullPath)
    {
        var setting = CimXml.Parse(GuestFileCopier.SettingText(Item, overwrite, createFullPath));
        Assert.Equal("Msvm_CopyFileToGuestSettingData", setting.ClassName);
        Assert.Equal("C:\\src\\app.conf", setting.GetString("SourcePath"));
        Assert.Equal("/etc/app.conf", setting.GetString("DestinationPath"));
        Assert.Equal(overwrite, setting.GetBoolean("OverwriteExisting"));
        Assert.Equal(createFullPath, setting.GetBoolean("CreateFullPath"));
    }

    [Fact]
    public void One_file_is_one_call_with_one_embedded_instance_on_the_file_service()
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        var percents = new List<int>();

        var result = new GuestFileCopier(client).Copy(target, Item, true, false, percents.Add, CancellationToken.None);

        var call = Assert.Single(client.Calls);
        Assert.Equal("CopyFilesToGuest", call.Method);
        Assert.Equal(target.FileService, call.Target);
        var settings = Assert.IsType<string[]>(call.Parameters["CopyFileToGuestSettings"]);
        Assert.True(CimXml.Parse(Assert.Single(settings)).GetBoolean("OverwriteExisting"));
        Assert.Equal(new[] { 100 }, percents);
        Assert.Equal("web", result.VMName);
        Assert.Equal("C:\\src\\app.conf", result.Source);
        Assert.Equal("/etc/app.conf", result.Destination);
        Assert.Equal(1234, result.Bytes);
        Assert.True(result.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public void An_existing_guest_file_is_guest_file_exists_with_the_fix()
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = (_, _, _) => client.StartJob(JobStates.Exception, 32768, "Failed to initiate copying files to the guest: The file exists. (0x80070050)");

        var failure = Assert.Throws<GuestFeatureException>(() => new GuestFileCopier(client).Copy(target, Item, false, false, null, CancellationToken.None));

        Assert.Equal("GuestFileExists", failure.ErrorId);
        Assert.Equal(FailureKind.AlreadyExists, failure.Kind);
        Assert.Equal("web", failure.Target);
        Assert.Contains("/etc/app.conf", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-Force", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal((uint)32768, failure.ProviderCode);
    }

    [Fact]
    public void A_missing_guest_folder_keeps_the_providers_text_and_suggests_create_full_path()
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = (_, _, _) => client.StartJob(JobStates.Exception, 32768, "Failed to initiate copying files to the guest: The system cannot find the path specified. (0x80070003)");

        var failure = Assert.Throws<GuestFeatureException>(() => new GuestFileCopier(client).Copy(target, Item, false, false, null, CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Contains("The system cannot find the path specified", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-CreateFullPath", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_job_failures_are_cim_job_failed_with_the_providers_text()
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = (_, _, _) => client.StartJob(JobStates.Exception, 32768, "Failed to initiate copying files to the guest: The disk is full.");

        var failure = Assert.Throws<GuestFeatureException>(() => new GuestFileCopier(client).Copy(target, Item, false, false, null, CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Contains("The disk is full.", failure.Message, StringComparison.Ordinal);
        Assert.Null(failure.RecommendedAction);
    }

    [Theory]
    [InlineData("job")]
    [InlineData("refusal")]
    [InlineData("timeout")]
    public void Every_failed_file_is_named_in_its_error(string how)
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = how switch
        {
            "job" => (_, _, _) => client.StartJob(JobStates.Exception, 32768, "Failed to initiate copying files to the guest: The disk is full."),
            "refusal" => (_, _, _) => new CimMethodResult(32773u),
            _ => (_, _, _) => client.StartJob(JobStates.Running, percent: 40),
        };
        var copier = new GuestFileCopier(client, new JobWaitOptions { Timeout = TimeSpan.FromMilliseconds(60), InitialPollDelay = TimeSpan.FromMilliseconds(10), MaxPollDelay = TimeSpan.FromMilliseconds(20) });

        var failure = Assert.Throws<GuestFeatureException>(() => copier.Copy(target, Item, false, false, null, CancellationToken.None));

        Assert.Contains("'C:\\src\\app.conf' to '/etc/app.conf'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32769u, "AccessDenied")]
    [InlineData(32775u, "CimMethodFailed")]
    [InlineData(32773u, "CimMethodFailed")]
    public void Refusals_map_to_their_errors(uint code, string errorId)
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = (_, _, _) => new CimMethodResult(code);

        var failure = Assert.Throws<GuestFeatureException>(() => new GuestFileCopier(client).Copy(target, Item, false, false, null, CancellationToken.None));

        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(code, failure.ProviderCode);
        if (code == 32775u)
        {
            Assert.Contains("Get-GuestFeature -VMName 'web'", failure.RecommendedAction, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_job_that_outlasts_the_timeout_is_a_timeout_with_the_fix()
    {
        var client = new FakeMethodClient();
        var target = ReadyTarget(client);
        client.Answer = (_, _, _) => client.StartJob(JobStates.Running, percent: 40);
        var copier = new GuestFileCopier(client, new JobWaitOptions { Timeout = TimeSpan.FromMilliseconds(60), InitialPollDelay = TimeSpan.FromMilliseconds(10), MaxPollDelay = TimeSpan.FromMilliseconds(20) });
        var percents = new List<int>();

        var failure = Assert.Throws<GuestFeatureException>(() => copier.Copy(target, Item, false, false, percents.Add, CancellationToken.None));

        Assert.Equal("CimJobTimeout", failure.ErrorId);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.Contains("-TimeoutSec", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(new[] { 40 }, percents);
    }

    [Fact]
    public void A_source_the_host_cannot_find_is_named_in_the_error()
    {
        var vm = new VirtualMachine("hv01", Guid.NewGuid(), "web", VMState.Running, VmInventory.PathOf(Guid.NewGuid()));
        var refusal = new GuestFeatureException("CimJobFailed", FailureKind.OperationFailed, "web", "The Hyper-V job for CopyFilesToGuest on 'web' failed with error code 32768: Failed to initiate copying files to the guest: The system cannot find the file specified. (0x80070002)") { ProviderCode = 32768 };

        var failure = GuestFileCopier.Explain(refusal, vm, Item);

        Assert.Equal("GuestFileSourceNotFoundOnHost", failure.ErrorId);
        Assert.Equal(FailureKind.NotFound, failure.Kind);
        Assert.Equal(Item.Source.Path, failure.Target);
        Assert.Contains(Item.Source.Path, failure.Message, StringComparison.Ordinal);
        Assert.Contains("hv01", failure.Message, StringComparison.Ordinal);
        Assert.Equal(32768u, failure.ProviderCode);
    }
}
