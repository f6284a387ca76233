using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Tests.Cim;

public class CimXmlTests
{
    [Fact]
    public void Serializes_a_kvp_item_in_the_reference_shape()
    {
        // The KVP item of docs/provider-model.md "Embedded instances".
        var item = new CimObject("Msvm_KvpExchangeDataItem", new Dictionary<string, object?>
        {
            ["Name"] = "k",
            ["Data"] = "v",
            ["Source"] = (ushort)0,
        });

        Assert.Equal(
            "<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
            + "<PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>k</VALUE></PROPERTY>"
            + "<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY>"
            + "<PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>0</VALUE></PROPERTY></INSTANCE>",
            CimXml.Serialize(item));
    }

    [Fact]
    public void Round_trips_types_arrays_and_xml_metacharacters()
    {
        var original = new CimObject("Msvm_MemorySettingData", new Dictionary<string, object?>
        {
            ["InstanceID"] = "Microsoft:GUID\\4764334d-e001-4176-82ee-5594ec9b530e",
            ["VirtualQuantity"] = 2048UL,
            ["DynamicMemoryEnabled"] = true,
            ["TargetMemoryBuffer"] = 20u,
            ["Note"] = "<a & 'b'>",
            ["Ids"] = new ushort[] { 2, 32775 },
            ["Skipped"] = null,
        });

        var parsed = CimXml.Parse(CimXml.Serialize(original));

        Assert.Equal("Msvm_MemorySettingData", parsed.ClassName);
        Assert.Equal(original["InstanceID"], parsed["InstanceID"]);
        Assert.Equal(2048UL, parsed["VirtualQuantity"]);
        Assert.Equal(true, parsed["DynamicMemoryEnabled"]);
        Assert.Equal(20u, parsed["TargetMemoryBuffer"]);
        Assert.Equal("<a & 'b'>", parsed["Note"]);
        Assert.Equal(new ushort[] { 2, 32775 }, parsed["Ids"]);
        Assert.False(parsed.Properties.ContainsKey("Skipped"));
    }

    [Fact]
    public void Parses_provider_text_with_declaration_qualifiers_and_empty_properties()
    {
        const string text = "<?xml version=\"1.0\" encoding=\"utf-16\"?>"
            + "<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">"
            + "<PROPERTY NAME=\"Caption\" PROPAGATED=\"true\" TYPE=\"string\"></PROPERTY>"
            + "<PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>Ubuntu</VALUE></PROPERTY>"
            + "<PROPERTY NAME=\"Name\" TYPE=\"string\"><QUALIFIER NAME=\"key\" TYPE=\"boolean\"><VALUE>TRUE</VALUE></QUALIFIER><VALUE>OSName</VALUE></PROPERTY>"
            + "<PROPERTY NAME=\"Source\" TYPE=\"uint16\"><VALUE>2</VALUE></PROPERTY></INSTANCE>";

        var parsed = CimXml.Parse(text);

        Assert.Null(parsed["Caption"]);
        Assert.Equal("OSName", parsed["Name"]);
        Assert.Equal("Ubuntu", parsed["Data"]);
        Assert.Equal((ushort)2, parsed["Source"]);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n\n")]
    [InlineData("a\r\nb\rc\nd")]
    [InlineData(" lead and trail ")]
    [InlineData("")]
    public void Round_trips_string_values_byte_for_byte(string value)
    {
        // KVP values and keys must arrive as given (issue 10 item 1): no whitespace dropped, no line ends normalised.
        var parsed = CimXml.Parse(CimXml.Serialize(new CimObject("Msvm_KvpExchangeDataItem", new Dictionary<string, object?> { ["Name"] = value, ["Data"] = value })));

        Assert.Equal(value, parsed["Name"]);
        Assert.Equal(value, parsed["Data"]);
    }

    [Fact]
    public void Keys_that_differ_only_by_line_ends_stay_different()
    {
        var texts = new[] { "k\r", "k\n", "k\r\n" }.Select(k => CimXml.Serialize(new CimObject("x", new Dictionary<string, object?> { ["Name"] = k }))).ToList();

        Assert.Equal(3, texts.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(new[] { "k\r", "k\n", "k\r\n" }, texts.Select(t => CimXml.Parse(t).GetString("Name")));
    }

    [Fact]
    public void Keeps_a_raw_carriage_return_the_provider_writes_unescaped()
    {
        // A serializer that writes CR as is (not as &#xD;) must not have it turned into LF.
        var parsed = CimXml.Parse("<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a\r\nb\rc</VALUE></PROPERTY></INSTANCE>");

        Assert.Equal("a\r\nb\rc", parsed["Data"]);
    }

    [Fact]
    public void Reads_indented_text_with_comments_between_elements()
    {
        const string text = "<INSTANCE CLASSNAME=\"x\">\r\n  <!-- c -->\r\n  <PROPERTY NAME=\"Data\" TYPE=\"string\">\r\n    <VALUE>  v  </VALUE>\r\n  </PROPERTY>\r\n"
            + "  <PROPERTY.ARRAY NAME=\"Ids\" TYPE=\"uint16\">\r\n    <VALUE.ARRAY>\r\n      <VALUE>1</VALUE>\r\n      <VALUE>2</VALUE>\r\n    </VALUE.ARRAY>\r\n  </PROPERTY.ARRAY>\r\n</INSTANCE>\r\n";

        var parsed = CimXml.Parse(text);

        Assert.Equal("  v  ", parsed["Data"]);
        Assert.Equal(new ushort[] { 1, 2 }, parsed["Ids"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<CLASS NAME=\"x\"/>")]
    [InlineData("<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"uint16\"><VALUE>70000</VALUE></PROPERTY></INSTANCE>")]
    [InlineData("<INSTANCE CLASSNAME=\"x\"><PROPERTY")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"boom\">]><INSTANCE CLASSNAME=\"x\"/>")]
    public void Rejects_text_that_is_not_an_instance(string text)
        => Assert.Throws<FormatException>(() => CimXml.Parse(text));

    public static TheoryData<string> FlatAndOtherTexts()
    {
        var texts = new TheoryData<string>
        {
            "<INSTANCE CLASSNAME=\"x\"></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE /></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE></VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g&#xA;h&#x9;i&#13;j&#10;</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a&#x41;b</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a&#0;b</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a]]>b</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a\u0001b</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>\ud83d\ude00 \uFFFE</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>a&unknown;b</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\tb\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a&amp;b\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"uint16\"><VALUE>70000</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"uint16\"><VALUE>7</VALUE></PROPERTY><PROPERTY NAME=\"a\" TYPE=\"string\"><VALUE>later wins</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"b\" TYPE=\"boolean\"><VALUE>TRUE</VALUE></PROPERTY><PROPERTY NAME=\"n\" TYPE=\"sint64\"><VALUE>-5</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY></INSTANCE>trailing",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY> </INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"string\"><VALUE>v</VALUE><VALUE>w</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY NAME=\"a\" TYPE=\"string\"><VALUE>v</PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"x\"><PROPERTY TYPE=\"string\" NAME=\"a\"><VALUE>v</VALUE></PROPERTY></INSTANCE>",
            "<INSTANCE CLASSNAME=\"\"></INSTANCE>",
        };
        foreach (var value in new[] { "", " ", "\r\n", "a\rb", "<&>\"'", "x]]>y", "tab\there", "ünïcødé", "\ud83d\ude00" })
        {
            texts.Add(CimXml.Serialize(new CimObject("Msvm_KvpExchangeDataItem", new Dictionary<string, object?> { ["Name"] = value, ["Data"] = value, ["Source"] = (ushort)2 })));
        }

        return texts;
    }

    [Theory]
    [MemberData(nameof(FlatAndOtherTexts))]
    public void The_flat_reader_and_the_xml_reader_agree_on_every_text(string text)
    {
        // The flat path is only a shortcut: it answers exactly what the XML reader answers, or leaves the text to it.
        var flat = Outcome(() => CimXml.ParseFlat(text));
        var reader = Outcome(() => CimXml.ParseWithReader(text));

        if (flat != "declined")
        {
            Assert.Equal(reader, flat);
        }

        Assert.Equal(reader, Outcome(() => CimXml.Parse(text)));
    }

    [Fact]
    public void The_flat_reader_takes_the_items_the_provider_writes()
        => Assert.NotNull(CimXml.ParseFlat(CimXml.Serialize(new CimObject("Msvm_KvpExchangeDataItem", new Dictionary<string, object?> { ["Name"] = "OSMinorVersion", ["Data"] = "", ["Source"] = (ushort)2 }))));

    [Fact]
    public void The_flat_writer_writes_exactly_what_the_xml_writer_writes()
    {
        // Values built from the characters that matter to XML: markup, line ends, controls, surrogates, non-characters.
        var alphabet = new[] { "a", " ", "&", "<", ">", "\"", "'", "\r", "\n", "\t", "\r\n", "]]>", "\u0001", "\u0000", "\u0085", "\ud83d\ude00", "\ud83d", "\uFFFE", "é", "&amp;" };
        var random = new Random(14);
        var flat = 0;
        for (var i = 0; i < 2000; i++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            var instance = new CimObject(i % 7 == 0 ? "Odd&Class" : "Msvm_KvpExchangeDataItem", new Dictionary<string, object?>
            {
                [i % 11 == 0 ? "Na\tme" : "Name"] = value,
                ["Data"] = value,
                ["Source"] = (ushort)(i % 5),
                ["Flag"] = i % 2 == 0,
                ["Big"] = (ulong)i * 1000003UL,
                ["Skipped"] = null,
            });
            var written = Outcome(() => CimXml.SerializeWithWriter(instance));
            if (CimXml.SerializeFlat(instance) is { } shortcut)
            {
                flat++;
                Assert.Equal(written, shortcut);
            }

            Assert.Equal(written, Outcome(() => CimXml.Serialize(instance)));
        }

        Assert.True(flat > 200, "the flat writer took " + flat + " of 2000 instances");
    }

    private static string Outcome(Func<string> serialize)
    {
        try
        {
            return serialize();
        }
        catch (ArgumentException e)
        {
            return "ArgumentException: " + e.Message;
        }
    }

    private static string Outcome(Func<CimObject?> parse)
    {
        try
        {
            return parse() is { } instance
                ? instance.ClassName + "|" + string.Join("|", instance.Properties.Select(p => p.Key + "=" + p.Value?.GetType().Name + ":" + Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)))
                : "declined";
        }
        catch (FormatException e)
        {
            return "FormatException: " + e.Message;
        }
    }
}
