using System;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures;

/// <summary>A feature's state as the host sees it.</summary>
public enum FeatureState
{
    /// <summary>Configured and, where the host can tell, working.</summary>
    Enabled,

    /// <summary>Switched off in the VM's settings, or not configured.</summary>
    Disabled,

    /// <summary>Configured but not working as it should (guest not responding, wrong template, ...).</summary>
    Degraded,

    /// <summary>The host version or the VM's generation cannot offer it.</summary>
    NotSupported,

    /// <summary>The host cannot see it from outside the guest (or not in the VM's current power state).</summary>
    NotObservable,
}

/// <summary>One catalog feature on one VM: the row Get-GuestFeature writes.</summary>
public sealed class GuestFeatureStatus
{
    internal GuestFeatureStatus(string computerName, string vmName, Guid vmId, FeatureDefinition feature, FeatureState state, string detail, bool hostSupported)
    {
        ComputerName = computerName;
        VMName = vmName;
        VMId = vmId;
        FeatureId = feature.Id;
        Feature = feature.Name;
        Category = feature.Category;
        State = state;
        Detail = detail;
        HostRequirement = feature.MinimumHost.Name;
        HostSupported = hostSupported;
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    public FeatureCategory Category { get; }

    /// <summary>The seed's feature name.</summary>
    public string Feature { get; }

    /// <summary>The catalog id, e.g. file-copy.</summary>
    public string FeatureId { get; }

    public FeatureState State { get; }

    /// <summary>Why the feature is in this state, and what to do about it.</summary>
    public string Detail { get; }

    /// <summary>The oldest host release that supports the feature.</summary>
    public string HostRequirement { get; }

    /// <summary>Whether this host's version meets <see cref="HostRequirement"/>.</summary>
    public bool HostSupported { get; }

    /// <summary>Whether the guest's distribution and version support the feature, per Microsoft's matrices.</summary>
    public GuestSupport GuestSupport { get; internal set; } = GuestSupport.Unknown;

    /// <summary>
    /// Which rule answered <see cref="GuestSupport"/>: Documented (Microsoft's cell for the guest's release), InferredMinor,
    /// SeriesAgrees or NewerThanDocumented (inferences from the cells); None when GuestSupport is Unknown.
    /// </summary>
    public GuestSupportBasis GuestSupportBasis { get; internal set; } = GuestSupportBasis.None;

    /// <summary>How <see cref="GuestSupport"/> was decided: the guest OS, the page and column used and why, the cell and its notes.</summary>
    public string GuestSupportDetail { get; internal set; } = string.Empty;

    public override string ToString() => $"{VMName}: {Feature} = {State}";
}
