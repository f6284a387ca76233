using System.Text;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Issue 10 item 11: what a fixture file may be (encodings, empty, nesting, duplicate ids).</summary>
public class FixtureFileTests
{
    private const string Json = "{\"vms\":[{\"name\":\"caf\u00e9\",\"state\":\"Off\"}]}";

    public static TheoryData<string> Encodings() => new() { "utf-8 bom", "utf-16le bom", "utf-16be bom", "utf-32le bom", "utf-32be bom", "utf-16le", "utf-8" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Loads_what_PowerShell_writes(string encoding)
    {
        var bytes = encoding switch
        {
            "utf-8 bom" => new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(Json)),
            "utf-16le bom" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Json)),
            "utf-16be bom" => Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Json)),
            "utf-32le bom" => new UTF32Encoding(false, true).GetPreamble().Concat(new UTF32Encoding(false, true).GetBytes(Json)),
            "utf-32be bom" => new UTF32Encoding(true, true).GetPreamble().Concat(new UTF32Encoding(true, true).GetBytes(Json)),
            "utf-16le" => Encoding.Unicode.GetBytes(Json),
            _ => Encoding.UTF8.GetBytes(Json),
        };

        var lab = SimulatorFixture.Parse(bytes.ToArray(), "lab.json", "HV1");

        Assert.Equal("caf\u00e9", Assert.Single(lab.VMs).Name);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x20, 0x0D, 0x0A })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    public void An_empty_file_is_a_clear_error(byte[] bytes)
    {
        var e = Assert.Throws<GuestFeatureException>(() => SimulatorFixture.Parse(bytes, "lab.json", "HV1"));
        Assert.Equal("SimulatorFixtureInvalid", e.ErrorId);
        Assert.Contains("'lab.json'", e.Message, StringComparison.Ordinal);
        Assert.Contains("the file is empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"a\":", "}")]
    public void Deep_nesting_is_refused_without_exhausting_the_stack(string open, string close)
    {
        // 20,000 levels in about 40 KB. Parsed on a thread with a small stack: recursion 20,000 deep
        // would overflow it and end the process, which no catch could report.
        var json = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, 20000)) + "1" + string.Concat(Enumerable.Repeat(close, 20000)));
        Exception? failure = null;
        var thread = new Thread(() => failure = Record.Exception(() => SimulatorFixture.Parse(json, "deep.json", "HV1")), 256 * 1024);
        thread.Start();
        thread.Join();

        var e = Assert.IsType<GuestFeatureException>(failure);
        Assert.Equal("SimulatorFixtureInvalid", e.ErrorId);
        Assert.Contains("nests deeper than " + SimulatorFixture.MaxDepth, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deepest_fixture_property_is_within_the_limit()
    {
        const string json = "{\"vms\":[{\"name\":\"a\",\"networkAdapters\":[{\"vlan\":{\"mode\":\"Trunk\",\"nativeId\":1,\"trunkIds\":[2,3]}}]}]}";
        Assert.Single(SimulatorFixture.Parse(Encoding.UTF8.GetBytes(json), "lab.json", "HV1").VMs);
    }

    [Theory]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"id\":\"11111111-1111-1111-1111-111111111111\"},{\"name\":\"b\",\"id\":\"11111111-1111-1111-1111-111111111111\"}]}", "vms[1].id", "'a'")]
    [InlineData("{\"vms\":[{\"name\":\"a\",\"id\":\"11111111-1111-1111-1111-111111111111\"},{\"name\":\"b\",\"id\":\"{11111111-1111-1111-1111-111111111111}\"}]}", "vms[1].id", "'a'")]
    public void A_duplicate_VM_id_is_an_invalid_fixture(string json, string place, string other)
    {
        var e = Assert.Throws<GuestFeatureException>(() => SimulatorFixture.Parse(Encoding.UTF8.GetBytes(json), "lab.json", "HV1"));
        Assert.Equal("SimulatorFixtureInvalid", e.ErrorId);
        Assert.Contains(place, e.Message, StringComparison.Ordinal);
        Assert.Contains(other, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixture_VM_may_not_take_the_id_of_a_base_VM()
    {
        var baseVm = SimulatorFixture.Parse(Encoding.UTF8.GetBytes("{\"base\":\"Default\"}"), "x.json", "HV1").VMs.First(v => v.Name == "rhel-db");
        var json = "{\"base\":\"Default\",\"vms\":[{\"name\":\"new\",\"id\":\"" + baseVm.Id + "\"}]}";

        var e = Assert.Throws<GuestFeatureException>(() => SimulatorFixture.Parse(Encoding.UTF8.GetBytes(json), "x.json", "HV1"));
        Assert.Contains("'rhel-db'", e.Message, StringComparison.Ordinal);
    }
}
