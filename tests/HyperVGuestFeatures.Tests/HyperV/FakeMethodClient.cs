using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>
/// A <see cref="FakeCimClient"/> that also takes method calls: each call is recorded and answered by
/// <see cref="Answer"/>; a job it starts is read back by GetInstance from <see cref="Jobs"/>.
/// </summary>
internal sealed class FakeMethodClient : ICimClient
{
    private int _jobNumber;

    public FakeCimClient Store { get; } = new();

    public string ComputerName => Store.ComputerName;

    public List<(CimInstancePath Target, string Method, IReadOnlyDictionary<string, object?> Parameters)> Calls { get; } = new();

    /// <summary>The job each started job id resolves to.</summary>
    public Dictionary<string, CimObject> Jobs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How a call is answered; by default every call starts a job that has completed.</summary>
    public Func<CimInstancePath, string, IReadOnlyDictionary<string, object?>, CimMethodResult>? Answer { get; set; }

    /// <summary>Starts a job whose every poll returns the given state.</summary>
    public CimMethodResult StartJob(ushort state, ushort? errorCode = null, string? description = null, ushort? percent = null)
    {
        var id = "JOB-" + Interlocked.Increment(ref _jobNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Jobs[id] = new CimObject(
            "Msvm_ConcreteJob",
            new Dictionary<string, object?>
            {
                ["InstanceID"] = id,
                ["JobState"] = state,
                ["ErrorCode"] = errorCode,
                ["ErrorDescription"] = description,
                ["PercentComplete"] = percent,
            },
            new[] { "InstanceID" });
        return new CimMethodResult(ReturnCodes.JobStarted, new Dictionary<string, object?>
        {
            ["Job"] = CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_ConcreteJob", "InstanceID", id),
        });
    }

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken)
        => Store.Query(namespaceName, wql, cancellationToken);

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
    {
        if (path.ClassName == "Msvm_ConcreteJob" && path.Keys.TryGetValue("InstanceID", out var id) && Jobs.TryGetValue((string)id!, out var job))
        {
            return job;
        }

        return Store.GetInstance(path, cancellationToken);
    }

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
        => throw new NotSupportedException();

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        Calls.Add((target, methodName, parameters));
        return Answer is { } answer ? answer(target, methodName, parameters) : StartJob(JobStates.Completed, percent: 100);
    }

    public void Dispose()
    {
    }
}
