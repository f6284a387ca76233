using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HyperVGuestFeatures.Cim;

/// <summary>How long and how often <see cref="JobWaiter"/> polls a provider job.</summary>
internal sealed class JobWaitOptions
{
    /// <summary>5 minutes; polls start at 50 ms and double up to 1 s.</summary>
    public static JobWaitOptions Default { get; } = new();

    /// <summary>
    /// How long to wait for a job before giving up with CimJobTimeout; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// waits until the job ends or the wait is cancelled. Default 5 minutes, libvirt's
    /// <c>HYPERV_JOB_TIMEOUT_MS</c> of 300 s (docs/provider-model.md "Jobs").
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The pause before the second poll; each later pause doubles, up to <see cref="MaxPollDelay"/>.
    /// Short KVP and NMI jobs finish in well under a second, so start small (docs/provider-model.md "Jobs").
    /// </summary>
    public TimeSpan InitialPollDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The longest pause between polls. Real clients poll every 100 ms (libvirt) to 1 s (Microsoft's
    /// samples), docs/provider-model.md "Jobs"; 1 s keeps a long file copy from costing more than one round trip a second.
    /// </summary>
    public TimeSpan MaxPollDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Turns a provider method's result into "done" or a <see cref="GuestFeatureException"/>: return
/// code 0 is done; 4096 means a job was started, which is polled with <see cref="ICimClient.GetInstance"/>
/// until it ends; any other code is a refusal (docs/provider-model.md "Methods" and "Jobs").
/// </summary>
internal sealed class JobWaiter
{
    private const string RequestStateChange = "RequestStateChange";
    private static readonly string[] JobParameters = { "Job", "ParentPools" };

    /// <summary>
    /// How long a cancelled wait spends asking the provider to terminate its job (both requests together):
    /// short, so Ctrl+C returns within a second even from a host that does not answer.
    /// </summary>
    internal static readonly TimeSpan TerminationTimeout = TimeSpan.FromMilliseconds(300);

    private readonly ICimClient _client;
    private readonly JobWaitOptions _options;
    private readonly IJobClock _clock;

    public JobWaiter(ICimClient client, JobWaitOptions? options = null)
        : this(client, options ?? JobWaitOptions.Default, SystemJobClock.Instance)
    {
    }

    /// <summary>The seam for tests: a clock whose delays return at once.</summary>
    internal JobWaiter(ICimClient client, JobWaitOptions options, IJobClock clock)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "The job timeout must be positive or infinite.");
        }

        if (options.InitialPollDelay <= TimeSpan.Zero || options.MaxPollDelay < options.InitialPollDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Poll delays must be positive, and the maximum no less than the initial delay.");
        }
    }

    /// <summary>
    /// Waits for the outcome of <paramref name="methodName"/> on <paramref name="target"/>.
    /// Returns the finished job (null when the method completed without one). Throws
    /// GuestFeatureException CimMethodFailed (refused; kind from <see cref="ReturnCodes.KindOf"/>),
    /// CimJobFailed (kind from the job's ErrorCode the same way, ProviderCode = that code), CimJobTimeout (Timeout),
    /// CimJobOutcomeUnknown (OutcomeUnknown) when the job could not be read to its end, or
    /// OperationCanceledException after asking the provider to terminate the job (its message says how that went).
    /// Both of the last two carry the job's InstanceID in Exception.Data["JobId"].
    /// </summary>
    /// <param name="methodName">The provider method, for messages (e.g. AddKvpItems).</param>
    /// <param name="target">What the method acted on, for messages and the error's target (e.g. the VM name).</param>
    /// <param name="result">What the method returned.</param>
    /// <param name="cancellationToken">Stops the wait (Ctrl+C); the job is then asked to terminate.</param>
    /// <param name="progress">Called with the job's PercentComplete whenever it changes, and with 100 at the end.</param>
    public CimObject? Wait(string methodName, string target, CimMethodResult result, CancellationToken cancellationToken, Action<int>? progress = null)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        switch (result.ReturnValue)
        {
            case ReturnCodes.Completed:
                return null;
            case ReturnCodes.JobStarted:
                var job = JobOf(result)
                    ?? throw GuestFeatureException.Create("CimJobReferenceMissing", FailureKind.OperationFailed, target, methodName, target);
                return Poll(methodName, target, job, progress, cancellationToken);
            default:
                var code = result.ReturnValue;
                throw new GuestFeatureException(
                    "CimMethodFailed",
                    ReturnCodes.KindOf(code),
                    target,
                    GuestFeatureException.Format("CimMethodFailed", methodName, target, code, ReturnCodes.Describe(code)))
                {
                    ProviderCode = code,
                };
        }
    }

    /// <summary>
    /// The job a method started: its <c>Job</c> out-parameter, else the first of <c>ParentPools</c>, where
    /// CopyFilesToGuest reports its Msvm_CopyFileToGuestJob on hosts before Windows 10 / Windows Server 2016
    /// (MSDOC copyfilestoguest-msvm-guestfileservice: Job "added in Windows 10", ParentPools "removed in
    /// Windows 10"). A reference may arrive as a path or, since the documentation types the Job parameter
    /// without REF, as an instance; an instance with its InstanceID key is as good (docs/provider-model.md
    /// "Could not confirm"). Null when the result names no job.
    /// </summary>
    public static CimInstancePath? JobOf(CimMethodResult result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        foreach (var name in JobParameters)
        {
            if (result.OutParameters.TryGetValue(name, out var value) && ReferenceOf(value) is { } path)
            {
                return path;
            }
        }

        return null;
    }

    private static CimInstancePath? ReferenceOf(object? value) => value switch
    {
        CimInstancePath path => path.IsClassPath ? null : path,
        CimObject instance => instance.GetString("InstanceID") is { Length: > 0 } id
            ? CimInstancePath.ForKey(instance.Namespace, instance.ClassName, "InstanceID", id)
            : null,
        System.Collections.IEnumerable items and not string => items.Cast<object?>().Select(ReferenceOf).FirstOrDefault(p => p is not null),
        _ => null,
    };

    private CimObject Poll(string methodName, string target, CimInstancePath jobPath, Action<int>? progress, CancellationToken cancellationToken)
    {
        var started = _clock.Elapsed;
        var delay = _options.InitialPollDelay;
        var lastPercent = -1;
        CimObject? last = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CimObject job;
                try
                {
                    job = _client.GetInstance(jobPath, cancellationToken);
                }
                catch (GuestFeatureException lost)
                {
                    // The provider accepted the change and started the job: from here on, "cannot reach
                    // the host" does not mean "nothing happened" (a retry could make the change twice).
                    throw OutcomeUnknown(methodName, target, jobPath, lost);
                }

                last = job;
                var state = job.GetUInt16("JobState") ?? 0;
                var percent = job.GetUInt16("PercentComplete");
                if (percent is { } p && p != lastPercent && p <= 100)
                {
                    lastPercent = p;
                    progress?.Invoke(p);
                }

                switch (JobStates.Classify(state, job.GetUInt16("ErrorCode")))
                {
                    case JobStateClass.Succeeded:
                        if (lastPercent != 100)
                        {
                            progress?.Invoke(100);
                        }

                        return job;
                    case JobStateClass.Failed:
                        throw JobFailed(methodName, target, job, state);
                }

                var waited = _clock.Elapsed - started;
                if (_options.Timeout != System.Threading.Timeout.InfiniteTimeSpan && waited >= _options.Timeout)
                {
                    // The job is left to the provider rather than terminated: it may still finish, and
                    // stopping it midway could leave the guest half-changed.
                    throw GuestFeatureException.Create("CimJobTimeout", FailureKind.Timeout, target, methodName, target, _options.Timeout);
                }

                var pause = delay;
                if (_options.Timeout != System.Threading.Timeout.InfiniteTimeSpan && _options.Timeout - waited < pause)
                {
                    pause = _options.Timeout - waited;
                }

                _clock.Delay(pause, cancellationToken);
                delay = delay + delay < _options.MaxPollDelay ? delay + delay : _options.MaxPollDelay;
            }
        }
        catch (OperationCanceledException stopped) when (cancellationToken.IsCancellationRequested)
        {
            var termination = TryCancel(jobPath, last);
            var interrupted = new OperationCanceledException(
                GuestFeatureException.Format("CimJobInterrupted", methodName, target, JobIdOf(jobPath), _client.ComputerName, termination),
                stopped,
                cancellationToken);
            interrupted.Data["JobId"] = JobIdOf(jobPath);
            throw interrupted;
        }
    }

    /// <summary>CimJobOutcomeUnknown: the job was started, then could not be read (how to look at it is its recommended action).</summary>
    private GuestFeatureException OutcomeUnknown(string methodName, string target, CimInstancePath jobPath, GuestFeatureException lost)
    {
        var id = JobIdOf(jobPath);
        var failure = new GuestFeatureException(
            "CimJobOutcomeUnknown",
            FailureKind.OutcomeUnknown,
            target,
            GuestFeatureException.Format("CimJobOutcomeUnknown", methodName, target, id, _client.ComputerName, lost.Message),
            lost)
        {
            RecommendedAction = GuestFeatureException.Format("CimJobOutcomeUnknownAction", _client.ComputerName.Replace("'", "''"), id, jobPath.ClassName),
        };
        failure.Data["JobId"] = id;
        return failure;
    }

    private static string JobIdOf(CimInstancePath jobPath)
        => jobPath.Keys.TryGetValue("InstanceID", out var id) && id is not null ? Convert.ToString(id, CultureInfo.InvariantCulture) ?? string.Empty : jobPath.ToString();

    private static GuestFeatureException JobFailed(string methodName, string target, CimObject job, ushort state)
    {
        var errorCode = job.GetUInt16("ErrorCode");
        var description = FirstText(job.GetString("ErrorDescription"), job.GetString("ErrorSummaryDescription"))
            ?? GuestFeatureException.Format("JobEndedInState", JobStates.Describe(state));
        // The job's ErrorCode uses the return-code values (docs/provider-model.md "Methods"): 32769 access denied is
        // PermissionDenied, 32775 invalid state InvalidOperation, and so on, as for a refused call.
        return new GuestFeatureException(
            "CimJobFailed",
            errorCode is { } code ? ReturnCodes.KindOf(code) : FailureKind.OperationFailed,
            target,
            GuestFeatureException.Format("CimJobFailed", methodName, target, errorCode ?? 0, description))
        {
            ProviderCode = errorCode,
        };
    }

    private static string? FirstText(params string?[] candidates)
    {
        foreach (var text in candidates)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                return text!.Trim();
            }
        }

        return null;
    }

    /// <summary>
    /// Best effort, as the caller is already being cancelled: a job the provider marks not Cancellable is left to
    /// finish (openstack os-win's jobutils checks Cancellable first); otherwise RequestStateChange(4 Terminate),
    /// the documented clean stop, and when the provider answers 1 (Not Supported), 5 (Kill), which os-win sends
    /// (MSDOC requeststatechange-msvm-concretejob; docs/provider-model.md "Jobs"). Both requests together get at most
    /// <see cref="TerminationTimeout"/>, so Ctrl+C returns at once from a host that no longer answers. A refusal
    /// changes nothing for the caller; the text returned (for the cancellation's message) says how it went.
    /// </summary>
    private string TryCancel(CimInstancePath jobPath, CimObject? lastSeen)
    {
        if (lastSeen?.GetBoolean("Cancellable") == false)
        {
            return GuestFeatureException.Format("CimJobNotCancellable");
        }

        // The requests run on a thread of their own, waited for with a plain timeout and then cancelled: the bound
        // holds even when no thread-pool thread is free to run a timer.
        var bound = new CancellationTokenSource();
        var request = Task.Factory.StartNew(() => RequestTermination(jobPath, bound.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!request.Wait(TerminationTimeout))
            {
                bound.Cancel();
                _ = request.ContinueWith(t => { _ = t.Exception; bound.Dispose(); }, TaskScheduler.Default);
                return GuestFeatureException.Format("CimJobTerminationFailed", GuestFeatureException.Format("CimJobTerminationNoAnswer", TerminationTimeout.TotalMilliseconds));
            }
        }
        catch (AggregateException failure)
        {
            bound.Dispose();
            var cause = failure.InnerException ?? failure;
            return GuestFeatureException.Format("CimJobTerminationFailed", cause is OperationCanceledException ? GuestFeatureException.Format("CimJobTerminationNoAnswer", TerminationTimeout.TotalMilliseconds) : cause.Message);
        }

        bound.Dispose();
        return request.Result;
    }

    /// <summary>Terminate, or Kill where Terminate is not supported; the text says what the provider answered.</summary>
    private string RequestTermination(CimInstancePath jobPath, CancellationToken cancellationToken)
    {
        var answer = RequestJobState(jobPath, JobRequests.Terminate, cancellationToken);
        if (answer == JobRequests.NotSupported)
        {
            answer = RequestJobState(jobPath, JobRequests.Kill, cancellationToken);
        }

        return answer is ReturnCodes.Completed or ReturnCodes.JobStarted
            ? GuestFeatureException.Format("CimJobTerminationRequested")
            : GuestFeatureException.Format("CimJobTerminationRefused", answer, ReturnCodes.Describe(answer));
    }

    private uint RequestJobState(CimInstancePath jobPath, ushort requestedState, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, object?> { ["RequestedState"] = requestedState };
        return _client.InvokeMethod(jobPath, RequestStateChange, parameters, cancellationToken).ReturnValue;
    }
}

/// <summary>Monotonic time and cancellable pauses, behind a seam so tests don't wait.</summary>
internal interface IJobClock
{
    /// <summary>Time since an arbitrary fixed start; only differences matter.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>Pauses for <paramref name="delay"/>; throws OperationCanceledException as soon as the token is cancelled.</summary>
    void Delay(TimeSpan delay, CancellationToken cancellationToken);
}

internal sealed class SystemJobClock : IJobClock
{
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    private SystemJobClock()
    {
    }

    public static SystemJobClock Instance { get; } = new();

    public TimeSpan Elapsed => _stopwatch.Elapsed;

    public void Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        // The token's wait handle wakes the pause on Ctrl+C; Thread.Sleep would not.
        if (cancellationToken.WaitHandle.WaitOne(delay))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
