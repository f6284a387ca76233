using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Disarms every fault of simulated hosts.</para>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "HyperVSimulatorFault", SupportsShouldProcess = true)]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class ClearHyperVSimulatorFaultCommand : SimulatedHostsCmdletBase
{
    /// <summary>Writes the hosts to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SelectedHosts())
        {
            if (!ShouldProcess(host.ComputerName, GuestFeatureException.Format("SimulatorClearFaultAction")))
            {
                continue;
            }

            host.ClearFaults();
            if (PassThru)
            {
                WriteObject(new HyperVSimulatorInfo(host, host.ReadCounters()));
            }
        }
    }
}
