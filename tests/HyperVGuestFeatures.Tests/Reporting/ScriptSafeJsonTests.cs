using System.Text;
using System.Text.Json;
using HyperVGuestFeatures.Reporting;

namespace HyperVGuestFeatures.Tests.Reporting;

public class ScriptSafeJsonTests
{
    private static string Write(string value)
    {
        var text = new StringBuilder();
        ScriptSafeJson.WriteString(text, value);
        return text.ToString();
    }

    [Theory]
    [InlineData("</script><script>alert(1)</script>")]
    [InlineData("<!-- a & b > c 'q' \"d\" \\ e")]
    [InlineData("line\u2028separator\u2029paragraph\r\n\t\0end")]
    [InlineData("emoji \ud83d\ude00 fine")]
    [InlineData("")]
    public void Round_trips_through_a_json_parser(string value)
        => Assert.Equal(value, JsonSerializer.Deserialize<string>(Write(value)));

    [Fact]
    public void Nothing_that_html_or_old_javascript_parsers_treat_specially_stays_raw()
    {
        var json = Write("</script>&'<!--\u2028\u2029");
        foreach (var c in new[] { '<', '>', '&', '\'', '\u2028', '\u2029' })
        {
            Assert.DoesNotContain(c, json);
        }

        Assert.Equal("\"\\u003c/script\\u003e\\u0026\\u0027\\u003c!--\\u2028\\u2029\"", json);
    }

    [Fact]
    public void Unpaired_surrogates_are_escaped_and_pairs_kept()
    {
        Assert.Equal("\"a\\ud800b\"", Write("a\ud800b"));
        Assert.Equal("\"\\udc00\"", Write("\udc00"));
        Assert.Equal("\"\ud83d\ude00\"", Write("\ud83d\ude00"));
    }

    [Fact]
    public void Writes_objects_and_arrays_with_separators()
    {
        var text = new StringBuilder();
        new ScriptSafeJson(text).StartObject().Name("a").StartArray().Number(1).String("x").String(null).EndArray().Name("b").Number(-2).EndObject();
        Assert.Equal("{\"a\":[1,\"x\",null],\"b\":-2}", text.ToString());
        using var parsed = JsonDocument.Parse(text.ToString());
        Assert.Equal(3, parsed.RootElement.GetProperty("a").GetArrayLength());
    }
}
