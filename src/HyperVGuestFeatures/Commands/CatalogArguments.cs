using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// -Category takes wildcards; a value without wildcards must name a category, else binding fails
/// with ParameterArgumentValidationError before the command runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateFeatureCategoryAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var text = element as string ?? element?.ToString() ?? string.Empty;
        if (WildcardPattern.ContainsWildcardCharacters(text))
        {
            return;
        }

        if (!Enum.GetNames(typeof(FeatureCategory)).Any(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ValidationMetadataException(GuestFeatureException.Format("CategoryNotFound", text, string.Join(", ", Enum.GetNames(typeof(FeatureCategory)))));
        }
    }
}

/// <summary>
/// A feature -Name takes wildcards; a value without wildcards must name a catalog feature (its name,
/// id or another name it goes by), so a typo is a binding error rather than a silently empty report.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateFeatureNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var text = element as string ?? element?.ToString() ?? string.Empty;
        if (!WildcardPattern.ContainsWildcardCharacters(text) && FeatureCatalog.Find(WildcardPattern.Unescape(text)) is null)
        {
            throw new ValidationMetadataException(GuestFeatureException.Format("FeatureNotFound", text));
        }
    }
}

/// <summary>Completes -Category from the catalog's groups.</summary>
internal sealed class FeatureCategoryCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.From(Enum.GetNames(typeof(FeatureCategory)), wordToComplete, n => n, Completions.TakesWildcards(commandName, parameterName));
}

/// <summary>Completes a feature -Name from the catalog (names with spaces come quoted).</summary>
internal sealed class FeatureNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.From(FeatureCatalog.Features.Select(f => f.Name), wordToComplete, n => FeatureCatalog.Find(n)?.Description ?? n, Completions.TakesWildcards(commandName, parameterName));
}
