using System;
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
        _ => ErrorCategory.InvalidResult,
    };
}
