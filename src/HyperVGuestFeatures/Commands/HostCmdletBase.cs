using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;
using Microsoft.Management.Infrastructure;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// A cmdlet that reaches Hyper-V hosts: the connection parameters (-ComputerName/-Credential or
/// -CimSession), and <see cref="RunOnHosts{T}"/>, which works on many hosts at once, bounded by
/// -ThrottleLimit, while every object, error and message is written from the pipeline thread in host
/// order. A failing host yields an error record and the others go on. Changing cmdlets go through
/// <see cref="RunChanges{T}"/>, the one step of look up -> validate -> ShouldProcess -> change -> read back.
/// </summary>
public abstract class HostCmdletBase : GuestFeatureCmdletBase
{
    private protected HostCmdletBase()
    {
    }

    /// <summary>
    /// After Ctrl+C, how long the pipeline thread waits for the host workers to stop (each stops at its next
    /// cancellable wait, and says what a change it stopped midway may have done) before it leaves the ones still
    /// in a call that does not answer behind: they are background threads.
    /// </summary>
    private static readonly TimeSpan WorkerStopTimeout = TimeSpan.FromMilliseconds(500);

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
    private protected IReadOnlyList<HostTarget> ResolveHosts()
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
    private protected void RunOnHosts<T>(IReadOnlyList<(HostTarget Host, T State)> work, Action<HostContext, T> action)
        => RunOnHosts(work, action, HostOutputOrder.HostByHost);

    /// <summary>
    /// Runs <paramref name="work"/> for every host on worker threads (at most -ThrottleLimit hosts at once, taken in
    /// the given order) and writes what each produces from the pipeline thread, in <paramref name="order"/>; each
    /// host's own output always keeps its order. CPU-bound output goes through <see cref="HostContext.OutputComputed"/>.
    /// </summary>
    private protected void RunOnHosts<T>(IReadOnlyList<(HostTarget Host, T State)> work, Action<HostContext, T> action, HostOutputOrder order)
    {
        if (work.Count == 0)
        {
            return;
        }

        // Host by host, each host writes first what it found and asked, then (HostContext.Approve) what it changed:
        // every host's first part is written, in host order, before any host's second part, so a changing command
        // asks about the next host while the hosts already asked make their changes (HostRun keeps the two parts).
        var interrupted = new ConcurrentQueue<string>();

        // Cancelled by Ctrl+C, and also when the pipeline thread stops writing early (-ErrorAction Stop,
        // a halted -Confirm prompt, Select-Object -First): the workers must then stop too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        var run = new HostRun(work.Count, order, stop.Token);
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(ThrottleLimit, work.Count)).Select(_ => new Thread(() =>
        {
            int index;
            while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < work.Count)
            {
                var (host, state) = work[index];
                // The simulated hosts' work and this host's computed output queue for the CPU by host position.
                CpuGate.Priority = index;
                var context = new HostContext(host, index, run, stop.Token) { NameHostInErrors = work.Count > 1, TracesProvider = TracesProvider };
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
                }
                catch (ChangeInterruptedException unfinished)
                {
                    // A change stopped midway: said once the pipeline thread stops waiting (it can no longer write records).
                    interrupted.Enqueue(unfinished.Message);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or an early stop: the pipeline thread reports it.
                }
#pragma warning disable CA1031 // A bug on one host must still let the other hosts report; it becomes that host's error record.
                catch (Exception unexpected)
#pragma warning restore CA1031
                {
                    try
                    {
                        context.Write(UnexpectedError(unexpected, host.ComputerName));
                    }
                    catch (OperationCanceledException)
                    {
                        // The pipeline thread has stopped reading.
                    }
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
            if (JoinWorkers(workers))
            {
                run.Dispose();
            }

            SayInterrupted(interrupted);
        }
    }

    internal static Action<HostCmdletBase> UnexpectedError(Exception unexpected, string computerName)
        => cmdlet => cmdlet.WriteError(new ErrorRecord(unexpected, "UnexpectedHostError", ErrorCategory.NotSpecified, computerName));

    /// <summary>
    /// The changing cmdlets' one step, for every host: <paramref name="plan"/> looks each host up, reads and
    /// validates it on its worker, all hosts at once; the changes planned are then asked on the pipeline thread
    /// (-WhatIf describes, -Confirm asks per VM, -Verbose says "Performing the operation"), host by host in
    /// order; the approved ones are made and read back on the host's worker while later hosts are still being
    /// asked. <paramref name="force"/> as in <see cref="Approve"/>.
    /// </summary>
    private protected void RunChanges<T>(IReadOnlyList<(HostTarget Host, T State)> work, Func<HostContext, T, ChangePlan> plan, bool force = false)
        => RunOnHosts(work, (host, state) =>
        {
            var planned = plan(host, state);
            planned.Apply(host.Approve(planned.Changes, force), host.Reporter, host.CancellationToken);
        });

    /// <summary>Waits for the workers, at most <see cref="WorkerStopTimeout"/> in all; true when every one has ended.</summary>
    private static bool JoinWorkers(List<Thread> workers)
    {
        var waited = Stopwatch.StartNew();
        var ended = true;
        foreach (var worker in workers)
        {
            var left = WorkerStopTimeout - waited.Elapsed;
            ended &= worker.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        return ended;
    }

    /// <summary>
    /// What changes stopped midway may have done, said through the host's UI: after Ctrl+C the pipeline can no
    /// longer write records, and leaving it unsaid would read as "nothing happened".
    /// </summary>
    private void SayInterrupted(ConcurrentQueue<string> interrupted)
    {
        while (interrupted.TryDequeue(out var message))
        {
            Host?.UI?.WriteWarningLine(message);
        }
    }
}

/// <summary>
/// What a worker thread may do for one host: use its client, and send objects, errors and messages
/// to the pipeline thread (cmdlet methods must not be called from other threads).
/// </summary>
internal sealed class HostContext : IDisposable
{
    private readonly HostRun _run;
    private readonly int _index;
    private readonly HostTarget _host;
    private readonly object _sequenceSync = new();
    private int _stream;
    private int _sequence;
    private ICimClient? _client;
    private int _unreachableReported;

    internal HostContext(HostTarget host, int index, HostRun run, CancellationToken cancellationToken)
    {
        _host = host;
        _index = index;
        _stream = run.FirstPartOf(index);
        _run = run;
        CancellationToken = cancellationToken;
    }

    public string ComputerName => _host.ComputerName;

    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// The host's client, connected on first use. With -Debug it says what goes to the provider, in this host's
    /// order among its other output (<see cref="Debug"/>).
    /// </summary>
    public ICimClient Client => _client ??= TracesProvider ? new TracingCimClient(_host.Connect(), Debug) : _host.Connect();

    /// <summary>True when the command's debug output is on: the client then traces its calls.</summary>
    internal bool TracesProvider { get; init; }

    public void Output(object item) => Write(c => c.WriteObject(item));

    /// <summary>
    /// Output that takes computing: unit i's objects are <paramref name="compute"/>(i), worked out on the run's compute
    /// workers — at most one per processor for all hosts together, the earliest host first — and written in unit
    /// order, in their place among this host's other output. Returns when every unit is computed. A unit that throws
    /// becomes this host's error record and the other units go on.
    /// </summary>
    public void OutputComputed(int count, Func<int, IEnumerable<object>> compute)
    {
        int stream;
        int first;
        lock (_sequenceSync)
        {
            stream = _stream;
            first = _sequence;
            _sequence += count;
        }

        _run.Compute(stream, _index, first, count, i =>
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

        Write(RecordWriter(failure));
    }

    public void Verbose(string message) => Write(c => c.WriteVerbose(message));

    /// <summary>A debug message (what went to the provider), written on the pipeline thread; any thread may call it.</summary>
    public void Debug(string message) => Write(c => c.WriteProviderDebug(message));

    public void Warning(string message) => Write(c => c.WriteWarning(message));

    public void Progress(ProgressRecord record) => Write(c => c.WriteProgress(record));

    /// <summary>
    /// Asks ShouldProcess (and the -Confirm prompt) on the pipeline thread and waits for the answer,
    /// so a worker can validate first and change only what the user approved.
    /// </summary>
    public bool ShouldProcess(string target, string action, bool force = false)
    {
        var approved = false;
        Ask(c => approved = c.Approve(target, action, force), endFirstPart: false);
        return approved;
    }

    /// <summary>
    /// Asks about every planned change, in order, on the pipeline thread (after what this host has written so
    /// far, and after every earlier host's questions) and returns the approved ones. What this host writes from
    /// then on comes after every host's questions, so later hosts are asked while this one makes its changes.
    /// </summary>
    internal IReadOnlyList<VmChange> Approve(IReadOnlyList<VmChange> changes, bool force)
    {
        var approved = new List<VmChange>();
        if (changes.Count == 0)
        {
            EndFirstPart();
            return approved;
        }

        Ask(c => approved.AddRange(changes.Where(change => c.Approve(change.Target, change.Action, force))), endFirstPart: true);
        return approved;
    }

    /// <summary>Sends something to be written (or done) on the pipeline thread, after what this host sent before.</summary>
    internal void Write(Action<HostCmdletBase> write)
    {
        lock (_sequenceSync)
        {
            _run.Post(_stream, _sequence++, write);
        }
    }

    /// <summary>Says that this host has nothing more to write (unless the run is stopping, when nobody reads it).</summary>
    internal void Finish()
    {
        lock (_sequenceSync)
        {
            try
            {
                _run.Finish(_stream, _sequence);
                if (_stream == _run.FirstPartOf(_index) && _run.LaterPartOf(_index) is { } later)
                {
                    _run.Finish(later, 0);
                }
            }
            catch (OperationCanceledException)
            {
                // The pipeline thread has stopped reading.
            }
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }

    /// <summary>Runs <paramref name="question"/> on the pipeline thread and waits until it has run.</summary>
    private void Ask(Action<HostCmdletBase> question, bool endFirstPart)
    {
        // Not an event to dispose: a wait cut short by Ctrl+C must not leave the pipeline thread setting a disposed one.
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? failure = null;
        Write(c =>
        {
            try
            {
                question(c);
            }
            catch (Exception e)
            {
                // A halted prompt stops the pipeline here and the waiting worker below.
                failure = e;
                throw;
            }
            finally
            {
                answered.TrySetResult(true);
            }
        });
        if (endFirstPart)
        {
            EndFirstPart();
        }

        answered.Task.Wait(CancellationToken);
        if (failure is not null)
        {
            throw new OperationCanceledException(failure.Message, failure);
        }
    }

    /// <summary>
    /// What this host writes from now on goes after every host's first part (see HostCmdletBase.RunOnHosts); as
    /// produced, there are no parts.
    /// </summary>
    private void EndFirstPart()
    {
        lock (_sequenceSync)
        {
            if (_stream == _run.FirstPartOf(_index) && _run.LaterPartOf(_index) is { } later)
            {
                _run.Finish(_stream, _sequence);
                _stream = later;
                _sequence = 0;
            }
        }
    }

    private Action<HostCmdletBase> RecordWriter(GuestFeatureException failure)
    {
        var record = ErrorRecords.From(failure, NameHostInErrors ? ComputerName : null);
        return c => c.WriteError(record);
    }
}
