using System.Management.Automation;
using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>Tests that register a simulated host under this computer's name run one at a time.</summary>
[CollectionDefinition(nameof(LocalComputerSimulator), DisableParallelization = true)]
public sealed class LocalComputerSimulator
{
}

/// <summary>
/// Issue 12 item 2: on a computer that is a real Hyper-V host, Start-HyperVSimulator does not take the
/// computer's name (and with it every command addressed to this computer) unless -Force says so. The
/// detection is replaced by a stand-in that plays "a real host is here", since this machine has none.
/// </summary>
[Collection(nameof(LocalComputerSimulator))]
public sealed class SimulatorShadowTests : IDisposable
{
    private readonly Func<bool> _realDetector = StartHyperVSimulatorCommand.DetectLocalHyperVHost;
    private readonly ModuleRunspace _runspace = new();
    private readonly string _lab = "shadow-lab-" + Guid.NewGuid().ToString("N");
    private int _probes;

    public void Dispose()
    {
        StartHyperVSimulatorCommand.DetectLocalHyperVHost = _realDetector;
        foreach (var name in new[] { Environment.MachineName, _lab })
        {
            if (SimulatorSessions.Current.TryGet(name, out var host))
            {
                SimulatorSessions.Current.Unregister(host);
            }
        }

        _runspace.Dispose();
    }

    private void RealHostHere(bool isHere) => StartHyperVSimulatorCommand.DetectLocalHyperVHost = () =>
    {
        Interlocked.Increment(ref _probes);
        return isHere;
    };

    private static SimulatedHost? LocalSimulator() => SimulatorSessions.Current.TryGet(Environment.MachineName, out var host) ? host : null;

    [Theory]
    [InlineData("Start-HyperVSimulator")]
    [InlineData("Start-HyperVSimulator -ComputerName localhost")]
    [InlineData("Start-HyperVSimulator -ComputerName .")]
    [InlineData("Start-HyperVSimulator -Scenario WS2016 -PassThru")]
    [InlineData("Start-HyperVSimulator -WhatIf")]
    public void On_a_real_host_the_local_name_is_refused_and_nothing_starts(string command)
    {
        RealHostHere(true);

        var (output, errors, _) = _runspace.RunWithVerbose(command + " -Verbose");

        var error = Assert.Single(errors);
        Assert.Equal("SimulatorWouldShadowHost,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(Environment.MachineName, error.TargetObject);
        Assert.Contains("-Force", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("-ComputerName", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.Null(LocalSimulator());
    }

    [Fact]
    public void Force_shadows_the_real_host_and_says_so()
    {
        RealHostHere(true);

        var (output, errors) = _runspace.Run("Start-HyperVSimulator -Force -PassThru -WarningVariable shadowWarnings; $shadowWarnings | ForEach-Object Message");

        Assert.Empty(errors);
        Assert.NotNull(LocalSimulator());
        Assert.Contains(output, o => o.BaseObject is HyperVSimulatorInfo);
        var warning = Assert.Single(output.Select(o => o.BaseObject).OfType<string>());
        Assert.Contains("real Hyper-V host", warning, StringComparison.Ordinal);
        Assert.Contains("Stop-HyperVSimulator", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_of_its_own_starts_without_asking_whether_a_real_host_is_here()
    {
        RealHostHere(true);

        var (_, errors) = _runspace.Run("Start-HyperVSimulator -ComputerName " + _lab);

        Assert.Empty(errors);
        Assert.True(SimulatorSessions.Current.TryGet(_lab, out _));
        Assert.Equal(0, _probes);
    }

    [Fact]
    public void Without_a_real_host_the_local_name_starts_with_no_warning_and_one_probe()
    {
        RealHostHere(false);

        var (_, errors) = _runspace.Run("Start-HyperVSimulator -WarningAction Stop");

        Assert.Empty(errors);
        Assert.NotNull(LocalSimulator());
        Assert.Equal(1, _probes);

        // Asked once per command, not once per name (the second name replaces the first: a warning of its own).
        (_, errors) = _runspace.Run("'localhost', '.' | Start-HyperVSimulator -WarningAction SilentlyContinue");

        Assert.Empty(errors);
        Assert.Equal(2, _probes);
    }

    [Fact]
    public void The_real_probe_finds_no_Hyper_V_host_on_Linux_or_macOS()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a Windows build machine may well be a Hyper-V host
        }

        Assert.False(_realDetector());
    }
}
