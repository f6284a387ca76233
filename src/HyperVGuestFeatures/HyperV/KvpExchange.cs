using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What Get-KvpItem reads.</summary>
internal sealed class KvpReadOptions
{
    /// <summary>The sources to read; empty means all four.</summary>
    public IReadOnlyCollection<KvpSource> Sources { get; init; } = Array.Empty<KvpSource>();

    /// <summary>Key names: a wildcard matches ignoring case, a name without wildcards exactly; empty means every key.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>
    /// True when the user asked for guest items explicitly: why a VM has none (off, Data Exchange
    /// disabled, no guest daemon) is then a warning; otherwise it is verbose.
    /// </summary>
    public bool ExplainMissingGuestItems { get; init; }
}

/// <summary>
/// Get/Set/Remove of KVP (Data Exchange) items on one host (docs/provider-model.md "KVP", "Methods").
/// Reads query <c>Msvm_KvpExchangeComponentSettingData</c> (host and host-only items, every power
/// state) and <c>Msvm_KvpExchangeComponent</c> (guest and intrinsic items, running VMs) once per host
/// and join them by VM in memory. Writes read the host items once, validate everything before any
/// change, then call AddKvpItems / ModifyKvpItems / RemoveKvpItems per VM in batches of at most 128
/// and wait for each job.
/// </summary>
internal static class KvpExchange
{
    private const ushort Disabled = 3;

    private static readonly KvpSource[] AllSources = { KvpSource.Host, KvpSource.Guest, KvpSource.Intrinsic, KvpSource.HostOnly };

    internal static SnapshotQuery SettingQuery => SnapshotQuery.SettingOf(IntegrationComponent.KeyValuePairExchange);

    internal static SnapshotQuery ComponentQuery => SnapshotQuery.ComponentOf(IntegrationComponent.KeyValuePairExchange);

    /// <summary>The items of the selected VMs; names that match no VM are reported as errors.</summary>
    public static IReadOnlyList<KvpItem> Read(ICimClient client, VmSelection selection, KvpReadOptions options, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var sources = options.Sources.Count == 0 ? AllSources : options.Sources.Distinct().ToArray();
        var wantSettings = sources.Any(KvpRules.IsWritable);
        var wantGuest = sources.Any(s => !KvpRules.IsWritable(s));
        var patterns = Patterns(options.Names, reporter);
        if (patterns is { Count: 0 })
        {
            return Array.Empty<KvpItem>(); // every name given was invalid: none of them selects every key
        }

        var machines = VmInventory.Find(client, selection, reporter, cancellationToken);
        if (machines.Count == 0)
        {
            return Array.Empty<KvpItem>();
        }

        var queries = new List<SnapshotQuery>();
        if (wantSettings)
        {
            queries.Add(SettingQuery);
        }

        // Guest items exist only on the runtime component, which exists only while a VM runs (docs/provider-model.md "Per VM").
        if (wantGuest && machines.Any(HasRuntimeComponents))
        {
            queries.Add(ComponentQuery);
        }

        reporter.Verbose(GuestFeatureException.Format("VerboseKvpRead", machines.Count, client.ComputerName, queries.Count));
        var snapshot = HostSnapshot.Read(client, queries, queries.Count, cancellationToken);

        var items = new List<KvpItem>();
        foreach (var vm in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var setting = snapshot.ForVm(SettingQuery, vm.Id).FirstOrDefault();
            var component = snapshot.ForVm(ComponentQuery, vm.Id).FirstOrDefault();
            var found = new List<KvpItem>();
            foreach (var source in sources.OrderBy(s => (int)s))
            {
                var holder = KvpRules.IsWritable(source) ? setting : component;
                foreach (var entry in ItemsOf(holder, source, vm, reporter))
                {
                    if (patterns is null || patterns.Any(p => p(entry.Name)))
                    {
                        found.Add(new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, entry.Name, entry.Value));
                    }
                }
            }

            if (wantGuest && !found.Any(i => !KvpRules.IsWritable(i.Source)) && GuestItemsUnavailable(vm, setting, component) is { } why)
            {
                (options.ExplainMissingGuestItems ? reporter.Warning : reporter.Verbose)(why);
            }

            items.AddRange(found.OrderBy(i => (int)i.Source).ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase));
        }

        return items;
    }

    /// <summary>
    /// Adds the entries that are new and modifies the ones whose value differs, on every selected VM;
    /// equal values make no call. Returns the written items as they read afterwards (with <paramref name="passThru"/>).
    /// The whole step on the calling thread (<see cref="PlanSet"/>, each change asked with the reporter's ShouldProcess).
    /// </summary>
    public static IReadOnlyList<KvpItem> Set(ICimClient client, VmSelection selection, IReadOnlyList<KvpEntry> entries, KvpSource source, bool passThru, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var result = new List<KvpItem>();
        PlanSet(client, selection, entries, source, passThru ? result.Add : null, reporter, cancellationToken).Run(reporter, cancellationToken);
        return result;
    }

    /// <summary>
    /// Set-KvpItem's plan for one host (<see cref="ChangePlan"/>): the host items read once, every entry
    /// validated before any change (a violation is an error for every VM and nothing is planned), and per
    /// VM one change that adds the keys it lacks and modifies the ones whose value differs; a VM that has
    /// every value already gets no change. <paramref name="passThru"/> receives the written items as they
    /// read afterwards, for the VMs changed or already as asked.
    /// </summary>
    internal static ChangePlan PlanSet(ICimClient client, VmSelection selection, IReadOnlyList<KvpEntry> entries, KvpSource source, Action<KvpItem>? passThru, OperationReporter reporter, CancellationToken cancellationToken)
    {
        CheckWritable(source);

        // The last value given for a key wins; keys are case-sensitive, as the provider and the guest daemon keep them.
        var wanted = new Dictionary<string, KvpEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            wanted[entry.Name] = entry;
        }

        var machines = VmInventory.Find(client, selection, reporter, cancellationToken);
        if (machines.Count == 0 || wanted.Count == 0)
        {
            return ChangePlan.None;
        }

        var violations = KvpRules.Validate(wanted.Values, source);
        if (violations.Count > 0)
        {
            foreach (var vm in machines)
            {
                foreach (var violation in violations)
                {
                    reporter.Error(violation.ToFailure(vm.Name));
                }
            }

            return ChangePlan.None;
        }

        foreach (var warning in KvpRules.GuestWarnings(wanted.Values, source))
        {
            reporter.Warning(warning);
        }

        var queries = new List<SnapshotQuery> { SettingQuery };
        if (source == KvpSource.Host && machines.Any(HasRuntimeComponents))
        {
            queries.Add(ComponentQuery);
        }

        reporter.Verbose(GuestFeatureException.Format("VerboseKvpReadSource", source, machines.Count, client.ComputerName));
        var snapshot = HostSnapshot.Read(client, queries, queries.Count, cancellationToken);
        var service = new Lazy<CimInstancePath>(() => HyperV.ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        var unchanged = new HashSet<Guid>();
        var changes = new List<VmChange>();

        foreach (var vm in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SettingOf(snapshot, vm, reporter) is not { } setting)
            {
                continue;
            }

            var current = CurrentItems(setting, source, vm, reporter);
            foreach (var entry in wanted.Values.Where(e => current.TryGetValue(e.Name, out var value) && string.Equals(value, e.Value, StringComparison.Ordinal)))
            {
                reporter.Verbose(GuestFeatureException.Format("VerboseKvpUnchanged", entry.Name, source, vm.Name, client.ComputerName));
            }

            if (source == KvpSource.Host)
            {
                WarnIfGuestCannotSee(vm, setting, snapshot.ForVm(ComponentQuery, vm.Id).FirstOrDefault(), reporter);
            }

            var change = KvpChange.ForSet(wanted.Values);
            var plan = change.Plan(current);
            if (plan.Count == 0)
            {
                unchanged.Add(vm.Id);
                continue;
            }

            var action = GuestFeatureException.Format("KvpSetAction", source, Describe(plan));
            changes.Add(new VmChange(vm, action, Check(vm, source), stop => Apply(client, service.Value, vm, setting, source, change, plan, reporter, stop)));
        }

        return new ChangePlan(changes, made =>
        {
            var changed = new HashSet<Guid>(made.Select(c => c.Machine.Id));
            var written = machines.Where(vm => unchanged.Contains(vm.Id) || changed.Contains(vm.Id)).ToList();
            if (passThru is null || written.Count == 0)
            {
                return;
            }

            var after = changed.Count > 0 ? HostSnapshot.Read(client, new[] { SettingQuery }, 1, cancellationToken) : snapshot;
            foreach (var vm in written)
            {
                var items = CurrentItems(after.ForVm(SettingQuery, vm.Id).FirstOrDefault(), source, vm, reporter);
                foreach (var entry in wanted.Values)
                {
                    if (items.TryGetValue(entry.Name, out var value))
                    {
                        passThru(new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, entry.Name, value));
                    }
                }
            }
        });
    }

    /// <summary>
    /// Removes the named items (wildcards remove every match) from every selected VM. A name without
    /// wildcards that a VM lacks is a KvpItemNotFound error for that VM; its other items are still removed.
    /// Returns the removed items as they were (with <paramref name="passThru"/>). The whole step on the
    /// calling thread (<see cref="PlanRemove"/>).
    /// </summary>
    public static IReadOnlyList<KvpItem> Remove(ICimClient client, VmSelection selection, IReadOnlyList<string> names, KvpSource source, bool passThru, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var removed = new List<KvpItem>();
        PlanRemove(client, selection, names, source, passThru ? removed.Add : null, reporter, cancellationToken).Run(reporter, cancellationToken);
        return removed;
    }

    /// <summary>
    /// Remove-KvpItem's plan for one host (<see cref="ChangePlan"/>): the host items read once; per VM, the
    /// keys the names select (an exact key the VM lacks is KvpItemNotFound for that VM) and one change that
    /// removes them. <paramref name="removed"/> receives each removed item with the value it had.
    /// </summary>
    internal static ChangePlan PlanRemove(ICimClient client, VmSelection selection, IReadOnlyList<string> names, KvpSource source, Action<KvpItem>? removed, OperationReporter reporter, CancellationToken cancellationToken)
    {
        CheckWritable(source);
        names = ValidNames(names.Distinct(StringComparer.Ordinal), reporter);
        var machines = VmInventory.Find(client, selection, reporter, cancellationToken);
        if (machines.Count == 0 || names.Count == 0)
        {
            return ChangePlan.None;
        }

        reporter.Verbose(GuestFeatureException.Format("VerboseKvpReadSource", source, machines.Count, client.ComputerName));
        var snapshot = HostSnapshot.Read(client, new[] { SettingQuery }, 1, cancellationToken);
        var service = new Lazy<CimInstancePath>(() => HyperV.ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        var changes = new List<VmChange>();

        foreach (var vm in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SettingOf(snapshot, vm, reporter) is not { } setting)
            {
                continue;
            }

            var current = CurrentItems(setting, source, vm, reporter);
            var matches = new List<string>();
            foreach (var name in names)
            {
                var hits = Match(current.Keys, name);
                if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var variants = CaseVariants(current.Keys, name);
                    reporter.Error(new GuestFeatureException("KvpItemNotFound", FailureKind.NotFound, vm.Name, GuestFeatureException.Format("KvpItemNotFound", vm.Name, client.ComputerName, source, WildcardPattern.Unescape(name)))
                    {
                        RecommendedAction = variants.Count > 0
                            ? GuestFeatureException.Format("KvpItemNotFoundCaseAction", string.Join(", ", variants.Select(v => "'" + v + "'")))
                            : GuestFeatureException.Format("KvpItemNotFoundAction", CommandText.Target(vm), source),
                    });
                }

                matches.AddRange(hits.Where(h => !matches.Contains(h, StringComparer.Ordinal)));
            }

            if (matches.Count == 0)
            {
                continue;
            }

            var change = KvpChange.ForRemove(matches);
            var plan = change.Plan(current);
            var action = GuestFeatureException.Format("KvpRemoveAction", source, Describe(plan));
            changes.Add(new VmChange(vm, action, Check(vm, source), stop =>
            {
                var done = Apply(client, service.Value, vm, setting, source, change, plan, reporter, stop);
                foreach (var entry in done)
                {
                    removed?.Invoke(new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, entry.Name, current.TryGetValue(entry.Name, out var value) ? value : string.Empty));
                }
            }));
        }

        return new ChangePlan(changes);
    }

    /// <summary>How to see whether a KVP change was made: the VM's items of that source, read again.</summary>
    private static string Check(VirtualMachine vm, KvpSource source) => GuestFeatureException.Format("KvpCheck", CommandText.Target(vm), source);

    /// <summary>
    /// The keys <paramref name="name"/> selects (Get-KvpItem and Remove-KvpItem alike): a wildcard
    /// matches ignoring case, as PowerShell wildcards do; a name without wildcards is one key, spelled
    /// exactly. KVP keys are case-sensitive: the Linux daemon finds, replaces and deletes a key by
    /// comparing its bytes (tools/hv/hv_kvp_daemon.c, <c>memcmp</c> in kvp_key_add_or_modify and
    /// kvp_key_delete), so <c>role</c>, <c>Role</c> and <c>ROLE</c> are three items (docs/provider-model.md).
    /// </summary>
    public static IReadOnlyList<string> Match(IEnumerable<string> keys, string name)
        => keys.Where(KeySelector(name)).ToList();

    /// <summary>The test behind <see cref="Match"/> for one name.</summary>
    private static Func<string, bool> KeySelector(string name)
    {
        if (WildcardPattern.ContainsWildcardCharacters(name))
        {
            return WildcardPattern.Get(name, NamePatterns.Options).IsMatch;
        }

        // An escaped wildcard character (`*, `?, `[) stands for itself, so any key can be named exactly.
        var literal = WildcardPattern.Unescape(name);
        return key => string.Equals(key, literal, StringComparison.Ordinal);
    }

    /// <summary>The keys that differ from the exact <paramref name="name"/> only in case, for the not-found message.</summary>
    private static List<string> CaseVariants(IEnumerable<string> keys, string name)
    {
        var literal = WildcardPattern.Unescape(name);
        return keys.Where(k => string.Equals(k, literal, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>
    /// Makes one VM's change: the plan's calls, in batches of at most 128, each job waited on. Returns
    /// the entries the finished jobs applied.
    /// <para>
    /// Another writer may add or remove one of the keys between the read and the call (two
    /// Set-KvpItem runs on one VM): the provider then fails the batch because a key already exists
    /// (Add) or does not exist (Modify/Remove). The VM's items are then read again, the rest of the
    /// change planned from them (Add and Modify swap where needed, values already there are left
    /// alone) and tried once more, so concurrent writers converge instead of failing.
    /// </para>
    /// <para>
    /// When the change still fails, the error says which of its items the VM has now and which not
    /// (read back, since whether a failed batch was partly applied is not documented), in its message
    /// and in Exception.Data["AppliedKeys"] / ["NotAppliedKeys"].
    /// </para>
    /// </summary>
    private static List<KvpEntry> Apply(ICimClient client, CimInstancePath service, VirtualMachine vm, CimObject setting, KvpSource source, KvpChange change, IReadOnlyList<KvpCall> plan, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var waiter = new JobWaiter(client);
        var done = new List<KvpEntry>();
        var involved = plan.SelectMany(c => c.Entries).ToList();
        var retried = false;
        while (true)
        {
            var method = string.Empty;
            try
            {
                foreach (var call in plan)
                {
                    method = call.Method;
                    foreach (var batch in KvpRules.Batches(call.Entries))
                    {
                        reporter.Verbose(GuestFeatureException.Format("VerboseKvpCall", method, batch.Count, vm.Name, client.ComputerName));
                        var parameters = new Dictionary<string, object?>
                        {
                            ["TargetSystem"] = vm.Path,
                            ["DataItems"] = batch.Select(e => KvpRules.Serialize(e.Name, e.Value, source)).ToArray(),
                        };
                        var result = client.InvokeMethod(service, method, parameters, cancellationToken);
                        waiter.Wait(method, vm.Name, result, cancellationToken);
                        done.AddRange(batch);
                    }
                }

                return done;
            }
            catch (GuestFeatureException failure) when (!retried && KvpRules.IsKeyConflict(method, failure))
            {
                retried = true;
                reporter.Verbose(GuestFeatureException.Format("KvpConflictRetry", method, vm.Name, client.ComputerName, failure.Message));
                plan = change.Plan(Reread(client, setting, source, vm, reporter, cancellationToken));
                involved.AddRange(plan.SelectMany(c => c.Entries).Where(e => !involved.Contains(e)));
            }
            catch (GuestFeatureException failure) when (failure.Kind == FailureKind.OutcomeUnknown)
            {
                // The job may still be running: reading the items now would not say how it ends.
                throw AppliedBefore(failure, done);
            }
            catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
            {
                throw WithOutcome(failure, client, setting, source, vm, change, involved, done, reporter, cancellationToken);
            }
        }
    }

    /// <summary>The VM's items of <paramref name="source"/> as they are now: one GetInstance of its Data Exchange setting.</summary>
    private static Dictionary<string, string> Reread(ICimClient client, CimObject setting, KvpSource source, VirtualMachine vm, OperationReporter reporter, CancellationToken cancellationToken)
        => CurrentItems(client.GetInstance(setting.Path, cancellationToken), source, vm, reporter);

    /// <summary>The failure, with which of the change's items the VM has now (applied) and which not.</summary>
    private static GuestFeatureException WithOutcome(GuestFeatureException failure, ICimClient client, CimObject setting, KvpSource source, VirtualMachine vm, KvpChange change, List<KvpEntry> involved, List<KvpEntry> done, OperationReporter reporter, CancellationToken cancellationToken)
    {
        List<KvpEntry> applied;
        List<KvpEntry> notApplied;
        string key;
        try
        {
            var now = Reread(client, setting, source, vm, reporter, cancellationToken);
            applied = involved.Where(e => change.IsDone(now, e)).ToList();
            notApplied = involved.Where(e => !change.IsDone(now, e)).ToList();
            key = applied.Count == 0 ? "KvpChangeNothingApplied" : notApplied.Count == 0 ? "KvpChangeAllApplied" : "KvpChangePartlyApplied";
        }
        catch (GuestFeatureException)
        {
            // Cannot read back: say what the finished jobs did, and that the rest is not confirmed.
            applied = done;
            notApplied = involved.Except(done).ToList();
            key = "KvpChangeUnconfirmed";
        }

        var outcome = GuestFeatureException.Format(key, KeyList(applied), KeyList(notApplied));
        var result = new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message + " " + outcome, failure)
        {
            RecommendedAction = failure.RecommendedAction,
            ProviderCode = failure.ProviderCode,
        }.WithDataOf(failure);
        result.Data["AppliedKeys"] = applied.Select(e => e.Name).ToArray();
        result.Data["NotAppliedKeys"] = notApplied.Select(e => e.Name).ToArray();
        return result;
    }

    /// <summary>An unknown outcome, with the items of the batches whose jobs did finish before it (message and Exception.Data["AppliedKeys"]).</summary>
    private static GuestFeatureException AppliedBefore(GuestFeatureException failure, List<KvpEntry> done)
    {
        if (done.Count == 0)
        {
            return failure;
        }

        var result = new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message + " " + GuestFeatureException.Format("KvpChangeAppliedBefore", KeyList(done)), failure.InnerException)
        {
            RecommendedAction = failure.RecommendedAction,
            ProviderCode = failure.ProviderCode,
        }.WithDataOf(failure);
        result.Data["AppliedKeys"] = done.Select(e => e.Name).ToArray();
        return result;
    }

    /// <summary>'a', 'b', 'c' — at most ten keys, then how many more.</summary>
    private static string KeyList(List<KvpEntry> entries)
    {
        const int Shown = 10;
        var names = string.Join(", ", entries.Take(Shown).Select(e => "'" + e.Name + "'"));
        return entries.Count > Shown ? GuestFeatureException.Format("KvpKeyListMore", names, entries.Count - Shown) : names;
    }

    /// <summary>The VM's Data Exchange setting from the snapshot; reported as KvpSettingNotFound (null) when absent.</summary>
    private static CimObject? SettingOf(HostSnapshot snapshot, VirtualMachine vm, OperationReporter reporter)
    {
        var setting = snapshot.ForVm(SettingQuery, vm.Id).FirstOrDefault();
        if (setting is null)
        {
            reporter.Error(GuestFeatureException.Create("KvpSettingNotFound", FailureKind.NotFound, vm.Name, vm.Name, vm.ComputerName));
        }

        return setting;
    }

    /// <summary>The host-written items of one source as a key → value map (keys are case-sensitive).</summary>
    private static Dictionary<string, string> CurrentItems(CimObject? setting, KvpSource source, VirtualMachine vm, OperationReporter reporter)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in ItemsOf(setting, source, vm, reporter))
        {
            items[entry.Name] = entry.Value;
        }

        return items;
    }

    internal static IEnumerable<KvpEntry> ItemsOf(CimObject? holder, KvpSource source, VirtualMachine vm, OperationReporter reporter)
    {
        var property = source switch
        {
            KvpSource.Host => "HostExchangeItems",
            KvpSource.HostOnly => "HostOnlyItems",
            KvpSource.Guest => "GuestExchangeItems",
            _ => "GuestIntrinsicExchangeItems",
        };

        foreach (var text in holder?.GetStringArray(property) ?? Array.Empty<string>())
        {
            KvpEntry entry;
            try
            {
                entry = KvpRules.Parse(text);
            }
            catch (FormatException e)
            {
                // One bad item (a guest can write anything into its pool) must not break the report.
                reporter.Warning(GuestFeatureException.Format("KvpItemMalformed", vm.Name, source, e.Message));
                continue;
            }

            yield return entry;
        }
    }

    private static bool HasRuntimeComponents(VirtualMachine vm) => vm.State is VMState.Running or VMState.Paused;

    internal static string? GuestItemsUnavailable(VirtualMachine vm, CimObject? setting, CimObject? component)
    {
        if (setting?.GetUInt16("EnabledState") == Disabled || component?.GetUInt16("EnabledState") == Disabled)
        {
            return GuestFeatureException.Format("KvpExchangeDisabledRead", vm.Name, CommandText.EnableFeature(vm, FeatureSwitch.FeatureOf(IntegrationComponent.KeyValuePairExchange).Name));
        }

        if (!HasRuntimeComponents(vm) || component is null)
        {
            return GuestFeatureException.Format("KvpGuestItemsNeedRunningVm", vm.Name, vm.State);
        }

        return NoContact(vm, component);
    }

    private static void WarnIfGuestCannotSee(VirtualMachine vm, CimObject setting, CimObject? component, OperationReporter reporter)
    {
        if (setting.GetUInt16("EnabledState") == Disabled)
        {
            reporter.Warning(GuestFeatureException.Format("KvpExchangeDisabledWrite", vm.Name, CommandText.EnableFeature(vm, FeatureSwitch.FeatureOf(IntegrationComponent.KeyValuePairExchange).Name)));
        }
        else if (component is not null && HasRuntimeComponents(vm) && NoContact(vm, component) is { } noContact)
        {
            reporter.Warning(noContact);
        }
    }

    /// <summary>12 No Contact / 13 Lost Communication: the guest's hv_kvp_daemon is absent or stopped answering.</summary>
    private static string? NoContact(VirtualMachine vm, CimObject component)
    {
        var status = component.GetUInt16Array("OperationalStatus");
        return status.Length > 0 && status[0] is 12 or 13
            ? GuestFeatureException.Format("KvpGuestNoContact", vm.Name, status[0] == 12 ? "No Contact" : "Lost Communication", IntegrationComponent.KeyValuePairExchange.GuestDaemon)
            : null;
    }

    /// <summary>The selectors for the key names given; null when none was given (every key). Invalid patterns are reported and left out.</summary>
    private static List<Func<string, bool>>? Patterns(IEnumerable<string> names, OperationReporter reporter)
    {
        var given = names.Where(n => !string.IsNullOrEmpty(n)).ToList();
        return given.Count == 0 ? null : ValidNames(given, reporter).Select(KeySelector).ToList();
    }

    /// <summary>The names that can select keys; an invalid wildcard pattern is an InvalidWildcardPattern error for that name.</summary>
    private static List<string> ValidNames(IEnumerable<string> names, OperationReporter reporter)
    {
        var valid = new List<string>();
        foreach (var name in names)
        {
            if (NamePatterns.Check(name, "Name") is { } invalid)
            {
                reporter.Error(invalid);
            }
            else
            {
                valid.Add(name);
            }
        }

        return valid;
    }

    private static void CheckWritable(KvpSource source)
    {
        if (!KvpRules.IsWritable(source))
        {
            throw GuestFeatureException.Create("KvpSourceNotWritable", FailureKind.InvalidArgument, source, source);
        }
    }

    private static string Describe(IEnumerable<KvpCall> plan)
        => string.Join("; ", plan.Select(c => c.Verb + " " + string.Join(", ", c.Entries.Select(e => "'" + e.Name + "'"))));
}

/// <summary>One provider method and the entries it is called with (in batches of at most 128).</summary>
internal sealed class KvpCall
{
    public KvpCall(string method, string verb, IReadOnlyList<KvpEntry> entries)
    {
        Method = method;
        Verb = verb;
        Entries = entries;
    }

    public string Method { get; }

    /// <summary>add, modify or remove, for the ShouldProcess text.</summary>
    public string Verb { get; }

    public IReadOnlyList<KvpEntry> Entries { get; }
}

/// <summary>
/// What one VM should end up with, planned from its items as last read: Set adds the keys it lacks
/// and modifies the ones whose value differs; Remove removes the keys it still has. Planning again
/// from a fresh read is how a change recovers from another writer (<see cref="KvpExchange"/>).
/// </summary>
internal sealed class KvpChange
{
    private readonly Func<Dictionary<string, string>, List<KvpCall>> _plan;
    private readonly Func<Dictionary<string, string>, KvpEntry, bool> _isDone;

    private KvpChange(Func<Dictionary<string, string>, List<KvpCall>> plan, Func<Dictionary<string, string>, KvpEntry, bool> isDone)
    {
        _plan = plan;
        _isDone = isDone;
    }

    public static KvpChange ForSet(IEnumerable<KvpEntry> wanted)
    {
        var entries = wanted.ToList();
        return new KvpChange(
            current =>
            {
                var adds = entries.Where(e => !current.ContainsKey(e.Name)).ToList();
                var modifies = entries.Where(e => current.TryGetValue(e.Name, out var value) && !string.Equals(value, e.Value, StringComparison.Ordinal)).ToList();
                var calls = new List<KvpCall>();
                if (adds.Count > 0)
                {
                    calls.Add(new KvpCall("AddKvpItems", "add", adds));
                }

                if (modifies.Count > 0)
                {
                    calls.Add(new KvpCall("ModifyKvpItems", "modify", modifies));
                }

                return calls;
            },
            (current, entry) => current.TryGetValue(entry.Name, out var value) && string.Equals(value, entry.Value, StringComparison.Ordinal));
    }

    public static KvpChange ForRemove(IEnumerable<string> names)
    {
        var entries = names.Select(n => new KvpEntry(n, string.Empty)).ToList();
        return new KvpChange(
            current =>
            {
                var present = entries.Where(e => current.ContainsKey(e.Name)).ToList();
                return present.Count == 0 ? new List<KvpCall>() : new List<KvpCall> { new("RemoveKvpItems", "remove", present) };
            },
            (current, entry) => !current.ContainsKey(entry.Name));
    }

    /// <summary>The calls that bring a VM with <paramref name="current"/> items to the change; none when it is there already.</summary>
    public IReadOnlyList<KvpCall> Plan(Dictionary<string, string> current) => _plan(current);

    /// <summary>Whether the VM with <paramref name="current"/> items has <paramref name="entry"/> as the change wants it.</summary>
    public bool IsDone(Dictionary<string, string> current, KvpEntry entry) => _isDone(current, entry);
}
