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
/// (Copy-VMFile -FileSource Host), several files and VMs in one call. Checks every VM first (running,
/// Guest Service Interface enabled and answering) with one read per host, then makes one provider call
/// per file, with progress. As with Copy-VMFile, -Force means overwrite. The Hyper-V host reads the
/// sources: for this computer they are resolved here (relative paths, wildcards, existence); for any other
/// host they are passed as given, and the host's refusal is the error (docs/provider-model.md).
/// </summary>
[Cmdlet(VerbsCommon.Copy, "GuestFile", SupportsShouldProcess = true)]
[OutputType(typeof(GuestFileCopyResult))]
public sealed class CopyGuestFileCommand : VmCmdletBase
{
    private int _activityIds;

    /// <summary>
    /// Host files. For this computer: relative to the current file-system location, wildcards match files. For a
    /// remote host: full paths on that host, passed as given.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] SourcePath { get; set; } = Array.Empty<string>();

    /// <summary>The full guest path: the file's path for one source, a guest directory for several.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string DestinationPath { get; set; } = string.Empty;

    /// <summary>Creates missing guest folders.</summary>
    [Parameter]
    public SwitchParameter CreateFullPath { get; set; }

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

        RunOnHosts(requests, (host, selection) =>
        {
            var plan = IsThisComputer(host.ComputerName) ? local : remote;
            if (plan is null || plan.Items.Count == 0)
            {
                return;
            }

            var action = plan.DestinationIsDirectory
                ? GuestFeatureException.Format("CopyActionMany", plan.Items.Count, DestinationPath, overwrite ? GuestFeatureException.Format("CopyActionOverwrite") : string.Empty)
                : GuestFeatureException.Format("CopyActionOne", plan.Items[0].Source.Path, plan.Items[0].DestinationPath, overwrite ? GuestFeatureException.Format("CopyActionOverwrite") : string.Empty);
            host.Verbose(GuestFeatureException.Format("VerboseLookup", host.ComputerName));
            var lookup = VmInventory.Find(host.Client, selection, host.CancellationToken);
            foreach (var failure in lookup.Failures)
            {
                host.Error(failure);
            }

            var copier = new GuestFileCopier(host.Client, options);
            foreach (var target in copier.Prepare(lookup.Machines, host.Verbose, host.CancellationToken))
            {
                if (target.Failure is { } refusal)
                {
                    host.Error(refusal);
                    continue;
                }

                if (!host.ShouldProcess(VmPreconditions.Describe(target.Machine), action))
                {
                    continue;
                }

                CopyAll(host, copier, target, plan.Items, overwrite, createFullPath, passThru);
            }
        });
    }

    /// <summary>"This computer" as the module names it: its own name, which localhost and . resolve to (SPEC "Cmdlets").</summary>
    private static bool IsThisComputer(string computerName)
        => string.Equals(computerName, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan for this computer: sources resolved, expanded and checked here; failures written once.</summary>
    private GuestCopyPlanResult LocalPlan()
    {
        var sources = ResolveSources(out var usedWildcards);
        return Plan(sources, usedWildcards);
    }

    /// <summary>The plan for the other hosts: sources as given; wildcards and relative paths refused, naming the hosts.</summary>
    private GuestCopyPlanResult RemotePlan(string hostNames)
    {
        var (sources, failures) = GuestCopyPlan.HostSources(SourcePath, hostNames);
        foreach (var failure in failures)
        {
            WriteFailure(failure);
        }

        return Plan(sources, usedWildcards: false);
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

    private void CopyAll(HostContext host, GuestFileCopier copier, GuestCopyTarget target, IReadOnlyList<GuestCopyItem> items, bool overwrite, bool createFullPath, bool passThru)
    {
        var vm = target.Machine;
        var parentId = Interlocked.Increment(ref _activityIds);
        var childId = Interlocked.Increment(ref _activityIds);
        var activity = GuestFeatureException.Format("ProgressCopyActivity", vm.Name, vm.ComputerName);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var done = i;
            var status = GuestFeatureException.Format("ProgressCopyStatus", i + 1, items.Count, item.Source.Path, item.DestinationPath);
            host.Progress(new ProgressRecord(parentId, activity, status) { PercentComplete = done * 100 / items.Count });
            var jobActivity = GuestFeatureException.Format("ProgressJobActivity", GuestCopyPlan.FileNameOf(item.Source.Path));
            void JobProgress(int percent)
            {
                host.Progress(new ProgressRecord(childId, jobActivity, GuestFeatureException.Format("ProgressJobStatus", percent))
                {
                    ParentActivityId = parentId,
                    PercentComplete = percent,
                });
                host.Progress(new ProgressRecord(parentId, activity, status) { PercentComplete = ((done * 100) + percent) / items.Count });
            }

            host.Verbose(GuestFeatureException.Format("VerboseCopy", item.Source.Path, item.DestinationPath, vm.Name, vm.ComputerName));
            try
            {
                var result = copier.Copy(target, item, overwrite, createFullPath, JobProgress, host.CancellationToken);
                if (passThru)
                {
                    host.Output(result);
                }
            }
            catch (GuestFeatureException failure)
            {
                host.Error(failure);
            }
        }

        host.Progress(new ProgressRecord(childId, activity, GuestFeatureException.Format("ProgressJobStatus", 100)) { ParentActivityId = parentId, RecordType = ProgressRecordType.Completed });
        host.Progress(new ProgressRecord(parentId, activity, activity) { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>
    /// Resolves -SourcePath against the current file-system location: wildcards expand to files (directories
    /// they match are skipped), a directory named outright or a missing file is an error with the path as
    /// target, and the other paths go on.
    /// </summary>
    private List<GuestCopySource> ResolveSources(out bool usedWildcards)
    {
        usedWildcards = false;
        var sources = new List<GuestCopySource>();
        foreach (var path in SourcePath)
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

            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                WriteFailure(GuestFeatureException.Create("GuestFileSourceNotFileSystem", FailureKind.InvalidArgument, path, path, provider.Name));
                continue;
            }

            if (resolved.Count == 0)
            {
                WriteVerbose(GuestFeatureException.Format("VerboseNoSourceMatched", path));
            }

            foreach (var file in resolved)
            {
                if (Directory.Exists(file))
                {
                    if (wildcard)
                    {
                        WriteVerbose(GuestFeatureException.Format("VerboseSkipDirectory", file, path));
                    }
                    else
                    {
                        var failure = GuestFeatureException.Create("GuestFileSourceIsDirectory", FailureKind.InvalidArgument, file, file);
                        WriteFailure(new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
                        {
                            RecommendedAction = GuestFeatureException.Format("GuestFileSourceIsDirectoryAction", Path.Combine(file, "*")),
                        });
                    }

                    continue;
                }

                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    WriteFailure(GuestFeatureException.Create("GuestFileSourceNotFound", FailureKind.NotFound, file, file));
                    continue;
                }

                sources.Add(new GuestCopySource(info.FullName, info.Length));
            }
        }

        return sources;
    }
}
