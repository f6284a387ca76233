using HyperVGuestFeatures.Cim;
using static HyperVGuestFeatures.Tests.Cim.FakeJobProvider;

namespace HyperVGuestFeatures.Tests.Cim;

public class JobWaiterTests
{
    private const string Method = "AddKvpItems";
    private const string Vm = "ubuntu-web";

    private static readonly JobWaitOptions Fast = new()
    {
        Timeout = TimeSpan.FromSeconds(30),
        InitialPollDelay = TimeSpan.FromMilliseconds(50),
        MaxPollDelay = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public void Return_code_0_returns_without_polling()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running));
        var clock = new FakeClock();

        var job = new JobWaiter(provider, Fast, clock).Wait(Method, Vm, new CimMethodResult(ReturnCodes.Completed), CancellationToken.None);

        Assert.Null(job);
        Assert.Equal(0, provider.Polls);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public void Job_started_is_polled_until_completed()
    {
        var provider = new FakeJobProvider(Job(JobStates.Starting), Job(JobStates.Running), Job(JobStates.Completed));
        var clock = new FakeClock();

        var job = new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), CancellationToken.None);

        Assert.Equal(JobStates.Completed, job!.GetUInt16("JobState"));
        Assert.Equal(3, provider.Polls);
        Assert.Equal(2, clock.Delays.Count);
        Assert.Empty(provider.Invocations);
    }

    [Fact]
    public void Completed_with_warnings_ends_the_wait_as_success()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running), Job(JobStates.CompletedWithWarnings));

        var job = new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None);

        Assert.Equal(JobStates.CompletedWithWarnings, job!.GetUInt16("JobState"));
        Assert.Equal(2, provider.Polls);
    }

    [Fact]
    public void Unknown_states_keep_polling()
    {
        var provider = new FakeJobProvider(Job(12), Job(0), Job(JobStates.Suspended), Job(JobStates.Completed));

        new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None);

        Assert.Equal(4, provider.Polls);
    }

    [Fact]
    public void Failed_job_throws_CimJobFailed_with_the_job_error()
    {
        // docs/provider-model.md "File copy": a second copy of the same file without overwrite.
        var provider = new FakeJobProvider(Job(JobStates.Running), Job(JobStates.Exception, errorCode: 32768, description: "The file exists. (0x80070050)"));

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait("CopyFilesToGuest", Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Equal(FailureKind.OperationFailed, failure.Kind);
        Assert.Equal(32768u, failure.ProviderCode);
        Assert.Equal(Vm, failure.Target);
        Assert.Contains("The file exists. (0x80070050)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CopyFilesToGuest", failure.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Invocations);
    }

    [Theory]
    [InlineData(JobStates.Terminated, "Terminated")]
    [InlineData(JobStates.Killed, "Killed")]
    [InlineData(JobStates.Service, "Service")]
    public void Failed_job_without_description_names_its_state(ushort state, string name)
    {
        var provider = new FakeJobProvider(Job(state));

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReturnCodes.Failed, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.AccessDenied, FailureKind.AccessDenied)]
    [InlineData(ReturnCodes.NotSupported, FailureKind.NotSupported)]
    [InlineData(ReturnCodes.StatusUnknown, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.Timeout, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.InvalidParameter, FailureKind.InvalidArgument)]
    [InlineData(ReturnCodes.SystemInUse, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.InvalidState, FailureKind.InvalidState)]
    [InlineData(ReturnCodes.IncorrectDataType, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.SystemNotAvailable, FailureKind.OperationFailed)]
    [InlineData(ReturnCodes.OutOfMemory, FailureKind.OperationFailed)]
    [InlineData(1u, FailureKind.OperationFailed)]
    public void Other_return_codes_throw_CimMethodFailed(uint code, object kind)
    {
        var provider = new FakeJobProvider(Job(JobStates.Completed));

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, new CimMethodResult(code), CancellationToken.None));

        Assert.Equal("CimMethodFailed", failure.ErrorId);
        Assert.Equal((FailureKind)kind, failure.Kind);
        Assert.Equal(code, failure.ProviderCode);
        Assert.Equal(Vm, failure.Target);
        Assert.Contains(ReturnCodes.Describe(code), failure.Message, StringComparison.Ordinal);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, provider.Polls);
    }

    [Fact]
    public void A_completed_job_with_a_non_zero_error_code_is_a_failure()
    {
        // openstack os-win jobutils and containers/libhvee wmiext/job.go fail a job on ErrorCode != 0 whatever its state.
        var provider = new FakeJobProvider(Job(JobStates.Completed, 100, 32768, "Partly done"));

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Equal(32768u, failure.ProviderCode);
        Assert.Contains("Partly done", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_given_as_an_instance_with_its_InstanceID_is_polled_by_key()
    {
        // MSDOC types the Job out-parameter "CIM_ConcreteJob Job" without REF: an instance must work too.
        var asInstance = new CimObject("Msvm_ConcreteJob", new Dictionary<string, object?> { ["InstanceID"] = JobPath.Keys["InstanceID"], ["JobState"] = (ushort)4 });
        var provider = new FakeJobProvider(Job(JobStates.Completed));

        new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, new CimMethodResult(ReturnCodes.JobStarted, new Dictionary<string, object?> { ["Job"] = asInstance }), CancellationToken.None);

        Assert.Equal(1, provider.Polls);
    }

    [Fact]
    public void A_copy_on_WS2012R2_is_followed_through_ParentPools()
    {
        // MSDOC copyfilestoguest-msvm-guestfileservice: Job "added in Windows 10", ParentPools "removed in Windows 10".
        var provider = new FakeJobProvider(Job(JobStates.Completed));
        var result = new CimMethodResult(ReturnCodes.JobStarted, new Dictionary<string, object?> { ["Job"] = null, ["ParentPools"] = new[] { JobPath } });

        new JobWaiter(provider, Fast, new FakeClock()).Wait("CopyFilesToGuest", Vm, result, CancellationToken.None);

        Assert.Equal(1, provider.Polls);
        Assert.Equal(JobPath, JobWaiter.JobOf(result));
    }

    [Fact]
    public void Job_started_without_a_job_reference_is_an_error()
    {
        var failure = Assert.Throws<GuestFeatureException>(
            () => new JobWaiter(new FakeJobProvider(), Fast, new FakeClock()).Wait(Method, Vm, new CimMethodResult(ReturnCodes.JobStarted), CancellationToken.None));

        Assert.Equal("CimJobReferenceMissing", failure.ErrorId);
        Assert.Equal(FailureKind.OperationFailed, failure.Kind);
    }

    [Fact]
    public void A_job_that_never_ends_times_out_at_the_deadline_and_is_left_running()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running));
        var clock = new FakeClock();
        var options = new JobWaitOptions { Timeout = TimeSpan.FromSeconds(3), InitialPollDelay = TimeSpan.FromMilliseconds(50), MaxPollDelay = TimeSpan.FromSeconds(1) };

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, options, clock).Wait(Method, Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobTimeout", failure.ErrorId);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);      // the last pause is shortened to the deadline
        Assert.Contains("00:00:03", failure.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Invocations);
    }

    [Fact]
    public void Backoff_doubles_from_the_initial_delay_and_is_capped()
    {
        var snapshots = Enumerable.Repeat(Job(JobStates.Running), 9).Append(Job(JobStates.Completed)).ToArray();
        var clock = new FakeClock();

        new JobWaiter(new FakeJobProvider(snapshots), Fast, clock).Wait(Method, Vm, Started(), CancellationToken.None);

        Assert.Equal(new[] { 50, 100, 200, 400, 800, 1000, 1000, 1000, 1000 }, clock.Delays.Select(d => (int)d.TotalMilliseconds));
    }

    [Fact]
    public void Cancellation_during_a_pause_asks_the_provider_to_terminate_the_job()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running));
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = n => { if (n == 3) { cancellation.Cancel(); } } };

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));

        var call = Assert.Single(provider.Invocations);
        Assert.Equal(JobPath, call.Target);
        Assert.Equal("RequestStateChange", call.Method);
        Assert.Equal((ushort)4, call.Parameters["RequestedState"]);
        Assert.False(call.Token.IsCancellationRequested);
        Assert.True(call.Token.CanBeCanceled, "the terminate request is bounded, so a host that does not answer cannot hold Ctrl+C");
        Assert.Equal(3, provider.Polls);
    }

    [Fact]
    public void Cancellation_during_a_poll_terminates_the_job()
    {
        using var cancellation = new CancellationTokenSource();
        var provider = new FakeJobProvider(Job(JobStates.Running)) { OnPoll = n => { if (n == 2) { cancellation.Cancel(); } } };

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), cancellation.Token));

        Assert.Equal("RequestStateChange", Assert.Single(provider.Invocations).Method);
    }

    [Fact]
    public void Cancellation_before_the_first_poll_still_terminates_the_job()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), cancellation.Token));

        Assert.Equal(0, provider.Polls);
        Assert.Single(provider.Invocations);
    }

    [Fact]
    public void A_refused_terminate_request_does_not_hide_the_cancellation()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running))
        {
            InvokeFailure = new GuestFeatureException("HostUnreachable", FailureKind.HostUnreachable, "hv01", "gone"),
        };
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));
        Assert.Single(provider.Invocations);
    }

    [Fact]
    public void A_connection_lost_while_the_job_is_polled_is_an_unknown_outcome_naming_the_job()
    {
        // Issue 10 item 6: the provider accepted the change; "cannot connect" would say nothing happened.
        var lost = new GuestFeatureException("HostUnreachable", FailureKind.HostUnreachable, "hv01", "Cannot connect to Hyper-V host 'hv01'.");
        var provider = new FakeJobProvider(Job(JobStates.Running)) { PollFailure = (2, lost) };

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait("InjectNonMaskableInterrupt", Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobOutcomeUnknown", failure.ErrorId);
        Assert.Equal(FailureKind.OutcomeUnknown, failure.Kind);
        Assert.Equal(Vm, failure.Target);
        Assert.Same(lost, failure.InnerException);
        var id = (string)JobPath.Keys["InstanceID"]!;
        Assert.Equal(id, failure.Data["JobId"]);
        Assert.Contains(id, failure.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have been made", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot connect", failure.Message, StringComparison.Ordinal);
        Assert.Contains("InstanceID='" + id + "'", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("-ComputerName 'hv01'", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(provider.Invocations); // nothing was terminated: the wait did not stop, the connection did
    }

    [Fact]
    public void Any_failure_to_read_a_started_job_is_an_unknown_outcome()
    {
        var gone = new GuestFeatureException("CimInstanceNotFound", FailureKind.NotFound, "job", "not found");
        var provider = new FakeJobProvider(Job(JobStates.Running)) { PollFailure = (1, gone) };

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None));

        Assert.Equal("CimJobOutcomeUnknown", failure.ErrorId);
    }

    [Fact]
    public void A_cancelled_wait_says_which_job_was_asked_to_terminate()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running));
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };

        var stopped = Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));

        var id = (string)JobPath.Keys["InstanceID"]!;
        Assert.Equal(id, stopped.Data["JobId"]);
        Assert.Contains(id, stopped.Message, StringComparison.Ordinal);
        Assert.Contains("asked to terminate", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(cancellation.Token, stopped.CancellationToken);
    }

    [Fact]
    public void Terminating_the_job_of_a_host_that_does_not_answer_gives_up_within_the_bound()
    {
        // Issue 10 item 14: the terminate request used to wait with no cancellation at all.
        var provider = new FakeJobProvider(Job(JobStates.Running))
        {
            OnInvoke = token =>
            {
                token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                token.ThrowIfCancellationRequested();
            },
        };
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var stopped = Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));

        // Loose against a loaded machine (the bound is a timer); without a bound the request waits the host's 30 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        Assert.True(JobWaiter.TerminationTimeout <= TimeSpan.FromMilliseconds(500));
        Assert.Single(provider.Invocations);
        Assert.Contains("no answer within", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_termination_is_said_as_such()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running)) { RequestAnswer = _ => ReturnCodes.AccessDenied };
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };

        var stopped = Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));

        Assert.Contains("refused to terminate", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("32769", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_the_provider_says_cannot_be_cancelled_is_left_to_finish()
    {
        var provider = new FakeJobProvider(Job(JobStates.Running, cancellable: false));
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));
        Assert.Empty(provider.Invocations);
    }

    [Fact]
    public void When_terminate_is_not_supported_the_job_is_killed()
    {
        // MSDOC requeststatechange-msvm-concretejob: 1 = Not Supported; 5 = Kill, which openstack os-win sends.
        var provider = new FakeJobProvider(Job(JobStates.Running, cancellable: true)) { RequestAnswer = state => state == 4 ? 1u : 0u };
        using var cancellation = new CancellationTokenSource();
        var clock = new FakeClock { OnDelay = _ => cancellation.Cancel() };

        Assert.ThrowsAny<OperationCanceledException>(() => new JobWaiter(provider, Fast, clock).Wait(Method, Vm, Started(), cancellation.Token));
        Assert.Equal(new ushort[] { 4, 5 }, provider.Invocations.Select(i => (ushort)i.Parameters["RequestedState"]!));
    }

    [Fact]
    public void Progress_is_reported_when_it_changes_and_ends_at_100()
    {
        var provider = new FakeJobProvider(
            Job(JobStates.Running, percent: 10),
            Job(JobStates.Running, percent: 10),
            Job(JobStates.Running, percent: 55),
            Job(JobStates.Running),
            Job(JobStates.Completed, percent: 100));
        var reported = new List<int>();

        new JobWaiter(provider, Fast, new FakeClock()).Wait(Method, Vm, Started(), CancellationToken.None, reported.Add);

        Assert.Equal(new[] { 10, 55, 100 }, reported);
    }

    [Fact]
    public void Progress_reaches_100_when_the_provider_reports_no_percentage()
    {
        var reported = new List<int>();

        new JobWaiter(new FakeJobProvider(Job(JobStates.Running), Job(JobStates.Completed)), Fast, new FakeClock())
            .Wait(Method, Vm, Started(), CancellationToken.None, reported.Add);

        Assert.Equal(new[] { 100 }, reported);
    }

    [Fact]
    public void Default_options_wait_five_minutes_polling_50ms_to_1s()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), JobWaitOptions.Default.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), JobWaitOptions.Default.InitialPollDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), JobWaitOptions.Default.MaxPollDelay);
    }

    [Fact]
    public void An_infinite_timeout_waits_until_the_job_ends()
    {
        var snapshots = Enumerable.Repeat(Job(JobStates.Running), 400).Append(Job(JobStates.Completed)).ToArray();
        var options = new JobWaitOptions { Timeout = Timeout.InfiniteTimeSpan };
        var clock = new FakeClock();

        new JobWaiter(new FakeJobProvider(snapshots), options, clock).Wait(Method, Vm, Started(), CancellationToken.None);

        Assert.True(clock.Elapsed > TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(0, 50, 1000)]
    [InlineData(-1000, 50, 1000)]
    [InlineData(1000, 0, 1000)]
    [InlineData(1000, 500, 100)]
    public void Invalid_options_are_refused(int timeoutMs, int initialMs, int maxMs)
    {
        var options = new JobWaitOptions
        {
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
            InitialPollDelay = TimeSpan.FromMilliseconds(initialMs),
            MaxPollDelay = TimeSpan.FromMilliseconds(maxMs),
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new JobWaiter(new FakeJobProvider(), options));
    }

    [Fact]
    public void The_real_clock_wakes_from_a_pause_as_soon_as_the_token_is_cancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => SystemJobClock.Instance.Delay(TimeSpan.FromSeconds(30), cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the pause did not end on cancellation");
    }
}
