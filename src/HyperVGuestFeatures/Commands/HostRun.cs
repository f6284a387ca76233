using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;

namespace HyperVGuestFeatures.Commands;

/// <summary>How <see cref="HostCmdletBase"/>'s RunOnHosts orders what several hosts produce.</summary>
internal enum HostOutputOrder
{
    /// <summary>
    /// Host by host, in the order the hosts were given: nothing of a host is written before every earlier host is done.
    /// A host that asks about its changes (HostContext.Approve) splits its output in two: what it found and asked comes
    /// in the first round over the hosts, what it changed in a second round, so later hosts are asked while earlier
    /// ones make their changes.
    /// </summary>
    HostByHost,

    /// <summary>
    /// As produced: each host's output keeps its own order, and the hosts interleave between units of output (for
    /// Get-GuestFeature, between VMs: one VM's rows always stay together). The first rows come as soon as one host has
    /// them; the earliest hosts are served first, so hosts still come out roughly in the order given.
    /// </summary>
    AsProduced,
}

/// <summary>
/// The writing and computing side of one RunOnHosts call. Everything a host produces (objects, errors, messages,
/// prompts) is numbered in the host's own order and posted here from any thread; the pipeline thread
/// (<see cref="Drain"/>) writes each host's items in that order, host by host or as they come
/// (<see cref="HostOutputOrder"/>). CPU-bound output (<see cref="Compute"/>) is worked out by at most one worker per
/// processor, whatever the number of hosts, each unit in a <see cref="CpuGate"/> slot at its host's priority, so the
/// earliest host's units go first and one host's units may be worked on by every worker at once.
/// </summary>
internal sealed class HostRun : IDisposable
{
    // Plenty for output to flow; a pipeline that stops reading (a slow consumer) holds the producers back at this point.
    private const int PostedCapacity = 4096;

    // Units a worker computes in one turn of a processor slot: fewer hand-overs, and a more urgent host waits at most
    // this many units (a few VMs) for its turn.
    private const int UnitsPerTurn = 4;

    private readonly Queue<Posted> _posted = new();
    private readonly object _postedSync = new();
    private readonly CancellationTokenRegistration _stopWakes;
    private bool _takerWaiting;
    private int _postersWaiting;
    private readonly HostOutputOrder _order;
    private readonly int _hostCount;
    private readonly CancellationToken _stop;
    private readonly int[] _next;
    private readonly int[] _total;
    private readonly bool[] _done;
    private readonly Dictionary<int, Action<HostCmdletBase>>?[] _early;

    private readonly object _laneSync = new();
    private readonly SortedSet<Batch> _ready = new(BatchOrder.Instance);
    private readonly List<Thread> _workers = new();
    private bool _stopping;

    public HostRun(int hostCount, HostOutputOrder order, CancellationToken stop)
    {
        _order = order;
        _stop = stop;
        _hostCount = hostCount;
        // Host by host, each host has two parts (what it found and asked, then what it changed), written as all the
        // hosts' first parts in host order, then all their second parts: one stream per part.
        var streams = order == HostOutputOrder.HostByHost ? 2 * hostCount : hostCount;
        _next = new int[streams];
        _total = Enumerable.Repeat(-1, streams).ToArray();
        _done = new bool[streams];
        _early = new Dictionary<int, Action<HostCmdletBase>>?[streams];
        // A stop wakes whoever waits: the pipeline thread, producers held back, and idle compute workers, which end.
        _stopWakes = stop.Register(() =>
        {
            PulsePosted();
            StopWorkers();
        });
    }

    /// <summary>The stream a host writes to first.</summary>
#pragma warning disable CA1822 // An instance member beside LaterPartOf: the streams are the run's business.
    public int FirstPartOf(int host) => host;
#pragma warning restore CA1822

    /// <summary>The stream of a host's second part (host by host), written after every host's first part; null as produced.</summary>
    public int? LaterPartOf(int host) => _order == HostOutputOrder.HostByHost ? _hostCount + host : null;

    /// <summary>How many compute workers this run has started (never more than the processors).</summary>
    public int WorkerCount
    {
        get
        {
            lock (_laneSync)
            {
                return _workers.Count;
            }
        }
    }

    /// <summary>Hands item number <paramref name="sequence"/> of a stream to the pipeline thread; blocks while the pipeline is far behind.</summary>
    public void Post(int stream, int sequence, Action<HostCmdletBase> write) => Add(new Posted(stream, sequence, write));

    /// <summary>Says that the stream holds <paramref name="total"/> items in all.</summary>
    public void Finish(int stream, int total) => Add(new Posted(stream, total, null));

    /// <summary>
    /// On the pipeline thread: writes every stream's items in order until every stream has finished. Stops with
    /// OperationCanceledException on <paramref name="cancellationToken"/> (Ctrl+C), and with whatever a write throws.
    /// </summary>
    public void Drain(HostCmdletBase cmdlet, CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(PulsePosted);
        var current = 0;
        var unfinished = _next.Length;
        while (unfinished > 0)
        {
            var item = Take(cancellationToken);
            var stream = item.Stream;
            var writable = _order == HostOutputOrder.AsProduced || stream == current;
            if (item.Write is null)
            {
                _total[stream] = item.Sequence;
            }
            else if (writable && item.Sequence == _next[stream])
            {
                _next[stream]++;
                item.Write(cmdlet);
            }
            else
            {
                (_early[stream] ??= new Dictionary<int, Action<HostCmdletBase>>())[item.Sequence] = item.Write;
            }

            if (writable)
            {
                unfinished -= WriteReady(cmdlet, stream);
            }

            // Host by host: once the current stream is done, the next one's items that came early are written.
            while (_order == HostOutputOrder.HostByHost && current < _next.Length && _done[current])
            {
                current++;
                if (current < _next.Length)
                {
                    unfinished -= WriteReady(cmdlet, current);
                }
            }
        }
    }

    /// <summary>
    /// Works out <paramref name="count"/> units of the host's output on the compute workers and posts unit i as the
    /// host's item <paramref name="firstSequence"/> + i; returns when every unit is posted. A unit that throws posts
    /// what <paramref name="failed"/> makes of the exception instead, and the other units go on.
    /// </summary>
    public void Compute(int stream, long priority, int firstSequence, int count, Func<int, Action<HostCmdletBase>> unit, Func<Exception, Action<HostCmdletBase>> failed)
    {
        if (count <= 0)
        {
            return;
        }

        var batch = new Batch(stream, priority, firstSequence, count, unit, failed);
        lock (_laneSync)
        {
            _ready.Add(batch);
            var waiting = _ready.Sum(b => b.Count - b.Next);
            while (_workers.Count < Math.Min(Environment.ProcessorCount, waiting))
            {
                var worker = new Thread(Work) { IsBackground = true, Name = "HyperVGuestFeatures compute worker" };
                _workers.Add(worker);
                worker.Start();
            }

            Monitor.PulseAll(_laneSync);
        }

        batch.Done.Wait(_stop);
        batch.Dispose(); // every unit is posted: no worker holds it any more
    }

    /// <summary>Stops the compute workers (their unfinished units are dropped) and waits for them.</summary>
    public void Dispose()
    {
        StopWorkers();
        List<Thread> workers;
        lock (_laneSync)
        {
            workers = _workers.ToList();
        }

        workers.ForEach(w => w.Join());
        _stopWakes.Dispose();
    }

    private void StopWorkers()
    {
        lock (_laneSync)
        {
            _stopping = true;
            Monitor.PulseAll(_laneSync);
        }
    }

    // The hand-over between the producing threads and the pipeline thread. Waits block at once, without spinning:
    // on a machine with few processors a spinning pipeline thread would take one from the workers it waits for.
    private void Add(Posted item)
    {
        lock (_postedSync)
        {
            while (_posted.Count >= PostedCapacity)
            {
                _stop.ThrowIfCancellationRequested();
                _postersWaiting++;
                try
                {
                    Monitor.Wait(_postedSync);
                }
                finally
                {
                    _postersWaiting--;
                }
            }

            _stop.ThrowIfCancellationRequested();
            _posted.Enqueue(item);
            if (_takerWaiting)
            {
                Monitor.PulseAll(_postedSync);
            }
        }
    }

    private Posted Take(CancellationToken cancellationToken)
    {
        lock (_postedSync)
        {
            while (_posted.Count == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _takerWaiting = true;
                try
                {
                    Monitor.Wait(_postedSync);
                }
                finally
                {
                    _takerWaiting = false;
                }
            }

            var item = _posted.Dequeue();
            if (_postersWaiting > 0)
            {
                Monitor.PulseAll(_postedSync);
            }

            return item;
        }
    }

    private void PulsePosted()
    {
        lock (_postedSync)
        {
            Monitor.PulseAll(_postedSync);
        }
    }

    /// <summary>Writes the stream's items that are next in line; 1 when that finished the stream, else 0.</summary>
    private int WriteReady(HostCmdletBase cmdlet, int stream)
    {
        var early = _early[stream];
        while (early is not null && early.TryGetValue(_next[stream], out var write))
        {
            early.Remove(_next[stream]++);
            write(cmdlet);
        }

        if (!_done[stream] && _total[stream] >= 0 && _next[stream] == _total[stream])
        {
            _done[stream] = true;
            _early[stream] = null;
            return 1;
        }

        return 0;
    }

    private void Work()
    {
        var writes = new Action<HostCmdletBase>[UnitsPerTurn];
        while (true)
        {
            Batch batch;
            int first;
            int taken;
            lock (_laneSync)
            {
                while (_ready.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_laneSync);
                }

                if (_stopping)
                {
                    return;
                }

                batch = _ready.Min!;
                first = batch.Next;
                taken = Math.Min(UnitsPerTurn, batch.Count - first);
                batch.Next += taken;
                if (batch.Next == batch.Count)
                {
                    _ready.Remove(batch);
                }
            }

            try
            {
                using (CpuGate.Shared.Enter(batch.Priority, _stop))
                {
                    for (var i = 0; i < taken; i++)
                    {
                        writes[i] = batch.Run(first + i);
                    }
                }

                for (var i = 0; i < taken; i++)
                {
                    Post(batch.Stream, batch.FirstSequence + first + i, writes[i]);
                    writes[i] = null!;
                }
            }
            catch (OperationCanceledException)
            {
                return; // the run is stopping
            }

            batch.Completed(taken);
        }
    }

    private readonly struct Posted
    {
        public Posted(int stream, int sequence, Action<HostCmdletBase>? write)
        {
            Stream = stream;
            Sequence = sequence;
            Write = write;
        }

        public int Stream { get; }

        /// <summary>The item's number in the stream's order; for the finishing mark, the number of items.</summary>
        public int Sequence { get; }

        /// <summary>Null for the mark that the stream has finished.</summary>
        public Action<HostCmdletBase>? Write { get; }
    }

    /// <summary>One Compute call: its units, which is next, and when all are done.</summary>
    private sealed class Batch : IDisposable
    {
        private readonly Func<int, Action<HostCmdletBase>> _unit;
        private readonly Func<Exception, Action<HostCmdletBase>> _failed;
        private int _completed;

        public Batch(int stream, long priority, int firstSequence, int count, Func<int, Action<HostCmdletBase>> unit, Func<Exception, Action<HostCmdletBase>> failed)
        {
            Stream = stream;
            Priority = priority;
            FirstSequence = firstSequence;
            Count = count;
            _unit = unit;
            _failed = failed;
        }

        public int Stream { get; }

        /// <summary>The host's position: the earliest host's units go first.</summary>
        public long Priority { get; }

        public int FirstSequence { get; }

        public int Count { get; }

        /// <summary>The next unit to hand out (under the lane's lock).</summary>
        public int Next { get; set; }

        /// <summary>Set when every unit is posted; waited on without spinning (the waiting host thread needs no processor).</summary>
        public ManualResetEventSlim Done { get; } = new(false, 0);

        public Action<HostCmdletBase> Run(int index)
        {
            try
            {
                return _unit(index);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
#pragma warning disable CA1031 // A unit that fails (a bug judging one VM) becomes an error record; the other units go on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return _failed(e);
            }
        }

        public void Completed(int units)
        {
            if (Interlocked.Add(ref _completed, units) == Count)
            {
                Done.Set();
            }
        }

        public void Dispose() => Done.Dispose();
    }

    /// <summary>The earliest host first; a host's batches in the order they were made.</summary>
    private sealed class BatchOrder : IComparer<Batch>
    {
        public static readonly BatchOrder Instance = new();

        public int Compare(Batch? x, Batch? y)
        {
            var byPriority = x!.Priority.CompareTo(y!.Priority);
            var byStream = x.Stream.CompareTo(y.Stream);
            return byPriority != 0 ? byPriority : byStream != 0 ? byStream : x.FirstSequence.CompareTo(y.FirstSequence);
        }
    }
}
