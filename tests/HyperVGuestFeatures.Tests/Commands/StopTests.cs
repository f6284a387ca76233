using System.Diagnostics;
using System.Management.Automation;
using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// Issue 10 item 14: Ctrl+C (PowerShell.Stop from another thread) returns within a second from every
/// wait of a changing command — a job being polled, a job being terminated on a host that no longer
/// answers, a host that does not answer at all — and (item 5) a change stopped midway says what it may
/// have done, through the host's UI, since the stopped pipeline can no longer write records. The
/// simulator's job duration, latency and lock make the waits long.
/// </summary>
public sealed class StopTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    private readonly ScriptedHost _host = new();
    private readonly SimulatedHost _lab = new("stop-" + Guid.NewGuid().ToString("N"));
    private readonly ModuleRunspace _runspace;

    public StopTests()
    {
        _runspace = new ModuleRunspace(_host);
        _runspace.Add(_lab);
    }

    public void Dispose()
    {
        SimulatorSessions.Current.Unregister(_lab);
        _runspace.Dispose();
    }

    [Fact]
    public void Stop_while_a_job_is_polled_returns_at_once_and_says_the_NMI_may_have_been_sent()
    {
        _lab.SettingsJobDuration = TimeSpan.FromMinutes(1);

        var stopped = RunThenStop("Send-VMNmi -ComputerName " + _lab.ComputerName + " -VMName ubuntu-web -Force", () => _lab.MethodCallCount >= 1);

        Assert.True(stopped < Prompt, stopped.ToString());
        var said = Assert.Single(Warnings);
        Assert.Contains("Stopped while changing VM 'ubuntu-web' on host '" + _lab.ComputerName + "'", said, StringComparison.Ordinal);
        Assert.Contains("InjectNonMaskableInterrupt", said, StringComparison.Ordinal);
        Assert.Contains("asked to terminate", said, StringComparison.Ordinal);
        Assert.Contains("/proc/interrupts", said, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_returns_at_once_when_the_host_does_not_answer_the_termination_request()
    {
        _lab.SettingsJobDuration = TimeSpan.FromMinutes(1);

        // Once the job runs, every round trip takes 8 s: the poll and the terminate request both.
        var stopped = RunThenStop(
            "Set-KvpItem -ComputerName " + _lab.ComputerName + " -VMName ubuntu-web -Name k -Value v",
            () =>
            {
                if (_lab.MethodCallCount < 1)
                {
                    return false;
                }

                _lab.Latency = TimeSpan.FromSeconds(8);
                return true;
            });

        Assert.True(stopped < Prompt, stopped.ToString());
        var said = Assert.Single(Warnings);
        Assert.Contains("AddKvpItems", said, StringComparison.Ordinal);
        Assert.Contains("no answer within", said, StringComparison.Ordinal);
        Assert.Contains("Get-KvpItem -VMName 'ubuntu-web'", said, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_returns_at_once_from_a_host_that_never_answers()
    {
        // The host's lock held elsewhere: the worker's query waits on it and cannot be cancelled.
        using var release = new ManualResetEventSlim(false);
        using var holding = new ManualResetEventSlim(false);
        var holder = new Thread(() => _lab.ModifyVM("rhel-db", _ =>
        {
            holding.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }));
        holder.Start();
        try
        {
            Assert.True(holding.Wait(TimeSpan.FromSeconds(10)));

            var stopped = RunThenStop("Set-KvpItem -ComputerName " + _lab.ComputerName + " -VMName ubuntu-web -Name k -Value v", () => _lab.QueryCount >= 1);

            Assert.True(stopped < Prompt, stopped.ToString());
            Assert.Empty(Warnings); // nothing was changed, so nothing to say
        }
        finally
        {
            release.Set();
            holder.Join();
        }
    }

    [Fact]
    public void Stop_between_the_two_steps_of_a_memory_change_says_what_the_VM_is_left_with()
    {
        // debian-build, off with static memory and virtual NUMA on: dynamic memory on turns virtual NUMA off
        // first (a 20 ms job), then changes the memory (a job that runs for a minute).
        _lab.SetVMState("debian-build", SimulatedVMState.Off);
        _lab.Latency = TimeSpan.FromMilliseconds(100);

        var stopped = RunThenStop(
            "Set-DynamicMemory -ComputerName " + _lab.ComputerName + " -VMName debian-build -DynamicMemoryEnabled $true -Confirm:$false",
            () =>
            {
                if (_lab.JobCount >= 1)
                {
                    _lab.SettingsJobDuration = TimeSpan.FromMinutes(1); // the first step's job has its 20 ms already
                }

                return _lab.MethodCallCount >= 2;
            });

        Assert.True(stopped < Prompt, stopped.ToString());
        Assert.False(_lab.InspectVM("debian-build", vm => vm.VirtualNumaEnabled));
        var said = Assert.Single(Warnings);
        Assert.Contains("Stopped while changing the memory of VM 'debian-build'", said, StringComparison.Ordinal);
        Assert.Contains("virtual NUMA is off (turned off first)", said, StringComparison.Ordinal);
        Assert.Contains("ModifyResourceSettings", said, StringComparison.Ordinal);
        Assert.Contains("Get-DynamicMemory -VMName 'debian-build'", said, StringComparison.Ordinal);
    }

    private IEnumerable<string> Warnings => _host.Lines.Where(l => l.StartsWith("WARNING: ", StringComparison.Ordinal));

    /// <summary>Starts <paramref name="script"/>, waits until <paramref name="ready"/>, stops it; returns how long Stop took.</summary>
    private TimeSpan RunThenStop(string script, Func<bool> ready)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace.Runspace;
        shell.AddScript(script);
        var running = shell.BeginInvoke();
        var waited = Stopwatch.StartNew();
        while (!ready())
        {
            // (A PowerShell's streams are not read while it runs: their enumerators wait for the end.)
            Assert.False(running.IsCompleted, "The command ended before it could be stopped.");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "The command never got to the wait.");
            Thread.Sleep(5);
        }

        Thread.Sleep(50); // into the wait
        var stopping = Stopwatch.StartNew();
        shell.Stop();
        stopping.Stop();
        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
        return stopping.Elapsed;
    }
}
