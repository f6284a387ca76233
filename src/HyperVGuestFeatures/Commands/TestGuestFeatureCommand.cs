using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Test-GuestFeature: a gate for CI/CD and compliance scripts. Probes the features asked for with
/// the same probe as Get-GuestFeature (round trips constant in the VM count) and writes one
/// GuestFeatureTestResult per VM, or with -Quiet a single [bool] for everything asked: $false when
/// any VM fails, when a VM or host could not be tested (its error record is still written), or when
/// no VM was tested at all.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GuestFeature")]
[OutputType(typeof(GuestFeatureTestResult))]
[OutputType(typeof(bool))]
public sealed class TestGuestFeatureCommand : VmCmdletBase
{
    private int _problems;
    private IReadOnlyList<FeatureDefinition> _features = Array.Empty<FeatureDefinition>();

    /// <summary>Feature names or catalog ids; wildcards allowed.</summary>
    [Parameter(Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateFeatureName]
    [ArgumentCompleter(typeof(FeatureNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The states that pass (default Enabled).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public FeatureState[] State { get; set; } = { FeatureState.Enabled };

    /// <summary>When given, the guest support values that pass as well (e.g. Supported).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public GuestSupport[]? GuestSupport { get; set; }

    /// <summary>Returns one [bool] for everything asked instead of a result per VM.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void OnBegin()
    {
        // A name that is not a valid pattern (Heart[) is an error for that name, and the gate cannot pass.
        _features = CatalogFilter.Select(Name, null, out var invalid);
        foreach (var failure in invalid)
        {
            _problems++;
            WriteFailure(failure);
        }

        if (_features.Count == 0)
        {
            ThrowFailure(GuestFeatureException.Create("TestFeatureNoMatch", FailureKind.InvalidArgument, string.Join(", ", Name!), string.Join(", ", Name!)));
        }
    }

    protected override void OnProcess() => CollectVmRequest();

    protected override void OnEnd()
    {
        var features = _features;
        var gate = new FeatureGate(State.Distinct().ToList(), GuestSupport?.Distinct().ToList());
        var quiet = Quiet.IsPresent;
        var tested = 0;
        var failed = 0;

        // Results stream: each VM is judged and tested as soon as its host is read, host by host in the order given.
        RunOnHosts(Requests, (host, selection) =>
        {
            HostFeatureReading reading;
            try
            {
                reading = FeatureProbe.Read(host.Client, selection, features, host.Verbose, host.CancellationToken);
            }
            catch
            {
                // The host's error record is written by RunOnHosts; -Quiet must still answer $false.
                Interlocked.Increment(ref _problems);
                throw;
            }

            foreach (var failure in reading.Failures)
            {
                Interlocked.Increment(ref _problems);
                host.Error(failure);
            }

            host.OutputComputed(reading.Machines.Count, i =>
            {
                IReadOnlyList<GuestFeatureTestResult> results;
                try
                {
                    results = gate.Evaluate(reading.Judge(i));
                }
                catch
                {
                    Interlocked.Increment(ref _problems); // written as this VM's error record; the gate cannot pass
                    throw;
                }

                foreach (var result in results)
                {
                    Interlocked.Increment(ref tested);
                    if (!result.Passed)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }

                return quiet ? Array.Empty<object>() : results;
            });
        });

        if (tested == 0 && _problems == 0)
        {
            WriteWarning(GuestFeatureException.Format("TestFeatureNoVm"));
        }

        if (quiet)
        {
            WriteObject(tested > 0 && failed == 0 && _problems == 0);
        }
    }
}
