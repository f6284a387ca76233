using System.Collections.Concurrent;
using HyperVGuestFeatures.Commands;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// Issue 14: how RunOnHosts orders and schedules what many hosts produce. Behaviour only, no timings: the order
/// items are written in, and how many units are computed at once.
/// </summary>
public sealed class HostRunTests
{
    [Fact]
    public void Host_by_host_writes_a_later_host_only_after_every_earlier_host_is_done()
    {
        var written = new List<string>();
        using var stop = new CancellationTokenSource();
        using var run = new HostRun(3, HostOutputOrder.HostByHost, stop.Token);

        // Host 2 and host 1 finish before host 0 has even started.
        run.Post(2, 0, _ => written.Add("2a"));
        run.Finish(2, 1);
        run.Post(1, 1, _ => written.Add("1b"));
        run.Post(1, 0, _ => written.Add("1a"));
        run.Finish(1, 2);
        run.Post(0, 0, _ => written.Add("0a"));
        run.Finish(0, 1);
        foreach (var host in Enumerable.Range(0, 3))
        {
            run.Finish(run.LaterPartOf(host)!.Value, 0);
        }

        run.Drain(null!, CancellationToken.None);

        Assert.Equal(new[] { "0a", "1a", "1b", "2a" }, written);
    }

    [Fact]
    public void Host_by_host_writes_every_hosts_first_part_before_any_second_part()
    {
        // A changing command: each host asks (first part), then writes what it changed (second part).
        var written = new List<string>();
        using var stop = new CancellationTokenSource();
        using var run = new HostRun(2, HostOutputOrder.HostByHost, stop.Token);

        run.Post(run.LaterPartOf(0)!.Value, 0, _ => written.Add("0 changed"));
        run.Finish(run.LaterPartOf(0)!.Value, 1);
        run.Post(0, 0, _ => written.Add("0 asked"));
        run.Finish(0, 1);
        run.Post(run.LaterPartOf(1)!.Value, 0, _ => written.Add("1 changed"));
        run.Finish(run.LaterPartOf(1)!.Value, 1);
        run.Post(1, 0, _ => written.Add("1 asked"));
        run.Finish(1, 1);
        run.Drain(null!, CancellationToken.None);

        Assert.Equal(new[] { "0 asked", "1 asked", "0 changed", "1 changed" }, written);
    }

    [Fact]
    public void As_produced_writes_a_host_as_soon_as_it_has_output_but_keeps_each_hosts_order()
    {
        var written = new List<string>();
        using var stop = new CancellationTokenSource();
        using var run = new HostRun(2, HostOutputOrder.AsProduced, stop.Token);

        run.Post(1, 0, _ => written.Add("1a"));
        run.Post(1, 2, _ => written.Add("1c")); // came before 1b: waits for it
        run.Post(0, 0, _ => written.Add("0a"));
        run.Post(1, 1, _ => written.Add("1b"));
        run.Finish(1, 3);
        run.Finish(0, 1);
        run.Drain(null!, CancellationToken.None);

        Assert.Equal(new[] { "1a", "0a", "1b", "1c" }, written);
    }

    [Fact]
    public void Computed_units_of_many_hosts_run_on_no_more_threads_than_processors_and_come_out_in_each_hosts_order()
    {
        const int Hosts = 12;
        const int Units = 40;
        var running = 0;
        var mostAtOnce = 0;
        var threads = new ConcurrentDictionary<int, bool>();
        var written = new List<(int Host, int Unit)>();
        using var stop = new CancellationTokenSource();
        using var run = new HostRun(Hosts, HostOutputOrder.AsProduced, stop.Token);

        // One thread per host, as RunOnHosts has (up to -ThrottleLimit): each hands its units to the compute workers.
        var hostThreads = Enumerable.Range(0, Hosts).Select(host => new Thread(() =>
        {
            run.Compute(host, host, 0, Units, unit =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostAtOnce, now);
                threads[Environment.CurrentManagedThreadId] = true;
                Thread.SpinWait(20000);
                Interlocked.Decrement(ref running);
                return _ => written.Add((host, unit));
            }, e => throw e);
            run.Finish(host, Units);
        })).ToList();
        hostThreads.ForEach(t => t.Start());
        run.Drain(null!, CancellationToken.None);
        hostThreads.ForEach(t => t.Join());

        Assert.InRange(mostAtOnce, 1, Environment.ProcessorCount);
        Assert.InRange(threads.Count, 1, Environment.ProcessorCount);
        Assert.InRange(run.WorkerCount, 1, Environment.ProcessorCount);
        Assert.Equal(Hosts * Units, written.Count);
        foreach (var host in Enumerable.Range(0, Hosts))
        {
            Assert.Equal(Enumerable.Range(0, Units), written.Where(w => w.Host == host).Select(w => w.Unit));
        }
    }

    [Fact]
    public void A_unit_that_throws_becomes_its_own_output_and_the_others_go_on()
    {
        var written = new List<string>();
        using var stop = new CancellationTokenSource();
        using var run = new HostRun(1, HostOutputOrder.AsProduced, stop.Token);
        var worker = new Thread(() =>
        {
            run.Compute(0, 0, 0, 3, unit => unit == 1 ? throw new InvalidOperationException("bug") : _ => written.Add("unit " + unit), e => _ => written.Add("error: " + e.Message));
            run.Finish(0, 3);
        });
        worker.Start();
        run.Drain(null!, CancellationToken.None);
        worker.Join();

        Assert.Equal(new[] { "unit 0", "error: bug", "unit 2" }, written);
    }

    [Fact]
    public void The_gate_lets_the_most_urgent_waiter_in_first_then_the_earliest()
    {
        var gate = new CpuGate(1);
        var order = new ConcurrentQueue<string>();
        var holder = gate.Enter(0, CancellationToken.None);
        var waiters = new[] { ("p5", 5L), ("p1-first", 1L), ("p3", 3L), ("p1-second", 1L) }.Select(w =>
        {
            var thread = new Thread(() =>
            {
                using (gate.Enter(w.Item2, CancellationToken.None))
                {
                    order.Enqueue(w.Item1);
                }
            });
            thread.Start();
            SpinWait.SpinUntil(() => thread.ThreadState == ThreadState.WaitSleepJoin); // queued before the next one
            return thread;
        }).ToList();

        holder.Dispose();
        waiters.ForEach(t => t.Join());

        Assert.Equal(new[] { "p1-first", "p1-second", "p3", "p5" }, order);
        Assert.Equal(0, gate.Busy);
    }

    [Fact]
    public void The_gate_never_lets_more_threads_in_than_it_has_slots_and_a_cancelled_wait_takes_none()
    {
        var gate = new CpuGate(2);
        var inside = 0;
        var most = 0;
        var threads = Enumerable.Range(0, 16).Select(i => new Thread(() =>
        {
            for (var n = 0; n < 50; n++)
            {
                using (gate.Enter(i % 4, CancellationToken.None))
                {
                    InterlockedMax(ref most, Interlocked.Increment(ref inside));
                    Thread.SpinWait(2000);
                    Interlocked.Decrement(ref inside);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.InRange(most, 1, 2);

        // Both slots held by other threads: a wait that is cancelled gets none, and leaves none taken.
        using var release = new ManualResetEventSlim(false);
        var holders = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            using (gate.Enter(CancellationToken.None))
            {
                release.Wait();
            }
        })).ToList();
        holders.ForEach(t => t.Start());
        SpinWait.SpinUntil(() => gate.Busy == 2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => gate.Enter(cancel.Token));
        release.Set();
        holders.ForEach(t => t.Join());
        Assert.Equal(0, gate.Busy);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
