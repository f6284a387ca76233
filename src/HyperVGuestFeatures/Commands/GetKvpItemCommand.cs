using System;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Get-KvpItem: the KVP (Data Exchange) items of every selected VM, across hosts — host and
/// host-only items in every power state, guest and intrinsic items (guest OS, IP addresses, FQDN)
/// of running VMs. Two queries per host, whatever the number of VMs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvpItem")]
[OutputType(typeof(KvpItem))]
public sealed class GetKvpItemCommand : VmCmdletBase
{
    /// <summary>Key names; wildcards allowed, case-insensitive. Default: every key.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KvpNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The pools to read: Host, Guest, Intrinsic, HostOnly. Default: all four.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public KvpSource[]? Source { get; set; }

    protected override void OnProcess() => CollectVmRequest();

    protected override void OnEnd()
    {
        var options = new KvpReadOptions
        {
            Names = Name ?? Array.Empty<string>(),
            Sources = Source ?? Array.Empty<KvpSource>(),
            ExplainMissingGuestItems = Source is { } sources && sources.Any(s => s is KvpSource.Guest or KvpSource.Intrinsic),
        };

        RunOnHosts(Requests, (host, selection) =>
        {
            foreach (var item in KvpExchange.Read(host.Client, selection, options, host.Reporter, host.CancellationToken))
            {
                host.Output(item);
            }
        });
    }
}
