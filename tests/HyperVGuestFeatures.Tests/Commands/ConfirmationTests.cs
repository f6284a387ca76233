using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// Issue 10 item 15: -Force skips only the prompt that Send-VMNmi's High impact raises by itself; an
/// explicit -Confirm still asks, -Confirm:$false never asks, and ShouldProcess is always called, so
/// -Verbose says "Performing the operation" and -WhatIf only describes. Run in a runspace whose host
/// answers the prompts, as a user at a console would.
/// </summary>
public sealed class ConfirmationTests : IDisposable
{
    private readonly ScriptedHost _host = new();
    private readonly SimulatedHost _lab = new("confirm-lab", SimulatorScenarios.Create(SimulatorScenarios.Default, "confirm-lab"));
    private readonly ModuleRunspace _runspace;

    public ConfirmationTests()
    {
        _runspace = new ModuleRunspace(_host);
        _runspace.Add(_lab);
    }

    public void Dispose() => _runspace.Dispose();

    private int Nmis => _lab.InspectVM("ubuntu-web", vm => vm.NmiCount);

    private (List<string> Verbose, List<string> Errors) SendNmi(string switches, params string[] answers)
    {
        foreach (var answer in answers)
        {
            _host.Answers.Enqueue(answer);
        }

        var (_, errors, verbose) = _runspace.RunWithVerbose("Send-VMNmi -ComputerName confirm-lab -VMName ubuntu-web " + switches);
        Assert.Empty(_host.Answers); // every scripted answer was asked for
        return (verbose, errors.Select(e => e.FullyQualifiedErrorId).ToList());
    }

    [Theory]
    [InlineData("No", 0)]
    [InlineData("Yes", 1)]
    public void Force_with_an_explicit_Confirm_still_asks(string answer, int sent)
    {
        SendNmi("-Force -Confirm", answer);

        Assert.Single(_host.Prompts);
        Assert.Contains("ubuntu-web", _host.Prompts[0], StringComparison.Ordinal);
        Assert.Equal(sent, Nmis);
    }

    [Fact]
    public void Without_Force_the_high_impact_asks()
    {
        SendNmi(string.Empty, "No");

        Assert.Single(_host.Prompts);
        Assert.Equal(0, Nmis);
    }

    [Theory]
    [InlineData("-Force")]
    [InlineData("-Confirm:$false")]
    [InlineData("-Force -Confirm:$false")]
    public void Force_or_Confirm_false_sends_without_asking_and_verbose_says_so(string switches)
    {
        var (verbose, errors) = SendNmi(switches + " -Verbose");

        Assert.Empty(errors);
        Assert.Empty(_host.Prompts);
        Assert.Equal(1, Nmis);
        Assert.Contains(verbose, v => v.StartsWith("Performing the operation", StringComparison.Ordinal) && v.Contains("ubuntu-web", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-WhatIf")]
    [InlineData("-Force -WhatIf")]
    public void WhatIf_only_describes(string switches)
    {
        SendNmi(switches);

        Assert.Empty(_host.Prompts);
        Assert.Equal(0, Nmis);
        Assert.Contains(_host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("ubuntu-web", StringComparison.Ordinal));
    }

    [Fact]
    public void Force_leaves_the_callers_ConfirmPreference_as_it_was()
    {
        var (output, errors) = _runspace.Run(
            "& { $before = Get-Variable ConfirmPreference -Scope 0 -ErrorAction Ignore; Send-VMNmi -ComputerName confirm-lab -VMName ubuntu-web -Force; " +
            "$after = Get-Variable ConfirmPreference -Scope 0 -ErrorAction Ignore; [string]$ConfirmPreference; [bool]$before; [bool]$after }");

        Assert.Empty(errors);
        Assert.Equal(new[] { "High", "False", "False" }, output.Select(o => o.ToString()));
        Assert.Equal(1, Nmis);

        // A caller's own value survives too.
        var (own, _) = _runspace.Run("& { $ConfirmPreference = 'Low'; Send-VMNmi -ComputerName confirm-lab -VMName ubuntu-web -Force; [string]$ConfirmPreference }");
        Assert.Equal("Low", Assert.Single(own).ToString());
        Assert.Empty(_host.Prompts);
    }
}
