using System;
using System.Collections;
using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>The one mapping from <see cref="GuestFeatureException"/> to an ErrorRecord.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(GuestFeatureException failure)
    {
        var record = new ErrorRecord(failure, failure.ErrorId, CategoryOf(failure.Kind), failure.Target);
        if ((failure.RecommendedAction ?? DefaultActionFor(failure)) is { Length: > 0 } action)
        {
            record.ErrorDetails = new ErrorDetails(failure.Message) { RecommendedAction = action };
        }

        return record;
    }

    /// <summary>
    /// The record of a failure on <paramref name="computerName"/> in a run over several hosts, where
    /// "VM 'web' failed" does not say which web: the message names the host unless it already does, and
    /// the target carries it as a ComputerName property (the target itself is unchanged, so it still
    /// compares equal to the VM name, and a VM-name target pipes back in with its host). With a null
    /// <paramref name="computerName"/> (one host) this is <see cref="From(GuestFeatureException)"/>.
    /// </summary>
    public static ErrorRecord From(GuestFeatureException failure, string? computerName)
    {
        if (computerName is null)
        {
            return From(failure);
        }

        var message = failure.Message.IndexOf("'" + computerName + "'", StringComparison.OrdinalIgnoreCase) >= 0
            ? failure.Message
            : GuestFeatureException.Format("ErrorOnHost", computerName, failure.Message);
        var target = failure.Target is null || (failure.Target is string name && string.Equals(name, computerName, StringComparison.OrdinalIgnoreCase))
            ? failure.Target ?? computerName
            : OnHost(failure.Target, computerName);
        var onHost = new GuestFeatureException(failure.ErrorId, failure.Kind, target, message, failure)
        {
            RecommendedAction = failure.RecommendedAction,
            ProviderCode = failure.ProviderCode,
        };
        foreach (DictionaryEntry entry in failure.Data)
        {
            onHost.Data[entry.Key] = entry.Value;
        }

        return From(onHost);
    }

    /// <summary>The target with a ComputerName note property (a copy when it already is a PSObject).</summary>
    private static PSObject OnHost(object target, string computerName)
    {
        var wrapped = target is PSObject existing ? existing.Copy() : new PSObject(target);
        wrapped.Properties.Remove("ComputerName");
        wrapped.Properties.Add(new PSNoteProperty("ComputerName", computerName));
        return wrapped;
    }

    /// <summary>
    /// The fix for a host that cannot be reached, wherever that was detected (the MMI client, the
    /// simulator's dropped connection): the failure's target is then the host name.
    /// </summary>
    private static string? DefaultActionFor(GuestFeatureException failure)
        => failure.ErrorId == "HostUnreachable" && failure.Target is string host
            ? GuestFeatureException.Format("HostUnreachableAction", HyperV.CommandText.Literal(host))
            : null;

    public static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => ErrorCategory.ObjectNotFound,
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidState => ErrorCategory.InvalidOperation,
        FailureKind.NotSupported => ErrorCategory.NotImplemented,
        FailureKind.AccessDenied => ErrorCategory.PermissionDenied,
        FailureKind.HostUnreachable => ErrorCategory.ConnectionError,
        FailureKind.NotInstalled => ErrorCategory.NotInstalled,
        FailureKind.Timeout => ErrorCategory.OperationTimeout,
        FailureKind.Canceled => ErrorCategory.OperationStopped,
        FailureKind.AlreadyExists => ErrorCategory.ResourceExists,

        // The change may have been made; what is lost is the connection that would have said so.
        FailureKind.OutcomeUnknown => ErrorCategory.ConnectionError,
        _ => ErrorCategory.InvalidResult,
    };
}
