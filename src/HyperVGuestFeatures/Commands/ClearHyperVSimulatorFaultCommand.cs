using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Disarms every fault of simulated hosts.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "HyperVSimulatorFault", SupportsShouldProcess = true)]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class ClearHyperVSimulatorFaultCommand : GuestFeatureCmdletBase
{
    /// <summary>Simulated hosts (wildcards allowed); the local computer by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    public string[]? ComputerName { get; set; }

    /// <summary>Writes the hosts to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SimulatorCommandSupport.Resolve(SimulatorCommandSupport.NamesOrLocal(ComputerName), WriteFailure))
        {
            if (!ShouldProcess(host.ComputerName, GuestFeatureException.Format("SimulatorClearFaultAction")))
            {
                continue;
            }

            host.ClearFaults();
            if (PassThru)
            {
                var (queries, methods, jobs) = host.ReadCounters();
                WriteObject(new HyperVSimulatorInfo(host, queries, methods, jobs));
            }
        }
    }
}
