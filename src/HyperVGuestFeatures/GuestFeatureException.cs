using System;
using System.Globalization;

namespace HyperVGuestFeatures;

/// <summary>What kind of failure happened; the cmdlet layer maps it to an ErrorCategory.</summary>
internal enum FailureKind
{
    NotFound,
    InvalidArgument,
    InvalidState,
    NotSupported,
    AccessDenied,
    HostUnreachable,
    NotInstalled,
    Timeout,
    OperationFailed,
    Canceled,

    /// <summary>What the call would create already exists (e.g. a guest file copied without overwrite).</summary>
    AlreadyExists,

    /// <summary>
    /// The provider accepted a change and started its job, but the job could not be followed to its end
    /// (the connection went while it was polled): the change may or may not have been made.
    /// </summary>
    OutcomeUnknown,
}

/// <summary>
/// The one exception type that lower layers (Catalog, Cim, HyperV, Simulation) throw. It carries a
/// stable <see cref="ErrorId"/>, which is also the key of its message in Messages.resx, so the
/// cmdlet layer can turn it into an ErrorRecord without knowing where it came from.
/// </summary>
[Serializable]
internal sealed class GuestFeatureException : Exception
{
    public GuestFeatureException(string errorId, FailureKind kind, object? target, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>Stable PascalCase id, e.g. VMNotFound; equal to the resource key of the message.</summary>
    public string ErrorId { get; }

    public FailureKind Kind { get; }

    /// <summary>The object the failure is about (VM name, key, path, host).</summary>
    public object? Target { get; }

    /// <summary>What the user can do about it, when a fix is known.</summary>
    public string? RecommendedAction { get; init; }

    /// <summary>The provider's return code or job ErrorCode, when the failure came from the provider.</summary>
    public uint? ProviderCode { get; init; }

    /// <summary>
    /// Copies <paramref name="source"/>'s Exception.Data (e.g. JobId, AppliedKeys) into this one, for a failure
    /// rebuilt with more said; returns this.
    /// </summary>
    internal GuestFeatureException WithDataOf(Exception source)
    {
        foreach (System.Collections.DictionaryEntry entry in source.Data)
        {
            Data[entry.Key] = entry.Value;
        }

        return this;
    }

    /// <summary>Builds the exception with the message of resource key <paramref name="errorId"/>.</summary>
    public static GuestFeatureException Create(string errorId, FailureKind kind, object? target, params object?[] args)
    {
        return new GuestFeatureException(errorId, kind, target, Format(errorId, args));
    }

    /// <summary>Formats the resource string <paramref name="key"/> with the invariant culture's number rules.</summary>
    public static string Format(string key, params object?[] args)
    {
        var text = Messages.ResourceManager.GetString(key, Messages.Culture) ?? key;
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
    }
}

/// <summary>
/// A change stopped midway (Ctrl+C, or the command stopping early) after it may already have changed a
/// VM: its message says what is known of the VM's state and how to check it. It is an
/// OperationCanceledException, so it stops the work as any cancellation does; the cmdlet layer still says
/// its message when the pipeline can no longer write records.
/// </summary>
[Serializable]
internal sealed class ChangeInterruptedException : OperationCanceledException
{
    public ChangeInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
