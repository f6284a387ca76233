using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>How <see cref="DynamicMemory.Set"/> reports and asks while it works; the cmdlet layer fills these in.</summary>
internal sealed class MemoryChangeCallbacks
{
    /// <summary>Messages, per-VM failures and the ShouldProcess question.</summary>
    public OperationReporter Reporter { get; init; } = new();

    /// <summary>When set, receives each VM's settings as re-read after the change (-PassThru).</summary>
    public Action<DynamicMemoryInfo>? PassThru { get; init; }

    public JobWaitOptions JobOptions { get; init; } = JobWaitOptions.Default;
}

/// <summary>
/// Get-DynamicMemory and Set-DynamicMemory's work on one host. Reads take a constant number of round
/// trips per host (the VM lookup, then Msvm_MemorySettingData, Msvm_SummaryInformation and
/// Msvm_PciExpressSettingData once each, joined in memory by <see cref="HostSnapshot"/>); a write is one
/// ModifyResourceSettings call per VM whose settings change, after every rule was checked, plus the
/// ModifySystemSettings call that turns virtual NUMA off before dynamic memory goes on, or back on after it
/// goes off (docs/provider-model.md "Memory rules").
/// </summary>
internal static class DynamicMemory
{
    public const string MemorySettingClass = "Msvm_MemorySettingData";
    public const string ModifyMethod = "ModifyResourceSettings";
    public const string SystemSettingClass = "Msvm_VirtualSystemSettingData";
    public const string ModifySystemMethod = "ModifySystemSettings";
    public const string VirtualNumaProperty = "VirtualNumaEnabled";

    private static readonly string[] InstanceIdKey = { "InstanceID" };

    private static readonly SnapshotQuery[] ReadQueries = { SnapshotQuery.Memory, SnapshotQuery.Summary, SnapshotQuery.AssignedDevices };

    // The rules need the settings, the generation and configuration version (upper bound) and the host version
    // (runtime resize); not the runtime summaries.
    internal static readonly SnapshotQuery[] SetQueries = { SnapshotQuery.Memory, SnapshotQuery.AssignedDevices, SnapshotQuery.SystemSettings, SnapshotQuery.HostOperatingSystem };

    public static HostReadResult<DynamicMemoryInfo> Read(ICimClient client, VmSelection selection, Action<string>? log, CancellationToken cancellationToken, int queryParallelism = 3)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        log?.Invoke(GuestFeatureException.Format("VerboseLookup", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        var failures = lookup.Failures.ToList();
        if (lookup.Machines.Count == 0)
        {
            return new HostReadResult<DynamicMemoryInfo>(Array.Empty<DynamicMemoryInfo>(), failures);
        }

        log?.Invoke(GuestFeatureException.Format("VerboseMemoryRead", client.ComputerName, lookup.Machines.Count));
        var snapshot = ReadSettings(client, lookup.Machines, queryParallelism, cancellationToken);
        var rows = new List<DynamicMemoryInfo>(lookup.Machines.Count);
        foreach (var machine in lookup.Machines)
        {
            try
            {
                rows.Add(InfoOf(new VmView(machine, snapshot)));
            }
            catch (GuestFeatureException failure)
            {
                failures.Add(failure);
            }
        }

        return new HostReadResult<DynamicMemoryInfo>(rows, failures);
    }

    /// <summary>The memory row of one VM from a snapshot holding the read queries.</summary>
    public static DynamicMemoryInfo InfoOf(VmView view)
    {
        if (view is null)
        {
            throw new ArgumentNullException(nameof(view));
        }

        var settings = SettingsOf(view);
        long? assigned = null;
        long? demand = null;
        var summary = view.Summary;
        if (summary is not null && view.Machine.HasRuntimeState && summary.GetUInt64("MemoryUsage") is { } usageMB)
        {
            assigned = (long)usageMB * MemoryRules.BytesPerMB;
            demand = VmSummaries.DemandMB(summary, settings.DynamicMemoryEnabled) * MemoryRules.BytesPerMB;
        }

        return new DynamicMemoryInfo(view.Machine, settings, assigned, demand, view.AssignedDevices.Count > 0);
    }

    /// <summary>
    /// Applies <paramref name="request"/> to every selected VM on the host: each VM is validated with
    /// <see cref="MemoryRules"/>, confirmed, then changed with one ModifyResourceSettings call carrying
    /// only the changed properties; a VM already as asked gets no call. One VM's failure never stops the others.
    /// The whole step on the calling thread (<see cref="PlanSet"/>, each change asked with the reporter's ShouldProcess).
    /// </summary>
    public static void Set(ICimClient client, VmSelection selection, MemoryChangeRequest request, MemoryChangeCallbacks callbacks, CancellationToken cancellationToken, int queryParallelism = 3)
    {
        if (callbacks is null)
        {
            throw new ArgumentNullException(nameof(callbacks));
        }

        PlanSet(client, selection, request, callbacks, cancellationToken, queryParallelism).Run(callbacks.Reporter, cancellationToken);
    }

    /// <summary>
    /// Set-DynamicMemory's plan for one host (<see cref="ChangePlan"/>): the VMs looked up and their settings
    /// read once; per VM, the rules checked (a violation is an error for that VM) and one change, or a warning
    /// when it is already as asked. Every VM changed or already as asked is re-read for callbacks.PassThru.
    /// </summary>
    internal static ChangePlan PlanSet(ICimClient client, VmSelection selection, MemoryChangeRequest request, MemoryChangeCallbacks callbacks, CancellationToken cancellationToken, int queryParallelism = 3)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (callbacks is null)
        {
            throw new ArgumentNullException(nameof(callbacks));
        }

        var reporter = callbacks.Reporter;
        var machines = VmInventory.Find(client, selection, reporter, cancellationToken);
        if (machines.Count == 0)
        {
            return ChangePlan.None;
        }

        reporter.Verbose(GuestFeatureException.Format("VerboseMemoryReadSettings", client.ComputerName, machines.Count));
        var snapshot = HostSnapshot.Read(client, SetQueries, queryParallelism, cancellationToken);
        var service = new Lazy<CimInstancePath>(() => ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        var asAsked = new HashSet<Guid>();
        var changes = new List<VmChange>();
        foreach (var machine in machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (PlanVm(client, new VmView(machine, snapshot), request, string.Empty, service, callbacks, null) is { } change)
                {
                    changes.Add(change);
                }
                else
                {
                    asAsked.Add(machine.Id);
                }
            }
            catch (GuestFeatureException failure)
            {
                reporter.Error(failure);
            }
        }

        return new ChangePlan(changes, made =>
        {
            var changed = new HashSet<Guid>(made.Select(c => c.Machine.Id));
            var reread = machines.Where(vm => asAsked.Contains(vm.Id) || changed.Contains(vm.Id)).ToList();
            if (callbacks.PassThru is null || reread.Count == 0)
            {
                return;
            }

            reporter.Verbose(GuestFeatureException.Format("VerboseMemoryReread", client.ComputerName, reread.Count));
            var after = ReadSettings(client, reread, queryParallelism, cancellationToken);
            foreach (var machine in reread)
            {
                try
                {
                    callbacks.PassThru(InfoOf(new VmView(machine, after)));
                }
                catch (GuestFeatureException failure)
                {
                    reporter.Error(failure);
                }
            }
        });
    }

    /// <summary>
    /// The change that brings one VM's memory to <paramref name="request"/>, from a snapshot holding
    /// <see cref="SetQueries"/>: the rules checked (throws GuestFeatureException for the first one broken),
    /// best-practice warnings given, and null, with a warning, when the VM is already as asked. The change
    /// turns virtual NUMA off first or back on after when dynamic memory switches (<see cref="VirtualNumaStep"/>),
    /// undoing its first step when the second fails. <paramref name="actionPrefix"/> goes before its
    /// ShouldProcess action; <paramref name="made"/> runs once it is made.
    /// </summary>
    internal static VmChange? PlanVm(ICimClient client, VmView view, MemoryChangeRequest request, string actionPrefix, Lazy<CimInstancePath> service, MemoryChangeCallbacks callbacks, Action? made)
    {
        var machine = view.Machine;
        var reporter = callbacks.Reporter;
        var plan = MemoryRules.Plan(SettingsOf(view), request, FactsOf(view));
        foreach (var warning in plan.Warnings)
        {
            reporter.Warning(warning);
        }

        if (!plan.HasChanges)
        {
            reporter.Warning(GuestFeatureException.Format("MemoryNoChange", machine.Name, machine.ComputerName));
            return null;
        }

        var numa = VirtualNumaStep(view.SystemSettings, plan);
        var action = actionPrefix + GuestFeatureException.Format(numa switch
        {
            false => "MemoryActionNumaOffFirst",
            true => "MemoryActionNumaOnAfter",
            null => "MemoryAction",
        }, plan.Describe());
        var check = GuestFeatureException.Format("MemoryCheck", CommandText.Target(machine));
        return new VmChange(machine, action, check, cancellationToken =>
        {
            new MemoryChange(client, service.Value, view, plan, callbacks).Make(numa, cancellationToken);
            made?.Invoke();
        });
    }

    /// <summary>The read queries once per host; the runtime summaries only when one of the VMs runs or is paused.</summary>
    private static HostSnapshot ReadSettings(ICimClient client, IReadOnlyList<VirtualMachine> machines, int queryParallelism, CancellationToken cancellationToken)
        => HostSnapshot.Read(client, ReadQueries.Where(q => !q.IsSummary || machines.Any(m => m.HasRuntimeState)), queryParallelism, cancellationToken);

    /// <summary>The embedded Msvm_MemorySettingData for ModifyResourceSettings: InstanceID and the changed properties only (docs/provider-model.md "Methods").</summary>
    public static string EmbeddedSetting(CimObject memorySetting, MemoryPlan plan)
    {
        if (memorySetting is null)
        {
            throw new ArgumentNullException(nameof(memorySetting));
        }

        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var properties = new List<KeyValuePair<string, object?>> { new("InstanceID", memorySetting.GetString("InstanceID")) };
        properties.AddRange(plan.Changes.Select(c => new KeyValuePair<string, object?>(c.Key, c.Value)));
        return CimXml.Serialize(new CimObject(MemorySettingClass, properties, InstanceIdKey));
    }

    /// <summary>
    /// The virtual NUMA step that goes with <paramref name="plan"/>, as the Hyper-V module's Set-VMMemory does
    /// it (docs/provider-model.md "Memory rules": dynamic memory and virtual NUMA are exclusive): false = turn it off before a plan that
    /// turns dynamic memory on while the VSSD has it on; true = turn it back on after a plan that turns dynamic
    /// memory off; null = no step (no switch, already off, or a host whose VSSD has no VirtualNumaEnabled).
    /// </summary>
    public static bool? VirtualNumaStep(CimObject? systemSettings, MemoryPlan plan)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var numa = systemSettings?.GetBoolean(VirtualNumaProperty);
        if (numa is null || plan.Resulting.DynamicMemoryEnabled == plan.Current.DynamicMemoryEnabled)
        {
            return null;
        }

        if (plan.Resulting.DynamicMemoryEnabled)
        {
            return numa.Value ? false : null;
        }

        // The module sets it to true whenever dynamic memory ends up off; a VSSD already on needs no call.
        return numa.Value ? null : true;
    }

    /// <summary>
    /// The embedded Msvm_VirtualSystemSettingData for ModifySystemSettings: InstanceID and VirtualNumaEnabled only, a
    /// partial VSSD as libvirt sends one (docs/provider-model.md "Methods"), so no property the module does not own is resent.
    /// </summary>
    public static string EmbeddedVirtualNuma(CimObject systemSettings, bool enabled)
    {
        if (systemSettings is null)
        {
            throw new ArgumentNullException(nameof(systemSettings));
        }

        var properties = new List<KeyValuePair<string, object?>>
        {
            new("InstanceID", systemSettings.GetString("InstanceID")),
            new(VirtualNumaProperty, enabled),
        };
        return CimXml.Serialize(new CimObject(SystemSettingClass, properties, InstanceIdKey));
    }

    private static MemorySettings SettingsOf(VmView view)
    {
        var memory = view.Memory
            ?? throw GuestFeatureException.Create("MemorySettingsMissing", FailureKind.NotFound, view.Machine.Name, view.Machine.Name, view.Machine.ComputerName);
        return MemorySettings.FromCim(memory);
    }

    private static MemoryVmFacts FactsOf(VmView view) => new()
    {
        VMName = view.Machine.Name,
        State = view.Machine.State,
        HostVersion = view.HostVersion,
        Generation = view.Generation,
        ConfigurationVersion = Version.TryParse(view.SystemSettings?.GetString("Version"), out var version) ? version : null,
        HasAssignedDevice = view.AssignedDevices.Count > 0,
    };

    /// <summary>
    /// One VM's memory change, made: the memory settings in one ModifyResourceSettings call, with the virtual
    /// NUMA step (ModifySystemSettings) before or after it when dynamic memory switches. Two steps are made as
    /// one: when the second fails, the first is undone, and when the undo fails too, or Ctrl+C stops the
    /// change between them, the error says exactly what the VM is left with (issue 10 item 5).
    /// </summary>
    private sealed class MemoryChange
    {
        private readonly ICimClient _client;
        private readonly CimInstancePath _service;
        private readonly VmView _view;
        private readonly MemoryPlan _plan;
        private readonly MemoryChangeCallbacks _callbacks;

        public MemoryChange(ICimClient client, CimInstancePath service, VmView view, MemoryPlan plan, MemoryChangeCallbacks callbacks)
        {
            _client = client;
            _service = service;
            _view = view;
            _plan = plan;
            _callbacks = callbacks;
        }

        private VirtualMachine Machine => _view.Machine;

        public void Make(bool? numa, CancellationToken cancellationToken)
        {
            switch (numa)
            {
                case false:
                    // Dynamic memory on: virtual NUMA off first, since the two are exclusive.
                    Numa(false, cancellationToken);
                    Second(
                        () => Memory(_plan, cancellationToken),
                        () => Numa(true, cancellationToken),
                        firstMade: "MemoryStateNumaOff",
                        undone: "MemoryNumaOffUndone",
                        halfApplied: "MemoryStateNumaOffStatic",
                        halfAppliedAction: GuestFeatureException.Format("MemoryHalfAppliedFinishAction", CommandText.Target(Machine)),
                        cancellationToken);
                    break;
                case true:
                    // Dynamic memory off: virtual NUMA back on after it.
                    Memory(_plan, cancellationToken);
                    Second(
                        () => Numa(true, cancellationToken),
                        () => Memory(_plan.Undo(), cancellationToken),
                        firstMade: "MemoryStateDynamicOff",
                        undone: "MemoryChangeUndone",
                        halfApplied: "MemoryStateDynamicOffNumaOff",
                        halfAppliedAction: GuestFeatureException.Format("MemoryHalfAppliedRevertAction", CommandText.Target(Machine), _plan.CurrentAsParameters()),
                        cancellationToken);
                    break;
                default:
                    Memory(_plan, cancellationToken);
                    break;
            }
        }

        /// <summary>
        /// The second step of two, the first made. A failure undoes the first step: the failure stands, saying the
        /// VM is as it was; when the undo fails too, MemoryChangeHalfApplied says what the VM is left with. Stopped
        /// (Ctrl+C) midway, a ChangeInterruptedException says the first step was made and the second may not be.
        /// </summary>
        private void Second(Action second, Action undo, string firstMade, string undone, string halfApplied, string halfAppliedAction, CancellationToken cancellationToken)
        {
            try
            {
                second();
                return;
            }
            catch (OperationCanceledException stopped) when (cancellationToken.IsCancellationRequested)
            {
                throw Interrupted(firstMade, stopped);
            }
            catch (GuestFeatureException failure)
            {
                _callbacks.Reporter.Verbose(GuestFeatureException.Format("VerboseMemoryUndo", Machine.Name, Machine.ComputerName, failure.Message));
                try
                {
                    undo();
                }
                catch (OperationCanceledException stopped) when (cancellationToken.IsCancellationRequested)
                {
                    throw Interrupted(firstMade, stopped);
                }
                catch (GuestFeatureException undoFailure)
                {
                    throw HalfApplied(failure, undoFailure, halfApplied, halfAppliedAction);
                }

                throw new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message + " " + GuestFeatureException.Format(undone, Machine.Name, Machine.ComputerName), failure)
                {
                    RecommendedAction = failure.RecommendedAction,
                    ProviderCode = failure.ProviderCode,
                }.WithDataOf(failure);
            }
        }

        private ChangeInterruptedException Interrupted(string firstMade, OperationCanceledException stopped)
            => new(
                GuestFeatureException.Format(
                    "MemoryChangeInterrupted",
                    Machine.Name,
                    Machine.ComputerName,
                    GuestFeatureException.Format(firstMade),
                    stopped.Data.Contains("JobId") ? stopped.Message : GuestFeatureException.Format("MemoryStepInCall"),
                    GuestFeatureException.Format("MemoryCheck", CommandText.Target(Machine))),
                stopped);

        private GuestFeatureException HalfApplied(GuestFeatureException failure, GuestFeatureException undoFailure, string state, string action)
        {
            var halfApplied = new GuestFeatureException(
                "MemoryChangeHalfApplied",
                FailureKind.OperationFailed,
                Machine.Name,
                GuestFeatureException.Format("MemoryChangeHalfApplied", Machine.Name, Machine.ComputerName, GuestFeatureException.Format(state), failure.Message, undoFailure.Message),
                failure)
            {
                RecommendedAction = action,
                ProviderCode = failure.ProviderCode,
            }.WithDataOf(failure);
            halfApplied.Data["UndoFailure"] = undoFailure.Message;
            return halfApplied;
        }

        private void Numa(bool enabled, CancellationToken cancellationToken)
        {
            _callbacks.Reporter.Verbose(GuestFeatureException.Format(
                enabled ? "VerboseNumaOn" : "VerboseNumaOff",
                ModifySystemMethod,
                Machine.Name,
                Machine.ComputerName));
            var parameters = new Dictionary<string, object?> { ["SystemSettings"] = EmbeddedVirtualNuma(_view.SystemSettings!, enabled) };
            var result = _client.InvokeMethod(_service, ModifySystemMethod, parameters, cancellationToken);
            new JobWaiter(_client, _callbacks.JobOptions).Wait(ModifySystemMethod, Machine.Name, result, cancellationToken);
        }

        private void Memory(MemoryPlan plan, CancellationToken cancellationToken)
        {
            _callbacks.Reporter.Verbose(GuestFeatureException.Format("VerboseMemoryCall", ModifyMethod, Machine.Name, Machine.ComputerName, plan.Describe()));
            var parameters = new Dictionary<string, object?> { ["ResourceSettings"] = new[] { EmbeddedSetting(_view.Memory!, plan) } };
            var result = _client.InvokeMethod(_service, ModifyMethod, parameters, cancellationToken);
            new JobWaiter(_client, _callbacks.JobOptions).Wait(ModifyMethod, Machine.Name, result, cancellationToken);
        }
    }
}
