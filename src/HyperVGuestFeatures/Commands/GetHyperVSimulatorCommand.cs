using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Lists the simulated Hyper-V hosts of this PowerShell process with their operation counters.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HyperVSimulator")]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class GetHyperVSimulatorCommand : SimulatedHostsCmdletBase
{
    /// <summary>Resets the counters to zero after reading them.</summary>
    [Parameter]
    public SwitchParameter ResetCounters { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SelectedHosts(allWhenOmitted: true))
        {
            WriteObject(new HyperVSimulatorInfo(host, host.ReadCounters(ResetCounters)));
        }
    }
}
