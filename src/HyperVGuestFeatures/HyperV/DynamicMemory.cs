using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>How <see cref="DynamicMemory.Set"/> reports and asks while it works; the cmdlet layer fills these in.</summary>
public sealed class MemoryChangeCallbacks
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
public static class DynamicMemory
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
    private static readonly SnapshotQuery[] SetQueries = { SnapshotQuery.Memory, SnapshotQuery.AssignedDevices, SnapshotQuery.SystemSettings, SnapshotQuery.HostOperatingSystem };

    public static HostReadResult<DynamicMemoryInfo> Read(ICimClient client, VmSelection selection, Action<string>? log, CancellationToken cancellationToken, int queryParallelism = 3)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        log?.Invoke(string.Format(CultureInfo.InvariantCulture, "Looking up VMs on {0}", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        var failures = lookup.Failures.ToList();
        if (lookup.Machines.Count == 0)
        {
            return new HostReadResult<DynamicMemoryInfo>(Array.Empty<DynamicMemoryInfo>(), failures);
        }

        log?.Invoke(string.Format(CultureInfo.InvariantCulture, "Reading memory settings, summaries and assigned devices once on {0} for {1} VM(s)", client.ComputerName, lookup.Machines.Count));
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
    /// </summary>
    public static void Set(ICimClient client, VmSelection selection, MemoryChangeRequest request, MemoryChangeCallbacks callbacks, CancellationToken cancellationToken, int queryParallelism = 3)
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

        callbacks.Reporter.Verbose(string.Format(CultureInfo.InvariantCulture, "Looking up VMs on {0}", client.ComputerName));
        var lookup = VmInventory.Find(client, selection, cancellationToken);
        foreach (var failure in lookup.Failures)
        {
            callbacks.Reporter.Error(failure);
        }

        if (lookup.Machines.Count == 0)
        {
            return;
        }

        callbacks.Reporter.Verbose(string.Format(CultureInfo.InvariantCulture, "Reading memory settings once on {0} for {1} VM(s)", client.ComputerName, lookup.Machines.Count));
        var snapshot = HostSnapshot.Read(client, SetQueries, queryParallelism, cancellationToken);
        CimInstancePath? service = null;
        var passThru = new List<VirtualMachine>();
        foreach (var machine in lookup.Machines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var view = new VmView(machine, snapshot);
                var current = SettingsOf(view);
                var plan = MemoryRules.Plan(current, request, FactsOf(view));
                foreach (var warning in plan.Warnings)
                {
                    callbacks.Reporter.Warning(warning);
                }

                if (!plan.HasChanges)
                {
                    callbacks.Reporter.Warning(GuestFeatureException.Format("MemoryNoChange", machine.Name, machine.ComputerName));
                    passThru.Add(machine);
                    continue;
                }

                var numa = VirtualNumaStep(view.SystemSettings, plan);
                var action = "Set dynamic memory: " + plan.Describe() + numa switch
                {
                    false => "; turn virtual NUMA off first (dynamic memory and virtual NUMA are exclusive)",
                    true => "; then turn virtual NUMA back on",
                    null => string.Empty,
                };
                var target = string.Format(CultureInfo.InvariantCulture, "{0} on {1}", machine.Name, machine.ComputerName);
                if (!callbacks.Reporter.ShouldProcess(target, action))
                {
                    continue;
                }

                service ??= ManagementService.Find(client, cancellationToken);
                if (numa == false)
                {
                    ModifyVirtualNuma(client, service, view.SystemSettings!, false, machine, callbacks, cancellationToken);
                }

                callbacks.Reporter.Verbose(string.Format(CultureInfo.InvariantCulture, "Calling {0} for the memory of '{1}' on {2}: {3}", ModifyMethod, machine.Name, machine.ComputerName, plan.Describe()));
                Modify(client, service, view.Memory!, plan, machine.Name, callbacks.JobOptions, cancellationToken);
                if (numa == true)
                {
                    ModifyVirtualNuma(client, service, view.SystemSettings!, true, machine, callbacks, cancellationToken);
                }

                passThru.Add(machine);
            }
            catch (GuestFeatureException failure)
            {
                callbacks.Reporter.Error(failure);
            }
        }

        if (callbacks.PassThru is null || passThru.Count == 0)
        {
            return;
        }

        callbacks.Reporter.Verbose(string.Format(CultureInfo.InvariantCulture, "Re-reading memory settings on {0} for {1} VM(s)", client.ComputerName, passThru.Count));
        var after = ReadSettings(client, passThru, queryParallelism, cancellationToken);
        foreach (var machine in passThru)
        {
            try
            {
                callbacks.PassThru(InfoOf(new VmView(machine, after)));
            }
            catch (GuestFeatureException failure)
            {
                callbacks.Reporter.Error(failure);
            }
        }
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

    /// <summary>The embedded Msvm_VirtualSystemSettingData for ModifySystemSettings: InstanceID and VirtualNumaEnabled only.</summary>
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

    private static void ModifyVirtualNuma(ICimClient client, CimInstancePath service, CimObject systemSettings, bool enabled, VirtualMachine machine, MemoryChangeCallbacks callbacks, CancellationToken cancellationToken)
    {
        callbacks.Reporter.Verbose(string.Format(
            CultureInfo.InvariantCulture,
            enabled
                ? "Calling {0} for '{1}' on {2}: turning virtual NUMA back on now that dynamic memory is off"
                : "Calling {0} for '{1}' on {2}: turning virtual NUMA off, since dynamic memory and virtual NUMA are exclusive",
            ModifySystemMethod,
            machine.Name,
            machine.ComputerName));
        var parameters = new Dictionary<string, object?> { ["SystemSettings"] = EmbeddedVirtualNuma(systemSettings, enabled) };
        var result = client.InvokeMethod(service, ModifySystemMethod, parameters, cancellationToken);
        new JobWaiter(client, callbacks.JobOptions).Wait(ModifySystemMethod, machine.Name, result, cancellationToken);
    }

    private static void Modify(ICimClient client, CimInstancePath service, CimObject memorySetting, MemoryPlan plan, string vmName, JobWaitOptions options, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, object?> { ["ResourceSettings"] = new[] { EmbeddedSetting(memorySetting, plan) } };
        var result = client.InvokeMethod(service, ModifyMethod, parameters, cancellationToken);
        new JobWaiter(client, options).Wait(ModifyMethod, vmName, result, cancellationToken);
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
}
