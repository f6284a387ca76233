using System;

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
/// One Msvm_ConcreteJob (or Msvm_CopyFileToGuestJob) of the simulated provider (reference §0.3).
/// It is Running (4) until <see cref="DueUtc"/>; the host then runs <see cref="Completion"/>, which
/// applies the change and returns null (Completed, 7) or a failure (Exception, 10). Cancelling it
/// before then (RequestStateChange 4) makes it Terminated (8) and nothing is applied.
/// </summary>
internal sealed class SimulatedJob
{
    public SimulatedJob(string className, string description, DateTime startUtc, TimeSpan duration, Func<JobOutcome?> completion)
    {
        Id = Guid.NewGuid().ToString("D").ToUpperInvariant();
        ClassName = className;
        Description = description;
        StartUtc = startUtc;
        DueUtc = startUtc + duration;
        Completion = completion;
    }

    public string Id { get; }

    public string ClassName { get; }

    public string Description { get; }

    public DateTime StartUtc { get; }

    public DateTime DueUtc { get; }

    public Func<JobOutcome?> Completion { get; }

    public ushort State { get; set; } = ProviderConstants.JobRunning;

    public ushort ErrorCode { get; set; }

    public string? ErrorDescription { get; set; }

    public DateTime? EndUtc { get; set; }

    /// <summary>Assumption (reference §0.3 says only that RequestStateChange cancels a job): every simulated job is cancellable.</summary>
    public bool Cancellable { get; } = true;

    public bool IsRunning => State == ProviderConstants.JobRunning;

    /// <summary>Ends the job without doing its work (RequestStateChange Terminate or Kill, or the host going away).</summary>
    public void Stop(ushort state, DateTime now)
    {
        State = state;
        EndUtc = now;
        ErrorDescription = "The job was cancelled.";
    }
}
