using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Test-GuestFeature's rule: a feature passes when its State is one of the expected states and,
/// when guest support is asked for, its GuestSupport is one of the expected values. A VM passes when
/// every feature tested passes.
/// </summary>
internal sealed class FeatureGate
{
    public FeatureGate(IReadOnlyCollection<FeatureState> states, IReadOnlyCollection<GuestSupport>? guestSupport)
    {
        if (states is null || states.Count == 0)
        {
            throw new ArgumentException("At least one expected state is needed.", nameof(states));
        }

        States = states;
        GuestSupport = guestSupport is { Count: > 0 } ? guestSupport : null;
    }

    public IReadOnlyCollection<FeatureState> States { get; }

    /// <summary>The accepted guest support values; null when guest support is not tested.</summary>
    public IReadOnlyCollection<GuestSupport>? GuestSupport { get; }

    public bool Passes(GuestFeatureStatus status)
        => status is not null && States.Contains(status.State) && (GuestSupport is null || GuestSupport.Contains(status.GuestSupport));

    /// <summary>One result per VM, in the order the VMs first appear among <paramref name="rows"/>.</summary>
    public IReadOnlyList<GuestFeatureTestResult> Evaluate(IEnumerable<GuestFeatureStatus> rows)
    {
        var results = new List<GuestFeatureTestResult>();
        foreach (var vm in rows.GroupBy(r => (r.ComputerName, r.VMId)))
        {
            var all = vm.ToList();
            results.Add(new GuestFeatureTestResult(all[0].ComputerName, all[0].VMName, all[0].VMId, all.Count, all.Where(r => !Passes(r)).ToList()));
        }

        return results;
    }
}
