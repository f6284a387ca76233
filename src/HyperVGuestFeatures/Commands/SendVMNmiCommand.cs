using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Send-VMNmi: injects a non-maskable interrupt into running VMs (Debug-VM -InjectNonMaskableInterrupt),
/// after checking the state the lookup already read, so a VM that is off, saved or paused gets
/// VMNotRunning and no provider call. ConfirmImpact High: it asks unless -Force or -Confirm:$false.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "VMNmi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(NmiResult))]
public sealed class SendVMNmiCommand : VmCmdletBase
{
    /// <summary>Returns an NmiResult per VM that got the interrupt.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Skips the confirmation prompt (-WhatIf still only describes).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void OnProcess()
    {
        CollectVmRequest(requireSelection: true);
    }

    protected override void OnEnd()
    {
        var passThru = PassThru.IsPresent;
        RunChanges(
            Requests,
            (host, selection) => NmiSender.Plan(host.Client, selection, null, passThru ? host.Output : null, host.Reporter, host.CancellationToken),
            Force.IsPresent);
    }
}
