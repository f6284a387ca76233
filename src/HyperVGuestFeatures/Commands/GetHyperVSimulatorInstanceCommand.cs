using System;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Shows the instances a simulated Hyper-V host's provider serves, as a query of the real provider would return them.</para>
/// Each instance is one object with the provider's property names and values, plus CimClassName (and PSComputerName,
/// as Get-CimInstance adds). The query goes to the simulated provider like any other caller's: the same WQL, the same
/// refusals (an unknown class, a class the host version lacks, a malformed query), and it counts as a query.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HyperVSimulatorInstance", DefaultParameterSetName = ClassSet)]
[OutputType(typeof(PSObject))]
public sealed class GetHyperVSimulatorInstanceCommand : SimulatedHostsCmdletBase
{
    private const string ClassSet = "Class";
    private const string QuerySet = "Query";

    /// <summary>The class to list, e.g. Msvm_ResourceAllocationSettingData.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ClassSet)]
    [ValidatePattern("^[A-Za-z_][A-Za-z0-9_]*$")]
    [ArgumentCompleter(typeof(SimulatorClassNameCompleter))]
    public string ClassName { get; set; } = string.Empty;

    /// <summary>A WQL condition (the WHERE clause without WHERE), e.g. "ResourceType = 17".</summary>
    [Parameter(ParameterSetName = ClassSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>A whole WQL query, e.g. "SELECT InstanceID, Parent FROM Msvm_StorageAllocationSettingData".</summary>
    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = string.Empty;

    /// <summary>The namespace: root\virtualization\v2 (default) or root\cimv2.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = CimNamespaces.Virtualization;

    protected override void OnProcess()
    {
        var wql = ParameterSetName == QuerySet ? Query : Wql.Select(ClassName, Filter);
        foreach (var host in SelectedHosts())
        {
            WriteVerbose(GuestFeatureException.Format("VerboseSimulatorInstanceQuery", wql, Namespace, host.ComputerName));
            try
            {
                using var client = Traced(host.Connect(), WriteProviderDebug);
                foreach (var instance in client.Query(Namespace, wql, CancellationToken))
                {
                    WriteObject(ToPSObject(instance, host.ComputerName));
                }
            }
            catch (GuestFeatureException failure)
            {
                WriteFailure(failure);
            }
        }
    }

    /// <summary>The instance as one object: its properties in the provider's order, then CimClassName and PSComputerName.</summary>
    private static PSObject ToPSObject(CimObject instance, string computerName)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, "HyperVGuestFeatures.SimulatorInstance#" + instance.ClassName);
        foreach (var property in instance.Properties)
        {
            result.Properties.Add(new PSNoteProperty(property.Key, ValueOf(property.Value, computerName)));
        }

        result.Properties.Add(new PSNoteProperty("CimClassName", instance.ClassName));
        result.Properties.Add(new PSNoteProperty("PSComputerName", computerName));
        return result;
    }

    private static object? ValueOf(object? value, string computerName) => value switch
    {
        CimInstancePath path => path.ToString(),
        CimInstancePath[] paths => paths.Select(p => p.ToString()).ToArray(),
        CimObject embedded => ToPSObject(embedded, computerName),
        CimObject[] embedded => embedded.Select(e => ToPSObject(e, computerName)).ToArray(),
        _ => value,
    };
}
