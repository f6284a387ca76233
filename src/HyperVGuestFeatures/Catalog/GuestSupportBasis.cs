namespace HyperVGuestFeatures;

/// <summary>
/// Which rule answered <see cref="GuestSupport"/>: Microsoft's own cell, or an inference from it
/// (GuestSupportDetail names the column used and why). Always <see cref="None"/> when GuestSupport is Unknown.
/// </summary>
public enum GuestSupportBasis
{
    /// <summary>No answer: GuestSupport is Unknown, and GuestSupportDetail says why.</summary>
    None,

    /// <summary>The release the guest reports is in a column of Microsoft's page for its distribution.</summary>
    Documented,

    /// <summary>
    /// The guest reported only its major release (CentOS Linux 7); the minor release was read from its
    /// Red Hat kernel (the .elN_M dist tag, or the GA kernel build of each minor) and that column answered.
    /// </summary>
    InferredMinor,

    /// <summary>Only the major release is known, and every column of that major agrees on the feature.</summary>
    SeriesAgrees,

    /// <summary>
    /// The release is newer than every column the page documents for it but is listed as a supported guest
    /// on Microsoft's VM generation page; the newest documented column answered.
    /// </summary>
    NewerThanDocumented,
}
