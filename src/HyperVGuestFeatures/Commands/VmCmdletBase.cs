using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// A cmdlet that works on VMs: -VMName (position 0, wildcards) and -VMId, both also bound by
/// property name from the pipeline, so Get-VM objects and this module's output pipe in. Inputs are
/// gathered per host while the pipeline runs and worked on once at the end, so the round trips
/// per host don't grow with the number of piped VMs.
/// </summary>
public abstract class VmCmdletBase : HostCmdletBase
{
    private protected VmCmdletBase()
    {
    }

    private readonly Dictionary<string, (HostTarget Host, VmSelection Selection)> _requests = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>VM names; wildcards allowed. A name without wildcards that matches nothing is a VMNotFound error.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>VM ids (Get-VM's VMId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public Guid[]? VMId { get; set; }

    /// <summary>The VM requests gathered so far, one per host, in the order hosts were first named.</summary>
    private protected IReadOnlyList<(HostTarget Host, VmSelection Selection)> Requests => _requests.Values.ToList();

    /// <summary>
    /// Adds this input's hosts and VMs to the requests. Cmdlets that change VMs pass
    /// <paramref name="requireSelection"/>: leaving out -VMName/-VMId must not quietly act on every
    /// VM of the host (-VMName * says so explicitly), so the call stops with VMSelectionRequired.
    /// </summary>
    protected void CollectVmRequest(bool requireSelection = false)
    {
        if (requireSelection && VMName is not { Length: > 0 } && VMId is not { Length: > 0 })
        {
            ThrowFailure(GuestFeatureException.Create("VMSelectionRequired", FailureKind.InvalidArgument, null, MyInvocation.MyCommand.Name));
        }

        foreach (var host in ResolveHosts())
        {
            if (!_requests.TryGetValue(host.ComputerName, out var request))
            {
                request = (host, new VmSelection());
                _requests.Add(host.ComputerName, request);
            }

            if (VMName is not { Length: > 0 } && VMId is not { Length: > 0 })
            {
                request.Selection.AddAll();
                continue;
            }

            if (VMId is { Length: > 0 } ids)
            {
                request.Selection.AddIds(ids);
            }

            // A piped Get-VM object carries its name and its id: the id is the precise one. Names typed
            // on the command line always count (with -VMId, both select); a piped name is a name, not a
            // pattern, so 'db*' or 'web[1]' coming from the pipeline match only that VM.
            var namesTyped = IsCommandLineParameter(nameof(VMName));
            if (VMName is { Length: > 0 } names && (namesTyped || VMId is not { Length: > 0 }))
            {
                request.Selection.AddNames(namesTyped ? names : names.Select(WildcardPattern.Escape));
            }
        }
    }
}
