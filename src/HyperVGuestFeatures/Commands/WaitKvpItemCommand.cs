using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Wait-KvpItem: waits until every selected VM reports every key (with a value matching -Value when
/// given), polling each host with one query per round whatever the VM count, with progress, and
/// Ctrl+C ending the wait at once. A VM still missing a key at -Timeout gets a KvpWaitTimeout error
/// naming what was last seen.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KvpItem")]
[OutputType(typeof(KvpItem))]
public sealed class WaitKvpItemCommand : VmCmdletBase
{
    private const int OverallActivityId = 1;

    /// <summary>The keys to wait for; wildcards allowed (any matching key counts).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KvpNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The pool the keys appear in: Guest (default), Intrinsic or Host.</summary>
    [Parameter]
    [ValidateSet(nameof(KvpSource.Guest), nameof(KvpSource.Intrinsic), nameof(KvpSource.Host))]
    public KvpSource Source { get; set; } = KvpSource.Guest;

    /// <summary>A wildcard pattern the value must match (case-insensitive); any value by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNull]
    public string? Value { get; set; }

    /// <summary>Seconds to wait; -1 (the default) waits until the items appear or Ctrl+C; 0 checks once.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <summary>Writes the KvpItem(s) that met the condition, per VM as soon as it is ready.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnProcess() => CollectVmRequest();

    protected override void OnEnd()
    {
        var requests = Requests;
        if (requests.Count == 0)
        {
            return;
        }

        // A key or value that is not a valid pattern could never be met: an error for that value, and no wait.
        var invalid = Name!.Select(n => NamePatterns.Check(n, nameof(Name))).Append(Value is null ? null : NamePatterns.Check(Value, nameof(Value)))
            .OfType<GuestFeatureException>().ToList();
        invalid.ForEach(WriteFailure);
        if (invalid.Count > 0)
        {
            return;
        }

        var options = new KvpWaitOptions
        {
            Names = Name!,
            Source = Source,
            ValuePattern = Value,
            Timeout = Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout),
            ThrottleLimit = ThrottleLimit,
        };
        // The wait reads hosts on its own threads and reports here: their debug messages come out before each report.
        var reporter = new OperationReporter
        {
            Verbose = m => { FlushProviderDebug(); WriteVerbose(m); },
            Warning = m => { FlushProviderDebug(); WriteWarning(m); },
            Error = e => { FlushProviderDebug(); WriteFailure(e); },
        };
        var activity = GuestFeatureException.Format("KvpWaitActivity", Source, string.Join(", ", Name!));
        var hosts = requests.Select(r => new KvpWaitHost(r.Host.ComputerName, () => Traced(r.Host.Connect(), QueueProviderDebug), r.Selection)).ToList();
        try
        {
            KvpWait.Run(hosts, options, reporter, p => { FlushProviderDebug(); WriteProgress(activity, p); }, items =>
            {
                FlushProviderDebug();
                if (PassThru)
                {
                    WriteObject(items, enumerateCollection: true);
                }
            }, CancellationToken);
        }
        finally
        {
            if (!CancellationToken.IsCancellationRequested)
            {
                WriteProgress(new ProgressRecord(OverallActivityId, activity, GuestFeatureException.Format("KvpWaitDone")) { RecordType = ProgressRecordType.Completed });
            }
        }
    }

    private void WriteProgress(string activity, KvpWaitProgress progress)
    {
        var overall = new ProgressRecord(OverallActivityId, activity, GuestFeatureException.Format("KvpWaitStatus", progress.Ready, progress.Total, Seconds(progress.Elapsed)));
        if (progress.Timeout is { } timeout && timeout > TimeSpan.Zero)
        {
            overall.PercentComplete = (int)Math.Min(100, progress.Elapsed.TotalMilliseconds * 100 / timeout.TotalMilliseconds);
            overall.SecondsRemaining = (int)Math.Max(0, Math.Ceiling((timeout - progress.Elapsed).TotalSeconds));
        }
        else if (progress.Total > 0)
        {
            overall.PercentComplete = progress.Ready * 100 / progress.Total;
        }

        WriteProgress(overall);
        for (var i = 0; i < progress.Hosts.Count; i++)
        {
            var host = progress.Hosts[i];
            var waiting = host.Waiting.Count <= 3
                ? string.Join(", ", host.Waiting)
                : GuestFeatureException.Format("KvpWaitMore", string.Join(", ", host.Waiting.Take(3)), host.Waiting.Count - 3);
            var status = host.Waiting.Count == 0
                ? GuestFeatureException.Format("KvpWaitHostDone", host.Ready, host.Total)
                : GuestFeatureException.Format("KvpWaitHostStatus", host.Ready, host.Total, waiting);
            WriteProgress(new ProgressRecord(OverallActivityId + 1 + i, host.ComputerName, status)
            {
                ParentActivityId = OverallActivityId,
                PercentComplete = host.Total == 0 ? 100 : host.Ready * 100 / host.Total,
                RecordType = host.Finished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
}
