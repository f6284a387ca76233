using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>
/// Host resolution: the simulator registry is one for the process, so a host registered from one
/// runspace or thread resolves from every other (DSC engines run resources in runspaces of their own).
/// Each test registers hosts under names of its own and removes them again, since test classes run in
/// parallel against that one registry.
/// </summary>
[Collection(nameof(HyperVGuestFeatures.Tests.Commands.LocalComputerSimulator))]
public sealed class HostConnectorTests : IDisposable
{
    private readonly List<SimulatedHost> _registered = new();
    private readonly string _name = "lab-" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        foreach (var host in _registered)
        {
            SimulatorSessions.Current.Unregister(host);
        }
    }

    [Fact]
    public void A_registered_name_resolves_to_the_simulator()
    {
        Register(new SimulatedHost(_name));

        var target = HostConnector.Resolve(_name.ToUpperInvariant(), null, null);

        Assert.True(target.IsSimulated);
        Assert.Equal(_name, target.ComputerName, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Localhost_resolves_to_a_simulated_local_computer()
    {
        Register(new SimulatedHost(Environment.MachineName));

        var target = HostConnector.Resolve("localhost", null, null);

        Assert.True(target.IsSimulated);
        Assert.Equal(Environment.MachineName, target.ComputerName);
    }

    [Fact]
    public void A_host_registered_in_one_runspace_resolves_in_another_and_on_worker_threads()
    {
        var previous = Runspace.DefaultRunspace;
        using var first = RunspaceFactory.CreateRunspace();
        using var second = RunspaceFactory.CreateRunspace();
        try
        {
            Runspace.DefaultRunspace = first;
            Register(new SimulatedHost(_name));
            Runspace.DefaultRunspace = second;
            Assert.True(HostConnector.Resolve(_name, null, null).IsSimulated);
        }
        finally
        {
            Runspace.DefaultRunspace = previous;
        }

        Assert.True(RunOnNewThread(() => HostConnector.Resolve(_name, null, null)).IsSimulated);
    }

    [Fact]
    public void Unregistering_a_replaced_host_keeps_its_replacement()
    {
        var old = Register(new SimulatedHost(_name));
        var replacement = Register(new SimulatedHost(_name));

        Assert.False(SimulatorSessions.Current.Unregister(old));
        Assert.True(SimulatorSessions.Current.TryGet(_name, out var current));
        Assert.Same(replacement, current);
        Assert.True(SimulatorSessions.Current.Unregister(replacement));
        Assert.False(HostConnector.Resolve(_name, null, null).IsSimulated);
    }

    [Fact]
    public void An_unregistered_name_connects_through_MMI_from_any_thread()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // On Windows this would really try to reach the host.
        }

        var credential = new PSCredential(@"CONTOSO\hvadmin", Password("S3cret-Pa55!"));
        var target = HostConnector.Resolve("hv01-" + _name, credential, null);
        Assert.False(target.IsSimulated);

        // A worker thread has no runspace; the resolved target must not need one.
        var failure = Assert.Throws<GuestFeatureException>(() => RunOnNewThread(target.Connect));

        Assert.Equal("CimUnavailableOnPlatform", failure.ErrorId);
        Assert.Equal("hv01-" + _name, failure.Target);
        Assert.DoesNotContain("hvadmin", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("S3cret", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_that_is_not_a_CimSession_is_refused()
        => Assert.Throws<ArgumentException>(() => HostConnector.Resolve("hv01", null, new PSObject("hv01")));

    private SimulatedHost Register(SimulatedHost host)
    {
        SimulatorSessions.Current.Register(host);
        _registered.Add(host);
        return host;
    }

    private static SecureString Password(string text)
    {
        var password = new SecureString();
        foreach (var c in text)
        {
            password.AppendChar(c);
        }

        password.MakeReadOnly();
        return password;
    }

    private static T RunOnNewThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result;
    }
}
