using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;
using Microsoft.Management.Infrastructure;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// A cmdlet that reaches Hyper-V hosts: the connection parameters (-ComputerName/-Credential or
/// -CimSession), and <see cref="RunOnHosts{T}"/>, which works on many hosts at once, bounded by
/// -ThrottleLimit, while every object, error and message is written from the pipeline thread in host
/// order. A failing host yields an error record and the others go on.
/// </summary>
public abstract class HostCmdletBase : GuestFeatureCmdletBase
{
    /// <summary>Hyper-V hosts to query (default: the local computer). localhost and . mean the local computer.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("CN", "PSComputerName")]
    [ValidateComputerName]
    public string[]? ComputerName { get; set; }

    /// <summary>Credentials for the remote hosts.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>CIM sessions to use as they are, instead of -ComputerName.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public CimSession[]? CimSession { get; set; }

    /// <summary>How many hosts are worked on at once (default 32).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>
    /// The hosts this input addresses: each -CimSession, or each -ComputerName (default local).
    /// Resolved on the pipeline thread, before any fan-out, so a name means one host for the whole call.
    /// </summary>
    protected IReadOnlyList<HostTarget> ResolveHosts()
    {
        // A ComputerName piped in with a Get-VM object is not a conflict: the sessions decide the host.
        if (CimSession is { Length: > 0 } && IsCommandLineParameter(nameof(ComputerName)))
        {
            ThrowFailure(GuestFeatureException.Create("ComputerNameAndCimSession", FailureKind.InvalidArgument, null));
        }

        if (CimSession is { Length: > 0 } sessions)
        {
            return sessions.Select(s => HostConnector.Resolve(null, null, s)).ToList();
        }

        var names = ComputerName is { Length: > 0 } given ? given : new[] { Environment.MachineName };
        return names.Select(n => HostConnector.Resolve(n, Credential, null)).ToList();
    }

    /// <summary>
    /// ShouldProcess for changing cmdlets, always called, so -WhatIf describes, -Verbose says
    /// "Performing the operation" and an explicit -Confirm asks. <paramref name="force"/> (as Debug-VM
    /// -Force) skips only the prompt a High ConfirmImpact raises by itself: ShouldProcess then runs with
    /// $ConfirmPreference None in the caller's scope, which an explicit -Confirm outranks, and the
    /// caller's variable is put back as it was (removed again when it was inherited).
    /// Call it on the pipeline thread, or from a worker through <see cref="HostContext.ShouldProcess"/>.
    /// </summary>
    internal bool Approve(string target, string action, bool force)
    {
        if (!force)
        {
            return ShouldProcess(target, action);
        }

        const string Local = "local:ConfirmPreference";
        var own = SessionState.PSVariable.Get(Local);
        var previous = own?.Value;
        SessionState.PSVariable.Set(Local, ConfirmImpact.None);
        try
        {
            return ShouldProcess(target, action);
        }
        finally
        {
            if (own is null)
            {
                SessionState.PSVariable.Remove(Local);
            }
            else
            {
                SessionState.PSVariable.Set(Local, previous);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for every host on worker threads (at most -ThrottleLimit at once)
    /// and writes what each produces, host by host in the given order, from the pipeline thread.
    /// </summary>
    protected void RunOnHosts<T>(IReadOnlyList<(HostTarget Host, T State)> work, Action<HostContext, T> action)
        => RunOnHosts(work, action, HostOutputOrder.HostByHost);

    /// <summary>
    /// Runs <paramref name="work"/> for every host on worker threads (at most -ThrottleLimit hosts at once, taken in
    /// the given order) and writes what each produces from the pipeline thread, in <paramref name="order"/>; each
    /// host's own output always keeps its order. CPU-bound output goes through <see cref="HostContext.OutputComputed"/>.
    /// </summary>
    protected void RunOnHosts<T>(IReadOnlyList<(HostTarget Host, T State)> work, Action<HostContext, T> action, HostOutputOrder order)
    {
        if (work.Count == 0)
        {
            return;
        }

        // Cancelled by Ctrl+C, and also when the pipeline thread stops writing early (-ErrorAction Stop,
        // a halted -Confirm prompt, Select-Object -First): the workers must then stop too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        using var run = new HostRun(work.Count, order, stop.Token);
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(ThrottleLimit, work.Count)).Select(_ => new Thread(() =>
        {
            int index;
            while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < work.Count)
            {
                var (host, state) = work[index];
                // The simulated hosts' work and this host's computed output queue for the CPU by host position.
                CpuGate.Priority = index;
                var context = new HostContext(host, index, run, stop.Token) { NameHostInErrors = work.Count > 1 };
                try
                {
                    try
                    {
                        action(context, state);
                    }
                    catch (GuestFeatureException failure)
                    {
                        context.Error(failure);
                    }
#pragma warning disable CA1031 // A bug on one host must still let the other hosts report; it becomes that host's error record.
                    catch (Exception unexpected) when (unexpected is not OperationCanceledException)
#pragma warning restore CA1031
                    {
                        context.Post(UnexpectedError(unexpected, host.ComputerName));
                    }
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or an early stop: the pipeline thread reports it.
                }
                finally
                {
                    context.Dispose();
                    context.Finish();
                }
            }
        })
        { IsBackground = true, Name = "HyperVGuestFeatures host worker" }).ToList();
        workers.ForEach(w => w.Start());

        try
        {
            run.Drain(this, CancellationToken);
        }
        finally
        {
            stop.Cancel();
            workers.ForEach(w => w.Join());
        }
    }

    internal static Action<HostCmdletBase> UnexpectedError(Exception unexpected, string computerName)
        => cmdlet => cmdlet.WriteError(new ErrorRecord(unexpected, "UnexpectedHostError", ErrorCategory.NotSpecified, computerName));
}

/// <summary>
/// What a worker thread may do for one host: use its client, and send objects, errors and messages
/// to the pipeline thread (cmdlet methods must not be called from other threads).
/// </summary>
public sealed class HostContext : IDisposable
{
    private readonly HostRun _run;
    private readonly int _index;
    private readonly HostTarget _host;
    private readonly object _sequenceSync = new();
    private int _sequence;
    private ICimClient? _client;
    private int _unreachableReported;

    internal HostContext(HostTarget host, int index, HostRun run, CancellationToken cancellationToken)
    {
        _host = host;
        _index = index;
        _run = run;
        CancellationToken = cancellationToken;
    }

    public string ComputerName => _host.ComputerName;

    public CancellationToken CancellationToken { get; }

    /// <summary>The host's client, connected on first use.</summary>
    public ICimClient Client => _client ??= _host.Connect();

    public void Output(object item) => Post(c => c.WriteObject(item));

    /// <summary>
    /// Output that takes computing: unit i's objects are <paramref name="compute"/>(i), worked out on the run's compute
    /// workers — at most one per processor for all hosts together, the earliest host first — and written in unit
    /// order, in their place among this host's other output. Returns when every unit is computed. A unit that throws
    /// becomes this host's error record and the other units go on.
    /// </summary>
    public void OutputComputed(int count, Func<int, IEnumerable<object>> compute)
    {
        int first;
        lock (_sequenceSync)
        {
            first = _sequence;
            _sequence += count;
        }

        _run.Compute(_index, first, count, i =>
        {
            var produced = compute(i);
            var items = produced as IReadOnlyList<object> ?? produced.ToList();
            return c =>
            {
                foreach (var item in items)
                {
                    c.WriteObject(item);
                }
            };
        }, e => e is GuestFeatureException failure ? RecordWriter(failure) : HostCmdletBase.UnexpectedError(e, ComputerName));
    }

    /// <summary>This host's messages, errors and ShouldProcess, for domain operations.</summary>
    public OperationReporter Reporter => new()
    {
        Verbose = Verbose,
        Warning = Warning,
        Error = Error,
        ShouldProcess = (target, action) => ShouldProcess(target, action),
    };

    /// <summary>True in a run over several hosts: every error record then names this host (message and target).</summary>
    internal bool NameHostInErrors { get; init; }

    /// <summary>
    /// Writes a failure of this host's work. A host that cannot be reached is reported once, however
    /// many VMs were being worked on when the connection went.
    /// </summary>
    public void Error(GuestFeatureException failure)
    {
        if (failure.Kind == FailureKind.HostUnreachable && Interlocked.Exchange(ref _unreachableReported, 1) == 1)
        {
            return;
        }

        Post(RecordWriter(failure));
    }

    public void Verbose(string message) => Post(c => c.WriteVerbose(message));

    public void Warning(string message) => Post(c => c.WriteWarning(message));

    public void Progress(ProgressRecord record) => Post(c => c.WriteProgress(record));

    /// <summary>
    /// Asks ShouldProcess (and the -Confirm prompt) on the pipeline thread and waits for the answer,
    /// so a worker can validate first and change only what the user approved.
    /// </summary>
    public bool ShouldProcess(string target, string action, bool force = false)
    {
        using var answered = new ManualResetEventSlim(false);
        var approved = false;
        Exception? failure = null;
        Post(c =>
        {
            try
            {
                approved = c.Approve(target, action, force);
            }
            catch (Exception e)
            {
                // A halted prompt stops the pipeline here and the waiting worker below.
                failure = e;
                throw;
            }
            finally
            {
                answered.Set();
            }
        });
        answered.Wait(CancellationToken);
        if (failure is not null)
        {
            throw new OperationCanceledException(failure.Message, failure);
        }

        return approved;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }

    /// <summary>Hands a write to the pipeline thread as this host's next item.</summary>
    internal void Post(Action<HostCmdletBase> write)
    {
        lock (_sequenceSync)
        {
            _run.Post(_index, _sequence++, write);
        }
    }

    /// <summary>Says that this host has nothing more to write (unless the run is stopping, when nobody reads it).</summary>
    internal void Finish()
    {
        lock (_sequenceSync)
        {
            try
            {
                _run.Finish(_index, _sequence);
            }
            catch (OperationCanceledException)
            {
                // The pipeline thread has stopped reading.
            }
        }
    }

    private Action<HostCmdletBase> RecordWriter(GuestFeatureException failure)
    {
        var record = ErrorRecords.From(failure, NameHostInErrors ? ComputerName : null);
        return c => c.WriteError(record);
    }
}
