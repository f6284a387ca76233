using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// The changing cmdlets' one step over several hosts (issue 12 item 6, issue 10 item 16): every host is
/// planned at once, the questions are asked on the pipeline thread per VM in host order, and each answer
/// decides that VM's change alone; -WhatIf makes no changing call on any host.
/// </summary>
public sealed class ChangeStepTests : IDisposable
{
    private readonly ScriptedHost _host = new();
    private readonly SimulatedHost _first = new("step-a-" + Guid.NewGuid().ToString("N"));
    private readonly SimulatedHost _second = new("step-b-" + Guid.NewGuid().ToString("N"));
    private readonly ModuleRunspace _runspace;

    public ChangeStepTests()
    {
        _runspace = new ModuleRunspace(_host);
        _runspace.Add(_first);
        _runspace.Add(_second);
    }

    public void Dispose()
    {
        SimulatorSessions.Current.Unregister(_first);
        SimulatorSessions.Current.Unregister(_second);
        _runspace.Dispose();
    }

    private string Hosts => _first.ComputerName + "," + _second.ComputerName;

    [Fact]
    public void Confirm_asks_per_VM_in_host_order_and_changes_exactly_the_VMs_approved()
    {
        Answer("No", "Yes", "Yes", "No");

        var (_, errors) = _runspace.Run("Set-KvpItem -ComputerName " + Hosts + " -VMName ubuntu-web, rhel-db -Name Role -Value asked -Confirm");

        Assert.Empty(errors);
        Assert.Equal(4, _host.Prompts.Count);
        Assert.Contains("'rhel-db' on host '" + _first.ComputerName + "'", _host.Prompts[0], StringComparison.Ordinal);
        Assert.Contains("'ubuntu-web' on host '" + _first.ComputerName + "'", _host.Prompts[1], StringComparison.Ordinal);
        Assert.Contains("'rhel-db' on host '" + _second.ComputerName + "'", _host.Prompts[2], StringComparison.Ordinal);
        Assert.Contains("'ubuntu-web' on host '" + _second.ComputerName + "'", _host.Prompts[3], StringComparison.Ordinal);
        Assert.Null(Role(_first, "rhel-db"));
        Assert.Equal("asked", Role(_first, "ubuntu-web"));
        Assert.Equal("asked", Role(_second, "rhel-db"));
        Assert.Null(Role(_second, "ubuntu-web"));
    }

    [Fact]
    public void Yes_to_all_on_the_first_host_answers_for_every_host()
    {
        Answer("Yes to All");

        _runspace.Run("Set-KvpItem -ComputerName " + Hosts + " -VMName ubuntu-web, rhel-db -Name Role -Value all -Confirm");

        Assert.Single(_host.Prompts);
        Assert.Equal(2, _first.ChangeCallCount);
        Assert.Equal(2, _second.ChangeCallCount);
    }

    [Fact]
    public void WhatIf_describes_every_VM_of_every_host_in_host_order_and_changes_nothing()
    {
        _runspace.Run("Send-VMNmi -ComputerName " + Hosts + " -VMName ubuntu-web, rhel-db -Force -WhatIf");

        var whatIf = _host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, whatIf.Count);
        Assert.Contains(_first.ComputerName, whatIf[1], StringComparison.Ordinal);
        Assert.Contains(_second.ComputerName, whatIf[2], StringComparison.Ordinal);
        Assert.Equal(0, _first.ChangeCallCount);
        Assert.Equal(0, _second.ChangeCallCount);
    }

    [Fact]
    public void A_host_that_fails_while_planning_leaves_the_other_host_asked_and_changed()
    {
        _first.Stop();
        Answer("Yes");

        var (_, errors) = _runspace.Run("Set-KvpItem -ComputerName " + Hosts + " -VMName ubuntu-web -Name Role -Value on -Confirm");

        Assert.Equal("HostUnreachable", Assert.Single(errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Single(_host.Prompts);
        Assert.Equal("on", Role(_second, "ubuntu-web"));
    }

    private static string? Role(SimulatedHost host, string vm)
        => host.InspectVM(vm, v => v.HostItems.TryGetValue("Role", out var value) ? value : null);

    private void Answer(params string[] answers)
    {
        foreach (var answer in answers)
        {
            _host.Answers.Enqueue(answer);
        }
    }
}
