using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Reporting;

namespace HyperVGuestFeatures.Tests.Reporting;

/// <summary>The report as an HTML5 parser (AngleSharp) reads it: complete, escaped, self-contained.</summary>
public class HtmlReportTests
{
    private static readonly Lazy<(string Html, IHtmlDocument Document)> Report = new(() =>
    {
        var html = ReportLab.Html(ReportLab.TwoHosts());
        return (html, new HtmlParser().ParseDocument(html));
    });

    private static IHtmlDocument Document => Report.Value.Document;

    private static JsonElement Data => JsonDocument.Parse(Document.GetElementById("report-data")!.TextContent).RootElement;

    [Fact]
    public void Has_exactly_the_two_own_scripts_and_no_element_that_loads_anything()
    {
        var scripts = Document.QuerySelectorAll("script").ToList();
        Assert.Equal(2, scripts.Count);
        Assert.Equal("application/json", scripts[0].GetAttribute("type"));
        Assert.Equal("report-data", scripts[0].Id);
        Assert.Null(scripts[1].GetAttribute("type"));
        Assert.Empty(Document.QuerySelectorAll("img, iframe, object, embed, link, base, frame, audio, video, source, form"));
    }

    [Fact]
    public void Names_no_external_url_in_attributes_or_styles()
    {
        var urlAttributes = new[] { "src", "href", "action", "formaction", "srcset", "poster", "data", "background", "xlink:href" };
        foreach (var element in Document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.DoesNotContain(attribute.Name, urlAttributes);
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler attribute {attribute.Name} on <{element.LocalName}>");
            }
        }

        Assert.Empty(Document.QuerySelectorAll("[style]"));
        var styles = string.Concat(Document.QuerySelectorAll("style").Select(s => s.TextContent));
        Assert.NotEmpty(styles);
        Assert.DoesNotMatch(new Regex("@import|url\\s*\\(|https?:|file:", RegexOptions.IgnoreCase), styles);
        Assert.DoesNotMatch(new Regex("https?:|file:|fetch\\(|XMLHttpRequest|import\\(", RegexOptions.IgnoreCase), Document.QuerySelectorAll("script")[1].TextContent);
    }

    [Fact]
    public void Runs_only_its_own_script_by_hash_under_a_content_security_policy()
    {
        var policy = Document.QuerySelector("meta[http-equiv='Content-Security-Policy']")?.GetAttribute("content");
        Assert.NotNull(policy);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        var script = Document.QuerySelectorAll("script")[1].TextContent;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains("script-src 'sha256-" + hash + "'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_every_vm_and_feature_with_hostile_names_as_data()
    {
        var data = Data;
        var vms = data.GetProperty("vms").EnumerateArray().Select(v => v[1].GetString()).ToList();
        Assert.Equal(14, vms.Count);
        Assert.Equal(2, vms.Count(v => v == "debian-build"));
        Assert.Contains(ReportLab.HostileVm, vms);
        Assert.Contains("ubuntu-web", vms);

        var features = data.GetProperty("features").EnumerateArray().Select(f => f[0].GetString()).ToList();
        Assert.Equal(FeatureCatalog.Features.Select(f => f.Name), features);
        Assert.Equal(new[] { ReportLab.HostileHost, "hv-plain" }, data.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Contains(data.GetProperty("text").EnumerateArray(), t => t.GetString()!.Contains(ReportLab.HostileOs, StringComparison.Ordinal));
    }

    [Fact]
    public void Hostile_text_never_reaches_the_markup()
    {
        var html = Report.Value.Html;
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', html);

        // The static parts show them as text.
        Assert.Equal("Fleet <b>report</b>", Document.Title);
        Assert.Equal("Fleet <b>report</b>", Document.QuerySelector("h1")!.TextContent);
        var hostCells = Document.QuerySelectorAll("#hosts tbody th").Select(c => c.TextContent).ToList();
        Assert.Equal(new[] { ReportLab.HostileHost, "hv-plain", "All hosts" }, hostCells);
        var problem = Document.QuerySelectorAll("#problems td").Select(c => c.TextContent).ToList();
        Assert.Equal(new[] { "hv-down<script>", "The RPC server is unavailable. <b>" }, problem);
    }

    [Fact]
    public void Summarises_each_host_from_the_rows()
    {
        var rows = ReportLab.Rows("hv1", hostile: false);
        var document = new HtmlParser().ParseDocument(ReportLab.Html(rows));
        var cells = document.QuerySelectorAll("#hosts tbody tr").Single().QuerySelectorAll("td").Select(c => c.TextContent).ToList();
        Assert.Equal("7", cells[0]);
        var states = Enum.GetValues<FeatureState>();
        for (var i = 0; i < states.Length; i++)
        {
            Assert.Equal(rows.Count(r => r.State == states[i]).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[1 + i]);
        }

        Assert.Equal(rows.Where(r => r.State == FeatureState.Degraded).Select(r => r.VMName).Distinct().Count().ToString(System.Globalization.CultureInfo.InvariantCulture), cells[6]);
    }

    [Fact]
    public void Stores_each_text_once_with_the_names_templated_out()
    {
        var data = Data;
        var texts = data.GetProperty("text").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());

        // The fix for the Windows secure boot template names its VM and host; both hosts share one text.
        var fix = Assert.Single(texts, t => t.Contains("Enable-GuestFeature", StringComparison.Ordinal) && t.Contains("Secure boot", StringComparison.Ordinal));
        Assert.Contains("-VMName '\uE000' -ComputerName '\uE001'", fix, StringComparison.Ordinal);
        Assert.Equal(data.GetProperty("lists").GetArrayLength(), data.GetProperty("lists").EnumerateArray().Select(l => l.ToString()).Distinct().Count());
    }

    [Fact]
    public void Packs_guest_support_and_its_basis_in_one_letter_per_feature()
    {
        var rows = ReportLab.Rows("hv1", hostile: false);
        var data = JsonDocument.Parse(new HtmlParser().ParseDocument(ReportLab.Html(rows)).GetElementById("report-data")!.TextContent).RootElement;
        var support = data.GetProperty("support").EnumerateArray().Select(s => Enum.Parse<GuestSupport>(s.GetString()!)).ToList();
        var basis = data.GetProperty("basis").EnumerateArray().Select(s => Enum.Parse<GuestSupportBasis>(s.GetString()!)).ToList();
        foreach (var vm in data.GetProperty("vms").EnumerateArray())
        {
            var letters = vm[4].GetString()!;
            for (var i = 0; i < letters.Length; i++)
            {
                var row = rows.Single(r => r.VMName == vm[1].GetString() && r.Feature == FeatureCatalog.Features[i].Name);
                var code = letters[i] - 'a';
                Assert.Equal(row.GuestSupport, support[code / basis.Count]);
                Assert.Equal(row.GuestSupportBasis, basis[code % basis.Count]);
            }
        }
    }

    [Theory]
    [InlineData("Stop-VM -VMName 'web' -ComputerName 'hv1'", "web", "hv1", "Stop-VM -VMName '\uE000' -ComputerName '\uE001'")]
    [InlineData("no names here", "web", "hv1", "no names here")]
    [InlineData("", "web", "hv1", "")]
    [InlineData("private \uE000 use", "web", "hv1", "\uE002private \uE000 use")]
    [InlineData("web on hv1", "we\uE001b", "hv1", "\uE002web on hv1")]
    public void Templates_names_reversibly(string text, string vm, string host, string expected)
    {
        var templated = HtmlReport.Template(text, vm, host);
        Assert.Equal(expected, templated);

        // What the page's script does (report.js text()): verbatim, or host then VM back in.
        var restored = templated.StartsWith('\uE002') ? templated[1..] : templated.Replace("\uE001", host, StringComparison.Ordinal).Replace("\uE000", vm, StringComparison.Ordinal);
        Assert.Equal(text, restored);
    }

    [Fact]
    public void Stays_small_for_a_fleet()
    {
        // 1,000 generated VMs x 35 features: names are templated out and detail lists shared, so the
        // page grows by well under 1 KB per VM (the grid is drawn page by page, not as <td>s).
        var host = new HyperVGuestFeatures.Simulation.SimulatedHost("big", HyperVGuestFeatures.Simulation.SimulatorScenarios.Generate(1000, "big"));
        using var client = host.Connect();
        var selection = new HyperVGuestFeatures.HyperV.VmSelection();
        selection.AddAll();
        var rows = HyperVGuestFeatures.HyperV.FeatureProbe.Probe(client, selection, FeatureCatalog.Features, null, CancellationToken.None).Rows;
        var html = ReportLab.Html(rows);
        Assert.InRange(Encoding.UTF8.GetByteCount(html), 50_000, 200_000);
        Assert.Empty(new HtmlParser().ParseDocument(html).QuerySelectorAll("td.cell"));
    }
}
