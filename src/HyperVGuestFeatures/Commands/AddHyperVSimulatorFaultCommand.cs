using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Arms a fault on simulated hosts: a return code, a failed job, or a dropped connection.</para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "HyperVSimulatorFault", SupportsShouldProcess = true, DefaultParameterSetName = ReturnCodeSet)]
[OutputType(typeof(HyperVSimulatorFault))]
public sealed class AddHyperVSimulatorFaultCommand : GuestFeatureCmdletBase
{
    private const string ReturnCodeSet = "ReturnCode";
    private const string JobErrorSet = "JobError";
    private const string DisconnectSet = "Disconnect";

    /// <summary>Simulated hosts (wildcards allowed); the local computer by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    [ValidateComputerName]
    public string[]? ComputerName { get; set; }

    /// <summary>Only calls about this VM; every VM when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public string? VMName { get; set; }

    /// <summary>A provider method (e.g. ModifyResourceSettings, AddKvpItems, CopyFilesToGuest) or a query kind (Query, GetInstance, GetAssociated).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatorMethodCompleter))]
    public string? Method { get; set; }

    /// <summary>The method returns this code (e.g. 32775) instead of running.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReturnCodeSet)]
    [ValidateRange(0, int.MaxValue)]
    public int ReturnCode { get; set; }

    /// <summary>The method starts a job (4096) that ends in JobState 10 with this ErrorCode.</summary>
    [Parameter(Mandatory = true, ParameterSetName = JobErrorSet)]
    [ValidateRange(0, 65535)]
    public int JobErrorCode { get; set; }

    /// <summary>The failed job's ErrorDescription.</summary>
    [Parameter(ParameterSetName = JobErrorSet)]
    public string? JobErrorDescription { get; set; }

    /// <summary>The call fails as if the host dropped off the network (HostUnreachable).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DisconnectSet)]
    public SwitchParameter Disconnect { get; set; }

    /// <summary>Hit only the next Count matching calls; every matching call when omitted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    /// <summary>Writes the armed faults to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        foreach (var host in SimulatorCommandSupport.Resolve(SimulatorCommandSupport.NamesOrLocal(ComputerName), WriteFailure))
        {
            var fault = new HyperVSimulatorFault(
                host.ComputerName,
                VMName,
                Method,
                ParameterSetName == ReturnCodeSet ? (uint)ReturnCode : null,
                ParameterSetName == JobErrorSet ? (ushort)JobErrorCode : null,
                JobErrorDescription,
                Disconnect,
                Count);
            if (!ShouldProcess(host.ComputerName, GuestFeatureException.Format("SimulatorAddFaultAction", fault)))
            {
                continue;
            }

            host.AddFault(fault);
            if (PassThru)
            {
                WriteObject(fault);
            }
        }
    }
}
