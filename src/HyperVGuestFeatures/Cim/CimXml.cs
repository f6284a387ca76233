using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace HyperVGuestFeatures.Cim;

/// <summary>
/// Embedded-instance text as the provider takes and gives it (docs/provider-model.md "Embedded instances"):
/// a CIM-XML <c>INSTANCE</c> element with one <c>PROPERTY</c> (NAME, TYPE, VALUE) per set property
/// and <c>PROPERTY.ARRAY</c>/<c>VALUE.ARRAY</c> for arrays; the shape MI's "MI_XML" serializer writes
/// and libvirt builds by hand. Used for ResourceSettings[], DataItems[], CopyFileToGuestSettings[]
/// and for reading KVP item arrays.
/// Text travels byte-for-byte (KVP values are the user's data): the writer escapes carriage returns
/// as <c>&amp;#xD;</c>, which an XML parser would otherwise turn into line feeds, and the reader keeps
/// whitespace-only values and raw CR/CRLF in values instead of dropping or normalising them.
/// </summary>
internal static class CimXml
{
    /// <summary>Serializes the instance's non-null properties, in their order, as an INSTANCE element.</summary>
    public static string Serialize(CimObject instance)
        => SerializeFlat(instance) ?? SerializeWithWriter(instance);

    /// <summary>Serializes with the XML writer, whatever the properties hold.</summary>
    internal static string SerializeWithWriter(CimObject instance)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, Encoding = Encoding.Unicode, NewLineHandling = NewLineHandling.Entitize };
        using (var writer = XmlWriter.Create(text, settings))
        {
            writer.WriteStartElement("INSTANCE");
            writer.WriteAttributeString("CLASSNAME", instance.ClassName);
            foreach (var property in instance.Properties)
            {
                if (property.Value is null)
                {
                    continue;
                }

                WriteProperty(writer, property.Key, property.Value);
            }

            writer.WriteEndElement();
        }

        return text.ToString();
    }

    /// <summary>
    /// The common case without an XML writer (creating one costs more than the text it writes): scalar strings,
    /// booleans and integers whose characters the writer copies as they are (plus the &amp; &lt; &gt; and CR it
    /// escapes), with names free of markup. Gives exactly the writer's text, or null to leave the instance to it.
    /// </summary>
    internal static string? SerializeFlat(CimObject instance)
    {
        if (!IsPlainName(instance.ClassName))
        {
            return null;
        }

        // One builder per thread, reused: the text is copied out once.
        var text = t_builder ?? new StringBuilder(512);
        t_builder = null;
        text.Clear();
        text.Append("<INSTANCE CLASSNAME=\"").Append(instance.ClassName).Append("\">");
        for (var p = 0; p < instance.PropertyCount; p++)
        {
            var (name, value) = instance.PropertyAt(p);
            if (value is null)
            {
                continue;
            }

            if (!IsPlainName(name) || value is not (string or bool or byte or sbyte or ushort or short or uint or int or ulong or long))
            {
                return null;
            }

            text.Append("<PROPERTY NAME=\"").Append(name).Append("\" TYPE=\"").Append(TypeName(value)).Append("\">");
            var formatted = FormatValue(value);
            if (formatted.Length == 0)
            {
                text.Append("<VALUE />");
            }
            else if (IsVerbatim(formatted))
            {
                text.Append("<VALUE>").Append(formatted).Append("</VALUE>");
            }
            else
            {
                text.Append("<VALUE>");
                foreach (var c in formatted)
                {
                    switch (c)
                    {
                        case '&':
                            text.Append("&amp;");
                            break;
                        case '<':
                            text.Append("&lt;");
                            break;
                        case '>':
                            text.Append("&gt;");
                            break;
                        case '\r':
                            text.Append("&#xD;");
                            break;
                        case '\n' or '\t':
                            text.Append(c);
                            break;
                        default:
                            if (c < ' ' || !IsPlainChar(c))
                            {
                                return null; // characters the writer refuses or must pair: its answer, not ours
                            }

                            text.Append(c);
                            break;
                    }
                }

                text.Append("</VALUE>");
            }

            text.Append("</PROPERTY>");
        }

        var result = text.Append("</INSTANCE>").ToString();
        if (text.Capacity <= 8192)
        {
            t_builder = text;
        }

        return result;
    }

    [ThreadStatic]
    private static StringBuilder? t_builder;

    // Text the writer copies as it is: no markup, no CR, nothing it refuses or must pair.
    private static bool IsVerbatim(string value)
    {
        foreach (var c in value)
        {
            if (c is '&' or '<' or '>' or '\r' || (c < ' ' && c is not ('\n' or '\t')) || !IsPlainChar(c))
            {
                return false;
            }
        }

        return true;
    }

    // A class or property name the writer copies as it is into an attribute.
    private static bool IsPlainName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is '&' or '<' or '>' or '"' || c < ' ' || !IsPlainChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses INSTANCE text into a <see cref="CimObject"/>; throws FormatException when it is not one.</summary>
    public static CimObject Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceEmpty"));
        }

        return ParseFlat(text) ?? ParseWithReader(text);
    }

    /// <summary>Parses INSTANCE text with the XML reader, whatever its shape (declarations, qualifiers, whitespace).</summary>
    internal static CimObject ParseWithReader(string text)
    {
        try
        {
            using var reader = CreateReader(text);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "INSTANCE")
            {
                throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceNotInstance", reader.LocalName));
            }

            var className = reader.GetAttribute("CLASSNAME") ?? throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceNoClass"));
            var properties = new List<KeyValuePair<string, object?>>();
            foreach (var child in Children(reader))
            {
                switch (child)
                {
                    case "PROPERTY":
                        properties.Add(ReadScalar(reader));
                        break;
                    case "PROPERTY.ARRAY":
                        properties.Add(ReadArray(reader));
                        break;
                    default:
                        reader.Skip(); // QUALIFIER, PROPERTY.REFERENCE and the like carry nothing the module needs.
                        break;
                }
            }

            return new CimObject(className, properties);
        }
        catch (XmlException e)
        {
            throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceMalformed", e.Message), e);
        }
    }

    /// <summary>
    /// The common case without an XML reader (building one costs more than the text it reads): exactly the shape
    /// <see cref="Serialize"/> writes for scalar properties — <c>&lt;INSTANCE CLASSNAME="c"&gt;</c>, then only
    /// <c>&lt;PROPERTY NAME="n" TYPE="t"&gt;&lt;VALUE&gt;text&lt;/VALUE&gt;&lt;/PROPERTY&gt;</c> (or <c>&lt;VALUE /&gt;</c>), then <c>&lt;/INSTANCE&gt;</c> and
    /// nothing else, no whitespace between tags, attribute values without markup or white space other than spaces, and
    /// values whose only markup is the five predefined entities and the CR/LF/TAB character references. Anything else
    /// (a declaration, a qualifier, an array, another entity, a character XML does not allow) returns null, and the
    /// reader decides, so both paths give the same instance for the same text.
    /// </summary>
    internal static CimObject? ParseFlat(string text)
    {
        const string Open = "<INSTANCE CLASSNAME=\"";
        const string Close = "</INSTANCE>";
        if (!text.StartsWith(Open, StringComparison.Ordinal) || !text.EndsWith(Close, StringComparison.Ordinal))
        {
            return null;
        }

        var position = Open.Length;
        var end = text.Length - Close.Length;
        if (ReadAttributeValue(text, ref position, end) is not { } className || !Expect(text, ref position, end, ">"))
        {
            return null;
        }

        // Read the whole text first: only a text of the flat shape is converted here, in order, as the reader would.
        var raw = new List<(string Name, string Type, string Value)>();
        while (position < end)
        {
            if (!Expect(text, ref position, end, "<PROPERTY NAME=\"")
                || ReadAttributeValue(text, ref position, end) is not { } name
                || !Expect(text, ref position, end, " TYPE=\"")
                || ReadAttributeValue(text, ref position, end) is not { } type
                || !Expect(text, ref position, end, ">")
                || ReadValue(text, ref position, end) is not { } value
                || !Expect(text, ref position, end, "</PROPERTY>"))
            {
                return null;
            }

            raw.Add((name, type, value));
        }

        var properties = new (string Name, object? Value)[raw.Count];
        for (var i = 0; i < raw.Count; i++)
        {
            properties[i] = (raw[i].Name, ConvertValue(raw[i].Type, raw[i].Value, raw[i].Name));
        }

        return new CimObject(className, properties);
    }

    private static bool Expect(string text, ref int position, int end, string expected)
    {
        if (end - position < expected.Length || string.CompareOrdinal(text, position, expected, 0, expected.Length) != 0)
        {
            return false;
        }

        position += expected.Length;
        return true;
    }

    /// <summary><c>&lt;VALUE&gt;text&lt;/VALUE&gt;</c>, or <c>&lt;VALUE /&gt;</c> (how an empty string is written): the text, or null.</summary>
    private static string? ReadValue(string text, ref int position, int end)
    {
        if (Expect(text, ref position, end, "<VALUE />"))
        {
            return string.Empty;
        }

        return Expect(text, ref position, end, "<VALUE>") && ReadText(text, ref position, end) is { } value && Expect(text, ref position, end, "</VALUE>")
            ? value
            : null;
    }

    /// <summary>An attribute value up to its closing quote; null when it holds anything an XML reader would change or refuse.</summary>
    private static string? ReadAttributeValue(string text, ref int position, int end)
    {
        var start = position;
        for (; position < end; position++)
        {
            var c = text[position];
            if (c == '"')
            {
                return position == start ? null : Known(text, start, position++ - start);
            }

            if (c is '<' or '&' || c < ' ' || !IsPlainChar(c))
            {
                return null;
            }
        }

        return null;
    }

    // Names that come back in every item of a bulk read: returned as these strings instead of new copies.
    private static readonly string[] KnownNames =
    {
        "Msvm_KvpExchangeDataItem", "Name", "Data", "Source", "string", "uint16", "uint32", "uint64", "boolean", "sint32", "datetime",
    };

    private static string Known(string text, int start, int length)
    {
        foreach (var known in KnownNames)
        {
            if (known.Length == length && string.CompareOrdinal(text, start, known, 0, length) == 0)
            {
                return known;
            }
        }

        return text.Substring(start, length);
    }

    /// <summary>Element text up to the next tag, entities decoded; null when it holds markup the flat shape does not allow.</summary>
    private static string? ReadText(string text, ref int position, int end)
    {
        var start = position;
        StringBuilder? decoded = null;
        var copied = start;
        for (; position < end; position++)
        {
            var c = text[position];
            if (c == '<')
            {
                break;
            }

            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || !IsPlainChar(c) || (c == '>' && position >= start + 2 && text[position - 1] == ']' && text[position - 2] == ']'))
            {
                return null; // a character XML does not allow, or "]]>", which it refuses in text
            }

            if (c != '&')
            {
                continue;
            }

            var semicolon = text.IndexOf(';', position);
            if (semicolon < 0 || semicolon >= end)
            {
                return null;
            }

            char? entity = text.Substring(position + 1, semicolon - position - 1) switch
            {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "#xD" or "#xd" or "#13" => '\r',
                "#xA" or "#xa" or "#10" => '\n',
                "#x9" or "#9" => '\t',
                _ => null,
            };
            if (entity is null)
            {
                return null;
            }

            decoded ??= new StringBuilder(end - start);
            decoded.Append(text, copied, position - copied).Append(entity.Value);
            position = semicolon;
            copied = semicolon + 1;
        }

        if (position >= end)
        {
            return null;
        }

        if (decoded is null)
        {
            return text.Substring(start, position - start);
        }

        return decoded.Append(text, copied, position - copied).ToString();
    }

    // Surrogates (even paired ones) and the non-characters U+FFFE/U+FFFF are left to the reader.
    private static bool IsPlainChar(char c) => c < '\uD800' || (c > '\uDFFF' && c < '\uFFFE');

    /// <summary>The CIM type name for a .NET value, as written in the TYPE attribute.</summary>
    public static string TypeName(object value) => value switch
    {
        string => "string",
        bool => "boolean",
        byte => "uint8",
        sbyte => "sint8",
        ushort => "uint16",
        short => "sint16",
        uint => "uint32",
        int => "sint32",
        ulong => "uint64",
        long => "sint64",
        float => "real32",
        double => "real64",
        char => "char16",
        DateTime or TimeSpan => "datetime",
        _ => throw new ArgumentException($"Type {value.GetType().Name} has no CIM-XML form.", nameof(value)),
    };

    private static void WriteProperty(XmlWriter writer, string name, object value)
    {
        if (value is Array array && value is not string)
        {
            var elementType = array.GetType().GetElementType()!;
            writer.WriteStartElement("PROPERTY.ARRAY");
            writer.WriteAttributeString("NAME", name);
            writer.WriteAttributeString("TYPE", array.Length > 0 ? TypeName(array.GetValue(0)!) : TypeName(DefaultOf(elementType)));
            writer.WriteStartElement("VALUE.ARRAY");
            foreach (var item in array)
            {
                writer.WriteElementString("VALUE", FormatValue(item!));
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            return;
        }

        writer.WriteStartElement("PROPERTY");
        writer.WriteAttributeString("NAME", name);
        writer.WriteAttributeString("TYPE", TypeName(value));
        writer.WriteElementString("VALUE", FormatValue(value));
        writer.WriteEndElement();
    }

    private static object DefaultOf(Type type) => type == typeof(string) ? string.Empty : Activator.CreateInstance(type)!;

    private static string FormatValue(object value) => value switch
    {
        bool b => b ? "TRUE" : "FALSE",
        DateTime d => CimDateTime.Format(d),
        TimeSpan t => CimDateTime.Format(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// A reader that keeps text as written: XmlReader.Create always turns CR and CRLF into LF and can
    /// only keep or drop whitespace everywhere, so the non-normalising XmlTextReader is used (DTDs
    /// prohibited, no resolver) and whitespace between elements is skipped by <see cref="Children"/>.
    /// </summary>
    private static XmlTextReader CreateReader(string text)
        => new(new StringReader(text))
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            Normalization = false,
            WhitespaceHandling = WhitespaceHandling.All,
        };

    /// <summary>
    /// The local names of the child elements of the element the reader is on, one at a time: each is
    /// yielded with the reader on it, and the consumer must read past it. Whitespace, comments and
    /// stray text between children are skipped; at the end the reader is past the parent's end tag.
    /// </summary>
    private static IEnumerable<string> Children(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            yield break;
        }

        reader.Read();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    yield return reader.LocalName;
                    break;
                case XmlNodeType.EndElement:
                    reader.Read();
                    yield break;
                case XmlNodeType.None:
                    throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceUnclosed"));
                default:
                    reader.Read();
                    break;
            }
        }
    }

    private static KeyValuePair<string, object?> ReadScalar(XmlReader reader)
    {
        var name = reader.GetAttribute("NAME") ?? throw new FormatException(GuestFeatureException.Format("EmbeddedInstancePropertyNoName", "PROPERTY"));
        var type = reader.GetAttribute("TYPE") ?? "string";
        object? value = null;
        foreach (var child in Children(reader))
        {
            if (child == "VALUE")
            {
                value = ConvertValue(type, reader.ReadElementContentAsString(), name);
            }
            else
            {
                reader.Skip();
            }
        }

        return new KeyValuePair<string, object?>(name, value);
    }

    private static KeyValuePair<string, object?> ReadArray(XmlReader reader)
    {
        var name = reader.GetAttribute("NAME") ?? throw new FormatException(GuestFeatureException.Format("EmbeddedInstancePropertyNoName", "PROPERTY.ARRAY"));
        var type = reader.GetAttribute("TYPE") ?? "string";
        var items = new List<object?>();
        var sawArray = false;
        foreach (var child in Children(reader))
        {
            if (child != "VALUE.ARRAY")
            {
                reader.Skip();
                continue;
            }

            sawArray = true;
            foreach (var value in Children(reader))
            {
                if (value == "VALUE")
                {
                    items.Add(ConvertValue(type, reader.ReadElementContentAsString(), name));
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return new KeyValuePair<string, object?>(name, sawArray ? ToTypedArray(type, items) : null);
    }

    private static Array ToTypedArray(string type, List<object?> items)
    {
        var elementType = ClrType(type);
        var array = Array.CreateInstance(elementType, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            array.SetValue(items[i], i);
        }

        return array;
    }

    private static Type ClrType(string type) => type.ToLowerInvariant() switch
    {
        "boolean" => typeof(bool),
        "uint8" => typeof(byte),
        "sint8" => typeof(sbyte),
        "uint16" => typeof(ushort),
        "sint16" => typeof(short),
        "uint32" => typeof(uint),
        "sint32" => typeof(int),
        "uint64" => typeof(ulong),
        "sint64" => typeof(long),
        "real32" => typeof(float),
        "real64" => typeof(double),
        _ => typeof(string), // string, char16, datetime (kept as CIM text), and unknown types
    };

    private static object ConvertValue(string type, string text, string name)
    {
        try
        {
            return type.ToLowerInvariant() switch
            {
                "boolean" => text.Trim().Equals("true", StringComparison.OrdinalIgnoreCase),
                "uint8" => byte.Parse(text, CultureInfo.InvariantCulture),
                "sint8" => sbyte.Parse(text, CultureInfo.InvariantCulture),
                "uint16" => ushort.Parse(text, CultureInfo.InvariantCulture),
                "sint16" => short.Parse(text, CultureInfo.InvariantCulture),
                "uint32" => uint.Parse(text, CultureInfo.InvariantCulture),
                "sint32" => int.Parse(text, CultureInfo.InvariantCulture),
                "uint64" => ulong.Parse(text, CultureInfo.InvariantCulture),
                "sint64" => long.Parse(text, CultureInfo.InvariantCulture),
                "real32" => float.Parse(text, CultureInfo.InvariantCulture),
                "real64" => double.Parse(text, CultureInfo.InvariantCulture),
                _ => text,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException(GuestFeatureException.Format("EmbeddedInstanceBadValue", name, text, type), e);
        }
    }
}

/// <summary>CIM datetime text (<c>yyyymmddhhmmss.mmmmmmsutc</c>) and interval text (<c>ddddddddhhmmss.mmmmmm:000</c>).</summary>
internal static class CimDateTime
{
    public static string Format(DateTime value)
    {
        var utc = value.ToUniversalTime();
        return utc.ToString("yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture) + "+000";
    }

    public static string Format(TimeSpan value)
        => string.Format(CultureInfo.InvariantCulture, "{0:D8}{1:D2}{2:D2}{3:D2}.{4:D6}:000", value.Days, value.Hours, value.Minutes, value.Seconds, (value.Ticks % TimeSpan.TicksPerSecond) / 10);
}
