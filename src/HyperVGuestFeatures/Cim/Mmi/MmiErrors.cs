using System;
using System.IO;
using System.Management.Automation;
using Microsoft.Management.Infrastructure;

namespace HyperVGuestFeatures.Cim.Mmi;

/// <summary>
/// Maps MMI failures to the module's <see cref="GuestFeatureException"/>, with the host name as the
/// target. No message built here contains a user name or password: only the host, the operation
/// and the provider's own text.
/// </summary>
internal static class MmiErrors
{
    private const string MmiAssemblyName = "Microsoft.Management.Infrastructure";

    /// <summary>
    /// The error id and kind for a CimException. <paramref name="category"/> is the MI error instance's
    /// Error_Category (a PowerShell ErrorCategory, as the CIM cmdlets read it); <paramref name="messageId"/>
    /// is e.g. "HRESULT 0x80338012" for WinRM's "cannot connect to the destination".
    /// </summary>
    public static (string ErrorId, FailureKind Kind) Classify(NativeErrorCode code, ErrorCategory category, string? messageId)
    {
        var hresult = messageId ?? string.Empty;
        if (code == NativeErrorCode.AccessDenied
            || category is ErrorCategory.PermissionDenied or ErrorCategory.AuthenticationError or ErrorCategory.SecurityError
            || hresult.IndexOf("0x80070005", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return ("AccessDenied", FailureKind.AccessDenied);
        }

        // A class this host's provider lacks (e.g. one newer than the host) is not a missing instance.
        if (code == NativeErrorCode.InvalidClass)
        {
            return ("CimInvalidClass", FailureKind.NotSupported);
        }

        if (code == NativeErrorCode.NotFound || category == ErrorCategory.ObjectNotFound)
        {
            return ("CimInstanceNotFound", FailureKind.NotFound);
        }

        // The transport failed or the provider isn't there: WinRM's own errors (facility 0x33,
        // HRESULT 0x8033xxxx), RPC server unavailable (DCOM), a missing root\virtualization\v2
        // namespace (Hyper-V not installed) or a server going down.
        if (code is NativeErrorCode.InvalidNamespace or NativeErrorCode.ServerIsShuttingDown
            || category is ErrorCategory.ConnectionError or ErrorCategory.ResourceUnavailable
            || hresult.IndexOf("0x8033", StringComparison.OrdinalIgnoreCase) >= 0
            || hresult.IndexOf("0x800706BA", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return ("HostUnreachable", FailureKind.HostUnreachable);
        }

        return ("CimOperationFailed", FailureKind.OperationFailed);
    }

    /// <summary>The module's exception for a CimException raised while doing <paramref name="operation"/> on <paramref name="computerName"/>.</summary>
    public static GuestFeatureException Map(CimException failure, string computerName, string operation)
    {
        var (errorId, kind) = Classify(failure.NativeErrorCode, CategoryOf(failure), failure.MessageId);
        var detail = failure.Message;
        var message = errorId switch
        {
            "CimInstanceNotFound" or "CimInvalidClass" => GuestFeatureException.Format(errorId, operation, computerName),
            "CimOperationFailed" => GuestFeatureException.Format(errorId, operation, computerName, detail),
            _ => GuestFeatureException.Format(errorId, computerName, detail),
        };
        return new GuestFeatureException(errorId, kind, computerName, message, failure);
    }

    /// <summary>
    /// True when the exception says MMI's native part (libmi) or MMI itself is missing, or not usable, on this platform.
    /// Where libmi is present on Linux or macOS (PSWSMan installs one), the MMI assembly PowerShell ships for those
    /// platforms throws NotImplementedException, or MissingManifestResourceException while formatting its own error;
    /// that is still "no CIM transport here", not a failure of the host. Only MMI calls run inside the catches that use
    /// this, so these types come from MMI.
    /// </summary>
    public static bool IsPlatformMissing(Exception failure) => failure switch
    {
        DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException => true,
        NotImplementedException or System.Resources.MissingManifestResourceException => true,
        TypeInitializationException init => (init.TypeName ?? string.Empty).StartsWith(MmiAssemblyName, StringComparison.Ordinal)
            || (init.InnerException is { } inner && IsPlatformMissing(inner)),
        FileNotFoundException missing => (missing.FileName ?? string.Empty).IndexOf(MmiAssemblyName, StringComparison.OrdinalIgnoreCase) >= 0,
        FileLoadException unloadable => (unloadable.FileName ?? string.Empty).IndexOf(MmiAssemblyName, StringComparison.OrdinalIgnoreCase) >= 0,
        _ => false,
    };

    /// <summary>
    /// CimUnavailableOnPlatform (NotInstalled): no CIM transport here. The recommended action says what
    /// works on this platform: run on Windows, or try the simulator under this computer's own name, never
    /// under the name of the real host the user asked for (a simulator must not pass for a real host).
    /// </summary>
    public static GuestFeatureException Unavailable(string computerName, Exception cause)
        => new("CimUnavailableOnPlatform", FailureKind.NotInstalled, computerName, GuestFeatureException.Format("CimUnavailableOnPlatform", computerName), cause)
        {
            RecommendedAction = GuestFeatureException.Format("CimUnavailableOnPlatformAction"),
        };

    private static ErrorCategory CategoryOf(CimException failure)
    {
        try
        {
            var value = failure.ErrorData?.CimInstanceProperties["Error_Category"]?.Value;
            if (value is not null)
            {
                var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                if (Enum.IsDefined(typeof(ErrorCategory), number))
                {
                    return (ErrorCategory)number;
                }
            }
        }
#pragma warning disable CA1031 // The category only refines the mapping; an unreadable error instance leaves it unspecified.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return ErrorCategory.NotSpecified;
    }
}
