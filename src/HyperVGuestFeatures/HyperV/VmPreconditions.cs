using System;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Checks made before a change, from what the lookup already read, so a VM in the wrong state gets
/// a clear error and no provider call. The provider enforces the same rules (docs/provider-model.md "File copy", "Could not confirm");
/// <see cref="FromProviderRefusal"/> turns its refusal into the same error.
/// </summary>
internal static class VmPreconditions
{
    /// <summary>VMNotRunning for a VM that is not Running (Off, Saved, Paused, Starting, ...); null when it runs.</summary>
    /// <param name="vm">The VM as the lookup read it.</param>
    /// <param name="operationKey">The resource key of the operation's name, e.g. OperationNmi.</param>
    public static GuestFeatureException? RequireRunning(VirtualMachine vm, string operationKey)
        => vm.IsRunning ? null : NotRunning(vm, vm.State.ToString(), operationKey);

    /// <summary>VMNotRunning when the provider refused with 32775 Invalid state, because the VM stopped after the lookup.</summary>
    public static GuestFeatureException NotRunningPerProvider(VirtualMachine vm, string operationKey, GuestFeatureException refusal)
    {
        var failure = NotRunning(vm, GuestFeatureException.Format("StateRefusedByProvider", refusal.ProviderCode ?? ReturnCodes.InvalidState), operationKey);
        return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message, refusal)
        {
            RecommendedAction = failure.RecommendedAction,
            ProviderCode = refusal.ProviderCode,
        };
    }

    /// <summary>
    /// AccessDenied for a provider refusal with 32769 (docs/provider-model.md "Methods"). Other failures come back unchanged.
    /// </summary>
    public static GuestFeatureException FromProviderRefusal(GuestFeatureException failure, VirtualMachine vm, string methodName)
    {
        if (failure.ErrorId == "CimMethodFailed" && failure.ProviderCode == ReturnCodes.AccessDenied)
        {
            var detail = GuestFeatureException.Format("MethodReturned", methodName, vm.Name, ReturnCodes.AccessDenied, ReturnCodes.Describe(ReturnCodes.AccessDenied));
            return new GuestFeatureException("AccessDenied", FailureKind.AccessDenied, vm.Name, GuestFeatureException.Format("AccessDenied", vm.ComputerName, detail), failure)
            {
                RecommendedAction = GuestFeatureException.Format("AccessDeniedAction", vm.ComputerName),
                ProviderCode = failure.ProviderCode,
            };
        }

        return failure;
    }

    /// <summary>True for the provider's "Invalid state for this operation", as a refusal or as a failed job's ErrorCode.</summary>
    public static bool IsInvalidState(GuestFeatureException failure)
        => failure.ProviderCode == ReturnCodes.InvalidState && (failure.ErrorId is "CimMethodFailed" or "CimJobFailed");

    /// <summary>The same failure with a recommended action added (the original is kept as the inner exception).</summary>
    public static GuestFeatureException WithAction(GuestFeatureException failure, string action)
        => new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message, failure.InnerException ?? failure)
        {
            RecommendedAction = action,
            ProviderCode = failure.ProviderCode,
        }.WithDataOf(failure);

    private static GuestFeatureException NotRunning(VirtualMachine vm, string stateText, string operationKey)
    {
        var operation = GuestFeatureException.Format(operationKey);
        var failure = GuestFeatureException.Create("VMNotRunning", FailureKind.InvalidState, vm.Name, vm.Name, vm.ComputerName, stateText, operation);
        var actionKey = vm.State == VMState.Paused ? "VMNotRunningPausedAction" : "VMNotRunningAction";
        return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
        {
            RecommendedAction = GuestFeatureException.Format(actionKey, CommandText.VMName(vm.Name), CommandText.Literal(vm.ComputerName)),
        };
    }

    /// <summary>The host-qualified name used as a ShouldProcess target and in messages.</summary>
    public static string Describe(VirtualMachine vm)
        => GuestFeatureException.Format("VMTarget", vm.Name, vm.ComputerName);
}
