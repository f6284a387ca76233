namespace HyperVGuestFeatures;

/// <summary>Whether a distribution and version supports a feature (Microsoft's support matrices).</summary>
public enum GuestSupport
{
    Supported,
    NotSupported,
    Unknown,
}
