using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// A parsed WQL data query, as the simulated provider understands it:
/// <c>SELECT * | p1, p2 FROM class [WHERE condition]</c> with =, &lt;&gt;, !=, &lt;, &gt;, &lt;=, &gt;=,
/// AND, OR, NOT, parentheses, IS [NOT] NULL and [NOT] LIKE (% and _ and [set]); string literals in
/// '...' or "..." where a backslash escapes the next character (the form <see cref="Wql.Literal"/> writes),
/// numbers, TRUE, FALSE and NULL. Keywords and string comparisons are case-insensitive, as in WMI.
/// A malformed query throws GuestFeatureException (InvalidArgument), like the provider's "Invalid query".
/// </summary>
internal sealed class WqlQuery
{
    private WqlQuery(string text, string className, IReadOnlyList<string>? properties, Condition? where)
    {
        Text = text;
        ClassName = className;
        Properties = properties;
        Where = where;
    }

    public string Text { get; }

    public string ClassName { get; }

    /// <summary>The selected properties; null for <c>*</c>.</summary>
    public IReadOnlyList<string>? Properties { get; }

    public Condition? Where { get; }

    /// <summary>
    /// Parses the query text. A parsed query is immutable, so a few hundred recent texts are kept and a repeated text
    /// (every bulk read asks the same ones) is not parsed again; malformed text is never kept and throws each time.
    /// </summary>
    public static WqlQuery Parse(string text)
    {
        text ??= string.Empty;
        if (Parsed.TryGetValue(text, out var known))
        {
            return known;
        }

        var query = new Parser(text).ParseQuery();
        if (Parsed.Count >= MaxParsed)
        {
            Parsed.Clear();
        }

        Parsed[text] = query;
        return query;
    }

    private const int MaxParsed = 512;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WqlQuery> Parsed = new(StringComparer.Ordinal);

    /// <summary>Every property name the query refers to (for the unknown-property check).</summary>
    public IEnumerable<string> ReferencedProperties()
        => (Properties ?? Array.Empty<string>()).Concat(Where?.Properties() ?? Enumerable.Empty<string>());

    public bool Matches(CimObject instance) => Where is null || Where.Evaluate(instance);

    /// <summary>The instance with only the selected properties (plus keys), as WMI returns a projection.</summary>
    public CimObject Project(CimObject instance)
    {
        if (Properties is null)
        {
            return instance;
        }

        var keep = new HashSet<string>(Properties, StringComparer.OrdinalIgnoreCase);
        return new CimObject(
            instance.ClassName,
            instance.Properties.Where(p => keep.Contains(p.Key) || instance.KeyNames.Contains(p.Key, StringComparer.OrdinalIgnoreCase)),
            instance.KeyNames,
            instance.Namespace);
    }

    internal static GuestFeatureException Invalid(string query, string detail)
        => GuestFeatureException.Create("CimInvalidQuery", FailureKind.InvalidArgument, query, query, detail);

    internal abstract class Condition
    {
        public abstract bool Evaluate(CimObject instance);

        public abstract IEnumerable<string> Properties();
    }

    private sealed class AndCondition(Condition left, Condition right) : Condition
    {
        public override bool Evaluate(CimObject instance) => left.Evaluate(instance) && right.Evaluate(instance);

        public override IEnumerable<string> Properties() => left.Properties().Concat(right.Properties());
    }

    private sealed class OrCondition(Condition left, Condition right) : Condition
    {
        public override bool Evaluate(CimObject instance) => left.Evaluate(instance) || right.Evaluate(instance);

        public override IEnumerable<string> Properties() => left.Properties().Concat(right.Properties());
    }

    private sealed class NotCondition(Condition inner) : Condition
    {
        public override bool Evaluate(CimObject instance) => !inner.Evaluate(instance);

        public override IEnumerable<string> Properties() => inner.Properties();
    }

    private sealed class NullCondition(string property, bool negate) : Condition
    {
        public override bool Evaluate(CimObject instance) => (instance[property] is null) != negate;

        public override IEnumerable<string> Properties() => new[] { property };
    }

    private sealed class LikeCondition(string property, string pattern, bool negate) : Condition
    {
        private readonly Regex _regex = ToRegex(pattern);

        public override bool Evaluate(CimObject instance)
        {
            if (instance[property] is not { } value || value is Array)
            {
                return false;
            }

            return _regex.IsMatch(TextOf(value)) != negate;
        }

        public override IEnumerable<string> Properties() => new[] { property };

        private static Regex ToRegex(string pattern)
        {
            var builder = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '%':
                        builder.Append(".*");
                        break;
                    case '_':
                        builder.Append('.');
                        break;
                    case '[':
                        var close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            builder.Append(@"\[");
                            break;
                        }

                        var set = pattern.Substring(i + 1, close - i - 1);
                        var negated = set.StartsWith("^", StringComparison.Ordinal);
                        builder.Append('[').Append(negated ? "^" : string.Empty)
                            .Append(Regex.Escape(negated ? set.Substring(1) : set).Replace(@"\-", "-")).Append(']');
                        i = close;
                        break;
                    default:
                        builder.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    private sealed class CompareCondition(string property, string op, object? literal) : Condition
    {
        public override bool Evaluate(CimObject instance)
        {
            var value = instance[property];
            if (value is null || literal is null || value is Array)
            {
                return false; // WQL: a comparison with NULL is never true; arrays cannot be compared.
            }

            var order = Compare(value, literal);
            if (order is null)
            {
                return op is "<>" or "!=";
            }

            return op switch
            {
                "=" => order == 0,
                "<>" or "!=" => order != 0,
                "<" => order < 0,
                ">" => order > 0,
                "<=" => order <= 0,
                ">=" => order >= 0,
                _ => false,
            };
        }

        public override IEnumerable<string> Properties() => new[] { property };

        private static int? Compare(object value, object literal)
        {
            switch (value)
            {
                case bool b:
                    bool? other = literal switch
                    {
                        bool lb => lb,
                        decimal d => d != 0,
                        string s when bool.TryParse(s, out var parsed) => parsed,
                        _ => null,
                    };
                    return other is null ? null : b.CompareTo(other.Value);
                case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                    var number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    decimal? right = literal switch
                    {
                        decimal d => d,
                        bool lb => lb ? 1 : 0,
                        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
                        _ => null,
                    };
                    return right is null ? null : number.CompareTo(right.Value);
                default:
                    return string.Compare(TextOf(value), TextOf(literal), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private static string TextOf(object value) => value switch
    {
        bool b => b ? "TRUE" : "FALSE",
        DateTime d => CimDateTime.Format(d),
        TimeSpan t => CimDateTime.Format(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private enum TokenKind
    {
        Identifier,
        String,
        Number,
        Symbol,
        End,
    }

    private readonly struct Token(TokenKind kind, string text, object? value, int position)
    {
        public TokenKind Kind { get; } = kind;

        public string Text { get; } = text;

        public object? Value { get; } = value;

        public int Position { get; } = position;

        public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
    }

    private sealed class Parser
    {
        private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        {
            "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL", "LIKE", "TRUE", "FALSE",
        };

        private readonly string _text;
        private readonly List<Token> _tokens;
        private int _index;

        public Parser(string text)
        {
            _text = text;
            _tokens = Tokenize(text);
        }

        private Token Current => _tokens[_index];

        public WqlQuery ParseQuery()
        {
            Expect("SELECT");
            List<string>? properties = null;
            if (Current.IsSymbol("*"))
            {
                _index++;
            }
            else
            {
                properties = new List<string> { ExpectIdentifier("a property name or *") };
                while (Current.IsSymbol(","))
                {
                    _index++;
                    properties.Add(ExpectIdentifier("a property name"));
                }
            }

            Expect("FROM");
            var className = ExpectIdentifier("a class name");
            Condition? where = null;
            if (Current.IsKeyword("WHERE"))
            {
                _index++;
                where = ParseOr();
            }

            if (Current.Kind != TokenKind.End)
            {
                throw Fail($"unexpected '{Current.Text}'");
            }

            return new WqlQuery(_text, className, properties, where);
        }

        private Condition ParseOr()
        {
            var left = ParseAnd();
            while (Current.IsKeyword("OR"))
            {
                _index++;
                left = new OrCondition(left, ParseAnd());
            }

            return left;
        }

        private Condition ParseAnd()
        {
            var left = ParseUnary();
            while (Current.IsKeyword("AND"))
            {
                _index++;
                left = new AndCondition(left, ParseUnary());
            }

            return left;
        }

        private Condition ParseUnary()
        {
            if (Current.IsKeyword("NOT"))
            {
                _index++;
                return new NotCondition(ParseUnary());
            }

            if (Current.IsSymbol("("))
            {
                _index++;
                var inner = ParseOr();
                if (!Current.IsSymbol(")"))
                {
                    throw Fail("')' expected");
                }

                _index++;
                return inner;
            }

            return ParseComparison();
        }

        private Condition ParseComparison()
        {
            if (Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Text))
            {
                var property = Current.Text;
                _index++;
                if (Current.IsKeyword("IS"))
                {
                    _index++;
                    var negate = false;
                    if (Current.IsKeyword("NOT"))
                    {
                        negate = true;
                        _index++;
                    }

                    Expect("NULL");
                    return new NullCondition(property, negate);
                }

                var notLike = false;
                if (Current.IsKeyword("NOT"))
                {
                    notLike = true;
                    _index++;
                    if (!Current.IsKeyword("LIKE"))
                    {
                        throw Fail("LIKE expected after NOT");
                    }
                }

                if (Current.IsKeyword("LIKE"))
                {
                    _index++;
                    if (Current.Kind != TokenKind.String)
                    {
                        throw Fail("LIKE needs a string pattern");
                    }

                    var pattern = (string)Current.Value!;
                    _index++;
                    return new LikeCondition(property, pattern, notLike);
                }

                var op = ExpectOperator();
                return new CompareCondition(property, op, ExpectLiteral());
            }

            if (IsLiteral(Current))
            {
                // literal op property: turn it round.
                var literal = ExpectLiteral();
                var op = ExpectOperator();
                var property = ExpectIdentifier("a property name");
                var flipped = op switch { "<" => ">", ">" => "<", "<=" => ">=", ">=" => "<=", _ => op };
                return new CompareCondition(property, flipped, literal);
            }

            throw Fail(Current.Kind == TokenKind.End ? "a condition expected at the end" : $"unexpected '{Current.Text}'");
        }

        private static bool IsLiteral(Token token)
            => token.Kind is TokenKind.String or TokenKind.Number || token.IsKeyword("TRUE") || token.IsKeyword("FALSE") || token.IsKeyword("NULL");

        private object? ExpectLiteral()
        {
            var token = Current;
            _index++;
            if (token.Kind is TokenKind.String or TokenKind.Number)
            {
                return token.Value;
            }

            if (token.IsKeyword("TRUE"))
            {
                return true;
            }

            if (token.IsKeyword("FALSE"))
            {
                return false;
            }

            if (token.IsKeyword("NULL"))
            {
                return null;
            }

            _index--;
            throw Fail(token.Kind == TokenKind.End ? "a value expected at the end" : $"a value expected, not '{token.Text}'");
        }

        private string ExpectOperator()
        {
            if (Current.Kind == TokenKind.Symbol && Current.Text is "=" or "<>" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = Current.Text;
                _index++;
                return op;
            }

            throw Fail(Current.Kind == TokenKind.End ? "an operator expected at the end" : $"an operator expected, not '{Current.Text}'");
        }

        private void Expect(string keyword)
        {
            if (!Current.IsKeyword(keyword))
            {
                throw Fail(Current.Kind == TokenKind.End ? $"{keyword} expected at the end" : $"{keyword} expected, not '{Current.Text}'");
            }

            _index++;
        }

        private string ExpectIdentifier(string what)
        {
            if (Current.Kind != TokenKind.Identifier || Reserved.Contains(Current.Text))
            {
                throw Fail(Current.Kind == TokenKind.End ? $"{what} expected at the end" : $"{what} expected, not '{Current.Text}'");
            }

            return _tokens[_index++].Text;
        }

        private GuestFeatureException Fail(string detail)
            => Invalid(_text, string.Format(CultureInfo.InvariantCulture, "{0} (at position {1})", detail, Current.Position + 1));

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (char.IsLetter(c) || c == '_')
                {
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), null, start));
                    continue;
                }

                if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                {
                    i++;
                    while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    var number = text.Substring(start, i - start);
                    if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                    {
                        throw Invalid(text, string.Format(CultureInfo.InvariantCulture, "'{0}' is not a number (at position {1})", number, start + 1));
                    }

                    tokens.Add(new Token(TokenKind.Number, number, value, start));
                    continue;
                }

                if (c is '\'' or '"')
                {
                    var builder = new StringBuilder();
                    i++;
                    var closed = false;
                    while (i < text.Length)
                    {
                        var d = text[i];
                        if (d == '\\' && i + 1 < text.Length)
                        {
                            builder.Append(text[i + 1]);
                            i += 2;
                            continue;
                        }

                        if (d == c)
                        {
                            closed = true;
                            i++;
                            break;
                        }

                        builder.Append(d);
                        i++;
                    }

                    if (!closed)
                    {
                        throw Invalid(text, string.Format(CultureInfo.InvariantCulture, "the string that starts at position {0} is not closed", start + 1));
                    }

                    tokens.Add(new Token(TokenKind.String, text.Substring(start, i - start), builder.ToString(), start));
                    continue;
                }

                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "<>" or "!=" or "<=" or ">=")
                {
                    tokens.Add(new Token(TokenKind.Symbol, two, null, start));
                    i += 2;
                    continue;
                }

                if (c is '=' or '<' or '>' or '(' or ')' or ',' or '*')
                {
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), null, start));
                    i++;
                    continue;
                }

                throw Invalid(text, string.Format(CultureInfo.InvariantCulture, "unexpected character '{0}' (at position {1})", c, start + 1));
            }

            tokens.Add(new Token(TokenKind.End, string.Empty, null, text.Length));
            return tokens;
        }
    }
}
