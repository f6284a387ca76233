using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Get-GuestFeature: the state of every catalog feature on every selected VM, across hosts; or,
/// with -ListAvailable, the catalog itself.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GuestFeature", DefaultParameterSetName = VmSet)]
[OutputType(typeof(GuestFeatureStatus), ParameterSetName = new[] { VmSet })]
[OutputType(typeof(GuestFeatureInfo), ParameterSetName = new[] { ListAvailableSet })]
public sealed class GetGuestFeatureCommand : VmCmdletBase
{
    private const string VmSet = "VM";
    private const string ListAvailableSet = "ListAvailable";

    /// <summary>Returns the feature catalog itself; no host is contacted.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ListAvailableSet)]
    public SwitchParameter ListAvailable { get; set; }

    /// <summary>Feature names or catalog ids; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateFeatureName]
    [ArgumentCompleter(typeof(FeatureNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Feature categories (the seed's groups); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateFeatureCategory]
    [ArgumentCompleter(typeof(FeatureCategoryCompleter))]
    public string[]? Category { get; set; }

    protected override void OnProcess()
    {
        if (ListAvailable)
        {
            var hostParameters = new[] { nameof(VMName), nameof(VMId), nameof(ComputerName), nameof(CimSession), nameof(Credential) };
            if (hostParameters.Any(MyInvocation.BoundParameters.ContainsKey))
            {
                ThrowFailure(GuestFeatureException.Create("ListAvailableTakesNoHost", FailureKind.InvalidArgument, null));
            }

            return;
        }

        CollectVmRequest();
    }

    protected override void OnEnd()
    {
        var features = CatalogFilter.Select(Name, Category, out var invalid).ToList();
        foreach (var failure in invalid)
        {
            WriteFailure(failure);
        }

        if (features.Count == 0 && invalid.Count > 0)
        {
            return; // every value was invalid: nothing to report, not every feature
        }

        if (ListAvailable)
        {
            features.ForEach(f => WriteObject(new GuestFeatureInfo(f, FeatureSwitch.For(f) is not null)));
            return;
        }

        // Rows stream: each VM's rows are written as soon as they are judged, VMs in name order within a host, and
        // hosts interleave between VMs (one VM's rows stay together, as the table view groups them).
        RunOnHosts(Requests, (host, selection) =>
        {
            var reading = FeatureProbe.Read(host.Client, selection, features, host.Verbose, host.CancellationToken);
            foreach (var failure in reading.Failures)
            {
                host.Error(failure);
            }

            host.OutputComputed(reading.Machines.Count, reading.Judge);
        }, HostOutputOrder.AsProduced);
    }
}
