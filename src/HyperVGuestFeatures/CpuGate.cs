using System;
using System.Collections.Generic;
using System.Threading;

namespace HyperVGuestFeatures;

/// <summary>
/// Lets at most one thread per processor do the module's CPU-bound work at once — judging report rows, and the
/// simulated providers' query evaluation and projection — however many threads wait on hosts. Among the threads that
/// wait for a slot the most urgent goes first: the lowest <see cref="Priority"/>, then the one that came first. A
/// report over many hosts gives each host its position as priority, so the first host's work is never queued behind
/// the other hosts' and its rows come out first. Waiting on a host (I/O) is never done holding a slot.
/// </summary>
internal sealed class CpuGate
{
    private static readonly AsyncLocal<long?> AmbientPriority = new();

    // Slots this thread holds: 1 for the one it entered, more for nested entries that reuse it.
    [ThreadStatic]
    private static int t_held;

    private readonly object _sync = new();
    private readonly SortedSet<Waiter> _waiting = new(WaiterOrder.Instance);
    private int _free;
    private long _tickets;

    internal CpuGate(int slots)
    {
        if (slots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(slots));
        }

        Slots = slots;
        _free = slots;
    }

    /// <summary>The process's gate: one slot per processor.</summary>
    public static CpuGate Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>
    /// The urgency of the work on this thread (and the tasks it starts): lower is more urgent; null, the default,
    /// comes after every number.
    /// </summary>
    public static long? Priority
    {
        get => AmbientPriority.Value;
        set => AmbientPriority.Value = value;
    }

    public int Slots { get; }

    /// <summary>How many threads hold a slot now.</summary>
    public int Busy
    {
        get
        {
            lock (_sync)
            {
                return Slots - _free;
            }
        }
    }

    /// <summary>Waits for a slot at the thread's <see cref="Priority"/>; dispose the result to give it back.</summary>
    public Slot Enter(CancellationToken cancellationToken) => Enter(Priority ?? long.MaxValue, cancellationToken);

    /// <summary>Waits for a slot at <paramref name="priority"/>; dispose the result to give it back.</summary>
    public Slot Enter(long priority, CancellationToken cancellationToken)
    {
        // A thread that holds a slot already (work that calls a simulated host) goes on in the slot it has.
        if (t_held > 0)
        {
            t_held++;
            return new Slot(null);
        }

        Waiter waiter;
        lock (_sync)
        {
            // A free slot means nobody waits: the slot leaving a holder goes straight to the first waiter.
            if (_free > 0)
            {
                _free--;
                t_held = 1;
                return new Slot(this);
            }

            waiter = new Waiter(priority, _tickets++);
            _waiting.Add(waiter);
        }

        try
        {
            waiter.Granted.Wait(cancellationToken);
            t_held = 1;
            return new Slot(this);
        }
        catch (OperationCanceledException)
        {
            lock (_sync)
            {
                if (!_waiting.Remove(waiter))
                {
                    // Granted while the wait was being cancelled: pass the slot on.
                    Exit();
                }
            }

            throw;
        }
        finally
        {
            waiter.Granted.Dispose();
        }
    }

    private void Exit()
    {
        lock (_sync)
        {
            if (_waiting.Count > 0)
            {
                var next = _waiting.Min!;
                _waiting.Remove(next);
                next.Granted.Set();
            }
            else
            {
                _free++;
            }
        }
    }

    /// <summary>A held slot; disposing it (on the thread that entered) gives the slot to the most urgent waiter.</summary>
    public readonly struct Slot : IDisposable
    {
        private readonly CpuGate? _gate;

        internal Slot(CpuGate? gate)
        {
            _gate = gate;
        }

        public void Dispose()
        {
            if (--t_held == 0)
            {
                _gate?.Exit();
            }
        }
    }

    private sealed class Waiter
    {
        public Waiter(long priority, long ticket)
        {
            Priority = priority;
            Ticket = ticket;
        }

        public long Priority { get; }

        public long Ticket { get; }

        // No spinning before blocking: a waiter usually waits a whole unit of work, and spinning would take the
        // processor from the thread doing it.
        public ManualResetEventSlim Granted { get; } = new(false, 0);
    }

    private sealed class WaiterOrder : IComparer<Waiter>
    {
        public static readonly WaiterOrder Instance = new();

        public int Compare(Waiter? x, Waiter? y)
        {
            var byPriority = x!.Priority.CompareTo(y!.Priority);
            return byPriority != 0 ? byPriority : x.Ticket.CompareTo(y.Ticket);
        }
    }
}
