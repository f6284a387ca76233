namespace HyperVGuestFeatures.Cim;

/// <summary>
/// Return codes of the Hyper-V provider's methods (docs/provider-model.md "Methods": every
/// Msvm_VirtualSystemManagementService method and CopyFilesToGuest; libvirt's
/// <c>hypervReturnCodeToString</c> has the same list).
/// </summary>
internal static class ReturnCodes
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

    /// <summary>
    /// 32779, "Not found": the code the KVP methods' jobs end with for a key that does not exist
    /// (containers/libhvee pkg/hypervctl/kvp.go <c>KvpNotFound</c>; not in Microsoft's lists, docs/provider-model.md).
    /// </summary>
    public const uint NotFound = 32779;

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
        NotFound => "Not found",
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
        NotFound => FailureKind.NotFound,
        _ => FailureKind.OperationFailed,
    };
}

/// <summary>
/// <c>Msvm_ConcreteJob.RequestStateChange</c>: the states a client may ask for and the codes it returns. These are
/// CIM_ConcreteJob's own numbers, not the 32768+ codes of the other methods (MSDOC requeststatechange-msvm-concretejob;
/// docs/provider-model.md "Jobs").
/// </summary>
internal static class JobRequests
{
    /// <summary>Stops the job cleanly, saving data and preserving the state.</summary>
    public const ushort Terminate = 4;

    /// <summary>Stops the job at once, without saving data (what openstack os-win's jobutils sends).</summary>
    public const ushort Kill = 5;

    public const uint Completed = 0;
    public const uint NotSupported = 1;
    public const uint UnknownError = 2;
    public const uint CannotCompleteInTime = 3;
    public const uint Failed = 4;
    public const uint InvalidParameter = 5;
    public const uint InUse = 6;
    public const uint TransitionStarted = 4096;
    public const uint InvalidStateTransition = 4097;
    public const uint TimeoutNotSupported = 4098;
    public const uint Busy = 4099;

    /// <summary>The documented meaning of a RequestStateChange return code.</summary>
    public static string Describe(uint code) => code switch
    {
        Completed => "Completed with No Error",
        NotSupported => "Not Supported",
        UnknownError => "Unknown/Unspecified Error",
        CannotCompleteInTime => "Cannot complete within Timeout Period",
        Failed => "Failed",
        InvalidParameter => "Invalid Parameter",
        InUse => "In Use",
        TransitionStarted => "Method Parameters Checked - Transition Started",
        InvalidStateTransition => "Invalid State Transition",
        TimeoutNotSupported => "Use of Timeout Parameter Not Supported",
        Busy => "Busy",
        _ => "Unknown return code",
    };
}

/// <summary>Where a job is, as far as a waiter is concerned.</summary>
internal enum JobStateClass
{
    /// <summary>Not finished yet (or a state we don't know): keep polling until the timeout.</summary>
    Pending,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Finished without doing its work; read ErrorCode and ErrorDescription.</summary>
    Failed,
}

/// <summary>
/// <c>CIM_ConcreteJob.JobState</c> values (docs/provider-model.md "Jobs", MSDOC msvm-concretejob) and
/// how a waiter treats them.
/// </summary>
internal static class JobStates
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
    /// success (docs/provider-model.md "Jobs", third-party enums). Unverified in Microsoft's documentation.
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

    /// <summary>
    /// A finished job's outcome from its state and its <c>ErrorCode</c>: a job that ends Completed (or with warnings)
    /// but carries a non-zero ErrorCode failed, as openstack os-win's jobutils (<c>job_state not in successful or
    /// err_code</c>) and containers/libhvee's wmiext/job.go (<c>ErrorCode != 0</c>) judge it.
    /// </summary>
    public static JobStateClass Classify(ushort state, ushort? errorCode)
    {
        var byState = Classify(state);
        return byState == JobStateClass.Succeeded && errorCode is { } code && code != 0 ? JobStateClass.Failed : byState;
    }

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
