using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace HyperVGuestFeatures;

/// <summary>
/// Names typed by users (-VMName, a KVP key's -Name, a feature's -Name and -Category) checked before
/// they are used, so one bad value is an error record for that value and the others still run: an
/// invalid wildcard pattern such as <c>ubuntu[</c> would otherwise throw in the middle of a host's
/// work and lose every result of that host.
/// </summary>
internal static class NamePatterns
{
    public const WildcardOptions Options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;

    /// <summary>InvalidWildcardPattern (InvalidArgument, target = the value) when <paramref name="value"/> has wildcards that do not form a pattern; otherwise null.</summary>
    public static GuestFeatureException? Check(string value, string parameterName)
    {
        if (value is null || !WildcardPattern.ContainsWildcardCharacters(value))
        {
            return null;
        }

        try
        {
            // WildcardPattern parses lazily: the first match is what finds an unclosed [ or a bad range.
            WildcardPattern.Get(value, Options).IsMatch(string.Empty);
            return null;
        }
        catch (WildcardPatternException e)
        {
            return new GuestFeatureException("InvalidWildcardPattern", FailureKind.InvalidArgument, value, GuestFeatureException.Format("InvalidWildcardPattern", Printable(value), parameterName), e)
            {
                RecommendedAction = GuestFeatureException.Format("InvalidWildcardPatternAction", QuotedLiteral(value)),
            };
        }
    }

    /// <summary>
    /// The inside of a single-quoted argument that a wildcard parameter takes as exactly
    /// <paramref name="value"/>: wildcard characters backtick-escaped, then ' ‘ ’ ‚ ‛ doubled (PowerShell
    /// ends a single-quoted string at any of them).
    /// </summary>
    public static string QuotedLiteral(string value) => CodeGeneration.EscapeSingleQuotedStringContent(WildcardPattern.Escape(value ?? string.Empty));

    /// <summary>The value with control characters shown as PowerShell escapes (<c>`0</c>, <c>`u{1}</c>), for messages.</summary>
    public static string Printable(string value)
    {
        if (value is null || !value.Any(char.IsControl))
        {
            return value ?? string.Empty;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\0' => "`0",
                '\t' => "`t",
                '\r' => "`r",
                '\n' => "`n",
                _ when char.IsControl(c) => "`u{" + ((int)c).ToString("X", CultureInfo.InvariantCulture) + "}",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
