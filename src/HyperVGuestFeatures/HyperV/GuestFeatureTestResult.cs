using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures;

/// <summary>What Test-GuestFeature writes for one VM: whether every feature asked for met the expectation, and the ones that did not.</summary>
public sealed class GuestFeatureTestResult
{
    internal GuestFeatureTestResult(string computerName, string vmName, Guid vmId, int featureCount, IReadOnlyList<GuestFeatureStatus> failures)
    {
        ComputerName = computerName;
        VMName = vmName;
        VMId = vmId;
        FeatureCount = featureCount;
        Failures = failures.ToArray();
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>True when every feature tested met the expected state (and guest support, when asked).</summary>
    public bool Passed => Failures.Length == 0;

    /// <summary>How many features were tested on this VM.</summary>
    public int FeatureCount { get; }

    /// <summary>The Get-GuestFeature rows of the features that failed, with their State and Detail (the reason and the fix).</summary>
    public GuestFeatureStatus[] Failures { get; }

    public override string ToString() => VMName + ": " + (Passed ? "Passed" : "Failed (" + string.Join(", ", Failures.Select(f => f.Feature)) + ")");
}
