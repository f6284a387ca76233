using System.Collections.Generic;
using System.Management.Automation;
using HyperVGuestFeatures.Reporting;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// ConvertTo-GuestFeatureMatrix: Get-GuestFeature rows in, one object per VM out (ComputerName,
/// VMName, then one property per feature in catalog order whose value is the State), so
/// Format-Table, Export-Csv and Out-GridView show the fleet as a VM x feature grid. The columns
/// depend on the input, so the rows are PSObjects with note properties rather than a class; every
/// row has every column (a feature missing for one VM is $null there).
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "GuestFeatureMatrix")]
[OutputType(typeof(PSObject))]
public sealed class ConvertToGuestFeatureMatrixCommand : GuestFeatureCmdletBase
{
    private readonly List<GuestFeatureStatus> _input = new();

    /// <summary>Get-GuestFeature rows.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GuestFeatureStatus[]? InputObject { get; set; }

    protected override void OnProcess() => _input.AddRange(InputObject!);

    protected override void OnEnd()
    {
        var matrix = FeatureMatrix.From(_input);
        foreach (var row in matrix.Rows)
        {
            var item = new PSObject();
            item.Properties.Add(new PSNoteProperty(nameof(row.ComputerName), row.ComputerName));
            item.Properties.Add(new PSNoteProperty(nameof(row.VMName), row.VMName));
            for (var i = 0; i < matrix.Features.Count; i++)
            {
                item.Properties.Add(new PSNoteProperty(matrix.Features[i].Name, row.Cells[i]?.State));
            }

            WriteObject(item);
        }
    }
}
