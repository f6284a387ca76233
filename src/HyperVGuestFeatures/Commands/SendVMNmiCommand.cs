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
        var force = Force.IsPresent;
        var passThru = PassThru.IsPresent;
        var action = GuestFeatureException.Format("NmiAction");
        RunOnHosts(Requests, (host, selection) =>
        {
            host.Verbose(GuestFeatureException.Format("VerboseLookup", host.ComputerName));
            var lookup = VmInventory.Find(host.Client, selection, host.CancellationToken);
            foreach (var failure in lookup.Failures)
            {
                host.Error(failure);
            }

            foreach (var vm in lookup.Machines)
            {
                if (NmiSender.Check(vm) is { } refusal)
                {
                    host.Error(refusal);
                    continue;
                }

                if (!host.ShouldProcess(VmPreconditions.Describe(vm), action, force))
                {
                    continue;
                }

                host.Verbose(GuestFeatureException.Format("VerboseNmi", vm.Name, vm.ComputerName));
                try
                {
                    var result = NmiSender.Send(host.Client, vm, null, host.CancellationToken);
                    if (passThru)
                    {
                        host.Output(result);
                    }
                }
                catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
                {
                    // One VM's failure leaves the others going; a lost host ends this host's work (reported once).
                    host.Error(failure);
                }
            }
        });
    }
}
