using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;
using HyperVGuestFeatures.Reporting;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Reporting;

/// <summary>Real Get-GuestFeature rows from the simulated default lab, with hostile names and KVP text.</summary>
internal static class ReportLab
{
    /// <summary>Closes the data element, opens a script and a comment, and holds a U+2028 line separator.</summary>
    public const string HostileVm = "<script>alert('vm')</script>\u2028\"</script><!--x";

    public const string HostileHost = "hv<img src=x onerror=alert(1)>";

    /// <summary>The guest's OS name (a KVP intrinsic item) ends up in GuestSupportDetail.</summary>
    public const string HostileOs = "</script><script>alert('os')</script>";

    public static readonly DateTime Generated = new(2026, 1, 2, 3, 4, 0, DateTimeKind.Utc);

    public static List<GuestFeatureStatus> Rows(string hostName = HostileHost, bool hostile = true)
    {
        var lab = SimulatorScenarios.Create(SimulatorScenarios.Default, hostName);
        if (hostile)
        {
            var vm = lab.VMs.Single(v => v.Name == "ubuntu-web");
            vm.Name = HostileVm;
            vm.IntrinsicItems["OSName"] = HostileOs;
        }

        var host = new SimulatedHost(hostName, lab);
        using var client = host.Connect();
        var selection = new VmSelection();
        selection.AddAll();
        return FeatureProbe.Probe(client, selection, FeatureCatalog.Features, null, CancellationToken.None).Rows.ToList();
    }

    /// <summary>Two hosts: the hostile one and a plain one with the same VM names.</summary>
    public static List<GuestFeatureStatus> TwoHosts() => Rows().Concat(Rows("hv-plain", hostile: false)).ToList();

    public static string Html(IEnumerable<GuestFeatureStatus> rows)
        => HtmlReport.Render(FeatureMatrix.From(rows), new HtmlReportInfo
        {
            Title = "Fleet <b>report</b>",
            Generator = "tests",
            GeneratedUtc = Generated,
            Problems = new[] { ("hv-down<script>", "The RPC server is unavailable. <b>") },
        });

    /// <summary>The repository's out/test-results folder (created), where the build collects test output.</summary>
    public static string ResultsDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HyperVGuestFeatures.sln")))
        {
            dir = dir.Parent;
        }

        var results = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "out", "test-results");
        Directory.CreateDirectory(results);
        return results;
    }
}
