using System;
using System.Globalization;
using System.Text;

namespace HyperVGuestFeatures.Reporting;

/// <summary>
/// Writes JSON that is safe inside an HTML <c>&lt;script type="application/json"&gt;</c> element:
/// besides JSON's own escapes, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and <c>'</c> are written as
/// <c>\uXXXX</c>, so no text can close the element (<c>&lt;/script&gt;</c>) or open a comment, and
/// U+2028/U+2029 (line breaks to older JavaScript parsers) and unpaired surrogates are escaped too.
/// netstandard2.0 has no BCL JSON writer (System.Text.Json would be a runtime dependency to ship), so
/// this small one covers the strings, numbers and arrays the report needs.
/// </summary>
internal sealed class ScriptSafeJson
{
    private readonly StringBuilder _text;
    private bool _needComma;

    public ScriptSafeJson(StringBuilder text) => _text = text ?? throw new ArgumentNullException(nameof(text));

    public ScriptSafeJson StartObject() => Open('{');

    public ScriptSafeJson EndObject() => Close('}');

    public ScriptSafeJson StartArray() => Open('[');

    public ScriptSafeJson EndArray() => Close(']');

    /// <summary>A property name inside an object; the value comes next.</summary>
    public ScriptSafeJson Name(string name)
    {
        Separate();
        WriteString(_text, name);
        _text.Append(':');
        _needComma = false;
        return this;
    }

    public ScriptSafeJson String(string? value)
    {
        Separate();
        if (value is null)
        {
            _text.Append("null");
        }
        else
        {
            WriteString(_text, value);
        }

        _needComma = true;
        return this;
    }

    public ScriptSafeJson Number(long value)
    {
        Separate();
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        _needComma = true;
        return this;
    }

    /// <summary>Appends <paramref name="value"/> as a quoted, escaped JSON string.</summary>
    public static void WriteString(StringBuilder text, string value)
    {
        if (text is null || value is null)
        {
            throw new ArgumentNullException(text is null ? nameof(text) : nameof(value));
        }

        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (c < 0x20 || c is '<' or '>' or '&' or '\'' or '\u2028' or '\u2029' || IsUnpairedSurrogate(value, i))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static bool IsUnpairedSurrogate(string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
    }

    private ScriptSafeJson Open(char bracket)
    {
        Separate();
        _text.Append(bracket);
        _needComma = false;
        return this;
    }

    private ScriptSafeJson Close(char bracket)
    {
        _text.Append(bracket);
        _needComma = true;
        return this;
    }

    private void Separate()
    {
        if (_needComma)
        {
            _text.Append(',');
        }
    }
}
