using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What Wait-KvpItem waits for.</summary>
internal sealed class KvpWaitOptions
{
    /// <summary>Keys that must all be reported (wildcards allowed; see <see cref="KvpExchange.Match"/>).</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    public KvpSource Source { get; init; } = KvpSource.Guest;

    /// <summary>A wildcard pattern each key's value must match (case-insensitive); null accepts any value.</summary>
    public string? ValuePattern { get; init; }

    /// <summary>How long to wait; null waits until the items appear or the wait is cancelled.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many hosts are read at once in a round.</summary>
    public int ThrottleLimit { get; init; } = 32;

    /// <summary>The pause after the first read; it grows by half each round up to <see cref="MaxInterval"/>.</summary>
    public TimeSpan FirstInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One host to watch: how to reach it and which VMs.</summary>
internal sealed class KvpWaitHost
{
    public KvpWaitHost(string computerName, Func<ICimClient> connect, VmSelection selection)
    {
        ComputerName = computerName;
        Connect = connect;
        Selection = selection;
    }

    public string ComputerName { get; }

    public Func<ICimClient> Connect { get; }

    public VmSelection Selection { get; }
}

/// <summary>Where a wait stands after a round, for progress display.</summary>
internal sealed class KvpWaitProgress
{
    internal KvpWaitProgress(TimeSpan elapsed, TimeSpan? timeout, TimeSpan nextRead, IReadOnlyList<KvpWaitHostProgress> hosts)
    {
        Elapsed = elapsed;
        Timeout = timeout;
        NextRead = nextRead;
        Hosts = hosts;
    }

    public TimeSpan Elapsed { get; }

    public TimeSpan? Timeout { get; }

    /// <summary>The pause before the next read (zero after the last).</summary>
    public TimeSpan NextRead { get; }

    public IReadOnlyList<KvpWaitHostProgress> Hosts { get; }

    public int Total => Hosts.Sum(h => h.Total);

    public int Ready => Hosts.Sum(h => h.Ready);
}

/// <summary>One host's part of <see cref="KvpWaitProgress"/>.</summary>
internal sealed class KvpWaitHostProgress
{
    internal KvpWaitHostProgress(string computerName, int total, int ready, IReadOnlyList<string> waiting, bool finished)
    {
        ComputerName = computerName;
        Total = total;
        Ready = ready;
        Waiting = waiting;
        Finished = finished;
    }

    public string ComputerName { get; }

    /// <summary>VMs waited on.</summary>
    public int Total { get; }

    /// <summary>VMs that reported every key.</summary>
    public int Ready { get; }

    /// <summary>The VMs still waited on.</summary>
    public IReadOnlyList<string> Waiting { get; }

    /// <summary>True when nothing more is read from this host (all ready, or the host failed).</summary>
    public bool Finished { get; }
}

/// <summary>
/// Wait-KvpItem's work: finds the VMs of every host once, then polls in rounds until every VM
/// reports every key (or the timeout). A round reads each host's KVP instances with ONE query
/// (Msvm_KvpExchangeComponent for guest and intrinsic items, Msvm_KvpExchangeComponentSettingData for
/// host items; docs/provider-model.md "KVP"), whatever the number of VMs, the hosts of a round in
/// parallel; items are taken apart by <see cref="KvpExchange"/>'s own reading. Between rounds it waits
/// on the cancellation token's wait handle with a growing pause, so Ctrl+C ends the wait at once.
/// Everything it reports (callbacks, reporter) happens on the calling thread.
/// </summary>
internal static class KvpWait
{
    private const int MaxVmsForNarrowedReads = 16;

    public static void Run(IReadOnlyList<KvpWaitHost> hosts, KvpWaitOptions options, OperationReporter reporter, Action<KvpWaitProgress> progress, Action<IReadOnlyList<KvpItem>> satisfied, CancellationToken cancellationToken)
    {
        if (hosts is null || options is null || reporter is null || progress is null || satisfied is null)
        {
            throw new ArgumentNullException(hosts is null ? nameof(hosts) : options is null ? nameof(options) : reporter is null ? nameof(reporter) : progress is null ? nameof(progress) : nameof(satisfied));
        }

        var clock = Stopwatch.StartNew();
        var quiet = QuietRepeats(reporter);
        var watches = hosts.Select(h => new HostWatch(h)).ToList();
        var query = KvpRules.IsWritable(options.Source) ? KvpExchange.SettingQuery : KvpExchange.ComponentQuery;
        var condition = new Condition(options);
        try
        {
            ForEachHost(watches, options.ThrottleLimit, watch =>
            {
                var lookup = VmInventory.Find(watch.Client, watch.Host.Selection, cancellationToken);
                return () =>
                {
                    foreach (var failure in lookup.Failures)
                    {
                        reporter.Error(failure);
                    }

                    watch.Start(lookup.Machines);
                };
            }, reporter, cancellationToken);

            var interval = options.FirstInterval;
            while (true)
            {
                var polling = watches.Where(w => w.Pending.Count > 0).ToList();
                foreach (var watch in polling)
                {
                    reporter.Verbose(GuestFeatureException.Format("VerboseKvpWaitRead", query.Text, watch.Host.ComputerName, watch.Pending.Count));
                }

                ForEachHost(polling, options.ThrottleLimit, watch =>
                {
                    // A few VMs: the component query names them (same one round trip, less data).
                    var onlyVms = watch.Pending.Count <= MaxVmsForNarrowedReads
                        ? watch.Pending.Select(vm => vm.Path.Keys.TryGetValue("Name", out var id) ? id as string : null).Where(n => n is not null).Select(n => n!).ToList()
                        : null;
                    var snapshot = HostSnapshot.Read(watch.Client, new[] { query }, 1, cancellationToken, onlyVms);
                    return () => watch.Check(snapshot, query, options.Source, condition, quiet, satisfied);
                }, reporter, cancellationToken);

                var remaining = options.Timeout is { } timeout ? timeout - clock.Elapsed : (TimeSpan?)null;
                var done = watches.All(w => w.Pending.Count == 0);
                var expired = remaining is { } left && left <= TimeSpan.Zero;
                var pause = done || expired ? TimeSpan.Zero : remaining is { } r && r < interval ? r : interval;
                progress(new KvpWaitProgress(clock.Elapsed, options.Timeout, pause, watches.Select(w => w.Progress()).ToList()));
                if (done)
                {
                    return;
                }

                if (expired)
                {
                    ReportTimeouts(watches, options, condition, reporter, cancellationToken);
                    return;
                }

                if (cancellationToken.WaitHandle.WaitOne(pause))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                interval = TimeSpan.FromTicks(Math.Min(options.MaxInterval.Ticks, interval.Ticks * 3 / 2));
            }
        }
        finally
        {
            watches.ForEach(w => w.Dispose());
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> for each host in parallel (bounded); each returns what to do with its
    /// result, which then runs here, on the calling thread, in host order. A host that fails is reported
    /// once and dropped from the wait.
    /// </summary>
    private static void ForEachHost(IReadOnlyList<HostWatch> watches, int throttleLimit, Func<HostWatch, Action> read, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var outcomes = new Action?[watches.Count];
        var failures = new GuestFeatureException?[watches.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, throttleLimit), CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, watches.Count, options, i =>
            {
                try
                {
                    outcomes[i] = read(watches[i]);
                }
                catch (GuestFeatureException failure)
                {
                    failures[i] = failure;
                }
            });
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.All(x => x is OperationCanceledException))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        for (var i = 0; i < watches.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                reporter.Error(failure);
                watches[i].Fail();
            }
            else
            {
                outcomes[i]?.Invoke();
            }
        }
    }

    private static void ReportTimeouts(IReadOnlyList<HostWatch> watches, KvpWaitOptions options, Condition condition, OperationReporter reporter, CancellationToken cancellationToken)
    {
        var waited = options.Timeout is { } t ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) : "0";
        foreach (var watch in watches.Where(w => w.Pending.Count > 0))
        {
            // Why guest items are missing depends on the VM's state now, not at the start: read it once more.
            var now = new Dictionary<Guid, VirtualMachine>();
            if (!KvpRules.IsWritable(options.Source) && watch.Pending.Any(vm => condition.Unseen(watch.LastSeen(vm)).Count > 0))
            {
                try
                {
                    var selection = new VmSelection();
                    selection.AddIds(watch.Pending.Select(vm => vm.Id));
                    now = VmInventory.Find(watch.Client, selection, cancellationToken).Machines.ToDictionary(vm => vm.Id);
                }
                catch (GuestFeatureException)
                {
                    // The reason is a courtesy; the timeout is reported either way.
                }
            }

            foreach (var vm in watch.Pending)
            {
                var seen = watch.LastSeen(vm);
                var lastSeen = condition.Describe(seen);
                var why = now.TryGetValue(vm.Id, out var current) && condition.Unseen(seen).Count > 0
                    ? KvpExchange.GuestItemsUnavailable(current, null, watch.LastComponent(vm))
                    : null;
                var message = GuestFeatureException.Format("KvpWaitTimeout", vm.Name, vm.ComputerName, options.Source, waited, lastSeen)
                    + (why is null ? string.Empty : " " + why);
                reporter.Error(new GuestFeatureException("KvpWaitTimeout", FailureKind.Timeout, vm.Name, message)
                {
                    RecommendedAction = GuestFeatureException.Format("KvpWaitTimeoutAction", CommandText.Target(vm), options.Source),
                });
            }
        }
    }

    /// <summary>The same warning (a malformed guest item) would come back every round: say it once.</summary>
    private static OperationReporter QuietRepeats(OperationReporter reporter)
    {
        var said = new HashSet<string>(StringComparer.Ordinal);
        return new OperationReporter
        {
            Verbose = reporter.Verbose,
            Error = reporter.Error,
            ShouldProcess = reporter.ShouldProcess,
            Warning = message =>
            {
                if (said.Add(message))
                {
                    reporter.Warning(message);
                }
            },
        };
    }

    /// <summary>The keys and value pattern, applied to one VM's items.</summary>
    private sealed class Condition
    {
        private readonly KvpWaitOptions _options;
        private readonly WildcardPattern? _value;

        public Condition(KvpWaitOptions options)
        {
            _options = options;
            _value = options.ValuePattern is { } pattern ? WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant) : null;
        }

        /// <summary>The items that meet the condition, one or more per name; null while any name is unmet.</summary>
        public List<(string Name, string Value)>? Met(IReadOnlyDictionary<string, string> items)
        {
            var hits = new List<(string Name, string Value)>();
            foreach (var name in _options.Names)
            {
                var matched = KvpExchange.Match(items.Keys, name).Where(k => _value is null || _value.IsMatch(items[k])).ToList();
                if (matched.Count == 0)
                {
                    return null;
                }

                hits.AddRange(matched.Where(k => !hits.Any(h => h.Name == k)).Select(k => (k, items[k])));
            }

            return hits;
        }

        /// <summary>The names no key answers at all.</summary>
        public List<string> Unseen(IReadOnlyDictionary<string, string> items)
            => _options.Names.Where(n => KvpExchange.Match(items.Keys, n).Count == 0).ToList();

        /// <summary>What was last seen for each name: its value(s), or "not reported".</summary>
        public string Describe(IReadOnlyDictionary<string, string> items)
        {
            var parts = new List<string>();
            foreach (var name in _options.Names)
            {
                var keys = KvpExchange.Match(items.Keys, name);
                if (keys.Count == 0)
                {
                    parts.Add(GuestFeatureException.Format("KvpWaitNotReported", WildcardPattern.Unescape(name)));
                    continue;
                }

                foreach (var key in keys)
                {
                    var value = items[key];
                    parts.Add(_value is null || _value.IsMatch(value)
                        ? GuestFeatureException.Format("KvpWaitSeen", key, value)
                        : GuestFeatureException.Format("KvpWaitSeenNoMatch", key, value, _options.ValuePattern));
                }
            }

            return string.Join("; ", parts);
        }
    }

    /// <summary>One host's VMs during a wait.</summary>
    private sealed class HostWatch : IDisposable
    {
        private static readonly IReadOnlyDictionary<string, string> Nothing = new Dictionary<string, string>();
        private readonly Dictionary<Guid, IReadOnlyDictionary<string, string>> _lastSeen = new();
        private readonly Dictionary<Guid, CimObject?> _lastComponent = new();
        private ICimClient? _client;
        private int _total;
        private int _ready;

        public HostWatch(KvpWaitHost host) => Host = host;

        public KvpWaitHost Host { get; }

        public List<VirtualMachine> Pending { get; } = new();

        public ICimClient Client => _client ??= Host.Connect();

        private bool Failed { get; set; }

        public void Start(IEnumerable<VirtualMachine> machines)
        {
            Pending.AddRange(machines);
            _total = Pending.Count;
        }

        public void Fail()
        {
            Failed = true;
            Pending.Clear();
        }

        public IReadOnlyDictionary<string, string> LastSeen(VirtualMachine vm) => _lastSeen.TryGetValue(vm.Id, out var seen) ? seen : Nothing;

        public CimObject? LastComponent(VirtualMachine vm) => _lastComponent.TryGetValue(vm.Id, out var component) ? component : null;

        public void Check(HostSnapshot snapshot, SnapshotQuery query, KvpSource source, Condition condition, OperationReporter reporter, Action<IReadOnlyList<KvpItem>> satisfied)
        {
            foreach (var vm in Pending.ToList())
            {
                var holder = snapshot.ForVm(query, vm.Id).FirstOrDefault();
                var items = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var entry in KvpExchange.ItemsOf(holder, source, vm, reporter))
                {
                    items[entry.Name] = entry.Value;
                }

                _lastSeen[vm.Id] = items;
                _lastComponent[vm.Id] = holder;
                if (condition.Met(items) is { } hits)
                {
                    Pending.Remove(vm);
                    _ready++;
                    satisfied(hits.Select(h => new KvpItem(vm.ComputerName, vm.Name, vm.Id, source, h.Name, h.Value)).ToList());
                }
            }
        }

        public KvpWaitHostProgress Progress()
            => new(Host.ComputerName, _total, _ready, Pending.Select(vm => vm.Name).ToList(), Failed || Pending.Count == 0);

        public void Dispose()
        {
            _client?.Dispose();
            _client = null;
        }
    }
}
