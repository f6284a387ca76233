using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Reporting;

namespace HyperVGuestFeatures.Tests.Reporting;

public class FeatureMatrixTests
{
    [Fact]
    public void Columns_follow_the_catalog_and_rows_the_first_appearance_of_each_vm()
    {
        var rows = ReportLab.Rows("hv1", hostile: false);
        var shuffled = rows.OrderByDescending(r => r.Feature, StringComparer.Ordinal).ThenByDescending(r => r.VMName, StringComparer.Ordinal).ToList();
        var matrix = FeatureMatrix.From(shuffled);
        Assert.Equal(FeatureCatalog.Features, matrix.Features);
        Assert.Equal(shuffled.Select(r => r.VMName).Distinct(), matrix.Rows.Select(r => r.VMName));
        foreach (var row in matrix.Rows)
        {
            for (var i = 0; i < matrix.Features.Count; i++)
            {
                Assert.Same(rows.Single(r => r.VMName == row.VMName && r.FeatureId == matrix.Features[i].Id), row.Cells[i]);
            }
        }
    }

    [Fact]
    public void Keeps_vms_of_different_hosts_apart_and_leaves_missing_cells_empty()
    {
        var rows = ReportLab.Rows("hv1", hostile: false).Where(r => r.VMName == "rhel-db")
            .Concat(ReportLab.Rows("hv2", hostile: false).Where(r => r.VMName == "rhel-db" && r.Feature == "Heartbeat"));
        var matrix = FeatureMatrix.From(rows);
        Assert.Equal(new[] { "hv1", "hv2" }, matrix.Rows.Select(r => r.ComputerName));
        Assert.Equal(35, matrix.Features.Count);
        Assert.Single(matrix.Rows[1].Cells, c => c is not null);
    }
}
