using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>Completes -VMName from the VMs of the host in -ComputerName (first one; default the local computer).</summary>
public sealed class VmNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var computerName = Completions.FirstBound(fakeBoundParameters, "ComputerName");

        try
        {
            var host = HostConnector.Resolve(computerName ?? Environment.MachineName, null, null);
            using var client = host.Connect();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var selection = new VmSelection();
            selection.AddAll();
            var machines = VmInventory.Find(client, selection, timeout.Token).Machines;
            return Completions.From(machines.Select(m => m.Name), wordToComplete, n => machines.First(m => m.Name == n).State.ToString());
        }
#pragma warning disable CA1031 // Completion must never throw at the prompt; no host, no suggestions.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
