using System;
using System.Collections.Generic;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Send-VMNmi's work on one VM: Msvm_ComputerSystem.InjectNonMaskableInterrupt on the VM's path,
/// its job waited on (docs/provider-model.md "Methods", "Could not confirm"). The VM must be Running: <see cref="Check"/> says so from
/// the state the lookup read, before any call; the provider's own refusal (32775, also as a failed
/// job) becomes the same VMNotRunning error, and 32769 becomes AccessDenied.
/// </summary>
internal static class NmiSender
{
    public const string MethodName = "InjectNonMaskableInterrupt";

    /// <summary>
    /// Send-VMNmi's plan for one host (<see cref="ChangePlan"/>): the VMs looked up, a VM that is not running
    /// reported as VMNotRunning with no call, one change per running VM; <paramref name="sent"/> receives what
    /// each NMI sent (-PassThru).
    /// </summary>
    internal static ChangePlan Plan(ICimClient client, VmSelection selection, JobWaitOptions? options, Action<NmiResult>? sent, OperationReporter reporter, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        if (reporter is null)
        {
            throw new ArgumentNullException(nameof(reporter));
        }

        var changes = new List<VmChange>();
        foreach (var vm in VmInventory.Find(client, selection, reporter, cancellationToken))
        {
            if (Check(vm) is { } refusal)
            {
                reporter.Error(refusal);
                continue;
            }

            changes.Add(new VmChange(vm, GuestFeatureException.Format("NmiAction"), GuestFeatureException.Format("NmiCheck"), cancellationToken =>
            {
                reporter.Verbose(GuestFeatureException.Format("VerboseNmi", vm.Name, vm.ComputerName));
                var result = Send(client, vm, options, cancellationToken);
                sent?.Invoke(result);
            }));
        }

        return new ChangePlan(changes);
    }

    /// <summary>The precondition, from the lookup's state: VMNotRunning, or null when the NMI may be sent.</summary>
    public static GuestFeatureException? Check(VirtualMachine vm)
        => VmPreconditions.RequireRunning(vm ?? throw new ArgumentNullException(nameof(vm)), "OperationNmi");

    /// <summary>Injects the NMI and waits for its job. Throws GuestFeatureException on any refusal or failure.</summary>
    public static NmiResult Send(ICimClient client, VirtualMachine vm, JobWaitOptions? options, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        if (vm is null)
        {
            throw new ArgumentNullException(nameof(vm));
        }

        var sentAt = DateTime.Now;
        try
        {
            var result = client.InvokeMethod(vm.Path, MethodName, new Dictionary<string, object?>(), cancellationToken);
            new JobWaiter(client, options).Wait(MethodName, vm.Name, result, cancellationToken);
        }
        catch (GuestFeatureException failure) when (VmPreconditions.IsInvalidState(failure))
        {
            throw VmPreconditions.NotRunningPerProvider(vm, "OperationNmi", failure);
        }
        catch (GuestFeatureException failure) when (failure.ErrorId == "CimMethodFailed")
        {
            throw VmPreconditions.FromProviderRefusal(failure, vm, MethodName);
        }

        return new NmiResult(vm.ComputerName, vm.Name, vm.Id, sentAt);
    }
}
