using System.Collections.Generic;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// What a read of one host produced: a row per VM (or per VM and feature) found, and the failures
/// that concern single inputs (names that matched nothing, VMs without the settings read).
/// </summary>
internal sealed class HostReadResult<T>
{
    public HostReadResult(IReadOnlyList<T> rows, IReadOnlyList<GuestFeatureException> failures)
    {
        Rows = rows;
        Failures = failures;
    }

    public IReadOnlyList<T> Rows { get; }

    public IReadOnlyList<GuestFeatureException> Failures { get; }
}
