using System;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

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

/// <summary>
/// One catalog feature on one VM: the row Get-GuestFeature writes. A report holds hundreds of thousands of them, so a
/// row keeps only what is its own (state, detail) and points at what it shares with others: the VM, the catalog
/// feature and the guest support verdict; the properties read through to them.
/// </summary>
public sealed class GuestFeatureStatus
{
    private readonly VirtualMachine _machine;
    private readonly FeatureDefinition _feature;
    private readonly GuestSupportResult? _support;

    internal GuestFeatureStatus(VirtualMachine machine, FeatureDefinition feature, FeatureState state, string detail, bool hostSupported, GuestSupportResult? support)
    {
        _machine = machine;
        _feature = feature;
        State = state;
        Detail = detail;
        HostSupported = hostSupported;
        _support = support;
    }

    public string ComputerName => _machine.ComputerName;

    public string VMName => _machine.Name;

    public Guid VMId => _machine.Id;

    public FeatureCategory Category => _feature.Category;

    /// <summary>The seed's feature name.</summary>
    public string Feature => _feature.Name;

    /// <summary>The catalog id, e.g. file-copy.</summary>
    public string FeatureId => _feature.Id;

    public FeatureState State { get; }

    /// <summary>Why the feature is in this state, and what to do about it.</summary>
    public string Detail { get; }

    /// <summary>The oldest host release that supports the feature.</summary>
    public string HostRequirement => _feature.MinimumHost.Name;

    /// <summary>Whether this host's version meets <see cref="HostRequirement"/>.</summary>
    public bool HostSupported { get; }

    /// <summary>Whether the guest's distribution and version support the feature, per Microsoft's matrices.</summary>
    public GuestSupport GuestSupport => _support?.Status ?? GuestSupport.Unknown;

    /// <summary>
    /// Which rule answered <see cref="GuestSupport"/>: Documented (Microsoft's cell for the guest's release), InferredMinor,
    /// SeriesAgrees or NewerThanDocumented (inferences from the cells); None when GuestSupport is Unknown.
    /// </summary>
    public GuestSupportBasis GuestSupportBasis => _support?.Basis ?? GuestSupportBasis.None;

    /// <summary>How <see cref="GuestSupport"/> was decided: the guest OS, the page and column used and why, the cell and its notes.</summary>
    public string GuestSupportDetail => _support?.Reason ?? string.Empty;

    public override string ToString() => $"{VMName}: {Feature} = {State}";
}
