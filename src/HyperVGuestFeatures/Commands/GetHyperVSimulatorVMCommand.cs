using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Gets simulated VMs as the simulator plays them: power state, integration components, NMIs received, guest files.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HyperVSimulatorVM")]
[OutputType(typeof(HyperVSimulatorVMInfo))]
public sealed class GetHyperVSimulatorVMCommand : GuestFeatureCmdletBase
{
    private static readonly string[] EveryVM = { "*" };

    /// <summary>The simulated host; the local computer by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    [ValidateComputerName]
    public string? ComputerName { get; set; }

    /// <summary>VM names (wildcards allowed); every VM of the host by default.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public string[]? VMName { get; set; }

    protected override void OnProcess()
    {
        if (SimulatorCommandSupport.Find(ComputerName, WriteFailure) is not { } host)
        {
            return;
        }

        foreach (var vmName in SimulatorCommandSupport.MatchVMs(host, VMName ?? EveryVM, WriteFailure))
        {
            WriteObject(host.InspectVM(vmName, vm => new HyperVSimulatorVMInfo(host.ComputerName, vm)));
        }
    }
}
