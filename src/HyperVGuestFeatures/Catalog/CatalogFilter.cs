using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace HyperVGuestFeatures.Catalog;

/// <summary>Selects catalog features by name and category wildcards (-Name, -Category).</summary>
internal static class CatalogFilter
{
    /// <summary>
    /// The features that match any of <paramref name="names"/> and any of <paramref name="categories"/>
    /// (none given: all). A value that is not a valid wildcard pattern (Heart[) selects nothing and is
    /// an InvalidWildcardPattern failure for that value, so the other values still select.
    /// </summary>
    public static IReadOnlyList<FeatureDefinition> Select(IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? categories, out IReadOnlyList<GuestFeatureException> failures)
    {
        var invalid = new List<GuestFeatureException>();
        var namePatterns = Patterns(names, "Name", invalid);
        var categoryPatterns = Patterns(categories, "Category", invalid);
        failures = invalid;
        return FeatureCatalog.Features.Where(f =>
            (namePatterns is null || namePatterns.Any(p => f.IsNamed(p.IsMatch)))
            && (categoryPatterns is null || categoryPatterns.Any(p => p.IsMatch(f.Category.ToString())))).ToList();
    }

    /// <summary>Null when no value was given (everything matches); otherwise the valid values' patterns, perhaps none.</summary>
    private static WildcardPattern[]? Patterns(IReadOnlyCollection<string>? values, string parameterName, List<GuestFeatureException> invalid)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        var patterns = new List<WildcardPattern>();
        foreach (var value in values)
        {
            if (NamePatterns.Check(value, parameterName) is { } failure)
            {
                invalid.Add(failure);
            }
            else
            {
                patterns.Add(WildcardPattern.Get(value, NamePatterns.Options));
            }
        }

        return patterns.ToArray();
    }
}
