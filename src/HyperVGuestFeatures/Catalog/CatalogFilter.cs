using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace HyperVGuestFeatures.Catalog;

/// <summary>Selects catalog features by name and category wildcards (-Name, -Category).</summary>
internal static class CatalogFilter
{
    public static IEnumerable<FeatureDefinition> Select(IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? categories)
    {
        var namePatterns = Patterns(names);
        var categoryPatterns = Patterns(categories);
        return FeatureCatalog.Features.Where(f =>
            (namePatterns is null || namePatterns.Any(p => f.IsNamed(p.IsMatch)))
            && (categoryPatterns is null || categoryPatterns.Any(p => p.IsMatch(f.Category.ToString()))));
    }

    private static WildcardPattern[]? Patterns(IReadOnlyCollection<string>? values)
        => values is null || values.Count == 0
            ? null
            : values.Select(v => WildcardPattern.Get(v, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
}
