using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Threading;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// Microsoft's Linux/FreeBSD guest support matrices (reference/support-matrix.json, embedded) and the
/// evaluation of reference/SUPPORT-MATRIX.md §8: a feature's row, the guest's column in the current
/// table of its family, the cell. Source errata (§7) are kept as data, not corrected.
/// </summary>
public sealed class SupportMatrix
{
    internal const string ResourceName = "HyperVGuestFeatures.support-matrix.json";

    private static readonly Lazy<SupportMatrix> _default = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    // The Microsoft page of each family, as admins know it.
    private static readonly KeyValuePair<string, string>[] _pages =
    {
        new("ubuntu", "Ubuntu"),
        new("rhel", "CentOS / RHEL"),
        new("debian", "Debian"),
        new("sles", "SUSE"),
        new("oracle", "Oracle Linux"),
        new("freebsd", "FreeBSD"),
    };

    private readonly Dictionary<string, MatrixHostData> _hosts;
    private readonly Dictionary<string, MatrixFeatureData> _features;
    private readonly Dictionary<string, List<MatrixColumnEntry>> _currentColumns;

    private SupportMatrix(SupportMatrixDocument document)
    {
        Document = document;
        _hosts = (document.Hosts ?? new List<MatrixHostData>()).ToDictionary(h => h.Id, StringComparer.Ordinal);
        _features = (document.Features ?? new List<MatrixFeatureData>()).ToDictionary(f => f.Id, StringComparer.Ordinal);
        _currentColumns = new Dictionary<string, List<MatrixColumnEntry>>(StringComparer.Ordinal);
        foreach (var table in (document.Tables ?? new List<MatrixTableData>()).Where(t => t.Current))
        {
            if (!_currentColumns.TryGetValue(table.Family, out var columns))
            {
                columns = new List<MatrixColumnEntry>();
                _currentColumns.Add(table.Family, columns);
            }

            foreach (var column in table.Columns ?? new List<MatrixColumnData>())
            {
                columns.Add(new MatrixColumnEntry(table, column, ColumnRange.Parse(table.Family, column.Id)));
            }
        }
    }

    /// <summary>The embedded matrix, read once on first use (thread-safe).</summary>
    public static SupportMatrix Default => _default.Value;

    internal SupportMatrixDocument Document { get; }

    internal IReadOnlyList<MatrixFeatureData> Features => Document.Features ?? new List<MatrixFeatureData>();

    internal IReadOnlyList<MatrixTableData> Tables => Document.Tables ?? new List<MatrixTableData>();

    /// <summary>Reads a matrix in the support-matrix.json schema.</summary>
    internal static SupportMatrix Load(Stream json)
    {
        var serializer = new DataContractJsonSerializer(
            typeof(SupportMatrixDocument),
            new DataContractJsonSerializerSettings { UseSimpleDictionaryFormat = true });
        try
        {
            var document = serializer.ReadObject(json) as SupportMatrixDocument;
            if (document?.Tables is null || document.Features is null || document.Hosts is null)
            {
                throw GuestFeatureException.Create(nameof(Messages.SupportMatrixInvalid), FailureKind.OperationFailed, ResourceName, "hosts, features or tables missing");
            }

            return new SupportMatrix(document);
        }
        catch (SerializationException ex)
        {
            throw new GuestFeatureException(
                nameof(Messages.SupportMatrixInvalid),
                FailureKind.OperationFailed,
                ResourceName,
                GuestFeatureException.Format(nameof(Messages.SupportMatrixInvalid), ex.Message),
                ex);
        }
    }

    /// <summary>The page name of a family (CentOS / RHEL for rhel), or the family id itself.</summary>
    public static string PageNameOf(string family)
        => _pages.FirstOrDefault(p => p.Key == family).Value ?? family;

    /// <summary>Places the guest in a column of the current table of its family, or says why it cannot.</summary>
    public GuestMatrixColumn Identify(GuestOperatingSystem guest)
    {
        if (guest is null)
        {
            throw new ArgumentNullException(nameof(guest));
        }

        var family = guest.Family;
        if (family is null || !_currentColumns.TryGetValue(family, out var columns) || columns.Count == 0)
        {
            return Unplaced(null, Text(nameof(Messages.GuestNoMatrix), guest.DisplayName, string.Join(", ", _pages.Select(p => p.Value))));
        }

        var page = PageNameOf(family);
        var labels = string.Join(", ", columns.Select(c => c.Column.Label));
        if (guest.ParsedVersion is not { } version)
        {
            return Unplaced(family, Text(nameof(Messages.GuestVersionMissing), guest.DisplayName, page, labels));
        }

        // Oracle's columns are the Red Hat Compatible Kernel; the Unbreakable Enterprise Kernel is not on the page.
        if (columns.All(c => string.Equals(c.Column.Kernel, "rhck", StringComparison.OrdinalIgnoreCase))
            && guest.BuildNumber is { } build && build.IndexOf("uek", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return Unplaced(family, Text(nameof(Messages.GuestKernelNotCovered), guest.DisplayName, page, build));
        }

        var usable = columns.Where(c => c.Range is not null).ToList();
        if (version.Minor is null)
        {
            // Only a major release (CentOS VERSION_ID "7", Debian "10"): good enough for a 9.x or an "11" column.
            var whole = usable.Where(c => c.Range!.CoversMajor(version.Major)).ToList();
            if (whole.Count > 0)
            {
                return Placed(family, Prefer(whole));
            }

            var partial = usable.Where(c => c.Range!.TouchesMajor(version.Major)).ToList();
            if (partial.Count > 0)
            {
                return Unplaced(family, Text(
                    nameof(Messages.GuestMinorMissing),
                    guest.DisplayName,
                    page,
                    version.Major.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", partial.Select(c => c.Column.Label))));
            }
        }
        else
        {
            var matches = usable.Where(c => c.Range!.Contains(version.Major, version.Minor.Value)).ToList();
            if (matches.Count > 0)
            {
                return Placed(family, Prefer(matches));
            }
        }

        var low = (version.Major, version.Minor ?? 0);
        var high = (version.Major, version.Minor ?? int.MaxValue);
        var key = usable.Count > 0 && usable.All(c => Compare(low, c.Range!.High) > 0)
            ? nameof(Messages.GuestVersionNewer)
            : usable.Count > 0 && usable.All(c => Compare(high, c.Range!.Low) < 0)
                ? nameof(Messages.GuestVersionOlder)
                : nameof(Messages.GuestVersionBetween);
        return Unplaced(family, Text(key, guest.DisplayName, page, labels));
    }

    /// <summary>
    /// Evaluates <paramref name="feature"/> for <paramref name="guest"/> (null: the guest did not report its OS).
    /// A <paramref name="host"/> outside the page's host range is mentioned in the reason, the cell still decides;
    /// whether the host meets the feature's minimum host is not checked here (see HostSupported).
    /// </summary>
    public GuestSupportResult Evaluate(FeatureDefinition feature, GuestOperatingSystem? guest, HostRelease? host = null)
    {
        if (feature is null)
        {
            throw new ArgumentNullException(nameof(feature));
        }

        return EvaluateRow(feature.Id, feature.MatrixRow, feature.Name, guest, host);
    }

    /// <summary>Evaluates a matrix row by id; also serves vcpu-gt-256, which has no catalog entry.</summary>
    internal GuestSupportResult EvaluateRow(string featureId, string matrixRow, string featureName, GuestOperatingSystem? guest, HostRelease? host)
    {
        if (guest is null)
        {
            return new GuestSupportResult(GuestSupport.Unknown, Text(nameof(Messages.GuestOsNotReported)));
        }

        var place = Identify(guest);
        if (!place.IsIdentified)
        {
            return new GuestSupportResult(GuestSupport.Unknown, place.Reason ?? guest.DisplayName);
        }

        return EvaluatePlaced(place, guest.DisplayName, guest.ParsedVersion, featureId, matrixRow, featureName, host);
    }

    /// <summary>Reads the cell of <paramref name="matrixRow"/> in the column a guest was placed in.</summary>
    internal GuestSupportResult EvaluatePlaced(GuestMatrixColumn place, string guestName, DistributionVersionNumber? version, string featureId, string matrixRow, string featureName, HostRelease? host)
    {
        var table = place.Table!;
        var column = place.Column!;
        var page = place.PageName!;
        var caveats = CaveatsFor(featureId, table.Family);
        if (table.Rows is null || !table.Rows.Contains(matrixRow))
        {
            // A row missing from a page means "not documented", never "not supported" (errata lro-linux).
            return new GuestSupportResult(GuestSupport.Unknown, Text(nameof(Messages.GuestSupportRowMissing), guestName, featureName, page))
            {
                TableId = table.Id,
                ColumnId = column.Id,
                ColumnLabel = column.Label,
                Caveats = caveats,
            };
        }

        MatrixCellData? cell = null;
        if (table.Cells is not null && table.Cells.TryGetValue(matrixRow, out var row))
        {
            row.TryGetValue(column.Id, out cell);
        }

        var noteNumbers = new List<int>(cell?.Notes ?? new List<int>());
        if (_features.TryGetValue(featureId, out var data) && data.Category is { } category
            && table.SectionNotes is not null && table.SectionNotes.TryGetValue(category, out var sectionNotes))
        {
            noteNumbers.AddRange(sectionNotes.Where(n => !noteNumbers.Contains(n)));
        }

        var notes = new List<string>();
        var undefined = new List<int>();
        foreach (var number in noteNumbers)
        {
            if (table.Notes is not null
                && table.Notes.TryGetValue(number.ToString(CultureInfo.InvariantCulture), out var note)
                && note.Status == "defined" && note.Text is not null)
            {
                notes.Add(string.Format(CultureInfo.InvariantCulture, "Note {0}: {1}", number, note.Text));
            }
            else
            {
                undefined.Add(number);
            }
        }

        var (status, key) = (cell?.Status) switch
        {
            "yes" => (GuestSupport.Supported, nameof(Messages.GuestSupportYes)),
            "no" => (GuestSupport.NotSupported, nameof(Messages.GuestSupportNo)),
            "na" => (GuestSupport.NotSupported, nameof(Messages.GuestSupportNotApplicable)),
            _ => (GuestSupport.Unknown, nameof(Messages.GuestSupportCellUnknown)),
        };

        var reason = Text(key, guestName, NotesSuffix(noteNumbers, undefined));
        var outside = false;
        if (host is not null)
        {
            var rank = RankOf(host);
            var floor = table.HostFloor is null ? null : RankOf(table.HostFloor);
            var ceiling = table.HostCeiling is null ? null : RankOf(table.HostCeiling);
            if (rank is not null && ((floor is not null && rank < floor) || (ceiling is not null && rank > ceiling)))
            {
                outside = true;
                reason += Text(nameof(Messages.GuestSupportHostOutside), host.Name, page, HostName(table.HostFloor), HostName(table.HostCeiling));
            }

            reason += GuestHostRequirement(version, table.Family, rank);
        }

        return new GuestSupportResult(status, reason)
        {
            TableId = table.Id,
            ColumnId = column.Id,
            ColumnLabel = column.Label,
            NoteNumbers = noteNumbers,
            Notes = notes,
            Caveats = caveats,
            HostOutsidePage = outside,
        };
    }

    /// <summary>The matrix's feature entry (seed features plus vcpu-gt-256), or null.</summary>
    internal MatrixFeatureData? FindFeature(string id) => _features.TryGetValue(id, out var feature) ? feature : null;

    private static SupportMatrix LoadEmbedded()
    {
        using var stream = typeof(SupportMatrix).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw GuestFeatureException.Create(nameof(Messages.SupportMatrixInvalid), FailureKind.OperationFailed, ResourceName, "embedded resource not found");
        return Load(stream);
    }

    private static string Text(string key, params object?[] args) => GuestFeatureException.Format(key, args);

    private static int Compare((int Major, int Minor) a, (int Major, int Minor) b)
        => a.Major != b.Major ? a.Major.CompareTo(b.Major) : a.Minor.CompareTo(b.Minor);

    // A release matching both an LIS download column and a built-in column (RHEL 7.5) is read as built in:
    // the distribution's own drivers are what a guest has unless the admin installed LIS.
    private static MatrixColumnEntry Prefer(List<MatrixColumnEntry> candidates)
        => candidates.FirstOrDefault(c => c.Column.Integration is null
                                          || !c.Column.Integration.StartsWith("lis", StringComparison.OrdinalIgnoreCase))
           ?? candidates[0];

    private static GuestMatrixColumn Placed(string family, MatrixColumnEntry entry)
        => new(family, PageNameOf(family), entry.Table, entry.Column, null);

    private static GuestMatrixColumn Unplaced(string? family, string reason)
        => new(family, family is null ? null : PageNameOf(family), null, null, reason);

    private static string NotesSuffix(List<int> numbers, List<int> undefined)
    {
        if (numbers.Count == 0)
        {
            return string.Empty;
        }

        var list = string.Join(", ", numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        if (undefined.Count > 0)
        {
            list = Text(nameof(Messages.GuestSupportNotesUndefined), list, string.Join(", ", undefined.Select(n => n.ToString(CultureInfo.InvariantCulture))));
        }

        return Text(numbers.Count == 1 ? nameof(Messages.GuestSupportNote) : nameof(Messages.GuestSupportNotes), list);
    }

    private int? RankOf(HostRelease host) => _hosts.TryGetValue(host.Id, out var known) ? known.Rank : host.Rank;

    private int? RankOf(string hostId) => _hosts.TryGetValue(hostId, out var known) ? known.Rank : null;

    private string HostName(string? hostId)
        => hostId is not null && _hosts.TryGetValue(hostId, out var known) ? known.Name : hostId ?? "?";

    // Rules with a condition a machine can check from guest and host: rhel-8.5-host (RHEL note 17 of 2023, 15 of 2025).
    private string GuestHostRequirement(DistributionVersionNumber? version, string family, int? hostRank)
    {
        var rule = Document.Rules?.FirstOrDefault(r => r.Id == "rhel-8.5-host");
        var ws2019 = RankOf("ws2019");
        if (rule is null || family != "rhel" || hostRank is null || ws2019 is null || hostRank >= ws2019
            || version is not { Major: 8, Minor: 5 })
        {
            return string.Empty;
        }

        return Text(nameof(Messages.GuestSupportRequirement), rule.Text);
    }

    // Rules about this feature that come from this family's notes (e.g. the daemons package for RHEL and Debian).
    private List<string> CaveatsFor(string featureId, string family)
        => (Document.Rules ?? new List<MatrixRuleData>())
            .Where(r => r.Features is not null && r.Features.Contains(featureId)
                        && r.FromNotes is not null && r.FromNotes.Any(n => n.StartsWith(family + "-", StringComparison.Ordinal)))
            .Select(r => r.Text)
            .ToList();

    private sealed class MatrixColumnEntry
    {
        public MatrixColumnEntry(MatrixTableData table, MatrixColumnData column, ColumnRange? range)
        {
            Table = table;
            Column = column;
            Range = range;
        }

        public MatrixTableData Table { get; }

        public MatrixColumnData Column { get; }

        /// <summary>Null when the column id cannot be read as versions; such a column is never matched.</summary>
        public ColumnRange? Range { get; }
    }
}
