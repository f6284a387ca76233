using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Enable-GuestFeature and Disable-GuestFeature: features named with -Name on the VMs of -VMName/-VMId
/// (or piped VM objects), or Get-GuestFeature rows piped in (-InputObject), each switching its own
/// feature on its own VM. A feature the host cannot switch is one FeatureNotSwitchable error that says
/// why and what to do instead, before any host is contacted; the rest goes to <see cref="FeatureSwitcher"/>
/// host by host.
/// </summary>
public abstract class GuestFeatureSwitchCmdletBase : VmCmdletBase
{
    private protected GuestFeatureSwitchCmdletBase()
    {
    }

    protected const string NameSet = "Name";
    protected const string InputObjectSet = "InputObject";

    private readonly Dictionary<string, (HostTarget Host, FeatureSwitchRequest Request)> _piped = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);
    private List<FeatureDefinition> _named = new();

    /// <summary>VM names; wildcards allowed. With piped Get-GuestFeature rows, each row names its own VM instead.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public new string[]? VMName
    {
        get => base.VMName;
        set => base.VMName = value;
    }

    /// <summary>VM ids (Get-VM's VMId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public new Guid[]? VMId
    {
        get => base.VMId;
        set => base.VMId = value;
    }

    /// <summary>Features to switch: names or catalog ids; wildcards match the switchable features.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateFeatureName]
    [ArgumentCompleter(typeof(SwitchableFeatureNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Get-GuestFeature rows: each switches its own feature on its own VM and host.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    public GuestFeatureStatus[] InputObject { get; set; } = Array.Empty<GuestFeatureStatus>();

    /// <summary>Writes the rows of the features switched or already as asked, as Get-GuestFeature reads them afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>True for Enable-GuestFeature, false for Disable-GuestFeature.</summary>
    protected abstract bool Enable { get; }

    protected override void OnBegin()
    {
        if (ParameterSetName != NameSet)
        {
            return;
        }

        var named = new List<FeatureDefinition>();
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                // A pattern selects among the features the host can switch; it is no error that others match too.
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                var matches = FeatureSwitch.SwitchableFeatures.Where(f => f.IsNamed(pattern.IsMatch)).ToList();
                if (matches.Count == 0)
                {
                    WriteWarning(GuestFeatureException.Format("FeatureNoSwitchableMatch", name));
                }

                named.AddRange(matches);
                continue;
            }

            var feature = FeatureCatalog.Find(WildcardPattern.Unescape(name));
            if (feature is not null && Switchable(feature))
            {
                named.Add(feature);
            }
        }

        _named = named.Distinct().ToList();
    }

    protected override void OnProcess()
    {
        if (ParameterSetName == NameSet)
        {
            if (_named.Count > 0)
            {
                CollectVmRequest(requireSelection: true);
            }

            return;
        }

        // The row's ComputerName (bound from it by property name), or -CimSession, picks its host.
        foreach (var host in ResolveHosts())
        {
            if (!_piped.TryGetValue(host.ComputerName, out var entry))
            {
                entry = (host, new FeatureSwitchRequest(Enable));
                _piped.Add(host.ComputerName, entry);
            }

            foreach (var row in InputObject.Where(r => r is not null))
            {
                var feature = FeatureCatalog.Find(row.FeatureId) ?? FeatureCatalog.Find(row.Feature);
                if (feature is not null && Switchable(feature))
                {
                    entry.Request.AddFeature(row.VMId, feature);
                }
            }
        }
    }

    protected override void OnEnd()
    {
        var work = ParameterSetName == NameSet
            ? Requests.Select(r => (r.Host, Request: NamedRequest(r.Selection))).ToList()
            : _piped.Values.ToList();
        var passThru = PassThru.IsPresent;
        RunChanges(work, (host, request) =>
        {
            var callbacks = new FeatureSwitchCallbacks
            {
                Reporter = host.Reporter,
                PassThru = passThru ? row => host.Output(row) : null,
            };
            return FeatureSwitcher.Plan(host.Client, request, callbacks, host.CancellationToken);
        });
    }

    private FeatureSwitchRequest NamedRequest(VmSelection selection)
    {
        var request = new FeatureSwitchRequest(Enable, selection);
        request.AddFeatures(_named);
        return request;
    }

    /// <summary>True when the host can switch it; otherwise one FeatureNotSwitchable error per feature and call.</summary>
    private bool Switchable(FeatureDefinition feature)
    {
        if (FeatureSwitch.For(feature) is not null)
        {
            return true;
        }

        if (_reported.Add(feature.Id))
        {
            WriteFailure(FeatureSwitch.NotSwitchable(feature));
        }

        return false;
    }
}

/// <summary>Completes Enable-/Disable-GuestFeature's -Name with the features the host can switch.</summary>
internal sealed class SwitchableFeatureNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.From(FeatureSwitch.SwitchableFeatures.Select(f => f.Name), wordToComplete, n => FeatureCatalog.Find(n)?.Description ?? n, Completions.TakesWildcards(commandName, parameterName));
}
