using System;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Where a domain operation sends what it has to say while it works on one host, and whom it asks
/// before it changes a VM. The cmdlet layer wires it to its host context (HostContext.Reporter);
/// the domain never sees the cmdlet. The defaults are silent and approve everything (unit tests).
/// </summary>
internal sealed class OperationReporter
{
    public Action<string> Verbose { get; init; } = _ => { };

    public Action<string> Warning { get; init; } = _ => { };

    /// <summary>A failure for one VM or item; the others go on.</summary>
    public Action<GuestFeatureException> Error { get; init; } = _ => { };

    /// <summary>Asked (target, action) once per VM, after validation and before its change.</summary>
    public Func<string, string, bool> ShouldProcess { get; init; } = (_, _) => true;
}
