using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Stops simulated Hyper-V hosts and removes them from every runspace of the process.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "HyperVSimulator", SupportsShouldProcess = true)]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class StopHyperVSimulatorCommand : SimulatedHostsCmdletBase
{
    /// <summary>Writes the stopped hosts (with their final counters) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SelectedHosts())
        {
            if (!ShouldProcess(host.ComputerName, GuestFeatureException.Format("SimulatorStopAction")))
            {
                continue;
            }

            SimulatorSessions.Current.Unregister(host);
            host.Stop();
            if (PassThru)
            {
                WriteObject(new HyperVSimulatorInfo(host, host.ReadCounters()));
            }
        }
    }
}
