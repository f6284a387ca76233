using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Reports the state of every Linux/FreeBSD guest feature, or lists the catalog.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "GuestFeature", DefaultParameterSetName = ListAvailableSet)]
[OutputType(typeof(GuestFeatureInfo), ParameterSetName = new[] { ListAvailableSet })]
public sealed class GetGuestFeatureCommand : GuestFeatureCmdletBase
{
    private const string ListAvailableSet = "ListAvailable";

    /// <summary>Returns the feature catalog itself; no host is contacted.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ListAvailableSet)]
    public SwitchParameter ListAvailable { get; set; }

    /// <summary>Feature names or catalog ids; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Feature categories (the seed's groups); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateFeatureCategory]
    [ArgumentCompleter(typeof(FeatureCategoryCompleter))]
    public string[]? Category { get; set; }

    protected override void OnEnd()
    {
        foreach (var feature in CatalogFilter.Select(Name, Category))
        {
            WriteObject(new GuestFeatureInfo(feature));
        }
    }
}
