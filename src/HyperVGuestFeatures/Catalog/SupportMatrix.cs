using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Threading;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// Microsoft's Linux/FreeBSD guest support matrices (Catalog/support-matrix.json, embedded) and their
/// evaluation (docs/guest-support.md "Evaluation"): a feature's row, the guest's column in the current
/// table of its family, the cell. Source errata are kept as data, not corrected (docs/guest-support.md).
/// </summary>
/// <remarks>
/// A guest is placed once (<see cref="Identify"/>), by the first rule that answers:
/// Documented (its release is in a column), then for a guest that reports its major release only,
/// InferredMinor (the minor release named by its Red Hat kernel) and SeriesAgrees (every column of the
/// major, judged per feature), then NewerThanDocumented (a release newer than every column of the page,
/// which Microsoft's VM generation page lists as a supported guest, is read from the newest column).
/// Placements are cached per reported OS and their verdicts per (feature, host), so a fleet of VMs
/// that run a handful of distributions costs a handful of evaluations.
/// </remarks>
internal sealed class SupportMatrix
{
    internal const string ResourceName = "HyperVGuestFeatures.support-matrix.json";

    // Distinct reported OSes kept; a fleet has few. Past this the cache starts over rather than grow.
    private const int MaxPlacements = 4096;

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
    private readonly Dictionary<string, List<ListedReleaseData>> _listed;
    private readonly RhelKernelTable _kernels;
    private readonly GuestMatrixColumn _notReported;
    private readonly ConcurrentDictionary<string, GuestMatrixColumn> _notReportedBecause = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string? Version, string? Major, string? Minor, string? Build), GuestMatrixColumn> _placements = new();

    // One instance per distinct verdict text: the features of a guest that read the same ("...: supported") share it.
    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);

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

        _listed = new Dictionary<string, List<ListedReleaseData>>(
            document.GenerationPage?.SupportedGuests ?? new Dictionary<string, List<ListedReleaseData>>(),
            StringComparer.Ordinal);
        _kernels = new RhelKernelTable(document.RhelKernelMinors);
        var notReported = Text(nameof(Messages.GuestOsNotReported));
        _notReported = new GuestMatrixColumn(null, null, GuestSupportBasis.None, null, string.Empty, notReported, null, notReported);
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

    /// <summary>
    /// Places the guest in the current table of its family, by the first rule that answers, or says why it cannot
    /// (null: the guest did not report its OS). The placement is cached per reported OS.
    /// </summary>
    public GuestMatrixColumn Identify(GuestOperatingSystem? guest)
    {
        if (guest is null)
        {
            return _notReported;
        }

        var key = (guest.Name, guest.Version, guest.MajorVersion, guest.MinorVersion, guest.BuildNumber);
        if (_placements.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_placements.Count >= MaxPlacements)
        {
            _placements.Clear();
            _texts.Clear();
        }

        return _placements.GetOrAdd(key, Place(guest));
    }

    /// <summary>
    /// The placement of a guest that reported nothing about its OS, for a known <paramref name="reason"/> (the VM is
    /// off, for example): every feature is Unknown with that reason. One placement per reason text.
    /// </summary>
    public GuestMatrixColumn NotReported(string reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return _notReported;
        }

        return _notReportedBecause.GetOrAdd(reason, r => new GuestMatrixColumn(null, null, GuestSupportBasis.None, null, string.Empty, r, null, r));
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

        return Evaluate(Identify(guest), feature, host);
    }

    /// <summary>
    /// Evaluates <paramref name="feature"/> for a guest already placed with <see cref="Identify"/>: the cheap
    /// per-row call when one VM is judged on many features. Rows with the same answer share one result object.
    /// </summary>
    public GuestSupportResult Evaluate(GuestMatrixColumn place, FeatureDefinition feature, HostRelease? host = null)
    {
        if (place is null)
        {
            throw new ArgumentNullException(nameof(place));
        }

        if (feature is null)
        {
            throw new ArgumentNullException(nameof(feature));
        }

        return EvaluatePlaced(place, feature.Id, feature.MatrixRow, feature.Name, host);
    }

    /// <summary>Evaluates a matrix row by id; also serves vcpu-gt-256, which has no catalog entry.</summary>
    internal GuestSupportResult EvaluateRow(string featureId, string matrixRow, string featureName, GuestOperatingSystem? guest, HostRelease? host)
        => EvaluatePlaced(Identify(guest), featureId, matrixRow, featureName, host);

    /// <summary>The verdict of <paramref name="matrixRow"/> for a placed guest, worked out once per (feature, host).</summary>
    internal GuestSupportResult EvaluatePlaced(GuestMatrixColumn place, string featureId, string matrixRow, string featureName, HostRelease? host)
    {
        if (place.Unplaced is { } unplaced)
        {
            return unplaced;
        }

        var key = (featureId, host?.Id);
        if (place.Results.TryGetValue(key, out var known))
        {
            return known;
        }

        var result = place.Columns.Count == 1
            ? EvaluateColumn(place, featureId, matrixRow, featureName, host)
            : EvaluateSeries(place, featureId, matrixRow, featureName, host);
        return place.Results.GetOrAdd(key, result);
    }

    /// <summary>A placement in one column of a current table, as for a guest that reports that column's release (tests).</summary>
    internal static GuestMatrixColumn PlaceIn(MatrixTableData table, MatrixColumnData column, string guestName)
        => new(table.Family, PageNameOf(table.Family), GuestSupportBasis.Documented,
            new[] { new MatrixColumnEntry(table, column, ColumnRange.Parse(table.Family, column.Id)) }, guestName, guestName, null, null);

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

    private static bool IsLis(MatrixColumnEntry entry)
        => entry.Column.Integration is not null && entry.Column.Integration.StartsWith("lis", StringComparison.OrdinalIgnoreCase);

    // A release matching both an LIS download column and a built-in column (RHEL 7.5) is read as built in:
    // the distribution's own drivers are what a guest has unless the admin installed LIS.
    private static MatrixColumnEntry Prefer(List<MatrixColumnEntry> candidates)
        => candidates.FirstOrDefault(c => !IsLis(c)) ?? candidates[0];

    private static string Labels(IEnumerable<MatrixColumnEntry> columns) => string.Join(", ", columns.Select(c => c.Column.Label));

    private static string NotesSuffix(List<int> numbers, List<int> undefined, bool varyByMinor)
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

        if (varyByMinor)
        {
            list = Text(nameof(Messages.GuestSupportNotesVary), list);
        }

        return Text(numbers.Count == 1 ? nameof(Messages.GuestSupportNote) : nameof(Messages.GuestSupportNotes), list);
    }

    private static GuestSupport StatusOf(MatrixCellData? cell)
        => cell?.Status switch
        {
            "yes" => GuestSupport.Supported,
            "no" or "na" => GuestSupport.NotSupported,
            _ => GuestSupport.Unknown,
        };

    private static string VerdictKey(MatrixCellData? cell)
        => cell?.Status switch
        {
            "yes" => nameof(Messages.GuestSupportYes),
            "no" => nameof(Messages.GuestSupportNo),
            "na" => nameof(Messages.GuestSupportNotApplicable),
            _ => nameof(Messages.GuestSupportCellUnknown),
        };

    private static MatrixCellData? CellOf(MatrixTableData table, string matrixRow, string columnId)
        => table.Cells is not null && table.Cells.TryGetValue(matrixRow, out var row) && row.TryGetValue(columnId, out var cell) ? cell : null;

    private GuestMatrixColumn Place(GuestOperatingSystem guest)
    {
        var family = guest.Family;
        var name = guest.DisplayName;
        if (family is null || !_currentColumns.TryGetValue(family, out var columns) || columns.Count == 0)
        {
            return Unplaced(null, name, Text(nameof(Messages.GuestNoMatrix), name, string.Join(", ", _pages.Select(p => p.Value))));
        }

        var page = PageNameOf(family);
        if (guest.ParsedVersion is not { } version)
        {
            return Unplaced(family, name, Text(nameof(Messages.GuestVersionMissing), name, page, Labels(columns)));
        }

        // Oracle's columns are the Red Hat Compatible Kernel; the Unbreakable Enterprise Kernel is not on the page.
        if (guest.RunsUek && columns.All(c => string.Equals(c.Column.Kernel, "rhck", StringComparison.OrdinalIgnoreCase)))
        {
            return Unplaced(family, name, Text(nameof(Messages.GuestKernelNotCovered), name, page, guest.BuildNumber));
        }

        var usable = columns.Where(c => c.Range is not null).ToList();
        if (version.Minor is { } minor)
        {
            var matches = usable.Where(c => c.Range!.Contains(version.Major, minor)).ToList();
            if (matches.Count > 0)
            {
                return Documented(guest, family, Prefer(matches), version);
            }
        }
        else
        {
            // Only a major release (CentOS VERSION_ID "7", Debian "10"): good enough for a 9.x or an "11" column.
            var whole = usable.Where(c => c.Range!.CoversMajor(version.Major)).ToList();
            if (whole.Count > 0)
            {
                return Documented(guest, family, Prefer(whole), version);
            }

            if (guest.KernelNamesRhelMinor && _kernels.TryInferMinor(guest.BuildNumber, version.Major, out var fromKernel))
            {
                var matches = usable.Where(c => c.Range!.Contains(version.Major, fromKernel.Minor)).ToList();
                if (matches.Count > 0)
                {
                    return InferredMinor(guest, family, Prefer(matches), new DistributionVersionNumber(version.Major, fromKernel.Minor), fromKernel);
                }
            }

            // Every column of the major, built in preferred over the LIS download as for a known minor.
            var series = usable.Where(c => c.Range!.TouchesMajor(version.Major)).ToList();
            if (series.Count > 0)
            {
                var builtIn = series.Where(c => !IsLis(c)).ToList();
                return SeriesAgrees(guest, family, builtIn.Count > 0 ? builtIn : series, version);
            }
        }

        if (NewestBelow(usable, version) is { } newest && ListedOnGenerationPage(family, version) is { } listed)
        {
            return NewerThanDocumented(guest, family, newest, listed, version);
        }

        var low = (version.Major, version.Minor ?? 0);
        var high = (version.Major, version.Minor ?? int.MaxValue);
        var key = usable.Count > 0 && usable.All(c => Compare(low, c.Range!.High) > 0)
            ? nameof(Messages.GuestVersionNewer)
            : usable.Count > 0 && usable.All(c => Compare(high, c.Range!.Low) < 0)
                ? nameof(Messages.GuestVersionOlder)
                : nameof(Messages.GuestVersionBetween);
        return Unplaced(family, name, Text(key, name, page, Labels(columns)));
    }

    // The newest column a release is newer than: among its own major's columns when there are some (SLES 15 SP5
    // after 15 SP1-SP4, Oracle 9.3 after 9.0), else among all (Debian 12 after 11). Null when the release is
    // not newer than them all (Ubuntu 21.04 lies between columns; Oracle 7 is older).
    private static MatrixColumnEntry? NewestBelow(List<MatrixColumnEntry> usable, DistributionVersionNumber version)
    {
        var sameMajor = usable.Where(c => c.Range!.TouchesMajor(version.Major)).ToList();
        var pool = sameMajor.Count > 0 ? sameMajor : usable;
        if (pool.Count == 0 || (sameMajor.Count > 0 && version.Minor is null))
        {
            return null;
        }

        var release = (version.Major, version.Minor ?? 0);
        if (!pool.All(c => Compare(release, c.Range!.High) > 0))
        {
            return null;
        }

        var top = pool.Max(c => c.Range!.High);
        return Prefer(pool.Where(c => c.Range!.High == top).ToList());
    }

    private ListedReleaseData? ListedOnGenerationPage(string family, DistributionVersionNumber version)
        => _listed.TryGetValue(family, out var releases)
            ? releases.FirstOrDefault(r => r.Major == version.Major
                                           && (r.MinorFrom is null
                                               || (version.Minor is { } minor && minor >= r.MinorFrom && minor <= (r.MinorTo ?? int.MaxValue))))
            : null;

    private static GuestMatrixColumn Unplaced(string? family, string guestName, string reason)
        => new(family, family is null ? null : PageNameOf(family), GuestSupportBasis.None, null, guestName, guestName, null, reason);

    private static GuestMatrixColumn Documented(GuestOperatingSystem guest, string family, MatrixColumnEntry column, DistributionVersionNumber version)
    {
        var page = PageNameOf(family);
        var subject = Text(
            guest.IsRhelRebuild ? nameof(Messages.GuestPlacedRebuild) : nameof(Messages.GuestPlacedDocumented),
            guest.DisplayName, page, column.Column.Label);
        return new GuestMatrixColumn(family, page, GuestSupportBasis.Documented, new[] { column }, guest.DisplayName, subject, version, null);
    }

    private static GuestMatrixColumn InferredMinor(GuestOperatingSystem guest, string family, MatrixColumnEntry column, DistributionVersionNumber version, KernelMinor kernel)
    {
        var page = PageNameOf(family);
        var release = version.ToString();
        var subject = kernel.DistTag is { } tag
            ? Text(nameof(Messages.GuestPlacedByDistTag), guest.DisplayName, page, column.Column.Label, release, guest.BuildNumber, tag)
            : Text(nameof(Messages.GuestPlacedByKernelBuild), guest.DisplayName, page, column.Column.Label, release, guest.BuildNumber, kernel.Build, kernel.GaBuild);
        return new GuestMatrixColumn(family, page, GuestSupportBasis.InferredMinor, new[] { column }, guest.DisplayName, subject, version, null);
    }

    private static GuestMatrixColumn SeriesAgrees(GuestOperatingSystem guest, string family, List<MatrixColumnEntry> columns, DistributionVersionNumber version)
    {
        var page = PageNameOf(family);
        var subject = Text(nameof(Messages.GuestPlacedSeries), guest.DisplayName, page, version.Major, Labels(columns));
        return new GuestMatrixColumn(family, page, GuestSupportBasis.SeriesAgrees, columns, guest.DisplayName, subject, version, null);
    }

    private static GuestMatrixColumn NewerThanDocumented(GuestOperatingSystem guest, string family, MatrixColumnEntry column, ListedReleaseData listed, DistributionVersionNumber version)
    {
        var page = PageNameOf(family);
        var subject = Text(nameof(Messages.GuestPlacedNewer), guest.DisplayName, page, column.Column.Label, page + " " + listed.Label);
        return new GuestMatrixColumn(family, page, GuestSupportBasis.NewerThanDocumented, new[] { column }, guest.DisplayName, subject, version, null);
    }

    private GuestSupportResult EvaluateColumn(GuestMatrixColumn place, string featureId, string matrixRow, string featureName, HostRelease? host)
    {
        var entry = place.Columns[0];
        var table = entry.Table;
        var column = entry.Column;
        var caveats = CaveatsFor(featureId, table.Family);
        var labels = new[] { column.Label };
        if (table.Rows is null || !table.Rows.Contains(matrixRow))
        {
            // A row missing from a page means "not documented", never "not supported" (errata lro-linux).
            return new GuestSupportResult(GuestSupport.Unknown, Text(nameof(Messages.GuestSupportRowMissing), place.GuestName, featureName, place.PageName))
            {
                TableId = table.Id,
                ColumnId = column.Id,
                ColumnLabel = column.Label,
                ColumnLabels = labels,
                Caveats = caveats,
            };
        }

        var cell = CellOf(table, matrixRow, column.Id);
        var noteNumbers = NotesOf(table, featureId, cell);
        var (notes, undefined) = NoteTexts(table, noteNumbers);
        var status = StatusOf(cell);
        var reason = Shared(Text(VerdictKey(cell), place.Subject, NotesSuffix(noteNumbers, undefined, varyByMinor: false))
                            + HostSuffix(table, place.PageName!, place.Version, host, out var outside));
        return new GuestSupportResult(status, reason)
        {
            Basis = status == GuestSupport.Unknown ? GuestSupportBasis.None : place.Basis,
            TableId = table.Id,
            ColumnId = column.Id,
            ColumnLabel = column.Label,
            ColumnLabels = labels,
            NoteNumbers = noteNumbers,
            Notes = notes,
            Caveats = caveats,
            HostOutsidePage = outside,
        };
    }

    // A major release alone: the feature is answered when every column of the major gives it the same status.
    private GuestSupportResult EvaluateSeries(GuestMatrixColumn place, string featureId, string matrixRow, string featureName, HostRelease? host)
    {
        var table = place.Table!;
        var labels = place.ColumnLabels;
        var caveats = CaveatsFor(featureId, table.Family);
        if (table.Rows is null || !table.Rows.Contains(matrixRow))
        {
            return new GuestSupportResult(GuestSupport.Unknown, Text(nameof(Messages.GuestSupportRowMissing), place.GuestName, featureName, place.PageName))
            {
                TableId = table.Id,
                ColumnLabels = labels,
                Caveats = caveats,
            };
        }

        var cells = place.Columns.Select(c => (Entry: c, Cell: CellOf(c.Table, matrixRow, c.Column.Id))).ToList();
        var statuses = cells.Select(c => StatusOf(c.Cell)).Distinct().ToList();
        if (statuses.Count != 1 || statuses[0] == GuestSupport.Unknown)
        {
            var differ = string.Join("; ", cells
                .GroupBy(c => StatusOf(c.Cell))
                .Select(g => Text(StatusWordKey(g.Key), string.Join(", ", g.Select(c => c.Entry.Column.Label)))));
            return new GuestSupportResult(GuestSupport.Unknown, Text(nameof(Messages.GuestMinorMissing), place.GuestName, place.PageName, place.Version?.Major, featureName, differ))
            {
                TableId = table.Id,
                ColumnLabels = labels,
                Caveats = caveats,
            };
        }

        var perColumn = cells.Select(c => NotesOf(c.Entry.Table, featureId, c.Cell)).ToList();
        var noteNumbers = perColumn.SelectMany(n => n).Distinct().ToList();
        var varies = perColumn.Any(n => n.Count != noteNumbers.Count);
        var (notes, undefined) = NoteTexts(table, noteNumbers);

        // '-' and 'N/A' both read NotSupported; the verdict names the cell only when every column prints the same.
        var first = cells[0].Cell;
        var verdict = cells.All(c => c.Cell?.Status == first?.Status) ? VerdictKey(first) : nameof(Messages.GuestSupportNo);
        var reason = Shared(Text(verdict, place.Subject, NotesSuffix(noteNumbers, undefined, varies))
                            + HostSuffix(table, place.PageName!, place.Version, host, out var outside));
        return new GuestSupportResult(statuses[0], reason)
        {
            Basis = GuestSupportBasis.SeriesAgrees,
            TableId = table.Id,
            ColumnLabels = labels,
            NoteNumbers = noteNumbers,
            Notes = notes,
            Caveats = caveats,
            HostOutsidePage = outside,
        };
    }

    private string Shared(string text) => _texts.GetOrAdd(text, text);

    private static string StatusWordKey(GuestSupport status)
        => status switch
        {
            GuestSupport.Supported => nameof(Messages.GuestSeriesSupportedIn),
            GuestSupport.NotSupported => nameof(Messages.GuestSeriesNotSupportedIn),
            _ => nameof(Messages.GuestSeriesUnknownIn),
        };

    // The cell's notes plus the notes its section header carries (FreeBSD storage).
    private List<int> NotesOf(MatrixTableData table, string featureId, MatrixCellData? cell)
    {
        var noteNumbers = new List<int>(cell?.Notes ?? new List<int>());
        if (_features.TryGetValue(featureId, out var data) && data.Category is { } category
            && table.SectionNotes is not null && table.SectionNotes.TryGetValue(category, out var sectionNotes))
        {
            noteNumbers.AddRange(sectionNotes.Where(n => !noteNumbers.Contains(n)));
        }

        return noteNumbers;
    }

    private static (List<string> Notes, List<int> Undefined) NoteTexts(MatrixTableData table, List<int> noteNumbers)
    {
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

        return (notes, undefined);
    }

    // A host outside the page's hosts is said (the cell still decides), and so is a guest-and-host requirement.
    private string HostSuffix(MatrixTableData table, string page, DistributionVersionNumber? version, HostRelease? host, out bool outside)
    {
        outside = false;
        if (host is null)
        {
            return string.Empty;
        }

        var suffix = string.Empty;
        var rank = RankOf(host);
        var floor = table.HostFloor is null ? null : RankOf(table.HostFloor);
        var ceiling = table.HostCeiling is null ? null : RankOf(table.HostCeiling);
        if (rank is not null && ((floor is not null && rank < floor) || (ceiling is not null && rank > ceiling)))
        {
            outside = true;
            suffix = Text(nameof(Messages.GuestSupportHostOutside), host.Name, page, HostName(table.HostFloor), HostName(table.HostCeiling));
        }

        return suffix + GuestHostRequirement(version, table.Family, rank);
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

    /// <summary>A column of a current table with the releases it covers.</summary>
    internal sealed class MatrixColumnEntry
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
