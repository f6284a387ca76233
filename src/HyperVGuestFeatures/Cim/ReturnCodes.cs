namespace HyperVGuestFeatures.Cim;

/// <summary>
/// Return codes of the Hyper-V provider's methods (reference/HYPERV-WMI.md §0.2: every
/// Msvm_VirtualSystemManagementService method and CopyFilesToGuest; libvirt's
/// <c>hypervReturnCodeToString</c> has the same list).
/// </summary>
public static class ReturnCodes
{
    public const uint Completed = 0;
    public const uint JobStarted = 4096;
    public const uint Failed = 32768;
    public const uint AccessDenied = 32769;
    public const uint NotSupported = 32770;
    public const uint StatusUnknown = 32771;
    public const uint Timeout = 32772;
    public const uint InvalidParameter = 32773;
    public const uint SystemInUse = 32774;
    public const uint InvalidState = 32775;
    public const uint IncorrectDataType = 32776;
    public const uint SystemNotAvailable = 32777;
    public const uint OutOfMemory = 32778;

    /// <summary>The documented meaning of <paramref name="code"/>, or "Unknown return code" for any other value.</summary>
    public static string Describe(uint code) => code switch
    {
        Completed => "Completed with No Error",
        JobStarted => "Method Parameters Checked - Job Started",
        Failed => "Failed",
        AccessDenied => "Access Denied",
        NotSupported => "Not Supported",
        StatusUnknown => "Status is unknown",
        Timeout => "Timeout",
        InvalidParameter => "Invalid parameter",
        SystemInUse => "System is in use",
        InvalidState => "Invalid state for this operation",
        IncorrectDataType => "Incorrect data type",
        SystemNotAvailable => "System is not available",
        OutOfMemory => "Out of memory",
        _ => "Unknown return code",
    };

    /// <summary>
    /// How a refusal with <paramref name="code"/> is reported (the cmdlet layer maps the kind to an
    /// ErrorCategory). Only the codes with an unambiguous category get their own kind; the rest,
    /// including 32772 Timeout (the provider's, not ours), are OperationFailed.
    /// </summary>
    public static FailureKind KindOf(uint code) => code switch
    {
        AccessDenied => FailureKind.AccessDenied,
        NotSupported => FailureKind.NotSupported,
        InvalidParameter => FailureKind.InvalidArgument,
        InvalidState => FailureKind.InvalidState,
        _ => FailureKind.OperationFailed,
    };
}

/// <summary>Where a job is, as far as a waiter is concerned.</summary>
public enum JobStateClass
{
    /// <summary>Not finished yet (or a state we don't know): keep polling until the timeout.</summary>
    Pending,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Finished without doing its work; read ErrorCode and ErrorDescription.</summary>
    Failed,
}

/// <summary>
/// <c>CIM_ConcreteJob.JobState</c> values (reference/HYPERV-WMI.md §0.3, MSDOC msvm-concretejob) and
/// how a waiter treats them.
/// </summary>
public static class JobStates
{
    public const ushort New = 2;
    public const ushort Starting = 3;
    public const ushort Running = 4;
    public const ushort Suspended = 5;
    public const ushort ShuttingDown = 6;
    public const ushort Completed = 7;
    public const ushort Terminated = 8;
    public const ushort Killed = 9;
    public const ushort Exception = 10;
    public const ushort Service = 11;

    /// <summary>
    /// Vendor value 32768, "CompletedWithWarnings". Several Hyper-V clients treat it as terminal
    /// success (§0.3, third-party enums). Unverified in Microsoft's documentation.
    /// </summary>
    public const ushort CompletedWithWarnings = 32768;

    /// <summary>
    /// 7 and 32768 succeed; 8, 9, 10 and 11 fail (as libvirt treats them); 2–6 and every other value
    /// mean "not finished", so an unknown state is polled until the timeout rather than guessed at.
    /// </summary>
    public static JobStateClass Classify(ushort state) => state switch
    {
        Completed or CompletedWithWarnings => JobStateClass.Succeeded,
        Terminated or Killed or Exception or Service => JobStateClass.Failed,
        _ => JobStateClass.Pending,
    };

    /// <summary>The state's name, e.g. "Running"; "Unknown (n)" for other values.</summary>
    public static string Describe(ushort state) => state switch
    {
        New => "New",
        Starting => "Starting",
        Running => "Running",
        Suspended => "Suspended",
        ShuttingDown => "Shutting Down",
        Completed => "Completed",
        Terminated => "Terminated",
        Killed => "Killed",
        Exception => "Exception",
        Service => "Service",
        CompletedWithWarnings => "Completed with warnings",
        _ => "Unknown (" + state.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
    };
}
