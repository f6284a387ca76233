using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class KvpRulesTests
{
    private static IReadOnlyList<KvpViolation> Check(string name, string value, KvpSource source = KvpSource.Host)
        => KvpRules.Validate(new[] { new KvpEntry(name, value) }, source);

    [Theory]
    [InlineData(1, true)]
    [InlineData(254, true)]
    [InlineData(255, true)]
    [InlineData(256, false)]
    [InlineData(1024, false)]
    public void Key_length_is_1_to_255_utf16_units(int length, bool valid)
    {
        var violations = Check(new string('k', length), "v");
        Assert.Equal(valid, violations.Count == 0);
        if (!valid)
        {
            Assert.Equal("KvpNameInvalid", Assert.Single(violations).ErrorId);
        }
    }

    [Fact]
    public void An_empty_key_is_invalid()
        => Assert.Equal("KvpNameInvalid", Assert.Single(Check(string.Empty, "v")).ErrorId);

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData("\r\n")]
    [InlineData("\u00A0\u2003")]
    public void A_whitespace_only_key_is_invalid(string name)
    {
        var violation = Assert.Single(Check(name, "v"));
        Assert.Equal("KvpNameInvalid", violation.ErrorId);
        Assert.Contains("only whitespace", violation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" k")]
    [InlineData("k ")]
    [InlineData("k\r\n")]
    public void A_key_with_whitespace_around_text_is_valid(string name)
        => Assert.Empty(Check(name, "v"));

    [Theory]
    [InlineData("   ")]
    [InlineData("a\r\nb\rc")]
    public void Items_round_trip_byte_for_byte(string text)
    {
        var entry = KvpRules.Parse(KvpRules.Serialize("k" + text, text, KvpSource.Host));
        Assert.Equal("k" + text, entry.Name);
        Assert.Equal(text, entry.Value);
    }

    [Theory]
    [InlineData(0, KvpSource.Host, true)]
    [InlineData(1023, KvpSource.Host, true)]
    [InlineData(1024, KvpSource.Host, false)]
    [InlineData(1024, KvpSource.HostOnly, true)]
    [InlineData(8191, KvpSource.HostOnly, true)]
    [InlineData(8192, KvpSource.HostOnly, false)]
    public void Value_length_depends_on_the_pool(int length, KvpSource source, bool valid)
    {
        var violations = Check("k", new string('v', length), source);
        Assert.Equal(valid, violations.Count == 0);
        if (!valid)
        {
            Assert.Equal("KvpValueTooLong", Assert.Single(violations).ErrorId);
        }
    }

    [Fact]
    public void A_surrogate_pair_counts_as_two_units()
    {
        var emoji = "\U0001F600"; // two UTF-16 code units
        Assert.Empty(Check(new string('k', 253) + emoji, "v"));
        Assert.Single(Check(new string('k', 254) + emoji, "v"));
    }

    [Theory]
    [InlineData("a\0b", "v", "KvpNameInvalid")]
    [InlineData("k", "a\0b", "KvpValueInvalid")]
    public void Nul_is_refused(string name, string value, string errorId)
        => Assert.Equal(errorId, Assert.Single(Check(name, value)).ErrorId);

    [Theory]
    [InlineData("a\u0001b", "v", "KvpNameInvalid")]
    [InlineData("k", "bad\u0001val", "KvpValueInvalid")]
    public void Text_that_cannot_travel_in_CIM_XML_is_refused_before_anything_is_sent(string name, string value, string errorId)
        => Assert.Equal(errorId, Assert.Single(Check(name, value)).ErrorId);

    [Fact]
    public void An_unpaired_surrogate_is_refused()
    {
        // Built at run time: attribute arguments are stored as UTF-8, which replaces a lone surrogate.
        var value = "x" + (char)0xD800 + "y";
        Assert.Equal("KvpValueInvalid", Assert.Single(Check("k", value)).ErrorId);
    }

    [Fact]
    public void Tabs_and_line_breaks_are_fine()
        => Assert.Empty(Check("k", "line1\r\nline2\tend"));

    [Fact]
    public void Every_violation_is_reported_and_targets_the_vm()
    {
        var violations = KvpRules.Validate(new[] { new KvpEntry(string.Empty, "v"), new KvpEntry("ok", "v"), new KvpEntry("big", new string('x', 2000)) }, KvpSource.Host);
        Assert.Equal(new[] { "KvpNameInvalid", "KvpValueTooLong" }, violations.Select(v => v.ErrorId));
        var failure = violations[1].ToFailure("ubuntu-web");
        Assert.Equal("ubuntu-web", failure.Target);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Contains("'big'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("2000", failure.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(failure.RecommendedAction));
    }

    [Theory]
    [InlineData(170, 0)] // 510 bytes
    [InlineData(171, 1)] // 513 bytes > 511
    public void Keys_past_the_daemons_utf8_cap_warn(int euros, int warnings)
        => Assert.Equal(warnings, KvpRules.GuestWarnings(new[] { new KvpEntry(new string('€', euros), "v") }, KvpSource.Host).Count);

    [Theory]
    [InlineData(682, 0)] // 2046 bytes
    [InlineData(683, 1)] // 2049 bytes > 2047
    public void Values_past_the_daemons_utf8_cap_warn(int euros, int warnings)
        => Assert.Equal(warnings, KvpRules.GuestWarnings(new[] { new KvpEntry("k", new string('€', euros)) }, KvpSource.Host).Count);

    [Fact]
    public void Host_only_items_never_reach_the_guest_so_do_not_warn()
        => Assert.Empty(KvpRules.GuestWarnings(new[] { new KvpEntry("k", new string('€', 1000)) }, KvpSource.HostOnly));

    [Fact]
    public void Items_serialize_to_the_provider_shape_and_back()
    {
        var text = KvpRules.Serialize("a<b>&'\"", "x & y <z>", KvpSource.HostOnly);
        Assert.StartsWith("<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\">", text, StringComparison.Ordinal);
        var instance = CimXml.Parse(text);
        Assert.Equal((ushort)4, instance.GetUInt16("Source"));
        var entry = KvpRules.Parse(text);
        Assert.Equal("a<b>&'\"", entry.Name);
        Assert.Equal("x & y <z>", entry.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<INSTANCE")]
    [InlineData("<INSTANCE CLASSNAME=\"Msvm_Other\"><PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>k</VALUE></PROPERTY></INSTANCE>")]
    [InlineData("<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\"><PROPERTY NAME=\"Data\" TYPE=\"string\"><VALUE>v</VALUE></PROPERTY></INSTANCE>")]
    public void Malformed_items_are_format_errors(string text)
        => Assert.Throws<FormatException>(() => KvpRules.Parse(text));

    [Fact]
    public void A_missing_data_value_reads_as_empty()
        => Assert.Equal(string.Empty, KvpRules.Parse("<INSTANCE CLASSNAME=\"Msvm_KvpExchangeDataItem\"><PROPERTY NAME=\"Name\" TYPE=\"string\"><VALUE>k</VALUE></PROPERTY></INSTANCE>").Value);

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(128, new[] { 128 })]
    [InlineData(129, new[] { 128, 1 })]
    [InlineData(300, new[] { 128, 128, 44 })]
    public void Batches_hold_at_most_128_items(int count, int[] sizes)
        => Assert.Equal(sizes, KvpRules.Batches(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()).Select(b => b.Count));

    [Theory]
    [InlineData("Role", new[] { "Role" })]
    [InlineData("role", new[] { "role" })]
    [InlineData("ROLE", new string[0])]
    [InlineData("rOLE", new string[0])]
    [InlineData("Ro*", new[] { "Role", "role", "Rome" })]
    [InlineData("nope", new string[0])]
    [InlineData("R`*", new string[0])]
    [InlineData("a`*b", new[] { "a*b" })]
    public void Exact_names_match_one_key_exactly_and_wildcards_ignore_case(string name, string[] expected)
        => Assert.Equal(expected, KvpExchange.Match(new[] { "Role", "role", "Rome", "Other", "a*b" }, name));
}
