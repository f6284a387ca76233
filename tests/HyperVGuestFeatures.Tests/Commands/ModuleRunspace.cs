using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using HyperVGuestFeatures.Commands;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// A runspace with the module's cmdlets, as a user's session has them, for tests that need what
/// Pester cannot give: several runspaces sharing one simulated host, or a host that answers prompts.
/// </summary>
internal sealed class ModuleRunspace : IDisposable
{
    public ModuleRunspace(PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(SetKvpItemCommand).Assembly.Location);
        Runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        Runspace.Open();
    }

    public Runspace Runspace { get; }

    /// <summary>Registers <paramref name="simulated"/> in this runspace, as Start-HyperVSimulator would (the same object, so runspaces share it).</summary>
    public void Add(SimulatedHost simulated)
    {
        var previous = Runspace.DefaultRunspace;
        Runspace.DefaultRunspace = Runspace;
        try
        {
            SimulatorSessions.Current.Register(simulated);
        }
        finally
        {
            Runspace.DefaultRunspace = previous;
        }
    }

    /// <summary>Runs <paramref name="script"/>; returns its output and the error records it wrote.</summary>
    public (Collection<PSObject> Output, List<ErrorRecord> Errors) Run(string script, IDictionary<string, object?>? variables = null)
    {
        var (output, errors, _) = RunWithVerbose(script, variables);
        return (output, errors);
    }

    /// <summary>Runs <paramref name="script"/>; returns its output, error records and verbose messages.</summary>
    public (Collection<PSObject> Output, List<ErrorRecord> Errors, List<string> Verbose) RunWithVerbose(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = Runspace;
        if (variables is not null)
        {
            foreach (var variable in variables)
            {
                Runspace.SessionStateProxy.SetVariable(variable.Key, variable.Value);
            }
        }

        shell.AddScript(script);
        var output = shell.Invoke();
        return (output, shell.Streams.Error.ToList(), shell.Streams.Verbose.Select(v => v.Message).ToList());
    }

    public void Dispose() => Runspace.Dispose();
}
