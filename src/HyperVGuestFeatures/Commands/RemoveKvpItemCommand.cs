using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Remove-KvpItem: removes host (or host-only) items by key; wildcards remove every match, and an
/// exact key a VM lacks is a KvpItemNotFound error while the others are still removed. Items read
/// with Get-KvpItem can be piped in (-InputObject): each removes exactly its own key on its own VM.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KvpItem", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(KvpItem))]
public sealed class RemoveKvpItemCommand : VmCmdletBase
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    private readonly List<(HostTarget Host, KvpItem Item)> _piped = new();

    /// <summary>Keys to remove; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KvpNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Items to remove, as Get-KvpItem writes them (host or host-only items).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    public KvpItem[] InputObject { get; set; } = Array.Empty<KvpItem>();

    /// <summary>Host (the default) or HostOnly.</summary>
    [Parameter(ParameterSetName = NameSet)]
    [ValidateSet(nameof(KvpSource.Host), nameof(KvpSource.HostOnly))]
    public KvpSource Source { get; set; } = KvpSource.Host;

    /// <summary>Writes the removed items, with the values they had.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        if (ParameterSetName == InputObjectSet)
        {
            // The item's ComputerName (bound from it by property name, or -CimSession) picks its host.
            foreach (var host in ResolveHosts())
            {
                _piped.AddRange(InputObject.Where(i => i is not null).Select(i => (host, i)));
            }

            return;
        }

        CollectVmRequest(requireSelection: true);
    }

    protected override void OnEnd()
    {
        if (ParameterSetName == InputObjectSet)
        {
            RemovePiped();
            return;
        }

        var passThru = PassThru.IsPresent;
        RunChanges(Requests, (host, selection) => KvpExchange.PlanRemove(host.Client, selection, Name, Source, passThru ? host.Output : null, host.Reporter, host.CancellationToken));
    }

    /// <summary>
    /// One removal per VM and source, of exactly the keys piped for that VM (never a pattern): the plans of a
    /// host's VMs and sources, asked and made as one.
    /// </summary>
    private void RemovePiped()
    {
        var work = _piped
            .GroupBy(p => p.Host.ComputerName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.First().Host, Items: (IReadOnlyList<KvpItem>)g.Select(p => p.Item).ToList()))
            .ToList();
        var passThru = PassThru.IsPresent;
        RunChanges(work, (host, items) =>
        {
            var plans = new List<ChangePlan>();
            foreach (var group in items.GroupBy(i => (i.VMId, i.Source)))
            {
                var selection = new VmSelection();
                selection.AddIds(new[] { group.Key.VMId });
                var names = group.Select(i => WildcardPattern.Escape(i.Name)).Distinct(StringComparer.Ordinal).ToList();
                try
                {
                    plans.Add(KvpExchange.PlanRemove(host.Client, selection, names, group.Key.Source, passThru ? host.Output : null, host.Reporter, host.CancellationToken));
                }
                catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
                {
                    // One VM's failure (e.g. a guest item, which the host cannot remove) leaves the others going.
                    host.Error(failure);
                }
            }

            return ChangePlan.Combine(plans);
        });
    }
}
