using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Get-GuestFeature's work on one host, in two parts: <see cref="Read"/> finds the VMs (one round trip) and reads each
/// needed class once (<see cref="HostSnapshot"/>) — the waiting; <see cref="HostFeatureReading.Judge"/> then judges every
/// feature on one VM in memory — the computing, one VM at a time so rows can be written as they are judged. The number
/// of round trips depends on the features asked for, never on the number of VMs (docs/provider-model.md "Associations
/// the module uses": bulk reads).
/// </summary>
internal static class FeatureProbe
{
    private const int MaxVmsForNarrowedReads = 16;

    /// <summary>Finds the VMs and reads what judging them needs; nothing is judged yet.</summary>
    public static HostFeatureReading Read(ICimClient client, VmSelection selection, IReadOnlyList<FeatureDefinition> features, Action<string>? log, CancellationToken cancellationToken, int queryParallelism = 4)
    {
        log?.Invoke(GuestFeatureException.Format("VerboseLookup", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        if (lookup.Machines.Count == 0 || features.Count == 0)
        {
            return new HostFeatureReading(Array.Empty<VirtualMachine>(), lookup.Failures, features, null);
        }

        var queries = features.SelectMany(FeatureRules.QueriesFor).GroupBy(q => q.Key).Select(g => g.First())
            .Where(q => !q.IsSummary || lookup.Machines.Any(m => m.HasRuntimeState))
            .ToList();
        log?.Invoke(GuestFeatureException.Format("VerboseReadClasses", queries.Count, client.ComputerName, lookup.Machines.Count));
        // A few VMs: the classes that name their VM are read for those VMs only (same round trips, less data).
        var onlyVms = lookup.Machines.Count <= MaxVmsForNarrowedReads
            ? lookup.Machines.Select(m => m.Path.Keys.TryGetValue("Name", out var name) ? name as string : null).Where(n => n is not null).Select(n => n!).ToList()
            : null;
        var snapshot = HostSnapshot.Read(client, queries, queryParallelism, cancellationToken, onlyVms);
        return new HostFeatureReading(lookup.Machines, lookup.Failures, features, snapshot);
    }

    /// <summary>Reads and judges every VM: all rows at once, for the callers that need them together.</summary>
    public static HostReadResult<GuestFeatureStatus> Probe(ICimClient client, VmSelection selection, IReadOnlyList<FeatureDefinition> features, Action<string>? log, CancellationToken cancellationToken, int queryParallelism = 4)
    {
        var reading = Read(client, selection, features, log, cancellationToken, queryParallelism);
        var statuses = new List<GuestFeatureStatus>(reading.Machines.Count * features.Count);
        for (var i = 0; i < reading.Machines.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            statuses.AddRange(reading.Judge(i));
        }

        return new HostReadResult<GuestFeatureStatus>(statuses, reading.Failures);
    }

    /// <summary>One feature on one VM: the host-version gate first, then the feature's own rule.</summary>
    public static GuestFeatureStatus Judge(FeatureDefinition feature, VmView view, Version? hostVersion, HostRelease? release)
    {
        var hostSupported = hostVersion is null || FeatureCatalog.IsSupportedBy(feature, hostVersion);
        var reading = hostSupported ? FeatureRules.Evaluate(feature, view) : HostTooOld(feature, hostVersion!, release);
        return new GuestFeatureStatus(view.Machine, feature, reading.State, reading.Detail, hostSupported, null);
    }

    internal static FeatureReading HostTooOld(FeatureDefinition feature, Version hostVersion, HostRelease? release)
        => new(FeatureState.NotSupported, string.Format(CultureInfo.InvariantCulture,
            "Needs {0} or later; this host is {1} ({2})", feature.MinimumHost.Name, release?.Name ?? "older", hostVersion));
}

/// <summary>
/// What <see cref="FeatureProbe.Read"/> found on one host: the VMs, in name order, and the data to judge them with.
/// <see cref="Judge"/> may run for different VMs on different threads at once. Rows share what does not change between
/// them: the VM and feature objects, the guest support verdict, and equal Detail texts (one copy per host).
/// </summary>
internal sealed class HostFeatureReading
{
    private readonly IReadOnlyList<FeatureDefinition> _features;
    private readonly HostSnapshot? _snapshot;
    private readonly HostRelease? _release;
    private readonly bool[] _hostSupports;
    private readonly string?[][] _recentTexts;
    private int _replaced;

    internal HostFeatureReading(IReadOnlyList<VirtualMachine> machines, IReadOnlyList<GuestFeatureException> failures, IReadOnlyList<FeatureDefinition> features, HostSnapshot? snapshot)
    {
        Machines = machines;
        Failures = failures;
        _features = features;
        _snapshot = snapshot;
        var hostVersion = snapshot?.HostVersion;
        _release = hostVersion is null ? null : FeatureCatalog.ReleaseOf(hostVersion);
        _hostSupports = features.Select(f => hostVersion is null || FeatureCatalog.IsSupportedBy(f, hostVersion)).ToArray();
        _recentTexts = features.Select(_ => new string?[RecentTextsPerFeature]).ToArray();
    }

    // How many different Detail texts per feature are remembered for sharing: enough for the few variants a fleet has
    // (2 or 4 processors, a handful of OS images), while a text that names its VM simply passes through.
    private const int RecentTextsPerFeature = 8;

    /// <summary>The VMs found, in the order their rows are judged and written.</summary>
    public IReadOnlyList<VirtualMachine> Machines { get; }

    /// <summary>Names or ids that matched nothing on the host.</summary>
    public IReadOnlyList<GuestFeatureException> Failures { get; }

    /// <summary>Every feature on <see cref="Machines"/>[<paramref name="index"/>], in the features' order.</summary>
    public IReadOnlyList<GuestFeatureStatus> Judge(int index)
    {
        var machine = Machines[index];
        var view = new VmView(machine, _snapshot!);
        // The guest OS is read and placed once per VM; each row then takes a verdict shared by every VM on that OS.
        var place = view.Guest is null && !machine.IsRunning
            ? SupportMatrix.Default.NotReported(GuestFeatureException.Format(nameof(Messages.GuestOsNotReportedVmState), machine.State))
            : SupportMatrix.Default.Identify(view.Guest);
        var hostVersion = _snapshot!.HostVersion;
        var rows = new GuestFeatureStatus[_features.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var feature = _features[i];
            var reading = _hostSupports[i] ? FeatureRules.Evaluate(feature, view) : FeatureProbe.HostTooOld(feature, hostVersion!, _release);
            var support = SupportMatrix.Default.Evaluate(place, feature, _release);
            rows[i] = new GuestFeatureStatus(machine, feature, reading.State, Shared(i, reading.Detail), _hostSupports[i], support);
        }

        return rows;
    }

    /// <summary>
    /// The copy of <paramref name="text"/> an earlier row of this feature already holds, if one of the last few did;
    /// else <paramref name="text"/>, remembered in place of the oldest. Without locks: two threads judging at once may
    /// each keep their own copy, which costs memory, never correctness.
    /// </summary>
    private string Shared(int feature, string text)
    {
        var recent = _recentTexts[feature];
        for (var i = 0; i < recent.Length; i++)
        {
            var known = Volatile.Read(ref recent[i]);
            if (known is null)
            {
                Volatile.Write(ref recent[i], text);
                return text;
            }

            if (ReferenceEquals(known, text) || string.Equals(known, text, StringComparison.Ordinal))
            {
                return known;
            }
        }

        // Every slot holds another text: this one takes the slots' places in turn.
        var slot = (int)((uint)Interlocked.Increment(ref _replaced) % (uint)recent.Length);
        Volatile.Write(ref recent[slot], text);
        return text;
    }

}
