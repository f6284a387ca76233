using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>
/// A fake provider for KVP: FakeCimClient's canned queries plus AddKvpItems / ModifyKvpItems /
/// RemoveKvpItems acting on the VM's Msvm_KvpExchangeComponentSettingData, with a job per call
/// (docs/provider-model.md "KVP": Add fails on an existing key, Modify and Remove on a missing one).
/// </summary>
internal sealed class KvpFakeProvider : ICimClient
{
    private int _jobs;

    public KvpFakeProvider()
    {
        Inner.Add("Msvm_VirtualSystemManagementService", new() { ["CreationClassName"] = "Msvm_VirtualSystemManagementService", ["Name"] = "vmms", ["SystemName"] = "fakehost" }, keys: new[] { "CreationClassName", "Name", "SystemName" });
    }

    public FakeCimClient Inner { get; } = new();

    public List<(string Method, string Vm, string[] Items)> Calls { get; } = new();

    /// <summary>When set, the next call's job fails with this description.</summary>
    public string? FailNextJob { get; set; }

    /// <summary>The job ErrorCode for a duplicate Add or a missing key (default 32768 "Failed", with a description saying which).</summary>
    public ushort ConflictCode { get; set; } = 32768;

    /// <summary>When set, a conflict is the method's return code (no job), as a provider may refuse it up front.</summary>
    public bool ConflictAsReturnCode { get; set; }

    /// <summary>Runs before each method call is served, with the method and the VM: another writer acting in between.</summary>
    public Action<string, Guid>? BeforeCall { get; set; }

    /// <summary>Sets the VM's host items as another writer would.</summary>
    public void Write(Guid vm, Action<Dictionary<string, string>> change, KvpSource source = KvpSource.Host)
    {
        var pool = HostItems(vm, source);
        change(pool);
        FakeLab.SetProperty(Inner, vm, "Msvm_KvpExchangeComponentSettingData", source == KvpSource.Host ? "HostExchangeItems" : "HostOnlyItems", Texts(pool, source));
    }

    public string ComputerName => Inner.ComputerName;

    public int QueryCount => Inner.Queries.Count;

    public Guid AddVm(string name, ushort enabledState = 2, Dictionary<string, string>? host = null, Dictionary<string, string>? hostOnly = null, Dictionary<string, string>? guest = null, Dictionary<string, string>? intrinsic = null)
    {
        var id = FakeLab.AddVm(Inner, name, enabledState);
        FakeLab.SetProperty(Inner, id, "Msvm_KvpExchangeComponentSettingData", "HostExchangeItems", Texts(host, KvpSource.Host));
        FakeLab.SetProperty(Inner, id, "Msvm_KvpExchangeComponentSettingData", "HostOnlyItems", Texts(hostOnly, KvpSource.HostOnly));
        if (enabledState == 2)
        {
            FakeLab.SetProperty(Inner, id, "Msvm_KvpExchangeComponent", "GuestExchangeItems", Texts(guest, KvpSource.Guest));
            FakeLab.SetProperty(Inner, id, "Msvm_KvpExchangeComponent", "GuestIntrinsicExchangeItems", Texts(intrinsic, KvpSource.Intrinsic));
        }

        return id;
    }

    public Dictionary<string, string> HostItems(Guid vm, KvpSource source = KvpSource.Host)
    {
        var setting = Inner.Query(CimNamespaces.Virtualization, "SELECT * FROM Msvm_KvpExchangeComponentSettingData", CancellationToken.None)
            .First(s => HostSnapshot.VmIdOf(s) == vm);
        Inner.Queries.RemoveAt(Inner.Queries.Count - 1);
        return setting.GetStringArray(source == KvpSource.Host ? "HostExchangeItems" : "HostOnlyItems").Select(KvpRules.Parse).ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
    }

    public static string[] Texts(Dictionary<string, string>? items, KvpSource source)
        => (items ?? new()).Select(i => KvpRules.Serialize(i.Key, i.Value, source)).ToArray();

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken) => Inner.Query(namespaceName, wql, cancellationToken);

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken) => Inner.GetInstance(path, cancellationToken);

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken) => throw new NotSupportedException();

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        Assert.Equal("Msvm_VirtualSystemManagementService", target.ClassName);
        var vmPath = Assert.IsType<CimInstancePath>(parameters["TargetSystem"]);
        var texts = Assert.IsType<string[]>(parameters["DataItems"]);
        Assert.InRange(texts.Length, 1, KvpRules.MaxItemsPerCall);
        var vm = Guid.Parse((string)vmPath.Keys["Name"]!);
        Calls.Add((methodName, vmPath.Keys["Name"]!.ToString()!, texts));
        BeforeCall?.Invoke(methodName, vm);

        var items = texts.Select(CimXml.Parse).ToList();
        var source = (KvpSource)items[0].GetUInt16("Source")!.Value;
        var pool = HostItems(vm, source);
        string? error = FailNextJob;
        FailNextJob = null;
        var conflict = false;
        foreach (var item in items)
        {
            var name = item.GetString("Name")!;
            var exists = pool.ContainsKey(name);
            var clash = methodName switch
            {
                "AddKvpItems" when exists => $"'{name}' already exists",
                "ModifyKvpItems" or "RemoveKvpItems" when !exists => $"'{name}' does not exist",
                _ => null,
            };
            conflict |= error is null && clash is not null;
            error ??= clash;
            if (methodName == "RemoveKvpItems")
            {
                pool.Remove(name);
            }
            else
            {
                pool[name] = item.GetString("Data") ?? string.Empty;
            }
        }

        if (error is null)
        {
            FakeLab.SetProperty(Inner, vm, "Msvm_KvpExchangeComponentSettingData", source == KvpSource.Host ? "HostExchangeItems" : "HostOnlyItems", Texts(pool, source));
        }

        if (conflict && ConflictAsReturnCode)
        {
            return new CimMethodResult(ConflictCode);
        }

        var code = error is null ? (ushort)0 : conflict ? ConflictCode : (ushort)32768;
        var jobId = "job-" + Interlocked.Increment(ref _jobs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Inner.Add("Msvm_ConcreteJob", new() { ["InstanceID"] = jobId, ["JobState"] = error is null ? (ushort)7 : (ushort)10, ["ErrorCode"] = code, ["ErrorDescription"] = error }, keys: "InstanceID");
        return new CimMethodResult(ReturnCodes.JobStarted, new Dictionary<string, object?> { ["Job"] = CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_ConcreteJob", "InstanceID", jobId) });
    }

    public void Dispose()
    {
    }
}

/// <summary>Collects what the domain reports.</summary>
internal sealed class KvpLog
{
    public List<string> Verbose { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<GuestFeatureException> Errors { get; } = new();

    public List<string> Asked { get; } = new();

    public bool Approve { get; set; } = true;

    public OperationReporter Reporter => new()
    {
        Verbose = Verbose.Add,
        Warning = Warnings.Add,
        Error = Errors.Add,
        ShouldProcess = (target, action) =>
        {
            Asked.Add(target + ": " + action);
            return Approve;
        },
    };
}

public class KvpExchangeTests
{
    private static VmSelection Names(params string[] names)
    {
        var selection = new VmSelection();
        if (names.Length == 0)
        {
            selection.AddAll();
        }
        else
        {
            selection.AddNames(names);
        }

        return selection;
    }

    private static IReadOnlyList<KvpItem> Read(KvpFakeProvider host, KvpLog log, KvpReadOptions? options = null, params string[] vms)
        => KvpExchange.Read(host, Names(vms), options ?? new KvpReadOptions(), log.Reporter, CancellationToken.None);

    [Fact]
    public void Reads_every_source_of_every_vm_in_three_queries_whatever_the_vm_count()
    {
        var host = new KvpFakeProvider();
        for (var i = 0; i < 20; i++)
        {
            host.AddVm("vm" + i, host: new() { ["h"] = "1" }, hostOnly: new() { ["ho"] = "2" }, guest: new() { ["g"] = "3" }, intrinsic: new() { ["OSName"] = "Ubuntu" });
        }

        var log = new KvpLog();
        var items = Read(host, log);
        Assert.Equal(80, items.Count);
        Assert.Equal(3, host.QueryCount); // VM lookup, settings, components
        var first = items.Where(i => i.VMName == "vm0").ToList();
        Assert.Equal(new[] { KvpSource.Host, KvpSource.Guest, KvpSource.Intrinsic, KvpSource.HostOnly }, first.Select(i => i.Source));
        Assert.Equal(new[] { "h", "g", "OSName", "ho" }, first.Select(i => i.Name));
        Assert.Equal("fakehost", first[0].ComputerName);
        Assert.Empty(log.Errors);
    }

    [Fact]
    public void Host_items_of_an_off_vm_are_read_without_a_component_query()
    {
        var host = new KvpFakeProvider();
        host.AddVm("off", enabledState: 3, host: new() { ["role"] = "db" });
        var log = new KvpLog();
        var item = Assert.Single(Read(host, log));
        Assert.Equal(("role", "db", KvpSource.Host), (item.Name, item.Value, item.Source));
        Assert.Equal(2, host.QueryCount);
        Assert.Contains(log.Verbose, v => v.Contains("it is Off", StringComparison.Ordinal));
        Assert.Empty(log.Warnings); // guest items were not asked for explicitly
    }

    [Fact]
    public void Asking_for_guest_items_of_an_off_vm_explains_why_there_are_none()
    {
        var host = new KvpFakeProvider();
        host.AddVm("off", enabledState: 3);
        var log = new KvpLog();
        Assert.Empty(Read(host, log, new KvpReadOptions { Sources = new[] { KvpSource.Intrinsic }, ExplainMissingGuestItems = true }));
        Assert.Contains("guest and intrinsic items exist only while a VM runs", Assert.Single(log.Warnings), StringComparison.Ordinal);
        Assert.Equal(1, host.QueryCount); // nothing to read: no settings, no running VM
    }

    [Fact]
    public void A_disabled_data_exchange_service_is_named_when_guest_items_are_missing()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm");
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponentSettingData", "EnabledState", (ushort)3);
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponent", "EnabledState", (ushort)3); // docs/provider-model.md
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponent", "OperationalStatus", new ushort[] { 12 });
        var log = new KvpLog();
        Read(host, log, new KvpReadOptions { Sources = new[] { KvpSource.Guest }, ExplainMissingGuestItems = true });
        Assert.Contains("Enable-GuestFeature -VMName 'vm' -ComputerName '" + host.Inner.ComputerName + "' -Name 'KVP exchange'", Assert.Single(log.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_silent_guest_daemon_is_named()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm");
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponent", "OperationalStatus", new ushort[] { 12 });
        var log = new KvpLog();
        Read(host, log, new KvpReadOptions { Sources = new[] { KvpSource.Intrinsic }, ExplainMissingGuestItems = true });
        Assert.Contains("hv_kvp_daemon", Assert.Single(log.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_filter_with_wildcards_ignoring_case_and_sources_filter()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm", host: new() { ["NetworkAddressIPv4"] = "host-set" }, intrinsic: new() { ["NetworkAddressIPv4"] = "10.0.0.5;10.0.1.5", ["NetworkAddressIPv6"] = "fe80::1", ["OSName"] = "Debian" });
        var log = new KvpLog();
        var items = Read(host, log, new KvpReadOptions { Names = new[] { "networkaddress*" }, Sources = new[] { KvpSource.Intrinsic } });
        Assert.Equal(new[] { "NetworkAddressIPv4", "NetworkAddressIPv6" }, items.Select(i => i.Name));
        Assert.Equal("10.0.0.5;10.0.1.5", items[0].Value);
        Assert.All(items, i => Assert.Equal(KvpSource.Intrinsic, i.Source));
    }

    [Fact]
    public void A_malformed_item_is_skipped_with_a_warning_and_the_rest_still_reported()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm");
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponent", "GuestIntrinsicExchangeItems",
            new[] { "<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\"><PROPERTY NAME=", KvpRules.Serialize("OSName", "FreeBSD", KvpSource.Intrinsic) });
        var log = new KvpLog();
        var item = Assert.Single(Read(host, log));
        Assert.Equal("FreeBSD", item.Value);
        Assert.StartsWith("Skipped a malformed Intrinsic KVP item of VM 'vm'", Assert.Single(log.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_vm_name_that_matches_nothing_is_an_error_and_the_others_still_read()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm", host: new() { ["a"] = "1" });
        var log = new KvpLog();
        Assert.Single(Read(host, log, null, "vm", "ghost"));
        Assert.Equal("VMNotFound", Assert.Single(log.Errors).ErrorId);
    }

    [Fact]
    public void Set_adds_new_keys_modifies_changed_ones_and_leaves_equal_ones_alone()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", host: new() { ["same"] = "1", ["changed"] = "old" });
        var log = new KvpLog();
        var entries = new[] { new KvpEntry("same", "1"), new KvpEntry("changed", "new"), new KvpEntry("added", "x") };
        var result = KvpExchange.Set(host, Names("vm"), entries, KvpSource.Host, passThru: true, log.Reporter, CancellationToken.None);

        Assert.Equal(new[] { "AddKvpItems", "ModifyKvpItems" }, host.Calls.Select(c => c.Method));
        Assert.Equal(new[] { "added" }, host.Calls[0].Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new[] { "changed" }, host.Calls[1].Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new Dictionary<string, string> { ["same"] = "1", ["changed"] = "new", ["added"] = "x" }, host.HostItems(id));
        Assert.Contains(log.Verbose, v => v.Contains("'same'", StringComparison.Ordinal) && v.Contains("unchanged", StringComparison.Ordinal));
        Assert.Equal("VM 'vm' on host 'fakehost': Set KVP items (Host): add 'added'; modify 'changed'", Assert.Single(log.Asked));
        Assert.Equal(new[] { "same=1", "changed=new", "added=x" }, result.Select(i => i.ToString()));
        Assert.Empty(log.Errors);
    }

    [Fact]
    public void Set_with_every_value_equal_makes_no_call_and_asks_nothing()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm", host: new() { ["k"] = "v" });
        var log = new KvpLog();
        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "v") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Empty(host.Calls);
        Assert.Empty(log.Asked);
    }

    [Fact]
    public void Set_keys_are_case_sensitive_like_the_provider()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", host: new() { ["Role"] = "web" });
        var log = new KvpLog();
        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("role", "db") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Equal("AddKvpItems", Assert.Single(host.Calls).Method);
        Assert.Equal(2, host.HostItems(id).Count);
    }

    [Fact]
    public void Set_writes_host_only_items_to_their_own_pool()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", host: new() { ["k"] = "guest-visible" });
        var log = new KvpLog();
        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "secret") }, KvpSource.HostOnly, false, log.Reporter, CancellationToken.None);
        Assert.Equal("AddKvpItems", Assert.Single(host.Calls).Method);
        Assert.Equal((ushort)4, CimXml.Parse(host.Calls[0].Items[0]).GetUInt16("Source"));
        Assert.Equal("secret", host.HostItems(id, KvpSource.HostOnly)["k"]);
        Assert.Equal("guest-visible", host.HostItems(id)["k"]);
    }

    [Fact]
    public void Set_batches_many_items_128_per_call()
    {
        var host = new KvpFakeProvider();
        var existing = Enumerable.Range(0, 130).ToDictionary(i => "old" + i, i => "0");
        var id = host.AddVm("vm", host: existing);
        var entries = Enumerable.Range(0, 130).Select(i => new KvpEntry("old" + i, "1"))
            .Concat(Enumerable.Range(0, 200).Select(i => new KvpEntry("new" + i, "1"))).ToList();
        var log = new KvpLog();
        KvpExchange.Set(host, Names("vm"), entries, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Equal(new[] { ("AddKvpItems", 128), ("AddKvpItems", 72), ("ModifyKvpItems", 128), ("ModifyKvpItems", 2) }, host.Calls.Select(c => (c.Method, c.Items.Length)));
        Assert.Equal(330, host.HostItems(id).Count);
        Assert.Single(log.Asked); // one confirmation per VM, not per batch
    }

    [Fact]
    public void Invalid_input_changes_nothing_and_is_an_error_per_vm_with_the_vm_as_target()
    {
        var host = new KvpFakeProvider();
        host.AddVm("a");
        host.AddVm("b");
        var log = new KvpLog();
        KvpExchange.Set(host, Names(), new[] { new KvpEntry("good", "v"), new KvpEntry("bad", new string('x', 1024)) }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Empty(host.Calls);
        Assert.Empty(log.Asked);
        Assert.Equal(new[] { "a", "b" }, log.Errors.Select(e => e.Target));
        Assert.All(log.Errors, e => Assert.Equal("KvpValueTooLong", e.ErrorId));
        Assert.Equal(1, host.QueryCount); // refused before reading any item
    }

    [Fact]
    public void Declined_confirmation_makes_no_call()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm");
        var log = new KvpLog { Approve = false };
        var result = KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "v") }, KvpSource.Host, true, log.Reporter, CancellationToken.None);
        Assert.Empty(host.Calls);
        Assert.Single(log.Asked);
        Assert.Empty(result);
    }

    [Fact]
    public void A_disabled_data_exchange_service_still_takes_host_items_with_a_warning()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", enabledState: 3);
        FakeLab.SetProperty(host.Inner, id, "Msvm_KvpExchangeComponentSettingData", "EnabledState", (ushort)3);
        var log = new KvpLog();
        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "v") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Equal("v", host.HostItems(id)["k"]);
        Assert.Contains("won't see them", Assert.Single(log.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_job_is_cim_job_failed_for_that_vm_and_the_next_vm_is_still_written()
    {
        var host = new KvpFakeProvider();
        host.AddVm("a");
        var b = host.AddVm("b");
        host.FailNextJob = "The operation failed (0x80004005)";
        var log = new KvpLog();
        KvpExchange.Set(host, Names("a", "b"), new[] { new KvpEntry("k", "v") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        var error = Assert.Single(log.Errors);
        Assert.Equal(("CimJobFailed", (object?)"a"), (error.ErrorId, error.Target));
        Assert.Contains("0x80004005", error.Message, StringComparison.Ordinal);
        Assert.Equal("v", host.HostItems(b)["k"]);
    }

    [Fact]
    public void Remove_removes_exact_and_wildcard_matches_and_reports_missing_exact_names()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", host: new() { ["keep"] = "1", ["tmp1"] = "a", ["tmp2"] = "b", ["Role"] = "web" });
        var log = new KvpLog();
        var removed = KvpExchange.Remove(host, Names("vm"), new[] { "tmp*", "role", "ghost", "none*" }, KvpSource.Host, true, log.Reporter, CancellationToken.None);

        var call = Assert.Single(host.Calls);
        Assert.Equal("RemoveKvpItems", call.Method);
        Assert.Equal(new[] { "tmp1", "tmp2" }, call.Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new[] { "keep", "Role" }, host.HostItems(id).Keys);
        Assert.Equal(new[] { "tmp1=a", "tmp2=b" }, removed.Select(i => i.ToString()));

        // Keys are exact: 'role' is not 'Role' (the guest daemon compares bytes), and the error says so.
        Assert.Equal(2, log.Errors.Count);
        Assert.All(log.Errors, e => Assert.Equal(("KvpItemNotFound", (object?)"vm", FailureKind.NotFound), (e.ErrorId, e.Target, e.Kind)));
        Assert.Contains("'role'", log.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Role'", log.Errors[0].RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("'ghost'", log.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_with_nothing_matching_makes_no_call()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm", host: new() { ["keep"] = "1" });
        var log = new KvpLog();
        KvpExchange.Remove(host, Names("vm"), new[] { "zz*" }, KvpSource.Host, false, log.Reporter, CancellationToken.None);
        Assert.Empty(host.Calls);
        Assert.Empty(log.Errors);
        Assert.Empty(log.Asked);
    }

    // ---- Concurrent writers (issue 10 item 7): a key added or removed between the read and the call ----

    [Theory]
    [InlineData((ushort)32768, false)] // "Failed" with a description saying the key exists
    [InlineData((ushort)32773, false)] // the provider's code for a duplicate Add (containers/libhvee)
    [InlineData((ushort)32773, true)]  // the same, as the method's return code
    public void Set_turns_an_add_into_a_modify_when_another_writer_added_the_key_in_between(ushort code, bool asReturnCode)
    {
        var host = new KvpFakeProvider { ConflictCode = code, ConflictAsReturnCode = asReturnCode };
        var id = host.AddVm("vm", host: new() { ["other"] = "1" });
        host.BeforeCall = (method, vm) =>
        {
            if (host.Calls.Count == 1)
            {
                host.Write(vm, pool => pool["k"] = "theirs");
            }
        };
        var log = new KvpLog();

        var result = KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "mine"), new KvpEntry("new", "x") }, KvpSource.Host, true, log.Reporter, CancellationToken.None);

        Assert.Empty(log.Errors);
        Assert.Equal(new[] { "AddKvpItems", "AddKvpItems", "ModifyKvpItems" }, host.Calls.Select(c => c.Method));
        Assert.Equal(new[] { "new" }, host.Calls[1].Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new[] { "k" }, host.Calls[2].Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new Dictionary<string, string> { ["other"] = "1", ["k"] = "mine", ["new"] = "x" }, host.HostItems(id));
        Assert.Equal(new[] { "k=mine", "new=x" }, result.Select(i => i.ToString()));
        Assert.Single(log.Asked); // the retry is the same approved change
    }

    [Theory]
    [InlineData((ushort)32768)]
    [InlineData((ushort)32779)] // the provider's code for a missing key (containers/libhvee "Not found")
    public void Set_turns_a_modify_into_an_add_when_another_writer_removed_the_key_in_between(ushort code)
    {
        var host = new KvpFakeProvider { ConflictCode = code };
        var id = host.AddVm("vm", host: new() { ["k"] = "old" });
        host.BeforeCall = (method, vm) =>
        {
            if (host.Calls.Count == 1)
            {
                host.Write(vm, pool => pool.Remove("k"));
            }
        };
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "new") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Empty(log.Errors);
        Assert.Equal(new[] { "ModifyKvpItems", "AddKvpItems" }, host.Calls.Select(c => c.Method));
        Assert.Equal("new", host.HostItems(id)["k"]);
    }

    [Fact]
    public void Set_makes_no_second_call_when_the_other_writer_already_wrote_the_same_value()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm");
        host.BeforeCall = (method, vm) => host.Write(vm, pool => pool["k"] = "same");
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "same") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Empty(log.Errors);
        Assert.Equal("AddKvpItems", Assert.Single(host.Calls).Method);
        Assert.Equal("same", host.HostItems(id)["k"]);
    }

    [Fact]
    public void Set_retries_only_once_and_then_reports_the_conflict()
    {
        var host = new KvpFakeProvider { ConflictCode = 32779 };
        host.AddVm("vm", host: new() { ["k"] = "old" });
        host.BeforeCall = (method, vm) => host.Write(vm, pool => pool.Remove("k"));
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "new") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        // Modify fails (removed), Add is tried once; the writer removes nothing more, so the Add succeeds.
        Assert.Equal(new[] { "ModifyKvpItems", "AddKvpItems" }, host.Calls.Select(c => c.Method));
        Assert.Empty(log.Errors);

        var again = new KvpFakeProvider { ConflictCode = 32773 };
        again.AddVm("vm");
        again.BeforeCall = (method, vm) => again.Write(vm, pool => pool["k"] = "theirs" + again.Calls.Count);
        var log2 = new KvpLog();
        KvpExchange.Set(again, Names("vm"), new[] { new KvpEntry("k", "mine") }, KvpSource.Host, false, log2.Reporter, CancellationToken.None);
        Assert.Equal(new[] { "AddKvpItems", "ModifyKvpItems" }, again.Calls.Select(c => c.Method));
        Assert.Empty(log2.Errors); // the Modify wins: last writer
    }

    [Fact]
    public void A_conflict_that_persists_after_one_retry_is_an_error()
    {
        var host = new KvpFakeProvider { ConflictCode = 32773 };
        host.AddVm("vm");

        // Every call finds the key just added by someone else, and every Modify finds it just removed.
        host.BeforeCall = (method, vm) => host.Write(vm, pool =>
        {
            if (method == "AddKvpItems")
            {
                pool["k"] = "theirs";
            }
            else
            {
                pool.Remove("k");
            }
        });
        host.ConflictCode = 32773;
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "mine") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Equal(new[] { "AddKvpItems", "ModifyKvpItems" }, host.Calls.Select(c => c.Method));
        var error = Assert.Single(log.Errors);
        Assert.Equal("CimJobFailed", error.ErrorId);
        Assert.Contains("None of the items was applied: 'k'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_drops_keys_another_writer_removed_in_between_and_removes_the_rest()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm", host: new() { ["a"] = "1", ["b"] = "2", ["keep"] = "3" });
        host.BeforeCall = (method, vm) =>
        {
            if (host.Calls.Count == 1)
            {
                host.Write(vm, pool => pool.Remove("a"));
            }
        };
        var log = new KvpLog();

        var removed = KvpExchange.Remove(host, Names("vm"), new[] { "a", "b" }, KvpSource.Host, true, log.Reporter, CancellationToken.None);

        Assert.Empty(log.Errors);
        Assert.Equal(new[] { "RemoveKvpItems", "RemoveKvpItems" }, host.Calls.Select(c => c.Method));
        Assert.Equal(new[] { "b" }, host.Calls[1].Items.Select(t => KvpRules.Parse(t).Name));
        Assert.Equal(new[] { "keep" }, host.HostItems(id).Keys);
        Assert.Equal(new[] { "b=2" }, removed.Select(i => i.ToString()));
    }

    [Fact]
    public void Other_failures_are_not_retried()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm");
        host.FailNextJob = "The configuration store is locked.";
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "v") }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Single(host.Calls);
        Assert.Equal("CimJobFailed", Assert.Single(log.Errors).ErrorId);
    }

    // ---- A failed batch says which items were applied (issue 10 item 9) ----

    [Fact]
    public void A_failed_second_batch_says_which_items_the_vm_has_and_which_not()
    {
        var host = new KvpFakeProvider();
        var id = host.AddVm("vm");
        host.BeforeCall = (method, vm) =>
        {
            if (host.Calls.Count == 2)
            {
                host.FailNextJob = "The configuration store is locked.";
            }
        };
        var entries = Enumerable.Range(1, 130).Select(i => new KvpEntry("Key" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "v")).ToList();
        var log = new KvpLog();

        KvpExchange.Set(host, Names("vm"), entries, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Equal(128, host.HostItems(id).Count);
        var error = Assert.Single(log.Errors);
        Assert.Equal("CimJobFailed", error.ErrorId);
        Assert.Contains("configuration store is locked", error.Message, StringComparison.Ordinal);
        Assert.Contains("Applied: 'Key1', 'Key2',", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Key10' and 118 more. Not applied: 'Key129', 'Key130'.", error.Message, StringComparison.Ordinal);
        Assert.Equal(128, ((string[])error.Data["AppliedKeys"]!).Length);
        Assert.Equal(new[] { "Key129", "Key130" }, (string[])error.Data["NotAppliedKeys"]!);
    }

    [Fact]
    public void A_failed_removal_says_which_keys_are_gone()
    {
        var host = new KvpFakeProvider();
        host.AddVm("vm", host: new() { ["a"] = "1" });
        host.FailNextJob = "Access is denied.";
        var log = new KvpLog();

        KvpExchange.Remove(host, Names("vm"), new[] { "a" }, KvpSource.Host, false, log.Reporter, CancellationToken.None);

        Assert.Contains("None of the items was applied: 'a'.", Assert.Single(log.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KvpSource.Guest)]
    [InlineData(KvpSource.Intrinsic)]
    public void Guest_pools_cannot_be_written(KvpSource source)
    {
        var host = new KvpFakeProvider();
        var failure = Assert.Throws<GuestFeatureException>(() => KvpExchange.Set(host, Names("vm"), new[] { new KvpEntry("k", "v") }, source, false, new OperationReporter(), CancellationToken.None));
        Assert.Equal("KvpSourceNotWritable", failure.ErrorId);
    }
}
