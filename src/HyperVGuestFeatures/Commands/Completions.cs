using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Shared by the argument completers: which host to read from, matching what was typed, and text that
/// binds back to the very candidate (quoted where needed, wildcard characters escaped for parameters
/// that take wildcards).
/// </summary>
internal static class Completions
{
    private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`', '(', ')', ';', ',', '{', '}', '&', '@', '#', '[', ']', '|', '<', '>' };

    private static readonly ConcurrentDictionary<string, bool> WildcardParameters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first value typed so far for a parameter (a completer's fake bound parameters), as text, or null.</summary>
    public static string? FirstBound(IDictionary? fakeBoundParameters, string parameterName) => FirstValue(fakeBoundParameters, parameterName) switch
    {
        null => null,
        string text => text,
        var other => other.ToString(),
    };

    /// <summary>
    /// The host a completion reads from, as the command being typed would reach it: its first -CimSession,
    /// else its first -ComputerName (this computer by default) with its -Credential. Null when -Credential
    /// is not (yet) a PSCredential, e.g. a bare user name: the command would ask for the password, a
    /// completion cannot, and it must not read the host as someone else.
    /// </summary>
    public static HostTarget? TargetOf(IDictionary? fakeBoundParameters)
    {
        if (FirstValue(fakeBoundParameters, "CimSession") is { } session)
        {
            return HostConnector.Resolve(null, null, session);
        }

        var credential = FirstValue(fakeBoundParameters, "Credential");
        if (credential is not null and not PSCredential)
        {
            return null;
        }

        return HostConnector.Resolve(FirstBound(fakeBoundParameters, "ComputerName"), credential as PSCredential, null);
    }

    /// <summary>
    /// True when <paramref name="parameterName"/> of this module's cmdlet <paramref name="commandName"/> takes
    /// wildcards ([SupportsWildcards]), so that a completed value must have its wildcard characters escaped
    /// to mean itself. The command may be module-qualified (HyperVGuestFeatures\Get-KvpItem).
    /// </summary>
    public static bool TakesWildcards(string? commandName, string? parameterName)
    {
        if (string.IsNullOrEmpty(commandName) || string.IsNullOrEmpty(parameterName))
        {
            return false;
        }

        var command = commandName!.Substring(commandName.LastIndexOf('\\') + 1);
        return WildcardParameters.GetOrAdd(command + " -" + parameterName, _ => typeof(Completions).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<CmdletAttribute>() is { } cmdlet
                && string.Equals(cmdlet.VerbName + "-" + cmdlet.NounName, command, StringComparison.OrdinalIgnoreCase))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Any(p => string.Equals(p.Name, parameterName, StringComparison.OrdinalIgnoreCase) && p.IsDefined(typeof(SupportsWildcardsAttribute), true)));
    }

    /// <summary>
    /// The candidates that start with what was typed, sorted, as completion results. For a parameter that
    /// takes wildcards (<paramref name="escapeWildcards"/>) the typed word is a pattern (a literal prefix
    /// when it is not a valid one) and each result has its wildcard characters escaped (web[1] becomes
    /// 'web`[1`]', which matches that VM alone); elsewhere both are literal.
    /// </summary>
    public static IEnumerable<CompletionResult> From(IEnumerable<string> candidates, string wordToComplete, Func<string, string> toolTip, bool escapeWildcards = false)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        Func<string, bool> matches = c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase);
        if (escapeWildcards && WildcardPattern.ContainsWildcardCharacters(word))
        {
            var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            matches = c =>
            {
                try
                {
                    return pattern.IsMatch(c);
                }
                catch (WildcardPatternException)
                {
                    return c.StartsWith(word, StringComparison.OrdinalIgnoreCase);
                }
            };
        }

        foreach (var candidate in candidates.Where(matches).OrderBy(c => c, StringComparer.OrdinalIgnoreCase))
        {
            var value = escapeWildcards ? WildcardPattern.Escape(candidate) : candidate;
            var text = value.IndexOfAny(NeedsQuotes) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;
            yield return new CompletionResult(text, candidate, CompletionResultType.ParameterValue, toolTip(candidate));
        }
    }

    private static object? FirstValue(IDictionary? fakeBoundParameters, string parameterName)
    {
        var value = fakeBoundParameters?[parameterName];
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        if (value is IList list)
        {
            value = list.Count > 0 ? list[0] : null;
        }

        return value is PSObject inner ? inner.BaseObject : value;
    }
}
