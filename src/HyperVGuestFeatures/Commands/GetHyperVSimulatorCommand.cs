using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Lists the simulated Hyper-V hosts of this session with their operation counters.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HyperVSimulator")]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class GetHyperVSimulatorCommand : GuestFeatureCmdletBase
{
    /// <summary>Host names (wildcards allowed); every simulated host when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    public string[]? ComputerName { get; set; }

    /// <summary>Resets the counters to zero after reading them.</summary>
    [Parameter]
    public SwitchParameter ResetCounters { get; set; }

    protected override void OnProcess()
    {
        var hosts = ComputerName is { Length: > 0 }
            ? SimulatorCommandSupport.Resolve(ComputerName, WriteFailure)
            : new System.Collections.Generic.List<Simulation.SimulatedHost>(SimulatorSessions.Current.Hosts);
        foreach (var host in hosts)
        {
            var (queries, methods, jobs) = host.ReadCounters(ResetCounters);
            WriteObject(new HyperVSimulatorInfo(host, queries, methods, jobs));
        }
    }
}
