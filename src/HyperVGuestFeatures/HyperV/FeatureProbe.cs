using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Get-GuestFeature's work on one host: find the VMs (one round trip), read each needed class once
/// (<see cref="HostSnapshot"/>), and judge every feature on every VM in memory. The number of round
/// trips depends on the features asked for, never on the number of VMs (docs/provider-model.md "Associations the module uses": bulk reads).
/// </summary>
internal static class FeatureProbe
{
    private const int MaxVmsForNarrowedReads = 16;

    public static HostReadResult<GuestFeatureStatus> Probe(ICimClient client, VmSelection selection, IReadOnlyList<FeatureDefinition> features, Action<string>? log, CancellationToken cancellationToken, int queryParallelism = 4)
    {
        log?.Invoke(string.Format(CultureInfo.InvariantCulture, "Looking up VMs on {0}", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        if (lookup.Machines.Count == 0 || features.Count == 0)
        {
            return new HostReadResult<GuestFeatureStatus>(Array.Empty<GuestFeatureStatus>(), lookup.Failures);
        }

        var queries = features.SelectMany(FeatureRules.QueriesFor).GroupBy(q => q.Key).Select(g => g.First())
            .Where(q => !q.IsSummary || lookup.Machines.Any(m => m.HasRuntimeState))
            .ToList();
        log?.Invoke(string.Format(CultureInfo.InvariantCulture, "Reading {0} classes once on {1} for {2} VM(s)", queries.Count, client.ComputerName, lookup.Machines.Count));
        // A few VMs: the classes that name their VM are read for those VMs only (same round trips, less data).
        var onlyVms = lookup.Machines.Count <= MaxVmsForNarrowedReads
            ? lookup.Machines.Select(m => m.Path.Keys.TryGetValue("Name", out var name) ? name as string : null).Where(n => n is not null).Select(n => n!).ToList()
            : null;
        var snapshot = HostSnapshot.Read(client, queries, queryParallelism, cancellationToken, onlyVms);
        var release = snapshot.HostVersion is null ? null : FeatureCatalog.ReleaseOf(snapshot.HostVersion);

        var statuses = new List<GuestFeatureStatus>(lookup.Machines.Count * features.Count);
        foreach (var machine in lookup.Machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var view = new VmView(machine, snapshot);
            // The guest OS is read and placed once per VM; each row then takes a verdict shared by every VM on that OS.
            var guest = GuestOperatingSystem.FromKvp(view.IntrinsicItems);
            var place = guest is null && !machine.IsRunning
                ? SupportMatrix.Default.NotReported(GuestFeatureException.Format(nameof(Messages.GuestOsNotReportedVmState), machine.State))
                : SupportMatrix.Default.Identify(guest);
            foreach (var feature in features)
            {
                var status = Judge(feature, view, snapshot.HostVersion, release);
                var support = SupportMatrix.Default.Evaluate(place, feature, release);
                status.GuestSupport = support.Status;
                status.GuestSupportBasis = support.Basis;
                status.GuestSupportDetail = support.Reason;
                statuses.Add(status);
            }
        }

        return new HostReadResult<GuestFeatureStatus>(statuses, lookup.Failures);
    }

    /// <summary>One feature on one VM: the host-version gate first, then the feature's own rule.</summary>
    public static GuestFeatureStatus Judge(FeatureDefinition feature, VmView view, Version? hostVersion, HostRelease? release)
    {
        var hostSupported = hostVersion is null || FeatureCatalog.IsSupportedBy(feature, hostVersion);
        var reading = hostSupported
            ? FeatureRules.Evaluate(feature, view)
            : new FeatureReading(FeatureState.NotSupported, string.Format(CultureInfo.InvariantCulture,
                "Needs {0} or later; this host is {1} ({2})", feature.MinimumHost.Name, release?.Name ?? "older", hostVersion));
        var machine = view.Machine;
        return new GuestFeatureStatus(machine.ComputerName, machine.Name, machine.Id, feature, reading.State, reading.Detail, hostSupported);
    }
}
