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
/// Completes -Name from the KVP keys of the VM in -VMName (first one) on the host the command would reach
/// (its first -CimSession, else its first -ComputerName with -Credential): every source for Get-KvpItem,
/// the -Source pool (default Host) for Set-/Remove-KvpItem; escaped where -Name takes wildcards.
/// </summary>
internal sealed class KvpNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var vmName = Completions.FirstBound(fakeBoundParameters, "VMName");
            var isGet = commandName?.StartsWith("Get-", StringComparison.OrdinalIgnoreCase) == true;
            var source = Completions.FirstBound(fakeBoundParameters, "Source");
            var sources = source is not null && Enum.TryParse<KvpSource>(source, true, out var parsed)
                ? new[] { parsed }
                : isGet ? Array.Empty<KvpSource>() : new[] { KvpSource.Host };

            var selection = new VmSelection();
            if (vmName is null)
            {
                selection.AddAll();
            }
            else
            {
                selection.AddNames(new[] { vmName });
            }

            if (Completions.TargetOf(fakeBoundParameters) is not { } host)
            {
                return Array.Empty<CompletionResult>();
            }

            using var client = host.Connect();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var items = KvpExchange.Read(client, selection, new KvpReadOptions { Sources = sources }, new OperationReporter(), timeout.Token);
            var byName = items.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            return Completions.From(byName.Keys, wordToComplete, n => byName[n].Source + ": " + byName[n].Value, Completions.TakesWildcards(commandName, parameterName));
        }
#pragma warning disable CA1031 // Completion must never throw at the prompt; no host, no suggestions.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
