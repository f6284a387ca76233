using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures;

/// <summary>A catalog entry as Get-GuestFeature -ListAvailable shows it.</summary>
public sealed class GuestFeatureInfo
{
    internal GuestFeatureInfo(FeatureDefinition definition, bool switchable)
    {
        Id = definition.Id;
        Feature = definition.Name;
        Category = definition.Category;
        Description = definition.Description;
        HostRequirement = definition.MinimumHost.Name;
        MinimumHostVersion = definition.MinimumHost.Version;
        Signal = definition.SignalDescription;
        Switchable = switchable;
    }

    /// <summary>The seed's feature name.</summary>
    public string Feature { get; }

    public FeatureCategory Category { get; }

    public string Description { get; }

    /// <summary>The oldest host release that supports the feature, e.g. Windows Server 2016.</summary>
    public string HostRequirement { get; }

    public System.Version MinimumHostVersion { get; }

    /// <summary>What the host looks at to report the feature's state, or why it cannot.</summary>
    public string Signal { get; }

    /// <summary>The catalog id, e.g. file-copy.</summary>
    public string Id { get; }

    /// <summary>Whether Enable-GuestFeature and Disable-GuestFeature can switch the feature from the host.</summary>
    public bool Switchable { get; }

    public override string ToString() => Feature;
}
