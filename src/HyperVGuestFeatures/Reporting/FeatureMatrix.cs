using System;
using System.Collections.Generic;
using System.Linq;
using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Reporting;

/// <summary>
/// Get-GuestFeature rows turned into a VM x feature grid: one row per VM (by host and VM id, in the
/// order VMs first appear) and one column per feature present in the input, in catalog order.
/// ConvertTo-GuestFeatureMatrix and Export-GuestFeatureReport both build on it.
/// </summary>
internal sealed class FeatureMatrix
{
    private static readonly Dictionary<string, int> CatalogOrder = FeatureCatalog.Features
        .Select((f, i) => (f.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.OrdinalIgnoreCase);

    private FeatureMatrix(IReadOnlyList<FeatureDefinition> features, IReadOnlyList<FeatureMatrixRow> rows)
    {
        Features = features;
        Rows = rows;
    }

    /// <summary>The columns: every feature that occurs in the input, in catalog order.</summary>
    public IReadOnlyList<FeatureDefinition> Features { get; }

    public IReadOnlyList<FeatureMatrixRow> Rows { get; }

    public static FeatureMatrix From(IEnumerable<GuestFeatureStatus> statuses)
    {
        if (statuses is null)
        {
            throw new ArgumentNullException(nameof(statuses));
        }

        var byVm = new Dictionary<(string Host, Guid Id), List<GuestFeatureStatus>>();
        var order = new List<(string Host, Guid Id)>();
        var present = new HashSet<int>();
        foreach (var status in statuses.Where(s => s is not null))
        {
            var key = (status.ComputerName.ToUpperInvariant(), status.VMId);
            if (!byVm.TryGetValue(key, out var cells))
            {
                cells = new List<GuestFeatureStatus>();
                byVm.Add(key, cells);
                order.Add(key);
            }

            cells.Add(status);
            present.Add(IndexOf(status));
        }

        var columns = present.OrderBy(i => i).ToList();
        var features = columns.Select(i => FeatureCatalog.Features[i]).ToList();
        var position = columns.Select((catalogIndex, column) => (catalogIndex, column)).ToDictionary(p => p.catalogIndex, p => p.column);
        var rows = new List<FeatureMatrixRow>(order.Count);
        foreach (var key in order)
        {
            var cells = new GuestFeatureStatus?[features.Count];
            foreach (var status in byVm[key])
            {
                // The last row given for a VM and feature wins (the input may repeat a VM).
                cells[position[IndexOf(status)]] = status;
            }

            var first = byVm[key][0];
            rows.Add(new FeatureMatrixRow(first.ComputerName, first.VMName, first.VMId, cells));
        }

        return new FeatureMatrix(features, rows);
    }

    private static int IndexOf(GuestFeatureStatus status)
        => CatalogOrder.TryGetValue(status.FeatureId, out var index)
            ? index
            : throw new ArgumentException("Unknown feature id '" + status.FeatureId + "'.", nameof(status));
}

/// <summary>One VM of a <see cref="FeatureMatrix"/>: its cells, aligned with the matrix's features (null where the input had no row).</summary>
internal sealed class FeatureMatrixRow
{
    internal FeatureMatrixRow(string computerName, string vmName, Guid vmId, IReadOnlyList<GuestFeatureStatus?> cells)
    {
        ComputerName = computerName;
        VMName = vmName;
        VMId = vmId;
        Cells = cells;
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    public IReadOnlyList<GuestFeatureStatus?> Cells { get; }
}
