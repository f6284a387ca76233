using System.Collections.Generic;
using System.Runtime.Serialization;

namespace HyperVGuestFeatures.Catalog;

// Data contracts for support-matrix.json (docs/guest-support.md "The matrices"). Only what the evaluation
// needs is modelled; DataContractJsonSerializer skips the other members (errata, remarks, ...).
// The serializer creates these by reflection, so the analyzers cannot see them being instantiated.
#pragma warning disable CA1812

[DataContract]
internal sealed class SupportMatrixDocument
{
    [DataMember(Name = "schema_version")]
    public int SchemaVersion { get; set; }

    [DataMember(Name = "hosts")]
    public List<MatrixHostData>? Hosts { get; set; }

    [DataMember(Name = "core_row_features")]
    public List<string>? CoreRowFeatures { get; set; }

    [DataMember(Name = "features")]
    public List<MatrixFeatureData>? Features { get; set; }

    [DataMember(Name = "tables")]
    public List<MatrixTableData>? Tables { get; set; }

    [DataMember(Name = "rules")]
    public List<MatrixRuleData>? Rules { get; set; }

    /// <summary>The releases Microsoft's VM generation page lists as supported guests (no per-feature cells).</summary>
    [DataMember(Name = "generation_page")]
    public GenerationPageData? GenerationPage { get; set; }

    /// <summary>GA kernel builds per RHEL minor release, to place a guest that reports its major release only.</summary>
    [DataMember(Name = "rhel_kernel_minors")]
    public RhelKernelMinorsData? RhelKernelMinors { get; set; }
}

/// <summary>The page revision a table (or list) was taken from.</summary>
[DataContract]
internal sealed class MatrixSourceData
{
    [DataMember(Name = "path")]
    public string Path { get; set; } = string.Empty;

    /// <summary>The revision's ms.date, ISO (2025-06-19).</summary>
    [DataMember(Name = "ms_date")]
    public string? MsDate { get; set; }

    [DataMember(Name = "author")]
    public string? Author { get; set; }

    /// <summary>The commit of that revision in MicrosoftDocs/windowsserverdocs; null when not recorded.</summary>
    [DataMember(Name = "commit")]
    public string? Commit { get; set; }

    /// <summary>The page on learn.microsoft.com.</summary>
    [DataMember(Name = "url")]
    public string? Url { get; set; }

    /// <summary>When and against what the table was last checked (current tables only).</summary>
    [DataMember(Name = "checked")]
    public string? Checked { get; set; }
}

[DataContract]
internal sealed class GenerationPageData
{
    [DataMember(Name = "source")]
    public MatrixSourceData? Source { get; set; }

    /// <summary>Family → the releases the page lists for it, newest first.</summary>
    [DataMember(Name = "supported_guests")]
    public Dictionary<string, List<ListedReleaseData>>? SupportedGuests { get; set; }
}

/// <summary>A release line on the generation page: a whole major (9.x, 15 series) or a minor range (13.0 to 13.5, 24.04).</summary>
[DataContract]
internal sealed class ListedReleaseData
{
    [DataMember(Name = "label")]
    public string Label { get; set; } = string.Empty;

    [DataMember(Name = "major")]
    public int Major { get; set; }

    /// <summary>Null: every minor of <see cref="Major"/>.</summary>
    [DataMember(Name = "minor_from")]
    public int? MinorFrom { get; set; }

    [DataMember(Name = "minor_to")]
    public int? MinorTo { get; set; }
}

[DataContract]
internal sealed class RhelKernelMinorsData
{
    [DataMember(Name = "series")]
    public List<RhelKernelSeriesData>? Series { get; set; }
}

/// <summary>One RHEL major: its kernel base (3.10.0) and the GA build of each minor release.</summary>
[DataContract]
internal sealed class RhelKernelSeriesData
{
    [DataMember(Name = "major")]
    public int Major { get; set; }

    [DataMember(Name = "base")]
    public string Base { get; set; } = string.Empty;

    [DataMember(Name = "builds")]
    public List<RhelKernelBuildData>? Builds { get; set; }
}

[DataContract]
internal sealed class RhelKernelBuildData
{
    [DataMember(Name = "minor")]
    public int Minor { get; set; }

    [DataMember(Name = "build")]
    public int Build { get; set; }
}

[DataContract]
internal sealed class MatrixHostData
{
    [DataMember(Name = "id")]
    public string Id { get; set; } = string.Empty;

    [DataMember(Name = "name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>1 (WS 2008 R2) to 7 (WS 2025); null for Azure Stack HCI / Azure Local.</summary>
    [DataMember(Name = "rank")]
    public int? Rank { get; set; }
}

[DataContract]
internal sealed class MatrixFeatureData
{
    [DataMember(Name = "id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>The seed name; null for vcpu-gt-256, which is not in the seed.</summary>
    [DataMember(Name = "name")]
    public string? Name { get; set; }

    [DataMember(Name = "category")]
    public string? Category { get; set; }

    [DataMember(Name = "matrix_row")]
    public string MatrixRow { get; set; } = string.Empty;

    /// <summary>A host id; null for vcpu-gt-256 (no host cell).</summary>
    [DataMember(Name = "min_host")]
    public string? MinHost { get; set; }
}

[DataContract]
internal sealed class MatrixTableData
{
    [DataMember(Name = "id")]
    public string Id { get; set; } = string.Empty;

    [DataMember(Name = "family")]
    public string Family { get; set; } = string.Empty;

    [DataMember(Name = "title")]
    public string Title { get; set; } = string.Empty;

    /// <summary>The page revision the table was taken from.</summary>
    [DataMember(Name = "source")]
    public MatrixSourceData? Source { get; set; }

    /// <summary>True for the newest revision of a series; historical tables are false.</summary>
    [DataMember(Name = "current")]
    public bool Current { get; set; }

    [DataMember(Name = "host_floor")]
    public string? HostFloor { get; set; }

    [DataMember(Name = "host_ceiling")]
    public string? HostCeiling { get; set; }

    [DataMember(Name = "columns")]
    public List<MatrixColumnData>? Columns { get; set; }

    [DataMember(Name = "rows")]
    public List<string>? Rows { get; set; }

    [DataMember(Name = "row_hosts")]
    public Dictionary<string, string?>? RowHosts { get; set; }

    /// <summary>row id → column id → cell; dense for every row in <see cref="Rows"/>.</summary>
    [DataMember(Name = "cells")]
    public Dictionary<string, Dictionary<string, MatrixCellData>>? Cells { get; set; }

    /// <summary>Note number (as text) → note.</summary>
    [DataMember(Name = "notes")]
    public Dictionary<string, MatrixNoteData>? Notes { get; set; }

    /// <summary>Section (feature category) → note numbers that the section header carries (FreeBSD storage).</summary>
    [DataMember(Name = "section_notes")]
    public Dictionary<string, List<int>>? SectionNotes { get; set; }
}

[DataContract]
internal sealed class MatrixColumnData
{
    [DataMember(Name = "id")]
    public string Id { get; set; } = string.Empty;

    [DataMember(Name = "label")]
    public string Label { get; set; } = string.Empty;

    /// <summary>built-in, lis-4.3, lis-4.1 or null.</summary>
    [DataMember(Name = "integration")]
    public string? Integration { get; set; }

    /// <summary>rhck on the Oracle columns; absent elsewhere.</summary>
    [DataMember(Name = "kernel")]
    public string? Kernel { get; set; }
}

[DataContract]
internal sealed class MatrixCellData
{
    /// <summary>yes, no, na or unknown.</summary>
    [DataMember(Name = "status")]
    public string Status { get; set; } = string.Empty;

    [DataMember(Name = "notes")]
    public List<int>? Notes { get; set; }
}

[DataContract]
internal sealed class MatrixNoteData
{
    /// <summary>defined, omitted or undefined; <see cref="Text"/> is null unless defined.</summary>
    [DataMember(Name = "status")]
    public string Status { get; set; } = string.Empty;

    [DataMember(Name = "text")]
    public string? Text { get; set; }
}

[DataContract]
internal sealed class MatrixRuleData
{
    [DataMember(Name = "id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>requirement, caveat or warning.</summary>
    [DataMember(Name = "kind")]
    public string Kind { get; set; } = string.Empty;

    [DataMember(Name = "features")]
    public List<string>? Features { get; set; }

    [DataMember(Name = "text")]
    public string Text { get; set; } = string.Empty;

    /// <summary>Entries like ubuntu-2023#6: family, page year and note number.</summary>
    [DataMember(Name = "from_notes")]
    public List<string>? FromNotes { get; set; }
}
