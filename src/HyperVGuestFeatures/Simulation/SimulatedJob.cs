using System;
using System.Threading;
using System.Threading.Tasks;

namespace HyperVGuestFeatures.Simulation;

/// <summary>How a job ended when it did not succeed: the job's ErrorCode and ErrorDescription.</summary>
internal sealed class JobOutcome
{
    public JobOutcome(ushort errorCode, string description)
    {
        ErrorCode = errorCode;
        Description = description;
    }

    public ushort ErrorCode { get; }

    public string Description { get; }
}

/// <summary>
/// One Msvm_ConcreteJob (or Msvm_CopyFileToGuestJob) of the simulated provider (docs/provider-model.md "Jobs").
/// It is Running (4) until <see cref="DueUtc"/> and, when it has background <see cref="Work"/> (a copy reading
/// its source), until that work is done; the host then runs <see cref="Completion"/>, which applies the change and
/// returns null (Completed, 7) or a failure (Exception, 10). Cancelling it before then (RequestStateChange 4 or 5)
/// makes it Terminated (8) or Killed (9), stops the work, and nothing is applied.
/// </summary>
internal sealed class SimulatedJob
{
    public SimulatedJob(string className, string description, DateTime startUtc, TimeSpan duration, Func<JobOutcome?> completion)
    {
        Id = Guid.NewGuid().ToString("D").ToUpperInvariant();
        ClassName = className;
        Description = description;
        StartUtc = startUtc;
        _dueTicks = (startUtc + duration).Ticks;
        Completion = completion;
    }

    private long _dueTicks;

    public string Id { get; }

    public string ClassName { get; }

    public string Description { get; }

    public DateTime StartUtc { get; }

    /// <summary>When the job may end; work running off the host's lock may push it later (<see cref="PostponeTo"/>).</summary>
    public DateTime DueUtc => new(Interlocked.Read(ref _dueTicks), DateTimeKind.Utc);

    /// <summary>Work done off the host's lock (a copy's I/O); the job cannot end before it completes.</summary>
    public Task? Work { get; set; }

    /// <summary>Stops <see cref="Work"/> when the job is cancelled or the host stops.</summary>
    public CancellationTokenSource? WorkCancellation { get; set; }

    /// <summary>Releases what the work produced when the job ends without applying it (a copy's spool files).</summary>
    public Action? Discard { get; set; }

    /// <summary>How far the work is, 0 to 1, when it knows; PercentComplete follows it.</summary>
    public Func<double>? WorkProgress { get; set; }

    /// <summary>True when the job has no work or its work is done, so it may end at its due time.</summary>
    public bool IsWorkDone => Work is null || Work.IsCompleted;

    public Func<JobOutcome?> Completion { get; }

    public ushort State { get; set; } = ProviderConstants.JobRunning;

    public ushort ErrorCode { get; set; }

    public string? ErrorDescription { get; set; }

    public DateTime? EndUtc { get; set; }

    /// <summary>Assumption (docs/provider-model.md "Jobs" says only that RequestStateChange cancels a job): every simulated job is cancellable.</summary>
    public bool Cancellable { get; } = true;

    public bool IsRunning => State == ProviderConstants.JobRunning;

    /// <summary>Ends the job without doing its work (RequestStateChange Terminate or Kill, or the host going away).</summary>
    public void Stop(ushort state, DateTime now)
    {
        State = state;
        EndUtc = now;
        ErrorDescription = "The job was cancelled.";
        CancelWork();
        Discard?.Invoke();
    }

    /// <summary>Moves the due time later (never earlier); safe from any thread.</summary>
    public void PostponeTo(DateTime dueUtc)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _dueTicks);
            if (dueUtc.Ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _dueTicks, dueUtc.Ticks, current) != current);
    }

    public void CancelWork()
    {
        try
        {
            WorkCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The work finished and released it.
        }
    }
}
