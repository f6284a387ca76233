using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Stops simulated Hyper-V hosts and removes them from this session.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "HyperVSimulator", SupportsShouldProcess = true)]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class StopHyperVSimulatorCommand : GuestFeatureCmdletBase
{
    /// <summary>Host names (wildcards allowed); the local computer by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    public string[]? ComputerName { get; set; }

    /// <summary>Writes the stopped hosts (with their final counters) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SimulatorCommandSupport.Resolve(SimulatorCommandSupport.NamesOrLocal(ComputerName), WriteFailure))
        {
            if (!ShouldProcess(host.ComputerName, GuestFeatureException.Format("SimulatorStopAction")))
            {
                continue;
            }

            SimulatorSessions.Current.Unregister(host.ComputerName);
            host.Stop();
            if (PassThru)
            {
                var (queries, methods, jobs) = host.ReadCounters();
                WriteObject(new HyperVSimulatorInfo(host, queries, methods, jobs));
            }
        }
    }
}
