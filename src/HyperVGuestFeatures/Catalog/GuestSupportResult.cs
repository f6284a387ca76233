using System;
using System.Collections.Generic;

namespace HyperVGuestFeatures.Catalog;

/// <summary>The support-matrix verdict for one feature on one guest OS (and optionally one host).</summary>
public sealed class GuestSupportResult
{
    internal GuestSupportResult(GuestSupport status, string reason)
    {
        Status = status;
        Reason = reason;
    }

    public GuestSupport Status { get; }

    /// <summary>One line an admin can act on, e.g. "Ubuntu 22.04: supported (notes 5, 9)".</summary>
    public string Reason { get; }

    /// <summary>The matrix table used, e.g. rhel-2025-7; null when the guest could not be placed in a table.</summary>
    public string? TableId { get; internal init; }

    /// <summary>The column used, e.g. 7.6-7.9.</summary>
    public string? ColumnId { get; internal init; }

    /// <summary>The column's label on the page, e.g. 7.6-7.9 [Built in].</summary>
    public string? ColumnLabel { get; internal init; }

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

/// <summary>Where a guest OS lands in the current support-matrix tables, or why it lands nowhere.</summary>
public sealed class GuestMatrixColumn
{
    internal GuestMatrixColumn(string? family, string? pageName, MatrixTableData? table, MatrixColumnData? column, string? reason)
    {
        Family = family;
        PageName = pageName;
        Table = table;
        Column = column;
        Reason = reason;
    }

    public bool IsIdentified => Column is not null;

    /// <summary>ubuntu, rhel, debian, sles, oracle or freebsd; null when there is no matrix.</summary>
    public string? Family { get; }

    /// <summary>The Microsoft page in words: Ubuntu, CentOS / RHEL, Debian, SUSE, Oracle Linux, FreeBSD.</summary>
    public string? PageName { get; }

    public string? TableId => Table?.Id;

    public string? ColumnId => Column?.Id;

    public string? ColumnLabel => Column?.Label;

    /// <summary>Why the guest could not be placed in a column; null when it was.</summary>
    public string? Reason { get; }

    internal MatrixTableData? Table { get; }

    internal MatrixColumnData? Column { get; }

    public override string ToString() => IsIdentified ? TableId + "/" + ColumnId : Reason ?? string.Empty;
}
