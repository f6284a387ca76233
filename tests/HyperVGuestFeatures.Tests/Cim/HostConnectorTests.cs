using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>
/// Host resolution: the simulator registry is per runspace, so each test gives its thread a fresh
/// runspace as PowerShell's pipeline thread has. Connecting to a simulated host is left to the
/// Pester suites once the simulator lands; these tests only check which way a name resolves.
/// </summary>
public sealed class HostConnectorTests : IDisposable
{
    private readonly Runspace? _previous = Runspace.DefaultRunspace;
    private readonly Runspace _runspace = RunspaceFactory.CreateRunspace();

    public HostConnectorTests()
    {
        Runspace.DefaultRunspace = _runspace;
    }

    public void Dispose()
    {
        Runspace.DefaultRunspace = _previous;
        _runspace.Dispose();
    }

    [Fact]
    public void A_registered_name_resolves_to_the_simulator()
    {
        SimulatorSessions.Current.Register(new SimulatedHost("lab01"));

        var target = HostConnector.Resolve("LAB01", null, null);

        Assert.True(target.IsSimulated);
        Assert.Equal("LAB01", target.ComputerName, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Localhost_resolves_to_a_simulated_local_computer()
    {
        SimulatorSessions.Current.Register(new SimulatedHost(Environment.MachineName));

        var target = HostConnector.Resolve("localhost", null, null);

        Assert.True(target.IsSimulated);
        Assert.Equal(Environment.MachineName, target.ComputerName);
    }

    [Fact]
    public void Another_runspaces_simulator_is_not_used()
    {
        SimulatorSessions.Current.Register(new SimulatedHost("lab01"));
        using var other = RunspaceFactory.CreateRunspace();
        Runspace.DefaultRunspace = other;

        Assert.False(HostConnector.Resolve("lab01", null, null).IsSimulated);
    }

    [Fact]
    public void An_unregistered_name_connects_through_MMI_from_any_thread()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // On Windows this would really try to reach the host.
        }

        var credential = new PSCredential(@"CONTOSO\hvadmin", Password("S3cret-Pa55!"));
        var target = HostConnector.Resolve("hv01", credential, null);
        Assert.False(target.IsSimulated);

        // A worker thread has no runspace; the resolved target must not need one.
        var failure = Assert.Throws<GuestFeatureException>(() => RunOnNewThread(target.Connect));

        Assert.Equal("CimUnavailableOnPlatform", failure.ErrorId);
        Assert.Equal("hv01", failure.Target);
        Assert.DoesNotContain("hvadmin", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("S3cret", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_off_the_pipeline_thread_is_refused()
    {
        SimulatorSessions.Current.Register(new SimulatedHost("lab01"));

        Assert.Throws<InvalidOperationException>(() => RunOnNewThread(() => HostConnector.Resolve("lab01", null, null)));
    }

    [Fact]
    public void A_session_that_is_not_a_CimSession_is_refused()
        => Assert.Throws<ArgumentException>(() => HostConnector.Resolve("hv01", null, new PSObject("hv01")));

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
