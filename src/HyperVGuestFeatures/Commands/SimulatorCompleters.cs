using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>Completes -ComputerName of the simulator cmdlets from the simulated hosts of this PowerShell process.</summary>
internal sealed class SimulatedHostNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var hosts = SimulatorSessions.Current.Hosts;
        return Completions.From(hosts.Select(h => h.ComputerName), wordToComplete, n => hosts.First(h => h.ComputerName == n).Scenario, Completions.TakesWildcards(commandName, parameterName));
    }
}

/// <summary>Completes Add-HyperVSimulatorFault -Method: the provider methods the simulator implements and the query kinds.</summary>
internal sealed class SimulatorMethodCompleter : IArgumentCompleter
{
    // The methods of docs/provider-model.md, then the read operations a fault can target.
    private static readonly string[] Methods =
    {
        "ModifyResourceSettings", "AddKvpItems", "ModifyKvpItems", "RemoveKvpItems",
        "InjectNonMaskableInterrupt", "RequestStateChange", "CopyFilesToGuest", "GetSummaryInformation",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.From(Methods.Concat(HyperVSimulatorFault.QueryKinds), wordToComplete, m => GuestFeatureException.Format(Array.IndexOf(HyperVSimulatorFault.QueryKinds, m) >= 0 ? "CompletionReadOperation" : "CompletionProviderMethod"), Completions.TakesWildcards(commandName, parameterName));
}

/// <summary>Completes Get-HyperVSimulatorInstance -ClassName from the classes the simulated provider knows in the chosen namespace.</summary>
internal sealed class SimulatorClassNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var ns = Completions.FirstBound(fakeBoundParameters, "Namespace") ?? CimNamespaces.Virtualization;
        var known = SimulatedHost.KnownClasses.TryGetValue(ns.Replace('/', '\\'), out var classes) ? classes : Array.Empty<string>();
        return Completions.From(known, wordToComplete, c => c + " (" + ns + ")", Completions.TakesWildcards(commandName, parameterName));
    }
}
