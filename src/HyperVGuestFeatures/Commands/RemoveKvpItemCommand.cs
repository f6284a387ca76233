using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Remove-KvpItem: removes host (or host-only) items by key; wildcards remove every match, and an
/// exact key a VM lacks is a KvpItemNotFound error while the others are still removed.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KvpItem", SupportsShouldProcess = true)]
[OutputType(typeof(KvpItem))]
public sealed class RemoveKvpItemCommand : VmCmdletBase
{
    /// <summary>Keys to remove; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KvpNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>Host (the default) or HostOnly.</summary>
    [Parameter]
    [ValidateSet(nameof(KvpSource.Host), nameof(KvpSource.HostOnly))]
    public KvpSource Source { get; set; } = KvpSource.Host;

    /// <summary>Writes the removed items, with the values they had.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        CollectVmRequest(requireSelection: true);
    }

    protected override void OnEnd()
    {
        RunOnHosts(Requests, (host, selection) =>
        {
            foreach (var item in KvpExchange.Remove(host.Client, selection, Name, Source, PassThru, host.Reporter, host.CancellationToken))
            {
                host.Output(item);
            }
        });
    }
}
