using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Reporting;

/// <summary>What a report says about itself, and what could not be read into it.</summary>
internal sealed class HtmlReportInfo
{
    public string Title { get; init; } = "Hyper-V guest features";

    public DateTime GeneratedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>Who made it, e.g. "HyperVGuestFeatures 0.1.0".</summary>
    public string Generator { get; init; } = string.Empty;

    /// <summary>Hosts or VMs that are missing from the report, with the reason (the error message).</summary>
    public IReadOnlyList<(string Target, string Message)> Problems { get; init; } = Array.Empty<(string, string)>();
}

/// <summary>
/// Export-GuestFeatureReport's page: ONE self-contained HTML file (inline style and script, no
/// external script, font, style or URL; a Content-Security-Policy that forbids loading anything and
/// runs only the page's own script, by hash). The host summary is static HTML; the VM x feature grid,
/// the Degraded/NotSupported list and the filters are drawn page by page by the inline script from
/// one JSON block, with every Detail text stored once, so 8,000 VMs x 35 features stay a few MB.
/// Hostile text (VM names, KVP-derived details) enters as HTML-encoded text
/// (<see cref="WebUtility.HtmlEncode(string)"/>) or as script-safe JSON (<see cref="ScriptSafeJson"/>),
/// and the script puts it into the page with textContent only.
/// </summary>
internal static class HtmlReport
{
    private static readonly Lazy<string> Script = new(() => Resource("report.js"));
    private static readonly Lazy<string> Style = new(() => Resource("report.css"));

    private static readonly FeatureState[] States = (FeatureState[])Enum.GetValues(typeof(FeatureState));
    private static readonly GuestSupport[] Supports = (GuestSupport[])Enum.GetValues(typeof(GuestSupport));
    private static readonly GuestSupportBasis[] Bases = (GuestSupportBasis[])Enum.GetValues(typeof(GuestSupportBasis));

    public static string Render(FeatureMatrix matrix, HtmlReportInfo info)
    {
        if (matrix is null || info is null)
        {
            throw new ArgumentNullException(matrix is null ? nameof(matrix) : nameof(info));
        }

        var script = Script.Value;
        var html = new StringBuilder(4096 + (matrix.Rows.Count * 300));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-")
            .Append(Sha256(script)).Append("'; base-uri 'none'; form-action 'none'\">\n")
            .Append("<meta name=\"generator\" content=\"").Append(Encode(info.Generator)).Append("\">\n")
            .Append("<title>").Append(Encode(info.Title)).Append("</title>\n<style>\n").Append(Style.Value).Append("</style>\n</head>\n<body>\n");

        var hosts = matrix.Rows.Select(r => r.ComputerName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        html.Append("<header>\n<h1>").Append(Encode(info.Title)).Append("</h1>\n<p class=\"meta\">")
            .Append(Encode(string.Format(CultureInfo.InvariantCulture, "{0:yyyy-MM-dd HH:mm} UTC \u00b7 {1:N0} host(s) \u00b7 {2:N0} VM(s) \u00b7 {3:N0} feature(s) \u00b7 {4}",
                info.GeneratedUtc, hosts.Count, matrix.Rows.Count, matrix.Features.Count, info.Generator)))
            .Append("</p>\n</header>\n");

        AppendSummary(html, matrix, hosts);
        AppendProblems(html, info.Problems);

        html.Append("<section id=\"features\">\n<h2>Features by VM</h2>\n<div class=\"filters\">")
            .Append("<label>Host <select id=\"f-host\"></select></label>")
            .Append("<label>Category <select id=\"f-cat\"></select></label>")
            .Append("<label>State <select id=\"f-state\"></select></label>")
            .Append("<label>VM <input id=\"f-vm\" type=\"search\" placeholder=\"name contains\"></label>")
            .Append("<span id=\"shown\" class=\"note\"></span></div>\n");
        AppendLegend(html);
        html.Append("<div id=\"grid-pager\" class=\"pager\"></div>\n<div class=\"scroll\"><table id=\"grid-table\" class=\"grid\"></table></div>\n</section>\n")
            .Append("<section id=\"attention\">\n<h2>Needs attention: Degraded and NotSupported</h2>\n")
            .Append("<p class=\"note\">Per feature, then every row with its detail and fix (filtered like the grid).</p>\n")
            .Append("<table id=\"attention-summary\" class=\"summary\"></table>\n")
            .Append("<div id=\"attention-pager\" class=\"pager\"></div>\n<table id=\"attention-table\" class=\"list\"></table>\n</section>\n")
            .Append("<noscript><p class=\"note\">The grid, the list and the filters need JavaScript; the host summary above is complete without it.</p></noscript>\n");

        html.Append("<script type=\"application/json\" id=\"report-data\">");
        AppendData(html, matrix, hosts);
        html.Append("</script>\n<script>").Append(script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendSummary(StringBuilder html, FeatureMatrix matrix, IReadOnlyList<string> hosts)
    {
        html.Append("<section id=\"hosts\">\n<h2>Summary per host</h2>\n<table class=\"summary\">\n<thead><tr><th>Host</th><th class=\"num\">VMs</th>");
        foreach (var state in States)
        {
            html.Append("<th class=\"num\">").Append(state).Append("</th>");
        }

        html.Append("<th class=\"num\">VMs with Degraded</th><th class=\"num\">Not supported by the guest OS</th></tr></thead>\n<tbody>\n");
        var groups = hosts.Select(h => (Name: h, Rows: matrix.Rows.Where(r => string.Equals(r.ComputerName, h, StringComparison.OrdinalIgnoreCase)).ToList())).ToList();
        if (groups.Count > 1)
        {
            groups.Add(("All hosts", matrix.Rows.ToList()));
        }

        foreach (var (name, rows) in groups)
        {
            var cells = rows.SelectMany(r => r.Cells).Where(c => c is not null).Select(c => c!).ToList();
            html.Append("<tr><th>").Append(Encode(name)).Append("</th>").Append(Number(rows.Count, null));
            foreach (var state in States)
            {
                html.Append(Number(cells.Count(c => c.State == state), state));
            }

            html.Append(Number(rows.Count(r => r.Cells.Any(c => c?.State == FeatureState.Degraded)), FeatureState.Degraded))
                .Append(Number(cells.Count(c => c.GuestSupport == GuestSupport.NotSupported), FeatureState.NotSupported))
                .Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p class=\"note\">Counts of VM x feature cells per state, except the VM columns.</p>\n</section>\n");
    }

    private static string Number(int value, FeatureState? state)
        => "<td class=\"num" + (value > 0 && state is FeatureState.Degraded or FeatureState.NotSupported ? " st-" + state : string.Empty) + "\">"
            + value.ToString("N0", CultureInfo.InvariantCulture) + "</td>";

    private static void AppendProblems(StringBuilder html, IReadOnlyList<(string Target, string Message)> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"problems\">\n<h2>Not in this report</h2>\n<table class=\"summary\">\n<thead><tr><th>Host or VM</th><th>Reason</th></tr></thead>\n<tbody>\n");
        foreach (var (target, message) in problems)
        {
            html.Append("<tr><td>").Append(Encode(target)).Append("</td><td>").Append(Encode(message)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendLegend(StringBuilder html)
    {
        var marks = new Dictionary<FeatureState, string>
        {
            [FeatureState.Enabled] = "\u2714",
            [FeatureState.Disabled] = "\u2013",
            [FeatureState.Degraded] = "!",
            [FeatureState.NotSupported] = "\u2716",
            [FeatureState.NotObservable] = "?",
        };
        html.Append("<div class=\"legend\">");
        foreach (var state in States)
        {
            html.Append("<span><i class=\"st-").Append(state).Append("\">").Append(marks.TryGetValue(state, out var mark) ? mark : "?").Append("</i>").Append(state).Append("</span>");
        }

        html.Append("<span><i class=\"gsno\">&nbsp;</i>guest OS does not support it</span>")
            .Append("<span class=\"note\">Hover a cell for its detail.</span></div>\n");
    }

    /// <summary>
    /// The data the script draws from, kept small for 8,000 VMs: every text once (<c>text</c>, index 0 is
    /// empty), with the VM's and host's names in it replaced by placeholders (fix commands name the VM, so
    /// otherwise no two VMs would share a text); every list of text indexes once (<c>lists</c>); and per
    /// VM [host index, name, one state digit per feature ('-' when absent), index of its detail list, one
    /// guest-support letter per feature ('a' + support x basis count + basis, '-' when absent), index of
    /// its guest-support detail list].
    /// </summary>
    private static void AppendData(StringBuilder html, FeatureMatrix matrix, IReadOnlyList<string> hosts)
    {
        var texts = new Table<string>(StringComparer.Ordinal);
        texts.IndexOf(string.Empty);
        var lists = new Table<string>(StringComparer.Ordinal);
        var listValues = new List<int[]>();
        var hostIndex = hosts.Select((h, i) => (h, i)).ToDictionary(p => p.h, p => p.i, StringComparer.OrdinalIgnoreCase);
        var vms = new StringBuilder(matrix.Rows.Count * 80);
        var vmJson = new ScriptSafeJson(vms).StartArray();
        var states = new StringBuilder(matrix.Features.Count);
        var supports = new StringBuilder(matrix.Features.Count);
        foreach (var row in matrix.Rows)
        {
            states.Clear();
            supports.Clear();
            foreach (var cell in row.Cells)
            {
                states.Append(cell is null ? '-' : (char)('0' + Array.IndexOf(States, cell.State)));
                supports.Append(cell is null ? '-' : (char)('a' + (Array.IndexOf(Supports, cell.GuestSupport) * Bases.Length) + Array.IndexOf(Bases, cell.GuestSupportBasis)));
            }

            int List(Func<GuestFeatureStatus, string> text)
            {
                var indexes = row.Cells.Select(c => texts.IndexOf(c is null ? string.Empty : Template(text(c), row.VMName, row.ComputerName))).ToArray();
                var index = lists.IndexOf(string.Join(",", indexes));
                if (index == listValues.Count)
                {
                    listValues.Add(indexes);
                }

                return index;
            }

            vmJson.StartArray().Number(hostIndex[row.ComputerName]).String(row.VMName).String(states.ToString())
                .Number(List(c => c.Detail)).String(supports.ToString()).Number(List(c => c.GuestSupportDetail))
                .EndArray();
        }

        vmJson.EndArray();

        var json = new ScriptSafeJson(html).StartObject();
        Strings(json.Name("states"), States.Select(s => s.ToString()));
        Strings(json.Name("support"), Supports.Select(s => s.ToString()));
        Strings(json.Name("basis"), Bases.Select(b => b.ToString()));
        Strings(json.Name("categories"), Enum.GetNames(typeof(FeatureCategory)));
        json.Name("features").StartArray();
        foreach (var feature in matrix.Features)
        {
            json.StartArray().String(feature.Name).Number((int)feature.Category).String(feature.Description).EndArray();
        }

        json.EndArray();
        Strings(json.Name("hosts"), hosts);
        Strings(json.Name("placeholders"), new[] { VmPlaceholder.ToString(), HostPlaceholder.ToString(), Verbatim.ToString() });
        Strings(json.Name("text"), texts.Items);
        json.Name("lists").StartArray();
        foreach (var list in listValues)
        {
            json.StartArray();
            foreach (var index in list)
            {
                json.Number(index);
            }

            json.EndArray();
        }

        json.EndArray();
        json.Name("vms");
        html.Append(vms);
        json.EndObject();
    }

    /// <summary>
    /// The text with the VM's name, then the host's, replaced by placeholder characters (private-use
    /// code points); the script puts them back in reverse order, which restores the text exactly. A text
    /// or name that already holds a placeholder character is kept verbatim, marked by a leading
    /// <see cref="Verbatim"/>.
    /// </summary>
    internal static string Template(string? text, string vmName, string computerName)
    {
        text ??= string.Empty;
        if (text.Length == 0)
        {
            return text;
        }

        char[] reserved = { VmPlaceholder, HostPlaceholder, Verbatim };
        if (text.IndexOfAny(reserved) >= 0 || vmName.IndexOfAny(reserved) >= 0 || computerName.IndexOfAny(reserved) >= 0)
        {
            return Verbatim + text;
        }

        if (vmName.Length > 0)
        {
            text = text.Replace(vmName, VmPlaceholder.ToString());
        }

        return computerName.Length > 0 ? text.Replace(computerName, HostPlaceholder.ToString()) : text;
    }

    private static void Strings(ScriptSafeJson json, IEnumerable<string> values)
    {
        json.StartArray();
        foreach (var value in values)
        {
            json.String(value);
        }

        json.EndArray();
    }

    private const char VmPlaceholder = '\uE000';
    private const char HostPlaceholder = '\uE001';
    private const char Verbatim = '\uE002';

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Sha256(string text)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("HyperVGuestFeatures.Reporting." + name)
            ?? throw new InvalidOperationException("Missing embedded resource " + name + ".");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Values numbered in order of first appearance.</summary>
    private sealed class Table<T>
        where T : notnull
    {
        private readonly Dictionary<T, int> _index;

        public Table(IEqualityComparer<T> comparer) => _index = new Dictionary<T, int>(comparer);

        public List<T> Items { get; } = new();

        public int IndexOf(T value)
        {
            if (!_index.TryGetValue(value, out var index))
            {
                index = Items.Count;
                _index.Add(value, index);
                Items.Add(value);
            }

            return index;
        }
    }
}
