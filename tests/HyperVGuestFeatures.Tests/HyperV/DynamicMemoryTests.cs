using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class DynamicMemoryTests
{
    private const long MB = 1024L * 1024L;

    /// <summary>The canned provider plus ModifyResourceSettings: records calls and answers with a code or a finished job.</summary>
    private sealed class MethodRecordingClient : ICimClient
    {
        private readonly FakeCimClient _inner;

        public MethodRecordingClient(FakeCimClient inner) => _inner = inner;

        public List<(CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters)> Calls { get; } = new();

        /// <summary>When set, the call starts a job that ends in Exception with this ErrorCode.</summary>
        public ushort? JobErrorCode { get; set; }

        /// <summary>When set, the job ErrorCode of the call of this number (1-based), or null for a call that succeeds.</summary>
        public Func<int, ushort?>? JobErrorOfCall { get; set; }

        private ushort? _lastError;

        public string ComputerName => _inner.ComputerName;

        public List<string> Queries => _inner.Queries;

        public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken) => _inner.Query(namespaceName, wql, cancellationToken);

        public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
            => path.ClassName == "Msvm_ConcreteJob"
                ? new CimObject("Msvm_ConcreteJob", new Dictionary<string, object?> { ["InstanceID"] = "job", ["JobState"] = (ushort)10, ["ErrorCode"] = _lastError, ["ErrorDescription"] = "refused by the provider" }, new[] { "InstanceID" })
                : _inner.GetInstance(path, cancellationToken);

        public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
            => throw new NotSupportedException();

        public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
        {
            if (methodName == "GetSummaryInformation")
            {
                return _inner.InvokeMethod(target, methodName, parameters, cancellationToken);
            }

            Calls.Add((target, methodName, parameters));
            _lastError = JobErrorOfCall is { } ofCall ? ofCall(Calls.Count) : JobErrorCode;
            if (_lastError is not null)
            {
                return new CimMethodResult(4096, new Dictionary<string, object?> { ["Job"] = CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_ConcreteJob", "InstanceID", "job") });
            }

            return new CimMethodResult(0);
        }

        public void Dispose()
        {
        }
    }

    private static FakeCimClient Host(string version = "10.0.20348")
    {
        var client = new FakeCimClient();
        FakeLab.AddHostOs(client, version);
        client.Add("Msvm_VirtualSystemManagementService", new() { ["CreationClassName"] = "Msvm_VirtualSystemManagementService", ["Name"] = "vmms", ["SystemCreationClassName"] = "Msvm_ComputerSystem", ["SystemName"] = "FAKEHOST" }, keys: new[] { "CreationClassName", "Name", "SystemCreationClassName", "SystemName" });
        return client;
    }

    private static Guid AddVm(FakeCimClient client, string name, ushort enabledState = 3, bool dynamic = true, ulong startup = 1024, ulong minimum = 512, ulong maximum = 4096, ulong? usage = null, int? available = null, bool device = false, bool? numa = null)
    {
        var id = FakeLab.AddVm(client, name, enabledState, virtualNuma: numa);
        var vm = id.ToString("D").ToUpperInvariant();
        client.Add("Msvm_MemorySettingData", new()
        {
            ["InstanceID"] = $"Microsoft:{vm}\\4764334d-e001-4176-82ee-5594ec9b530e",
            ["VirtualQuantity"] = startup,
            ["Reservation"] = minimum,
            ["Limit"] = maximum,
            ["DynamicMemoryEnabled"] = dynamic,
            ["TargetMemoryBuffer"] = 20U,
            ["Weight"] = 5000U,
        }, keys: "InstanceID");
        client.Add("Msvm_SummaryInformation", new() { ["Name"] = vm, ["MemoryUsage"] = usage, ["MemoryAvailable"] = available }, keys: "Name");
        if (device)
        {
            client.Add("Msvm_PciExpressSettingData", new() { ["InstanceID"] = $"Microsoft:{vm}\\{Guid.NewGuid():D}", ["HostResource"] = new[] { "PCIROOT(0)#PCI(0300)" } }, keys: "InstanceID");
        }

        return id;
    }

    private static VmSelection Names(params string[] names)
    {
        var selection = new VmSelection();
        selection.AddNames(names);
        return selection;
    }

    private static VmSelection All()
    {
        var selection = new VmSelection();
        selection.AddAll();
        return selection;
    }

    [Fact]
    public void Read_converts_MB_to_bytes_and_weight_to_priority()
    {
        var client = Host();
        var id = AddVm(client, "web", device: true);
        var result = DynamicMemory.Read(client, Names("web"), null, CancellationToken.None);
        var row = Assert.Single(result.Rows);
        Assert.Empty(result.Failures);
        Assert.Equal("fakehost", row.ComputerName);
        Assert.Equal(id, row.VMId);
        Assert.Equal(VMState.Off, row.VMState);
        Assert.True(row.DynamicMemoryEnabled);
        Assert.Equal(1024 * MB, row.StartupBytes);
        Assert.Equal(512 * MB, row.MinimumBytes);
        Assert.Equal(4096 * MB, row.MaximumBytes);
        Assert.Equal(20, row.Buffer);
        Assert.Equal(50, row.Priority);
        Assert.Null(row.AssignedBytes);
        Assert.Null(row.DemandBytes);
        Assert.True(row.HasAssignedDevice);
    }

    [Fact]
    public void Read_gives_assigned_and_demand_for_a_running_vm()
    {
        var client = Host();
        AddVm(client, "web", enabledState: 2, usage: 2048, available: 40);
        var row = Assert.Single(DynamicMemory.Read(client, Names("web"), null, CancellationToken.None).Rows);
        Assert.Equal(2048 * MB, row.AssignedBytes);
        Assert.Equal((2048 - 819) * MB, row.DemandBytes);
        Assert.False(row.HasAssignedDevice);
    }

    [Fact]
    public void Runtime_memory_comes_from_GetSummaryInformation_with_the_ids_every_client_asks_for()
    {
        // MSDOC getsummaryinformation-msvm-virtualsystemmanagementservice; os-win get_vm_summary_info asks for 103 MemoryUsage.
        var client = Host();
        AddVm(client, "web", enabledState: 2, usage: 2048, available: 40);
        DynamicMemory.Read(client, All(), null, CancellationToken.None);

        var call = Assert.Single(client.Calls);
        Assert.Equal("GetSummaryInformation", call.Method);
        Assert.Equal("Msvm_VirtualSystemManagementService", call.Target.ClassName);
        Assert.Contains(103u, (uint[])call.Parameters["RequestedInformation"]!);
        Assert.Contains(112u, (uint[])call.Parameters["RequestedInformation"]!);
        Assert.Null(call.Parameters["SettingData"]); // MSDOC: null means every virtual machine
        Assert.DoesNotContain(client.Queries, q => q.Contains("FROM Msvm_SummaryInformation", StringComparison.Ordinal));
    }

    [Fact]
    public void A_negative_MemoryAvailable_is_a_demand_above_what_is_assigned()
    {
        // MSDOC msvm-summaryinformation: sint32, negative when the VM has no available memory.
        var client = Host();
        AddVm(client, "busy", enabledState: 2, usage: 2000, available: -25);
        var row = Assert.Single(DynamicMemory.Read(client, Names("busy"), null, CancellationToken.None).Rows);
        Assert.Equal(2000 * MB, row.AssignedBytes);
        Assert.Equal(2500 * MB, row.DemandBytes);
    }

    [Fact]
    public void MemoryAvailable_means_nothing_without_dynamic_memory()
    {
        // MSDOC: "not valid for ... virtual machines for which dynamic memory is not enabled".
        var client = Host();
        AddVm(client, "static", enabledState: 2, dynamic: false, usage: 1024, available: 0);
        var row = Assert.Single(DynamicMemory.Read(client, Names("static"), null, CancellationToken.None).Rows);
        Assert.Equal(1024 * MB, row.AssignedBytes);
        Assert.Null(row.DemandBytes);
    }

    [Fact]
    public void Summaries_given_as_embedded_text_are_read_too()
    {
        var vm = Guid.NewGuid().ToString("D").ToUpperInvariant();
        var text = CimXml.Serialize(new CimObject("Msvm_SummaryInformation", new Dictionary<string, object?> { ["Name"] = vm, ["MemoryUsage"] = 512UL, ["MemoryAvailable"] = 10 }));
        var missing = new CimObject("Msvm_SummaryInformation", new Dictionary<string, object?> { ["Name"] = string.Empty });
        var parsed = Assert.Single(VmSummaries.Parse(new object[] { text, missing }));
        Assert.Equal(vm, parsed.GetString("Name"));
        Assert.Equal(461L, VmSummaries.DemandMB(parsed, dynamicMemoryEnabled: true));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    public void Read_queries_each_class_once_whatever_the_vm_count(int count)
    {
        var client = Host();
        for (var i = 0; i < count; i++)
        {
            AddVm(client, "vm" + i, enabledState: 2);
        }

        var result = DynamicMemory.Read(client, All(), null, CancellationToken.None);
        Assert.Equal(count, result.Rows.Count);
        Assert.Equal(4, client.Queries.Count); // the VM list, memory settings, assigned devices, the management service
        Assert.Contains(client.Queries, q => q.Contains("FROM Msvm_MemorySettingData", StringComparison.Ordinal));
        Assert.Contains(client.Queries, q => q.Contains("FROM Msvm_VirtualSystemManagementService", StringComparison.Ordinal));
        Assert.Contains(client.Queries, q => q.Contains("FROM Msvm_PciExpressSettingData", StringComparison.Ordinal));
        Assert.Equal("GetSummaryInformation", Assert.Single(client.Calls).Method);
    }

    [Fact]
    public void No_summary_is_asked_for_when_no_vm_runs()
    {
        var client = Host();
        AddVm(client, "off");
        DynamicMemory.Read(client, All(), null, CancellationToken.None);
        Assert.Empty(client.Calls);
        Assert.Equal(3, client.Queries.Count);
    }

    [Fact]
    public void Read_reports_a_missing_name_and_goes_on()
    {
        var client = Host();
        AddVm(client, "web");
        var result = DynamicMemory.Read(client, Names("web", "nope"), null, CancellationToken.None);
        Assert.Single(result.Rows);
        Assert.Equal("VMNotFound", Assert.Single(result.Failures).ErrorId);
    }

    [Fact]
    public void A_vm_without_memory_settings_is_a_failure_of_its_own()
    {
        var client = Host();
        AddVm(client, "web");
        FakeLab.AddVm(client, "bare");
        var result = DynamicMemory.Read(client, All(), null, CancellationToken.None);
        Assert.Equal("web", Assert.Single(result.Rows).VMName);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("MemorySettingsMissing", failure.ErrorId);
        Assert.Equal("bare", failure.Target);
    }

    private static (List<GuestFeatureException> Errors, List<string> Warnings, List<DynamicMemoryInfo> Output) Set(ICimClient client, VmSelection selection, MemoryChangeRequest request, bool approve = true, bool passThru = false)
    {
        var errors = new List<GuestFeatureException>();
        var warnings = new List<string>();
        var output = new List<DynamicMemoryInfo>();
        DynamicMemory.Set(client, selection, request, new MemoryChangeCallbacks
        {
            Reporter = new OperationReporter { Error = errors.Add, Warning = warnings.Add, ShouldProcess = (_, _) => approve },
            PassThru = passThru ? output.Add : null,
        }, CancellationToken.None);
        return (errors, warnings, output);
    }

    [Fact]
    public void Set_sends_one_embedded_setting_with_instance_id_and_the_changed_properties_only()
    {
        var fake = Host();
        var id = AddVm(fake, "web");
        var client = new MethodRecordingClient(fake);
        var (errors, _, _) = Set(client, Names("web"), new MemoryChangeRequest { MaximumBytes = 8192 * MB, Priority = 80 });
        Assert.Empty(errors);
        var call = Assert.Single(client.Calls);
        Assert.Equal("ModifyResourceSettings", call.Method);
        Assert.Equal("Msvm_VirtualSystemManagementService", call.Target.ClassName);
        Assert.Equal("FAKEHOST", call.Target.Keys["SystemName"]);
        var text = Assert.Single((string[])call.Parameters["ResourceSettings"]!);
        var sent = CimXml.Parse(text);
        Assert.Equal("Msvm_MemorySettingData", sent.ClassName);
        Assert.Equal(new[] { "InstanceID", "Limit", "Weight" }, sent.Properties.Keys);
        Assert.Equal($"Microsoft:{id.ToString("D").ToUpperInvariant()}\\4764334d-e001-4176-82ee-5594ec9b530e", sent.GetString("InstanceID"));
        Assert.Equal(8192UL, sent.GetUInt64("Limit"));
        Assert.Equal(8000U, sent.GetUInt32("Weight"));
    }

    [Fact]
    public void Set_makes_no_call_when_the_values_are_already_as_asked()
    {
        var fake = Host();
        AddVm(fake, "web");
        var client = new MethodRecordingClient(fake);
        var (errors, warnings, output) = Set(client, Names("web"), new MemoryChangeRequest { StartupBytes = 1024 * MB, Priority = 50 }, passThru: true);
        Assert.Empty(errors);
        Assert.Empty(client.Calls);
        Assert.Contains(warnings, w => w.Contains("already as asked", StringComparison.Ordinal));
        Assert.Equal(1024 * MB, Assert.Single(output).StartupBytes);
    }

    [Fact]
    public void Set_makes_no_call_when_not_approved()
    {
        var fake = Host();
        AddVm(fake, "web");
        var client = new MethodRecordingClient(fake);
        var (errors, _, output) = Set(client, Names("web"), new MemoryChangeRequest { Priority = 90 }, approve: false, passThru: true);
        Assert.Empty(errors);
        Assert.Empty(client.Calls);
        Assert.Empty(output);
    }

    [Fact]
    public void Set_refuses_a_bad_vm_and_changes_the_others()
    {
        var fake = Host();
        AddVm(fake, "good");
        AddVm(fake, "running", enabledState: 2, usage: 1024, available: 50);
        var client = new MethodRecordingClient(fake);
        var (errors, _, _) = Set(client, Names("good", "running"), new MemoryChangeRequest { StartupBytes = 2048 * MB });
        var failure = Assert.Single(errors);
        Assert.Equal("StartupChangeWhileRunning", failure.ErrorId);
        Assert.Equal("running", failure.Target);
        Assert.Single(client.Calls);
    }

    [Fact]
    public void Set_reports_a_failed_job_as_CimJobFailed()
    {
        var fake = Host();
        AddVm(fake, "web");
        var client = new MethodRecordingClient(fake) { JobErrorCode = 32773 };
        var (errors, _, _) = Set(client, Names("web"), new MemoryChangeRequest { Priority = 10 });
        var failure = Assert.Single(errors);
        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Equal(32773U, failure.ProviderCode);
        Assert.Contains("refused by the provider", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_uses_the_host_version_for_runtime_resize()
    {
        var fake = Host("6.3.9600");
        AddVm(fake, "old", enabledState: 2, dynamic: false, startup: 2048, usage: 2048, available: 50);
        var client = new MethodRecordingClient(fake);
        var (errors, _, _) = Set(client, Names("old"), new MemoryChangeRequest { StartupBytes = 4096 * MB });
        Assert.Equal("RuntimeResizeNotSupported", Assert.Single(errors).ErrorId);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public void Set_reads_each_class_once_per_host_and_re_reads_once_for_pass_thru()
    {
        var fake = Host();
        for (var i = 0; i < 10; i++)
        {
            AddVm(fake, "vm" + i);
        }

        var client = new MethodRecordingClient(fake);
        var (errors, _, output) = Set(client, All(), new MemoryChangeRequest { Priority = 70 }, passThru: true);
        Assert.Empty(errors);
        Assert.Equal(10, client.Calls.Count);
        Assert.Equal(10, output.Count);
        // VM list + 4 classes (no runtime summaries for a change), one service lookup, then 2 classes for the
        // re-read (the VMs are off: no summaries to ask for).
        Assert.Equal(1 + 4 + 1 + 2, client.Queries.Count);
    }

    private static (List<string> Actions, List<string> Verbose) SetRecording(ICimClient client, VmSelection selection, MemoryChangeRequest request, bool approve = true)
    {
        var actions = new List<string>();
        var verbose = new List<string>();
        DynamicMemory.Set(client, selection, request, new MemoryChangeCallbacks
        {
            Reporter = new OperationReporter
            {
                Error = e => throw e,
                Verbose = verbose.Add,
                ShouldProcess = (_, action) =>
                {
                    actions.Add(action);
                    return approve;
                },
            },
        }, CancellationToken.None);
        return (actions, verbose);
    }

    private static CimObject SentSystemSettings((CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters) call)
    {
        Assert.Equal("ModifySystemSettings", call.Method);
        Assert.Equal("Msvm_VirtualSystemManagementService", call.Target.ClassName);
        return CimXml.Parse(Assert.IsType<string>(call.Parameters["SystemSettings"]));
    }

    [Fact]
    public void Enabling_dynamic_memory_turns_virtual_NUMA_off_first()
    {
        var fake = Host();
        var id = AddVm(fake, "web", dynamic: false, numa: true);
        var client = new MethodRecordingClient(fake);
        var (actions, verbose) = SetRecording(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = true, MinimumBytes = 512 * MB, MaximumBytes = 4096 * MB });
        Assert.Equal(new[] { "ModifySystemSettings", "ModifyResourceSettings" }, client.Calls.Select(c => c.Method));
        var sent = SentSystemSettings(client.Calls[0]);
        Assert.Equal("Msvm_VirtualSystemSettingData", sent.ClassName);
        Assert.Equal(new[] { "InstanceID", "VirtualNumaEnabled" }, sent.Properties.Keys);
        Assert.Equal("Microsoft:" + id.ToString("D").ToUpperInvariant(), sent.GetString("InstanceID"));
        Assert.False(sent.GetBoolean("VirtualNumaEnabled"));
        Assert.Contains("virtual NUMA off", Assert.Single(actions), StringComparison.Ordinal);
        Assert.Contains(verbose, v => v.Contains("ModifySystemSettings", StringComparison.Ordinal) && v.Contains("virtual NUMA off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public void Enabling_dynamic_memory_makes_no_NUMA_call_when_it_is_off_or_not_reported(bool? numa)
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: false, numa: numa);
        var client = new MethodRecordingClient(fake);
        var (actions, _) = SetRecording(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = true, MinimumBytes = 512 * MB, MaximumBytes = 4096 * MB });
        Assert.Equal("ModifyResourceSettings", Assert.Single(client.Calls).Method);
        Assert.DoesNotContain("NUMA", Assert.Single(actions), StringComparison.Ordinal);
    }

    [Fact]
    public void Disabling_dynamic_memory_turns_virtual_NUMA_back_on_afterwards()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: true, numa: false);
        var client = new MethodRecordingClient(fake);
        var (actions, _) = SetRecording(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = false });
        Assert.Equal(new[] { "ModifyResourceSettings", "ModifySystemSettings" }, client.Calls.Select(c => c.Method));
        Assert.True(SentSystemSettings(client.Calls[1]).GetBoolean("VirtualNumaEnabled"));
        Assert.Contains("virtual NUMA back on", Assert.Single(actions), StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_that_keeps_dynamic_memory_as_it_is_makes_no_NUMA_call()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: true, numa: false);
        var client = new MethodRecordingClient(fake);
        SetRecording(client, Names("web"), new MemoryChangeRequest { Priority = 80 });
        Assert.Equal("ModifyResourceSettings", Assert.Single(client.Calls).Method);
    }

    [Fact]
    public void Not_approved_makes_no_NUMA_call_either()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: false, numa: true);
        var client = new MethodRecordingClient(fake);
        var (actions, _) = SetRecording(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = true, MinimumBytes = 512 * MB, MaximumBytes = 4096 * MB }, approve: false);
        Assert.Single(actions);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public void A_refused_NUMA_change_stops_before_the_memory_change()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: false, numa: true);
        var client = new MethodRecordingClient(fake) { JobErrorCode = 32775 };
        var (errors, _, _) = Set(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = true, MinimumBytes = 512 * MB, MaximumBytes = 4096 * MB });
        Assert.Equal("CimJobFailed", Assert.Single(errors).ErrorId);
        Assert.Equal("ModifySystemSettings", Assert.Single(client.Calls).Method);
    }

    // ---- issue 10 item 5: the two steps of a dynamic memory switch are made as one ----
    private static readonly MemoryChangeRequest DynamicOn = new() { DynamicMemoryEnabled = true, MinimumBytes = 512 * MB, MaximumBytes = 4096 * MB };

    private static CimObject SentMemory((CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters) call)
    {
        Assert.Equal("ModifyResourceSettings", call.Method);
        return CimXml.Parse(Assert.Single(Assert.IsType<string[]>(call.Parameters["ResourceSettings"])));
    }

    [Fact]
    public void A_failed_memory_change_turns_virtual_NUMA_back_on_and_says_the_VM_is_as_it_was()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: false, numa: true);
        var client = new MethodRecordingClient(fake) { JobErrorOfCall = n => n == 2 ? (ushort)32773 : null };

        var (errors, _, _) = Set(client, Names("web"), DynamicOn);

        Assert.Equal(new[] { "ModifySystemSettings", "ModifyResourceSettings", "ModifySystemSettings" }, client.Calls.Select(c => c.Method));
        Assert.False(SentSystemSettings(client.Calls[0]).GetBoolean("VirtualNumaEnabled"));
        Assert.True(SentSystemSettings(client.Calls[2]).GetBoolean("VirtualNumaEnabled"));
        var failure = Assert.Single(errors);
        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Equal((uint)32773, failure.ProviderCode);
        Assert.Contains("ModifyResourceSettings", failure.Message, StringComparison.Ordinal);
        Assert.Contains("was turned back on", failure.Message, StringComparison.Ordinal);
        Assert.Contains("is as it was", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_turning_virtual_NUMA_back_on_fails_too_the_error_says_it_is_off_and_the_memory_unchanged()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: false, numa: true);
        var client = new MethodRecordingClient(fake) { JobErrorOfCall = n => n >= 2 ? (ushort)32768 : null };

        var (errors, _, _) = Set(client, Names("web"), DynamicOn);

        Assert.Equal(3, client.Calls.Count);
        var failure = Assert.Single(errors);
        Assert.Equal("MemoryChangeHalfApplied", failure.ErrorId);
        Assert.Equal("web", failure.Target);
        Assert.Contains("left with virtual NUMA off and its memory settings as they were (dynamic memory off)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ModifyResourceSettings", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ModifySystemSettings", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the same Set-DynamicMemory command finishes the change", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("Get-DynamicMemory -VMName 'web' -ComputerName", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void When_virtual_NUMA_cannot_be_turned_back_on_the_memory_change_is_undone()
    {
        var fake = Host();
        var id = AddVm(fake, "web", dynamic: true, numa: false);
        var client = new MethodRecordingClient(fake) { JobErrorOfCall = n => n == 2 ? (ushort)32775 : null };

        var (errors, _, _) = Set(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = false });

        Assert.Equal(new[] { "ModifyResourceSettings", "ModifySystemSettings", "ModifyResourceSettings" }, client.Calls.Select(c => c.Method));
        Assert.False(SentMemory(client.Calls[0]).GetBoolean("DynamicMemoryEnabled"));
        var undo = SentMemory(client.Calls[2]);
        Assert.True(undo.GetBoolean("DynamicMemoryEnabled"));
        Assert.Equal(new[] { "InstanceID", "DynamicMemoryEnabled" }, undo.Properties.Keys);
        Assert.StartsWith("Microsoft:" + id.ToString("D").ToUpperInvariant(), undo.GetString("InstanceID"), StringComparison.Ordinal);
        var failure = Assert.Single(errors);
        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Contains("ModifySystemSettings", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The memory change, made first, was undone", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_memory_change_cannot_be_undone_either_the_error_gives_the_command_that_puts_it_back()
    {
        var fake = Host();
        AddVm(fake, "web", dynamic: true, numa: false, minimum: 768);
        var client = new MethodRecordingClient(fake) { JobErrorOfCall = n => n >= 2 ? (ushort)32768 : null };

        var (errors, _, _) = Set(client, Names("web"), new MemoryChangeRequest { DynamicMemoryEnabled = false, StartupBytes = 2048 * MB });

        var failure = Assert.Single(errors);
        Assert.Equal("MemoryChangeHalfApplied", failure.ErrorId);
        Assert.Contains("left with the memory change made (dynamic memory off) and virtual NUMA off", failure.Message, StringComparison.Ordinal);
        Assert.Contains("-DynamicMemoryEnabled $true -StartupBytes 1024MB", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("refused by the provider", ((string)failure.Data["UndoFailure"]!).Split(": ").Last());
    }
}
