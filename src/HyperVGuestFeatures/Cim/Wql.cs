using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperVGuestFeatures.Cim;

/// <summary>
/// Builds WQL text. Every value goes through <see cref="Literal"/>, which quotes and escapes it,
/// so a VM called <c>x' OR Name like '%</c> compares equal to nothing but itself. Property and class
/// names are checked to be identifiers, never escaped. Only equality is offered: user text never
/// reaches a LIKE pattern, whose % and _ would be wildcards.
/// </summary>
internal static class Wql
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary><c>SELECT * FROM class</c>, with an optional condition.</summary>
    public static string Select(string className, string? condition = null)
    {
        CheckIdentifier(className);
        return string.IsNullOrEmpty(condition) ? $"SELECT * FROM {className}" : $"SELECT * FROM {className} WHERE {condition}";
    }

    /// <summary><c>property = literal</c>.</summary>
    public static string Equal(string property, object value)
    {
        CheckIdentifier(property);
        return $"{property} = {Literal(value)}";
    }

    /// <summary><c>(property = a OR property = b ...)</c>; one query for many exact values.</summary>
    public static string AnyOf(string property, IEnumerable<object> values)
    {
        var terms = values.Select(v => Equal(property, v)).ToList();
        if (terms.Count == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        return terms.Count == 1 ? terms[0] : "(" + string.Join(" OR ", terms) + ")";
    }

    /// <summary>Joins conditions with AND.</summary>
    public static string And(params string[] conditions) => string.Join(" AND ", conditions.Where(c => !string.IsNullOrEmpty(c)));

    /// <summary>
    /// A WQL literal: strings in single quotes with backslash and both quote characters escaped by a
    /// backslash (WQL's escape character); booleans as TRUE/FALSE; numbers in invariant culture.
    /// </summary>
    public static string Literal(object value)
    {
        switch (value)
        {
            case null:
                return "NULL";
            case bool b:
                return b ? "TRUE" : "FALSE";
            case Guid g:
                return Literal(g.ToString("D").ToUpperInvariant());
            case string s:
                if (s.IndexOf('\0') >= 0)
                {
                    throw new ArgumentException("A WQL string cannot contain a NUL character.", nameof(value));
                }

                var builder = new StringBuilder(s.Length + 2).Append('\'');
                foreach (var c in s)
                {
                    if (c is '\\' or '\'' or '"')
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                }

                return builder.Append('\'').ToString();
            case IFormattable number when value is byte or sbyte or short or ushort or int or uint or long or ulong:
                return number.ToString(null, CultureInfo.InvariantCulture);
            default:
                throw new ArgumentException($"Type {value.GetType().Name} cannot be a WQL literal.", nameof(value));
        }
    }

    private static void CheckIdentifier(string name)
    {
        if (name is null || !Identifier.IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a WQL identifier.", nameof(name));
        }
    }
}
