using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.Catalog;

/// <summary>The support-matrix verdict for one feature on one guest OS (and optionally one host).</summary>
internal sealed class GuestSupportResult
{
    internal GuestSupportResult(GuestSupport status, string reason)
    {
        Status = status;
        Reason = reason;
    }

    public GuestSupport Status { get; }

    /// <summary>Which rule answered: the page's own cell or an inference; None whenever <see cref="Status"/> is Unknown.</summary>
    public GuestSupportBasis Basis { get; internal init; } = GuestSupportBasis.None;

    /// <summary>
    /// One line an admin can act on: the guest, the page and column used and why, the verdict and its notes,
    /// e.g. "Ubuntu 22.04 (Ubuntu page, column 22.04 LTS): supported (notes 5, 9)".
    /// </summary>
    public string Reason { get; }

    /// <summary>The matrix table used, e.g. rhel-2025-7; null when the guest could not be placed in a table.</summary>
    public string? TableId { get; internal init; }

    /// <summary>The column used, e.g. 7.6-7.9; null when several columns answered together (SeriesAgrees).</summary>
    public string? ColumnId { get; internal init; }

    /// <summary>The column's label on the page, e.g. 7.6-7.9 [Built in]; null when several columns answered together.</summary>
    public string? ColumnLabel { get; internal init; }

    /// <summary>The labels of every column that answered (one, or all the columns of a major release).</summary>
    public IReadOnlyList<string> ColumnLabels { get; internal init; } = Array.Empty<string>();

    /// <summary>The cell's note numbers (plus section-header notes), in that page revision's numbering.</summary>
    public IReadOnlyList<int> NoteNumbers { get; internal init; } = Array.Empty<int>();

    /// <summary>The texts of the notes the page defines, as "Note 5: ...". Referenced but undefined notes are left out.</summary>
    public IReadOnlyList<string> Notes { get; internal init; } = Array.Empty<string>();

    /// <summary>Cross-page conditions (support-matrix rules) that this distribution's notes state for the feature.</summary>
    public IReadOnlyList<string> Caveats { get; internal init; } = Array.Empty<string>();

    /// <summary>True when a host was given and lies outside the hosts the page lists (the cell was still used).</summary>
    public bool HostOutsidePage { get; internal init; }

    public override string ToString() => Reason;
}

/// <summary>
/// Where a guest OS lands in the current support-matrix tables and by which rule (<see cref="Basis"/>),
/// or why it lands nowhere. One placement serves every feature of every VM that reports the same OS:
/// its per-feature verdicts are computed once and shared.
/// </summary>
internal sealed class GuestMatrixColumn
{
    private static readonly SupportMatrix.MatrixColumnEntry[] NoColumns = Array.Empty<SupportMatrix.MatrixColumnEntry>();

    internal GuestMatrixColumn(
        string? family,
        string? pageName,
        GuestSupportBasis basis,
        IReadOnlyList<SupportMatrix.MatrixColumnEntry>? columns,
        string guestName,
        string subject,
        DistributionVersionNumber? version,
        string? reason)
    {
        Family = family;
        PageName = pageName;
        Basis = basis;
        Columns = columns ?? NoColumns;
        GuestName = guestName;
        Subject = subject;
        Version = version;
        Reason = reason;
        if (reason is not null)
        {
            Unplaced = new GuestSupportResult(GuestSupport.Unknown, reason);
        }
    }

    /// <summary>True when a rule placed the guest in one column (or, for SeriesAgrees, in the columns of its major).</summary>
    public bool IsIdentified => Basis != GuestSupportBasis.None;

    /// <summary>The rule that placed the guest; None when it could not be placed (see <see cref="Reason"/>).</summary>
    public GuestSupportBasis Basis { get; }

    /// <summary>ubuntu, rhel, debian, sles, oracle or freebsd; null when there is no matrix.</summary>
    public string? Family { get; }

    /// <summary>The Microsoft page in words: Ubuntu, CentOS / RHEL, Debian, SUSE, Oracle Linux, FreeBSD.</summary>
    public string? PageName { get; }

    public string? TableId => Columns.Count > 0 ? Columns[0].Table.Id : null;

    /// <summary>The column used; null when unplaced or when several columns answer together (SeriesAgrees).</summary>
    public string? ColumnId => Columns.Count == 1 ? Columns[0].Column.Id : null;

    public string? ColumnLabel => Columns.Count == 1 ? Columns[0].Column.Label : null;

    /// <summary>Every column the guest was placed in.</summary>
    public IReadOnlyList<string> ColumnLabels => Columns.Select(c => c.Column.Label).ToList();

    /// <summary>Why the guest could not be placed in a column; null when it was.</summary>
    public string? Reason { get; }

    internal IReadOnlyList<SupportMatrix.MatrixColumnEntry> Columns { get; }

    internal MatrixTableData? Table => Columns.Count > 0 ? Columns[0].Table : null;

    internal MatrixColumnData? Column => Columns.Count == 1 ? Columns[0].Column : null;

    /// <summary>The guest in messages, e.g. CentOS 7.</summary>
    internal string GuestName { get; }

    /// <summary>The guest with the page, column and rule, e.g. "CentOS 7 (CentOS / RHEL page, column ...: release 7.9, ...)".</summary>
    internal string Subject { get; }

    /// <summary>The release the columns were chosen for (the inferred minor included), for host requirements.</summary>
    internal DistributionVersionNumber? Version { get; }

    /// <summary>The one verdict of an unplaced guest, shared by all its features.</summary>
    internal GuestSupportResult? Unplaced { get; }

    /// <summary>Verdicts already worked out, per (feature id, host id).</summary>
    internal ConcurrentDictionary<(string FeatureId, string? HostId), GuestSupportResult> Results { get; } = new();

    public override string ToString() => IsIdentified ? Subject : Reason ?? string.Empty;
}
