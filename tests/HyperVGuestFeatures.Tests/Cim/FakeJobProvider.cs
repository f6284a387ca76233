using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>
/// A provider with one job: each GetInstance of the job returns the next scripted snapshot (the last
/// one repeats). Records every poll and method call.
/// </summary>
internal sealed class FakeJobProvider : ICimClient
{
    public static readonly CimInstancePath JobPath
        = CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_ConcreteJob", "InstanceID", "5B3C4A1E-0000-4000-8000-000000000001");

    private readonly List<CimObject> _snapshots;

    public FakeJobProvider(params CimObject[] snapshots)
    {
        _snapshots = snapshots.ToList();
    }

    public string ComputerName => "hv01";

    public int Polls { get; private set; }

    /// <summary>Runs before each poll returns, with the poll's number (1-based).</summary>
    public Action<int>? OnPoll { get; set; }

    /// <summary>What RequestStateChange returns for a requested state (default 0).</summary>
    public Func<ushort, uint>? RequestAnswer { get; set; }

    /// <summary>Thrown by InvokeMethod instead of answering, when set.</summary>
    public Exception? InvokeFailure { get; set; }

    /// <summary>Thrown by the poll of this number (1-based) instead of answering, when set: a connection lost mid-wait.</summary>
    public (int Poll, Exception Failure)? PollFailure { get; set; }

    /// <summary>Runs when InvokeMethod is called, before it answers, with the call's token (e.g. a host that does not answer).</summary>
    public Action<CancellationToken>? OnInvoke { get; set; }

    public List<(CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters, CancellationToken Token)> Invocations { get; } = new();

    public static CimObject Job(ushort state, ushort? percent = null, ushort? errorCode = null, string? description = null, bool? cancellable = null)
    {
        var properties = new Dictionary<string, object?>
        {
            ["InstanceID"] = JobPath.Keys["InstanceID"],
            ["JobState"] = state,
            ["PercentComplete"] = percent,
            ["ErrorCode"] = errorCode,
            ["ErrorDescription"] = description,
            ["Cancellable"] = cancellable,
        };
        return new CimObject("Msvm_ConcreteJob", properties, new[] { "InstanceID" });
    }

    public static CimMethodResult Started() => new(ReturnCodes.JobStarted, new Dictionary<string, object?> { ["Job"] = JobPath });

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
    {
        Assert.Equal(JobPath, path);
        cancellationToken.ThrowIfCancellationRequested();
        Polls++;
        OnPoll?.Invoke(Polls);
        if (PollFailure is { } failure && failure.Poll == Polls)
        {
            throw failure.Failure;
        }

        return _snapshots[Math.Min(Polls, _snapshots.Count) - 1];
    }

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        Invocations.Add((target, methodName, parameters, cancellationToken));
        OnInvoke?.Invoke(cancellationToken);
        if (InvokeFailure is { } failure)
        {
            throw failure;
        }

        return new CimMethodResult(RequestAnswer?.Invoke(Convert.ToUInt16(parameters["RequestedState"], System.Globalization.CultureInfo.InvariantCulture)) ?? ReturnCodes.Completed);
    }

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}

/// <summary>A clock whose delays return at once, advancing its time by the delay.</summary>
internal sealed class FakeClock : IJobClock
{
    public TimeSpan Elapsed { get; private set; }

    public List<TimeSpan> Delays { get; } = new();

    /// <summary>Runs during each delay (e.g. to cancel, as Ctrl+C would), with the delay's number (1-based).</summary>
    public Action<int>? OnDelay { get; set; }

    public void Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        Delays.Add(delay);
        OnDelay?.Invoke(Delays.Count);
        cancellationToken.ThrowIfCancellationRequested();
        Elapsed += delay;
    }
}
