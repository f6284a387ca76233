using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Copy-GuestFile: copies host files into running VMs over the Guest Service Interface
/// (Copy-VMFile -FileSource Host), several files and VMs in one call, and with -Recurse directory trees. Checks every
/// VM first (running, Guest Service Interface enabled and answering) with one read per host, then makes one provider
/// call per file, with progress by bytes. As with Copy-VMFile, -Force means overwrite. The Hyper-V host reads the
/// sources: for this computer they are resolved here (relative paths, wildcards, existence, what kind of file); for any
/// other host they are passed as given, and the host's refusal is the error (docs/provider-model.md).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "GuestFile", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(GuestFileCopyResult))]
public sealed class CopyGuestFileCommand : VmCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<string> _sourcePaths = new();
    private int _activityIds;

    /// <summary>
    /// Host files. For this computer: relative to the current file-system location, wildcards match files (and, with
    /// -Recurse, directories). For a remote host: full paths on that host, passed as given.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] SourcePath { get; set; } = Array.Empty<string>();

    /// <summary>Host files named exactly as written: no character is a wildcard. Get-ChildItem output binds by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The full guest path: the file's path for one source, a guest directory for several.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string DestinationPath { get; set; } = string.Empty;

    /// <summary>Creates missing guest folders.</summary>
    [Parameter]
    public SwitchParameter CreateFullPath { get; set; }

    /// <summary>Copies the files of source directories and of their subdirectories, keeping the tree (this computer only).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Overwrites existing guest files (Copy-VMFile's meaning); it does not suppress confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns a GuestFileCopyResult per file copied.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>How long to wait for each file's copy job, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 604800)]
    public int TimeoutSec { get; set; } = 600;

    protected override void OnBegin()
    {
        try
        {
            GuestCopyPlan.RequireFullGuestPath(DestinationPath);
        }
        catch (GuestFeatureException failure)
        {
            ThrowFailure(failure);
        }
    }

    protected override void OnProcess()
    {
        CollectVmRequest(requireSelection: true);

        // Paths piped in (Get-ChildItem's PSPath) add up over the pipeline; paths typed once count once.
        var literal = ParameterSetName == LiteralPathSet;
        if (_sourcePaths.Count == 0 || (literal && !IsCommandLineParameter(nameof(LiteralPath))))
        {
            _sourcePaths.AddRange(literal ? LiteralPath : SourcePath);
        }
    }

    protected override void OnEnd()
    {
        var requests = Requests;
        if (requests.Count == 0)
        {
            return;
        }

        // Sources are planned once for this computer and once for the other hosts, on the pipeline thread.
        var remoteHosts = requests.Where(r => !IsThisComputer(r.Host.ComputerName)).Select(r => r.Host.ComputerName).ToList();
        var local = remoteHosts.Count < requests.Count ? LocalPlan() : null;
        var remote = remoteHosts.Count > 0 ? RemotePlan(string.Join(", ", remoteHosts)) : null;
        if ((local?.Items.Count ?? 0) == 0 && (remote?.Items.Count ?? 0) == 0)
        {
            return;
        }

        var overwrite = Force.IsPresent;
        var createFullPath = CreateFullPath.IsPresent;
        var passThru = PassThru.IsPresent;
        var options = new JobWaitOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) };

        RunChanges(requests, (host, selection) =>
        {
            var plan = IsThisComputer(host.ComputerName) ? local : remote;
            if (plan is null || plan.Items.Count == 0)
            {
                return ChangePlan.None;
            }

            var action = plan.DestinationIsDirectory
                ? GuestFeatureException.Format("CopyActionMany", plan.Items.Count, DestinationPath, overwrite ? GuestFeatureException.Format("CopyActionOverwrite") : string.Empty)
                : GuestFeatureException.Format("CopyActionOne", plan.Items[0].Source.Path, plan.Items[0].DestinationPath, overwrite ? GuestFeatureException.Format("CopyActionOverwrite") : string.Empty);
            var copier = new GuestFileCopier(host.Client, options);
            return copier.Plan(selection, action, DestinationPath, (target, stop) => CopyAll(host, copier, target, plan.Items, overwrite, createFullPath, passThru, stop), host.Reporter, host.CancellationToken);
        });
    }

    /// <summary>"This computer" as the module names it: its own name, which localhost and . resolve to (about_HyperVGuestFeatures).</summary>
    private static bool IsThisComputer(string computerName)
        => string.Equals(computerName, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan for this computer: sources resolved, expanded and checked here; failures written once.</summary>
    private GuestCopyPlanResult LocalPlan()
    {
        var collector = new HostSourceCollector(Recurse.IsPresent);
        var usedWildcards = ParameterSetName == LiteralPathSet ? AddLiteralSources(collector) : AddSources(collector);
        foreach (var failure in collector.Failures)
        {
            WriteFailure(failure);
        }

        foreach (var note in collector.Notes)
        {
            WriteVerbose(note);
        }

        foreach (var warning in collector.Warnings)
        {
            WriteWarning(warning);
        }

        return Plan(collector.Sources, usedWildcards);
    }

    /// <summary>
    /// The plan for the other hosts: sources as given (-LiteralPath without its provider qualifier); wildcards and
    /// relative paths refused, naming the hosts. -Recurse needs the directory listing, which only this computer's files
    /// give, so it is refused for them as a whole.
    /// </summary>
    private GuestCopyPlanResult? RemotePlan(string hostNames)
    {
        if (Recurse.IsPresent)
        {
            WriteFailure(new GuestFeatureException(
                "GuestFileRecurseNeedsLocalHost",
                FailureKind.InvalidArgument,
                hostNames,
                GuestFeatureException.Format("GuestFileRecurseNeedsLocalHost", hostNames))
            {
                RecommendedAction = GuestFeatureException.Format("GuestFileRecurseNeedsLocalHostAction", hostNames),
            });
            return null;
        }

        var literal = ParameterSetName == LiteralPathSet;
        var paths = literal ? _sourcePaths.Select(WithoutProvider) : _sourcePaths;
        var (sources, failures) = GuestCopyPlan.HostSources(paths, hostNames, literal);
        foreach (var failure in failures)
        {
            WriteFailure(failure);
        }

        return Plan(sources, usedWildcards: false);
    }

    /// <summary>'Microsoft.PowerShell.Core\FileSystem::C:\x' (a piped PSPath) is 'C:\x' to the host.</summary>
    private static string WithoutProvider(string path)
    {
        var cut = path.IndexOf("::", StringComparison.Ordinal);
        return cut > 0 && path.Substring(0, cut).EndsWith("FileSystem", StringComparison.OrdinalIgnoreCase) ? path.Substring(cut + 2) : path;
    }

    private GuestCopyPlanResult Plan(IReadOnlyList<GuestCopySource> sources, bool usedWildcards)
    {
        var plan = GuestCopyPlan.Build(sources, DestinationPath, usedWildcards);
        foreach (var failure in plan.Failures)
        {
            WriteFailure(failure);
        }

        return plan;
    }

    /// <summary>
    /// Copies the files into one VM, one call each. Progress is by bytes over the whole copy when this computer knows
    /// every size (each file's job progress counts its share of bytes), by files otherwise (a remote host's files);
    /// the current file is in the status.
    /// </summary>
    private void CopyAll(HostContext host, GuestFileCopier copier, GuestCopyTarget target, IReadOnlyList<GuestCopyItem> items, bool overwrite, bool createFullPath, bool passThru, CancellationToken cancellationToken)
    {
        var vm = target.Machine;
        var parentId = Interlocked.Increment(ref _activityIds);
        var childId = Interlocked.Increment(ref _activityIds);
        var activity = GuestFeatureException.Format("ProgressCopyActivity", vm.Name, vm.ComputerName);
        var progress = new CopyProgress(items);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var status = GuestFeatureException.Format("ProgressCopyStatus", i + 1, items.Count, item.Source.Path, item.DestinationPath);
            ProgressRecord Overall(int percent) => new(parentId, activity, status)
            {
                PercentComplete = progress.Percent(percent),
                CurrentOperation = progress.Operation(percent),
            };

            host.Progress(Overall(0));
            var jobActivity = GuestFeatureException.Format("ProgressJobActivity", GuestCopyPlan.FileNameOf(item.Source.Path));
            void JobProgress(int percent)
            {
                host.Progress(new ProgressRecord(childId, jobActivity, GuestFeatureException.Format("ProgressJobStatus", percent))
                {
                    ParentActivityId = parentId,
                    PercentComplete = percent,
                });
                host.Progress(Overall(percent));
            }

            host.Verbose(GuestFeatureException.Format("VerboseCopy", item.Source.Path, item.DestinationPath, vm.Name, vm.ComputerName));
            try
            {
                var result = copier.Copy(target, item, overwrite, createFullPath, JobProgress, cancellationToken);
                if (passThru)
                {
                    host.Output(result);
                }
            }
            catch (GuestFeatureException failure)
            {
                host.Error(failure);
            }

            progress.Next();
        }

        host.Progress(new ProgressRecord(childId, activity, GuestFeatureException.Format("ProgressJobStatus", 100)) { ParentActivityId = parentId, RecordType = ProgressRecordType.Completed });
        host.Progress(new ProgressRecord(parentId, activity, activity) { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>Where a copy of several files stands: by bytes when every size is known and some file has bytes, by files otherwise.</summary>
    private sealed class CopyProgress
    {
        private readonly IReadOnlyList<GuestCopyItem> _items;
        private readonly long _totalBytes;
        private readonly bool _byBytes;
        private long _doneBytes;
        private int _index;

        public CopyProgress(IReadOnlyList<GuestCopyItem> items)
        {
            _items = items;
            _byBytes = items.All(i => i.Source.Bytes is not null);
            _totalBytes = items.Sum(i => i.Source.Bytes ?? 0);
            _byBytes &= _totalBytes > 0;
        }

        /// <summary>The whole copy's percent while the current file's job is at <paramref name="jobPercent"/>.</summary>
        public int Percent(int jobPercent)
            => _byBytes
                ? (int)((Done(jobPercent) * 100) / _totalBytes)
                : ((_index * 100) + jobPercent) / _items.Count;

        public string? Operation(int jobPercent)
            => _byBytes ? GuestFeatureException.Format("ProgressCopyBytes", Done(jobPercent), _totalBytes) : null;

        public void Next()
        {
            _doneBytes += _items[_index].Source.Bytes ?? 0;
            _index++;
        }

        private long Done(int jobPercent) => _doneBytes + ((_items[_index].Source.Bytes ?? 0) * jobPercent / 100);
    }

    /// <summary>
    /// Resolves -SourcePath against the current file-system location. A wildcard expands to what it matches; one that
    /// matches nothing is an error naming the pattern, and so is one whose text is also the name of an existing file
    /// ('b[1].txt' beside 'b1.txt'), so that a file is never swapped for another silently: the literal file is reached
    /// with -LiteralPath or an escaped path. A path that is not there is an error with the path as target; the other
    /// paths go on. Returns whether any path had wildcards.
    /// </summary>
    private bool AddSources(HostSourceCollector collector)
    {
        var usedWildcards = false;
        foreach (var path in _sourcePaths)
        {
            var wildcard = WildcardPattern.ContainsWildcardCharacters(path);
            usedWildcards |= wildcard;
            Collection<string> resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                WriteFailure(GuestFeatureException.Create("GuestFileSourceNotFound", FailureKind.NotFound, path, path));
                continue;
            }

            if (!IsFileSystem(provider, path))
            {
                continue;
            }

            if (wildcard && LiteralTwin(path, resolved) is { } twin)
            {
                WriteFailure(PatternFailure(resolved.Count == 0 ? "GuestFileSourceNoMatch" : "GuestFileSourceAmbiguous", path, twin, resolved.Count));
                continue;
            }

            if (resolved.Count == 0)
            {
                WriteFailure(GuestFeatureException.Create("GuestFileSourceNoMatch", FailureKind.NotFound, path, path, 0));
                continue;
            }

            foreach (var file in resolved)
            {
                collector.Add(file, path, namedOutright: !wildcard);
            }
        }

        return usedWildcards;
    }

    /// <summary>Resolves -LiteralPath: each path names itself (no wildcard), relative to the current file-system location.</summary>
    private bool AddLiteralSources(HostSourceCollector collector)
    {
        foreach (var path in _sourcePaths)
        {
            string file;
            ProviderInfo provider;
            try
            {
                file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
            {
                WriteFailure(GuestFeatureException.Create("GuestFileSourceNotFound", FailureKind.NotFound, path, path));
                continue;
            }

            if (IsFileSystem(provider, path))
            {
                collector.Add(file, path, namedOutright: true);
            }
        }

        return false;
    }

    private bool IsFileSystem(ProviderInfo provider, string path)
    {
        if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        WriteFailure(GuestFeatureException.Create("GuestFileSourceNotFileSystem", FailureKind.InvalidArgument, path, path, provider.Name));
        return false;
    }

    /// <summary>The file whose name is the pattern's own text, when it exists and the pattern did not match it.</summary>
    private string? LiteralTwin(string pattern, Collection<string> matches)
    {
        string literal;
        try
        {
            literal = SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern);
        }
        catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
        {
            return null;
        }

        var exists = HostFiles.Probe(literal).Kind != HostFileKind.Missing;
        return exists && !matches.Contains(literal, GuestCopyPlan.HostPathComparer) ? literal : null;
    }

    private static GuestFeatureException PatternFailure(string errorId, string pattern, string twin, int matchCount)
    {
        var kind = errorId == "GuestFileSourceNoMatch" ? FailureKind.NotFound : FailureKind.InvalidArgument;
        return new GuestFeatureException(errorId, kind, pattern, GuestFeatureException.Format(errorId, pattern, matchCount))
        {
            RecommendedAction = GuestFeatureException.Format("GuestFileSourceLiteralAction", twin, CommandText.Literal(pattern), NamePatterns.QuotedLiteral(pattern)),
        };
    }
}
