using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Set-KvpItem: one call that adds the keys a VM lacks and modifies the ones whose value differs
/// (the provider has separate Add and Modify methods, each failing on the other case). Everything is
/// validated before any change; equal values make no call.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvpItem", DefaultParameterSetName = NameSet, SupportsShouldProcess = true)]
[OutputType(typeof(KvpItem))]
public sealed class SetKvpItemCommand : VmCmdletBase
{
    private const string NameSet = "Name";
    private const string ItemSet = "Item";

    /// <summary>The key to add or modify.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [AllowEmptyString]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(KvpNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The value; may be empty.</summary>
    [Parameter(Mandatory = true, Position = 2, ParameterSetName = NameSet)]
    [AllowEmptyString]
    [ValidateNotNull]
    public string Value { get; set; } = string.Empty;

    /// <summary>Several keys and values at once: a hashtable, an [ordered] dictionary or any other IDictionary (e.g. a Dictionary[string,string]).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ItemSet)]
    [ValidateNotNullOrEmpty]
    public IDictionary? Item { get; set; }

    /// <summary>Host (sent to the guest, the default) or HostOnly (kept by the host).</summary>
    [Parameter]
    [ValidateSet(nameof(KvpSource.Host), nameof(KvpSource.HostOnly))]
    public KvpSource Source { get; set; } = KvpSource.Host;

    /// <summary>Writes the items as they read after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess()
    {
        CollectVmRequest(requireSelection: true);
    }

    protected override void OnEnd()
    {
        var entries = Entries();
        var passThru = PassThru.IsPresent;
        RunChanges(Requests, (host, selection) => KvpExchange.PlanSet(host.Client, selection, entries, Source, passThru ? host.Output : null, host.Reporter, host.CancellationToken));
    }

    private List<KvpEntry> Entries()
    {
        if (Item is null)
        {
            return new List<KvpEntry> { new(Name, Value) };
        }

        // The dictionary's own enumerator gives DictionaryEntry for any IDictionary; enumerating it as
        // IEnumerable would give KeyValuePair<,> for a generic Dictionary[string,string] or [string,object].
        var entries = new List<KvpEntry>();
        var items = Item.GetEnumerator();
        while (items.MoveNext())
        {
            var key = TextOf(items.Key);
            entries.Add(new KvpEntry(key, ValueTextOf(key, items.Value)));
        }

        // A plain hashtable has no order; sort it so the calls (and -WhatIf) read the same every time.
        return Item is Hashtable ? entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList() : entries;
    }

    /// <summary>
    /// A KVP value is one string: a list or a table would silently become its type name or its items
    /// joined by spaces, so it is refused before anything is written.
    /// </summary>
    private static string ValueTextOf(string key, object? value)
    {
        var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
        if (raw is IEnumerable and not string)
        {
            throw GuestFeatureException.Create("KvpValueNotText", FailureKind.InvalidArgument, key, key, raw.GetType().Name);
        }

        return TextOf(raw);
    }

    private static string TextOf(object? value)
        => value is null ? string.Empty : LanguagePrimitives.ConvertTo<string>(value is PSObject wrapped ? wrapped.BaseObject : value) ?? string.Empty;
}
