using System.Diagnostics;
using AngleSharp.Html.Parser;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Tests.Reporting;

/// <summary>A test that needs headless Chromium (Debian package chromium); skipped with the reason where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "Chromium is not installed (apt-get install -y chromium): the report is not rendered in a browser.";
        }
    }
}

internal static class Chromium
{
    public static readonly string? Path = new[] { "chromium", "chromium-browser", "google-chrome" }
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator).Select(dir => System.IO.Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>Runs headless Chromium on a local file with no network, and returns its standard output.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--window-size=1400,900" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(new Uri(file).AbsoluteUri);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "Chromium did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, "Chromium failed: " + stderr.Result);
        return output;
    }
}

/// <summary>The report in a real browser: its script runs under its own CSP, draws the grid, and shows hostile names as text.</summary>
public class ChromiumReportTests
{
    [ChromiumFact]
    public void Renders_the_grid_with_hostile_names_as_text_and_a_screenshot()
    {
        var results = ReportLab.ResultsDirectory();
        var file = Path.Combine(results, "report-test.html");
        File.WriteAllText(file, ReportLab.Html(ReportLab.TwoHosts()));

        var dom = new HtmlParser().ParseDocument(Chromium.Run(file, "--dump-dom"));

        // The inline script ran (its hash matches the CSP) and drew the first page of the grid.
        Assert.Equal("ready", dom.DocumentElement.ClassName);
        Assert.Equal(2, dom.QuerySelectorAll("script").Length);
        Assert.Empty(dom.QuerySelectorAll("img, iframe, object, embed"));
        var rows = dom.QuerySelectorAll("#grid-table tbody tr").ToList();
        Assert.Equal(14, rows.Count);
        var names = rows.Select(r => r.QuerySelector("td.vm")!.TextContent).ToList();
        Assert.Contains(ReportLab.HostileVm, names);
        Assert.Equal(2, names.Count(n => n == "debian-build"));
        var headers = dom.QuerySelectorAll("#grid-table th.feature").Select(h => h.TextContent).ToList();
        Assert.Equal(FeatureCatalog.Features.Select(f => f.Name), headers);
        Assert.Equal(14 * 35, dom.QuerySelectorAll("#grid-table td.cell").Length);

        // The hover text of a cell is its Detail with the VM's and host's names put back.
        var debian = rows.First(r => r.QuerySelector("td.vm")!.TextContent == "debian-build");
        var cells = debian.QuerySelectorAll("td.cell");
        var secureBoot = cells[cells.Length - 1];
        Assert.Contains("st-Degraded", secureBoot.ClassName, StringComparison.Ordinal);
        Assert.Contains("Enable-GuestFeature -VMName 'debian-build' -ComputerName '" + ReportLab.HostileHost + "'", secureBoot.GetAttribute("title"), StringComparison.Ordinal);

        // Guest support, with the rule that decided it, is on the hover too.
        var rhel = rows.First(r => r.QuerySelector("td.vm")!.TextContent == "rhel-db");
        Assert.Contains("Guest support: Supported (Documented) \u2014 RHEL 9.2", rhel.QuerySelectorAll("td.cell")[4].GetAttribute("title"), StringComparison.Ordinal);

        // The attention list and the filters came from the data too.
        Assert.Contains(dom.QuerySelectorAll("#attention-table td.detail"), d => d.TextContent.Contains("-Name 'Secure boot' (VM off; sets the Microsoft UEFI Certificate Authority template)", StringComparison.Ordinal));
        Assert.Equal(new[] { "All hosts (2)", ReportLab.HostileHost, "hv-plain" }, dom.QuerySelectorAll("#f-host option").Select(o => o.TextContent));

        var png = Path.Combine(results, "report.png");
        File.Delete(png);
        Chromium.Run(file, "--screenshot=" + png);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is missing or empty");
    }
}
