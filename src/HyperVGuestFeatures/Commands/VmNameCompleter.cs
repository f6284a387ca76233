using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Completes -VMName from the VMs of the host the command would reach (its first -CimSession, else its first
/// -ComputerName with -Credential; default the local computer), escaped where -VMName takes wildcards.
/// </summary>
internal sealed class VmNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if (Completions.TargetOf(fakeBoundParameters) is not { } host)
            {
                return Array.Empty<CompletionResult>();
            }

            using var client = host.Connect();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var selection = new VmSelection();
            selection.AddAll();
            var machines = VmInventory.Find(client, selection, timeout.Token).Machines;
            return Completions.From(machines.Select(m => m.Name), wordToComplete, n => machines.First(m => m.Name == n).State.ToString(), Completions.TakesWildcards(commandName, parameterName));
        }
#pragma warning disable CA1031 // Completion must never throw at the prompt; no host, no suggestions.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
