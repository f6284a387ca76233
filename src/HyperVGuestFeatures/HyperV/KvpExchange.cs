using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What Get-KvpItem reads.</summary>
public sealed class KvpReadOptions
{
    /// <summary>The sources to read; empty means all four.</summary>
    public IReadOnlyCollection<KvpSource> Sources { get; init; } = Array.Empty<KvpSource>();

    /// <summary>Key names, wildcards allowed, case-insensitive; empty means every key.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>
    /// True when the user asked for guest items explicitly: why a VM has none (off, Data Exchange
    /// disabled, no guest daemon) is then a warning; otherwise it is verbose.
    /// </summary>
    public bool ExplainMissingGuestItems { get; init; }
}

/// <summary>
/// Get/Set/Remove of KVP (Data Exchange) items on one host (reference/HYPERV-WMI.md §1.5, §5).
/// Reads query <c>Msvm_KvpExchangeComponentSettingData</c> (host and host-only items, every power
/// state) and <c>Msvm_KvpExchangeComponent</c> (guest and intrinsic items, running VMs) once per host
/// and join them by VM in memory. Writes read the host items once, validate everything before any
/// change, then call AddKvpItems / ModifyKvpItems / RemoveKvpItems per VM in batches of at most 128
/// and wait for each job.
/// </summary>
public static class KvpExchange
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
        var patterns = Patterns(options.Names);

        var machines = FindMachines(client, selection, reporter, cancellationToken);
        if (machines.Count == 0)
        {
            return Array.Empty<KvpItem>();
        }

        var queries = new List<SnapshotQuery>();
        if (wantSettings)
        {
            queries.Add(SettingQuery);
        }

        // Guest items exist only on the runtime component, which exists only while a VM runs (§0.1).
        if (wantGuest && machines.Any(HasRuntimeComponents))
        {
            queries.Add(ComponentQuery);
        }

        reporter.Verbose(Text("Reading the KVP items of {0} VM(s) on host '{1}' ({2} queries)", machines.Count, client.ComputerName, queries.Count));
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
                    if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(entry.Name)))
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
    /// </summary>
    public static IReadOnlyList<KvpItem> Set(ICimClient client, VmSelection selection, IReadOnlyList<KvpEntry> entries, KvpSource source, bool passThru, OperationReporter reporter, CancellationToken cancellationToken)
    {
        CheckWritable(source);

        // The last value given for a key wins; keys are case-sensitive, as the provider and the guest daemon keep them.
        var wanted = new Dictionary<string, KvpEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            wanted[entry.Name] = entry;
        }

        var machines = FindMachines(client, selection, reporter, cancellationToken);
        if (machines.Count == 0 || wanted.Count == 0)
        {
            return Array.Empty<KvpItem>();
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

            return Array.Empty<KvpItem>();
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

        reporter.Verbose(Text("Reading the {0} KVP items of {1} VM(s) on host '{2}'", source, machines.Count, client.ComputerName));
        var snapshot = HostSnapshot.Read(client, queries, queries.Count, cancellationToken);
        var service = new Lazy<CimInstancePath>(() => HyperV.ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        var written = new List<VirtualMachine>();
        var changed = false;

        foreach (var vm in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SettingOf(snapshot, vm, reporter) is not { } setting)
            {
                continue;
            }

            var current = CurrentItems(setting, source, vm, reporter);
            var adds = new List<KvpEntry>();
            var modifies = new List<KvpEntry>();
            foreach (var entry in wanted.Values)
            {
                if (!current.TryGetValue(entry.Name, out var value))
                {
                    adds.Add(entry);
                }
                else if (!string.Equals(value, entry.Value, StringComparison.Ordinal))
                {
                    modifies.Add(entry);
                }
                else
                {
                    reporter.Verbose(Text("KVP item '{0}' ({1}) of VM '{2}' on host '{3}' already has this value: unchanged.", entry.Name, source, vm.Name, client.ComputerName));
                }
            }

            if (source == KvpSource.Host)
            {
                WarnIfGuestCannotSee(vm, setting, snapshot.ForVm(ComponentQuery, vm.Id).FirstOrDefault(), reporter);
            }

            if (adds.Count + modifies.Count == 0)
            {
                written.Add(vm);
                continue;
            }

            var action = Text("Set KVP items ({0}): {1}", source, Describe(("add", adds.Select(e => e.Name)), ("modify", modifies.Select(e => e.Name))));
            if (!reporter.ShouldProcess(Target(vm), action))
            {
                continue;
            }

            try
            {
                Invoke(client, service.Value, vm, "AddKvpItems", adds.Select(e => KvpRules.Serialize(e.Name, e.Value, source)).ToList(), reporter, cancellationToken);
                Invoke(client, service.Value, vm, "ModifyKvpItems", modifies.Select(e => KvpRules.Serialize(e.Name, e.Value, source)).ToList(), reporter, cancellationToken);
                written.Add(vm);
            }
            catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
            {
                reporter.Error(failure);
            }
            finally
            {
                changed = true;
            }
        }

        if (!passThru || written.Count == 0)
        {
            return Array.Empty<KvpItem>();
        }

        var after = changed ? HostSnapshot.Read(client, new[] { SettingQuery }, 1, cancellationToken) : snapshot;
        var result = new List<KvpItem>();
        foreach (var vm in written)
        {
            var items = CurrentItems(after.ForVm(SettingQuery, vm.Id).FirstOrDefault(), source, vm, reporter);
            foreach (var entry in wanted.Values)
            {
                if (items.TryGetValue(entry.Name, out var value))
                {
                    result.Add(new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, entry.Name, value));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Removes the named items (wildcards remove every match) from every selected VM. A name without
    /// wildcards that a VM lacks is a KvpItemNotFound error for that VM; its other items are still removed.
    /// Returns the removed items as they were (with <paramref name="passThru"/>).
    /// </summary>
    public static IReadOnlyList<KvpItem> Remove(ICimClient client, VmSelection selection, IReadOnlyList<string> names, KvpSource source, bool passThru, OperationReporter reporter, CancellationToken cancellationToken)
    {
        CheckWritable(source);
        var machines = FindMachines(client, selection, reporter, cancellationToken);
        if (machines.Count == 0 || names.Count == 0)
        {
            return Array.Empty<KvpItem>();
        }

        reporter.Verbose(Text("Reading the {0} KVP items of {1} VM(s) on host '{2}'", source, machines.Count, client.ComputerName));
        var snapshot = HostSnapshot.Read(client, new[] { SettingQuery }, 1, cancellationToken);
        var service = new Lazy<CimInstancePath>(() => HyperV.ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        var removed = new List<KvpItem>();

        foreach (var vm in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (SettingOf(snapshot, vm, reporter) is not { } setting)
            {
                continue;
            }

            var current = CurrentItems(setting, source, vm, reporter);
            var matches = new List<string>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var hits = Match(current.Keys, name);
                if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    reporter.Error(new GuestFeatureException("KvpItemNotFound", FailureKind.NotFound, vm.Name, GuestFeatureException.Format("KvpItemNotFound", vm.Name, client.ComputerName, source, WildcardPattern.Unescape(name)))
                    {
                        RecommendedAction = GuestFeatureException.Format("KvpItemNotFoundAction", CommandText.Target(vm), source),
                    });
                }

                matches.AddRange(hits.Where(h => !matches.Contains(h, StringComparer.Ordinal)));
            }

            if (matches.Count == 0)
            {
                continue;
            }

            var action = Text("Remove KVP items ({0}): {1}", source, Describe(("remove", matches)));
            if (!reporter.ShouldProcess(Target(vm), action))
            {
                continue;
            }

            try
            {
                Invoke(client, service.Value, vm, "RemoveKvpItems", matches.Select(n => KvpRules.Serialize(n, string.Empty, source)).ToList(), reporter, cancellationToken);
                if (passThru)
                {
                    removed.AddRange(matches.Select(n => new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, n, current[n])));
                }
            }
            catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
            {
                reporter.Error(failure);
            }
        }

        return removed;
    }

    /// <summary>
    /// The keys <paramref name="name"/> selects: a wildcard matches case-insensitively; an exact name
    /// matches its key exactly, or, when no key has that exact spelling, the keys equal to it ignoring case.
    /// </summary>
    public static IReadOnlyList<string> Match(IEnumerable<string> keys, string name)
    {
        var all = keys.ToList();
        if (WildcardPattern.ContainsWildcardCharacters(name))
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return all.Where(pattern.IsMatch).ToList();
        }

        // An escaped wildcard character (`*, `?, `[) stands for itself, so any key can be named exactly.
        var literal = WildcardPattern.Unescape(name);
        var exact = all.Where(k => string.Equals(k, literal, StringComparison.Ordinal)).ToList();
        return exact.Count > 0 ? exact : all.Where(k => string.Equals(k, literal, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static List<VirtualMachine> FindMachines(ICimClient client, VmSelection selection, OperationReporter reporter, CancellationToken cancellationToken)
    {
        reporter.Verbose(Text("Looking up VMs on host '{0}'", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        foreach (var failure in lookup.Failures)
        {
            reporter.Error(failure);
        }

        return lookup.Machines.ToList();
    }

    private static void Invoke(ICimClient client, CimInstancePath service, VirtualMachine vm, string method, IReadOnlyList<string> texts, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var waiter = new JobWaiter(client);
        foreach (var batch in KvpRules.Batches(texts))
        {
            reporter.Verbose(Text("{0}: {1} item(s) on VM '{2}' on host '{3}'", method, batch.Length, vm.Name, client.ComputerName));
            var parameters = new Dictionary<string, object?>
            {
                ["TargetSystem"] = vm.Path,
                ["DataItems"] = batch,
            };
            var result = client.InvokeMethod(service, method, parameters, cancellationToken);
            waiter.Wait(method, vm.Name, result, cancellationToken);
        }
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
            return GuestFeatureException.Format("KvpExchangeDisabledRead", vm.Name, CommandText.Target(vm));
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
            reporter.Warning(GuestFeatureException.Format("KvpExchangeDisabledWrite", vm.Name, CommandText.Target(vm)));
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

    private static List<WildcardPattern> Patterns(IEnumerable<string> names)
        => names.Where(n => !string.IsNullOrEmpty(n)).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();

    private static void CheckWritable(KvpSource source)
    {
        if (!KvpRules.IsWritable(source))
        {
            throw GuestFeatureException.Create("KvpSourceNotWritable", FailureKind.InvalidArgument, source, source);
        }
    }

    private static string Target(VirtualMachine vm) => Text("{0} on {1}", vm.Name, vm.ComputerName);

    private static string Describe(params (string Verb, IEnumerable<string> Names)[] parts)
        => string.Join("; ", parts.Select(p => (p.Verb, Names: p.Names.ToList())).Where(p => p.Names.Count > 0)
            .Select(p => p.Verb + " " + string.Join(", ", p.Names.Select(n => "'" + n + "'"))));

    private static string Text(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
