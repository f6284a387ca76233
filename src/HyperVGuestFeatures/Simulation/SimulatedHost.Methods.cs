using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// The provider's methods, with its return codes (docs/provider-model.md "Methods") and refusals.
/// Return-code policy: a call whose parameters are malformed or whose target is in the wrong state
/// is refused at once with a return code; a call that passes those checks returns 4096 ("Method
/// Parameters Checked – Job Started", docs/provider-model.md "Methods") and a Job REF, and what can only be known when the work is
/// done (rule violations, existing keys, existing files) ends that job in JobState 10 with ErrorCode
/// and ErrorDescription (docs/provider-model.md "Jobs"). Settings changes (docs/provider-model.md "Methods": "may … return 4096 with a job"; the Hyper-V
/// module tracks the job), KVP (docs/provider-model.md "KVP", the MSDOC samples wait on the job), NMI (docs/provider-model.md "Methods", the module tracks the
/// returned job), copies (docs/provider-model.md "File copy", Msvm_CopyFileToGuestJob) and VM state changes all return 4096 + Job;
/// only a job's own RequestStateChange completes synchronously (0).
/// </summary>
internal sealed partial class SimulatedHost
{
    /// <summary>At most 128 KVP items per call (docs/provider-model.md "KVP").</summary>
    public const int MaxKvpItemsPerCall = 128;

    private CimMethodResult Invoke(CimInstancePath target, string methodName, Dictionary<string, object?> parameters, DateTime now)
    {
        var cls = target.ClassName;
        if (IsClass(cls, ManagementServiceClass))
        {
            if (!target.IsClassPath && FindInstance(target, null) is null)
            {
                throw NotFound(target);
            }

            var vm = methodName.ToUpperInvariant() switch
            {
                "MODIFYRESOURCESETTINGS" => VMOfResourceSettings(parameters),
                "MODIFYSYSTEMSETTINGS" => VMOfSystemSettings(parameters),
                "ADDKVPITEMS" or "MODIFYKVPITEMS" or "REMOVEKVPITEMS" => VMOfPath(parameters.TryGetValue("TargetSystem", out var t) ? t : null),
                _ => null,
            };
            var fault = CheckFaults(methodName, vm?.Name);
            if (fault is not null)
            {
                return FaultResult(fault, methodName, now);
            }

            return methodName.ToUpperInvariant() switch
            {
                "MODIFYRESOURCESETTINGS" => ModifyResourceSettings(parameters, now),
                "MODIFYSYSTEMSETTINGS" => ModifySystemSettings(parameters, now),
                "ADDKVPITEMS" => KvpMethod(KvpOperation.Add, parameters, now),
                "MODIFYKVPITEMS" => KvpMethod(KvpOperation.Modify, parameters, now),
                "REMOVEKVPITEMS" => KvpMethod(KvpOperation.Remove, parameters, now),
                "GETSUMMARYINFORMATION" => GetSummaryInformation(parameters),
                _ => throw InvalidMethod(cls, methodName),
            };
        }

        if (IsClass(cls, ComputerSystemClass))
        {
            var vm = VMOfKeys(target.Keys);
            if (vm is null || FindInstance(target, vm) is null)
            {
                // The host's own Msvm_ComputerSystem exists, but the simulator models no methods on it.
                if (FindInstance(target, null) is not null)
                {
                    throw InvalidMethod(cls, methodName);
                }

                throw NotFound(target);
            }

            var fault = CheckFaults(methodName, vm.Name);
            if (fault is not null)
            {
                return FaultResult(fault, methodName, now);
            }

            return methodName.ToUpperInvariant() switch
            {
                "INJECTNONMASKABLEINTERRUPT" => InjectNmi(vm, now),
                "REQUESTSTATECHANGE" => RequestVMStateChange(vm, parameters, now),
                _ => throw InvalidMethod(cls, methodName),
            };
        }

        if (IsClass(cls, GuestFileServiceClass))
        {
            var vm = VMOfKeys(target.Keys) ?? throw NotFound(target);
            var fault = CheckFaults(methodName, vm.Name);
            if (fault is not null)
            {
                return FaultResult(fault, methodName, now);
            }

            if (!string.Equals(methodName, CopyMethod, StringComparison.OrdinalIgnoreCase))
            {
                // The simulator models no other method of Msvm_GuestFileService (Unverified what Start/StopService return).
                return new CimMethodResult(ProviderConstants.NotSupported);
            }

            return CopyFilesToGuest(vm, parameters, now);
        }

        if (IsClass(cls, JobClass) || IsClass(cls, CopyJobClass) || IsClass(cls, "CIM_ConcreteJob"))
        {
            var id = target.Keys.TryGetValue("InstanceID", out var value) ? value as string : null;
            if (id is null || !_jobs.TryGetValue(id, out var job) || !IsClass(job.ClassName, cls))
            {
                throw NotFound(target);
            }

            var fault = CheckFaults(methodName, null);
            if (fault is not null)
            {
                return FaultResult(fault, methodName, now);
            }

            return methodName.ToUpperInvariant() switch
            {
                "REQUESTSTATECHANGE" => RequestJobStateChange(job, parameters, now),
                "GETERROR" => JobError(job),
                "KILLJOB" => new CimMethodResult(ProviderConstants.NotSupported), // docs/provider-model.md "Jobs": KillJob is not supported
                _ => throw InvalidMethod(cls, methodName),
            };
        }

        if (FindInstance(target, VMOfKeys(target.Keys)) is null && !target.IsClassPath)
        {
            throw NotFound(target);
        }

        throw InvalidMethod(cls, methodName);
    }

    private GuestFeatureException NotFound(CimInstancePath path)
        => GuestFeatureException.Create("CimInstanceNotFound", FailureKind.NotFound, path.ToString(), path.ToString(), ComputerName);

    private static GuestFeatureException InvalidMethod(string className, string methodName)
        => GuestFeatureException.Create("CimInvalidMethod", FailureKind.InvalidArgument, methodName, methodName, className);

    private CimMethodResult FaultResult(HyperVSimulatorFault fault, string methodName, DateTime now)
    {
        if (fault.ReturnCode is { } code)
        {
            return new CimMethodResult(code);
        }

        var outcome = new JobOutcome(fault.JobErrorCode!.Value, fault.JobErrorDescription!);
        if (string.Equals(methodName, CopyMethod, StringComparison.OrdinalIgnoreCase))
        {
            return CopyStarted(StartJob(CopyJobClass, methodName, SettingsJobDuration, now, () => outcome));
        }

        var job = StartJob(JobClass, methodName, SettingsJobDuration, now, () => outcome);
        return JobStarted(job);
    }

    private static CimMethodResult JobStarted(CimInstancePath job, IEnumerable<KeyValuePair<string, object?>>? more = null)
    {
        var outParameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Job"] = job };
        foreach (var pair in more ?? Enumerable.Empty<KeyValuePair<string, object?>>())
        {
            outParameters[pair.Key] = pair.Value;
        }

        return new CimMethodResult(ProviderConstants.JobStarted, outParameters);
    }

    private static CimMethodResult Refused(uint code) => new(code);

    /// <summary>A string[] in-parameter of embedded instances; null when absent or of another type.</summary>
    private static string[]? StringArray(Dictionary<string, object?> parameters, string name)
    {
        if (!parameters.TryGetValue(name, out var value) || value is null)
        {
            return null;
        }

        return value switch
        {
            string single => new[] { single },
            string[] strings => strings,
            IEnumerable<object> items => items.Select(i => i as string ?? (i is CimObject o ? CimXml.Serialize(o) : string.Empty)).ToArray(),
            CimObject instance => new[] { CimXml.Serialize(instance) },
            _ => null,
        };
    }

    private static CimObject? TryParse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return CimXml.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private SimulatedVM? VMOfPath(object? reference) => reference switch
    {
        CimInstancePath path when IsClass(path.ClassName, ComputerSystemClass) => VMOfKeys(path.Keys),
        CimObject instance when IsClass(instance.ClassName, ComputerSystemClass) => VMOfKeys(instance.Path.Keys),
        _ => null,
    };

    private SimulatedVM? VMOfResourceSettings(Dictionary<string, object?> parameters)
    {
        var first = StringArray(parameters, "ResourceSettings")?.FirstOrDefault();
        return TryParse(first)?.GetString("InstanceID") is { } id && VMIdOfInstanceId(id) is { } vmId ? FindVMById(vmId) : null;
    }

    /// <summary>The embedded VSSD of ModifySystemSettings (a single string, not an array), parsed; null when absent or malformed.</summary>
    private static CimObject? SystemSettingsOf(Dictionary<string, object?> parameters)
    {
        var text = parameters.TryGetValue("SystemSettings", out var value) ? value switch
        {
            string single => single,
            CimObject instance => CimXml.Serialize(instance),
            _ => null,
        } : null;
        var setting = TryParse(text);
        return setting is not null && IsClass(setting.ClassName, SystemSettingClass) ? setting : null;
    }

    private SimulatedVM? VMOfSystemSettings(Dictionary<string, object?> parameters)
        => SystemSettingsOf(parameters)?.GetString("InstanceID") is { } id && VMIdOfInstanceId(id) is { } vmId ? FindVMById(vmId) : null;

    private static bool TryNumber(CimObject instance, string name, out ulong value, out bool present)
    {
        value = 0;
        present = instance.Properties.ContainsKey(name) && instance[name] is not null;
        if (!present)
        {
            return true;
        }

        try
        {
            value = Convert.ToUInt64(instance[name], CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            return false;
        }
    }

    // ---- ModifyResourceSettings (docs/provider-model.md "Methods", "Memory rules", "Integration components") ----

    private CimMethodResult ModifyResourceSettings(Dictionary<string, object?> parameters, DateTime now)
    {
        var texts = StringArray(parameters, "ResourceSettings");
        if (texts is null || texts.Length == 0)
        {
            return Refused(ProviderConstants.InvalidParameter);
        }

        var changes = new List<(Func<JobOutcome?> Refusal, Action Apply)>();
        var resulting = new List<CimInstancePath>();
        foreach (var text in texts)
        {
            var setting = TryParse(text);
            var instanceId = setting?.GetString("InstanceID");
            var vm = instanceId is null ? null : VMIdOfInstanceId(instanceId) is { } vmId ? FindVMById(vmId) : null;
            if (setting is null || instanceId is null || vm is null)
            {
                return Refused(ProviderConstants.InvalidParameter); // not an embedded instance of an existing setting
            }

            if (IsClass(setting.ClassName, MemorySettingClass) && string.Equals(instanceId, MemoryInstanceId(vm), StringComparison.OrdinalIgnoreCase))
            {
                if (!TryProposeMemory(vm, setting, out _))
                {
                    return Refused(ProviderConstants.InvalidParameter); // a value of the wrong type
                }

                // Only the properties sent change (docs/provider-model.md "Methods"): the proposal is made from the
                // VM's settings when the job applies it, so two calls in flight don't undo each other, and
                // the rules see the VM's state at that moment (it may have started meanwhile).
                SimulatedMemory? proposed = null;
                changes.Add((() =>
                {
                    TryProposeMemory(vm, setting, out var current);
                    proposed = current;
                    return CheckMemoryRules(vm, setting, current) ?? CheckVirtualNuma(vm, setting, current);
                }, () =>
                {
                    vm.Memory = proposed!;
                    if (!proposed!.DynamicMemoryEnabled)
                    {
                        vm.Memory.AssignedMB = null; // static: the VM gets its startup size (runtime resize included)
                    }
                }));
                resulting.Add(CimInstancePath.ForKey(CimNamespaces.Virtualization, MemorySettingClass, "InstanceID", MemoryInstanceId(vm)));
                continue;
            }

            var component = IntegrationComponentInfo.All.FirstOrDefault(c =>
                IsClass(setting.ClassName, c.SettingClass) && string.Equals(instanceId, ComponentSettingInstanceId(vm, c), StringComparison.OrdinalIgnoreCase));
            if (component is not null)
            {
                if (!TryNumber(setting, "EnabledState", out var enabledState, out var present))
                {
                    return Refused(ProviderConstants.InvalidParameter);
                }

                // EnabledState 2 = enabled, 3 = disabled (docs/provider-model.md "Integration components"); other values are not settings.
                var refusal = present && enabledState is not 2 and not 3
                    ? new JobOutcome((ushort)ProviderConstants.InvalidParameter, Describe(vm, component.DisplayName, "EnabledState must be 2 (enabled) or 3 (disabled)."))
                    : null;
                changes.Add((() => refusal, () =>
                {
                    if (present)
                    {
                        vm.Components[component.Kind].Enabled = enabledState == 2;
                    }
                }));
                resulting.Add(CimInstancePath.ForKey(CimNamespaces.Virtualization, component.SettingClass, "InstanceID", instanceId));
                continue;
            }

            // The simulator changes memory and integration-component settings only.
            return Refused(ProviderConstants.NotSupported);
        }

        // The rules are checked, and the change applied, when the job ends.
        // Assumption (docs/provider-model.md "Could not confirm": batch atomicity Unverified): one refused setting fails the whole call, nothing applied.
        var job = StartJob(JobClass, "Modifying resource settings", SettingsJobDuration, now, () =>
        {
            if (changes.Select(c => c.Refusal()).FirstOrDefault(r => r is not null) is { } refusal)
            {
                return refusal;
            }

            foreach (var change in changes)
            {
                change.Apply();
            }

            return null;
        });
        return JobStarted(job, new[] { new KeyValuePair<string, object?>("ResultingResourceSettings", resulting.ToArray()) });
    }

    /// <summary>
    /// Dynamic memory and virtual NUMA are exclusive (docs/provider-model.md "Memory rules"). Assumption: docs/provider-model.md "Memory rules" documents the Hyper-V
    /// module's side effect (it turns virtual NUMA off before enabling dynamic memory), not the provider's
    /// error, so the simulator refuses a DynamicMemoryEnabled=true sent while VirtualNumaEnabled is true by
    /// ending the job with 32773 Invalid parameter; it is checked after the memory rules (a running VM's
    /// switch is a 32775 first).
    /// </summary>
    private static JobOutcome? CheckVirtualNuma(SimulatedVM vm, CimObject setting, SimulatedMemory proposed)
        => setting.Properties.ContainsKey("DynamicMemoryEnabled") && proposed.DynamicMemoryEnabled && vm.VirtualNumaEnabled
            ? new JobOutcome((ushort)ProviderConstants.InvalidParameter, Describe(vm, "Memory", "Dynamic memory and virtual NUMA are exclusive: disable virtual NUMA (VirtualNumaEnabled) before enabling dynamic memory."))
            : null;

    // ---- ModifySystemSettings (docs/provider-model.md "Memory rules", "Methods") ----

    /// <summary>
    /// Changes the realized Msvm_VirtualSystemSettingData. The simulator supports VirtualNumaEnabled,
    /// which the Hyper-V module sets around a dynamic memory switch (docs/provider-model.md "Memory rules"), and secure boot
    /// (SimulatedHost.Switching.cs: its own checks, and the VM must be off when the job runs). Assumptions (docs/provider-model.md "Memory rules" gives the
    /// module's behaviour, not the provider's codes): a missing, malformed or unknown embedded VSSD, or a
    /// value of the wrong type, is 32773 Invalid parameter at once; any other property sent with a value other
    /// than the one it has now is 32770 Not Supported at once (a whole fetched VSSD is taken); the change applies when the job ends, and only to a VM that is Off then (else the
    /// job fails with 32775), and VirtualNumaEnabled=true while dynamic memory is on fails the job with 32773.
    /// </summary>
    private CimMethodResult ModifySystemSettings(Dictionary<string, object?> parameters, DateTime now)
    {
        var setting = SystemSettingsOf(parameters);
        var instanceId = setting?.GetString("InstanceID");
        var vm = VMOfSystemSettings(parameters);
        if (setting is null || instanceId is null || vm is null
            || !string.Equals(instanceId, "Microsoft:" + vm.IdText, StringComparison.OrdinalIgnoreCase))
        {
            return Refused(ProviderConstants.InvalidParameter); // not an embedded instance of an existing realized VSSD
        }

        // Clients send either only the changed properties (LIBVIRT) or the whole fetched VSSD with them changed (OSWIN)
        // (docs/provider-model.md "Methods"): a property sent with the value it has now is no change, so both readings
        // ask the same.
        var current = SystemSetting(vm);
        setting = new CimObject(setting.ClassName, setting.Properties.Where(p => p.Value is not null
            && (string.Equals(p.Key, "InstanceID", StringComparison.OrdinalIgnoreCase) || !SameValue(p.Value, current[p.Key]))).ToList());
        if (setting.Properties.Keys.Any(name => !string.Equals(name, "InstanceID", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(name, "VirtualNumaEnabled", StringComparison.OrdinalIgnoreCase)
            && !IsSecureBootProperty(name)))
        {
            return Refused(ProviderConstants.NotSupported); // the simulator changes only VirtualNumaEnabled and secure boot
        }

        bool? numa = null;
        if (setting["VirtualNumaEnabled"] is { } value)
        {
            try
            {
                numa = Convert.ToBoolean(value, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException)
            {
                return Refused(ProviderConstants.InvalidParameter); // a value of the wrong type
            }
        }

        if (ProposeSecureBoot(vm, setting, out var secureBoot) is { } secureBootRefused)
        {
            return Refused(secureBootRefused);
        }

        // Everything is checked before anything applies: one refusal leaves the VM as it was.
        var job = StartJob(JobClass, "Modifying system settings", SettingsJobDuration, now, () =>
        {
            if (secureBoot is not null && CheckSecureBoot(vm, secureBoot) is { } secureBootRefusal)
            {
                return secureBootRefusal;
            }

            if (numa is not null && numa != vm.VirtualNumaEnabled)
            {
                if (vm.State != SimulatedVMState.Off)
                {
                    return new JobOutcome((ushort)ProviderConstants.InvalidState, string.Format(CultureInfo.InvariantCulture, "'{0}' failed to modify settings. Virtual NUMA can be changed only while the virtual machine is off.", vm.Name));
                }

                if (numa.Value && vm.Memory.DynamicMemoryEnabled)
                {
                    return new JobOutcome((ushort)ProviderConstants.InvalidParameter, string.Format(CultureInfo.InvariantCulture, "'{0}' failed to modify settings. Dynamic memory and virtual NUMA are exclusive: disable dynamic memory before enabling virtual NUMA.", vm.Name));
                }

                vm.VirtualNumaEnabled = numa.Value;
            }

            if (secureBoot is not null)
            {
                ApplySecureBoot(vm, secureBoot);
            }

            return null;
        });
        return JobStarted(job);
    }

    /// <summary>Whether a sent value is the one the property holds now, compared as the CIM text both would be sent as.</summary>
    private static bool SameValue(object sent, object? now)
        => now is not null && string.Equals(
            Convert.ToString(sent, CultureInfo.InvariantCulture),
            Convert.ToString(now, CultureInfo.InvariantCulture),
            StringComparison.Ordinal);

    private static string Describe(SimulatedVM vm, string device, string reason)
        => string.Format(CultureInfo.InvariantCulture, "'{0}' failed to modify device '{1}'. {2}", vm.Name, device, reason);

    private static bool TryProposeMemory(SimulatedVM vm, CimObject setting, out SimulatedMemory proposed)
    {
        proposed = vm.Memory.Clone();
        if (!TryNumber(setting, "VirtualQuantity", out var startup, out var hasStartup)
            || !TryNumber(setting, "Reservation", out var minimum, out var hasMinimum)
            || !TryNumber(setting, "Limit", out var maximum, out var hasMaximum)
            || !TryNumber(setting, "TargetMemoryBuffer", out var buffer, out var hasBuffer)
            || !TryNumber(setting, "Weight", out var weight, out var hasWeight))
        {
            return false;
        }

        if (hasStartup)
        {
            proposed.StartupMB = startup;
        }

        if (hasMinimum)
        {
            proposed.MinimumMB = minimum;
        }

        if (hasMaximum)
        {
            proposed.MaximumMB = maximum;
        }

        if (hasBuffer)
        {
            proposed.BufferPercent = (uint)Math.Min(uint.MaxValue, buffer);
        }

        if (hasWeight)
        {
            proposed.Weight = (uint)Math.Min(uint.MaxValue, weight);
        }

        if (setting.Properties.ContainsKey("DynamicMemoryEnabled") && setting["DynamicMemoryEnabled"] is not null)
        {
            try
            {
                proposed.DynamicMemoryEnabled = Convert.ToBoolean(setting["DynamicMemoryEnabled"], CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The memory rules of docs/provider-model.md "Memory rules". Assumption (docs/provider-model.md "Memory rules",
    /// docs/provider-model.md "Could not confirm": the provider's error text and codes are Unverified): a refusal ends the job in JobState
    /// 10 with ErrorCode 32773 for a bad value and 32775 for a change the VM's state does not allow.
    /// </summary>
    private JobOutcome? CheckMemoryRules(SimulatedVM vm, CimObject setting, SimulatedMemory proposed)
    {
        var current = vm.Memory;
        JobOutcome Bad(string reason) => new((ushort)ProviderConstants.InvalidParameter, Describe(vm, "Memory", reason));
        JobOutcome WrongState(string reason) => new((ushort)ProviderConstants.InvalidState, Describe(vm, "Memory", reason));
        bool Changed(string property, ulong now, ulong before) => setting.Properties.ContainsKey(property) && setting[property] is not null && now != before;

        var dynamic = proposed.DynamicMemoryEnabled;
        var sizes = dynamic
            ? new[] { ("startup", proposed.StartupMB), ("minimum", proposed.MinimumMB), ("maximum", proposed.MaximumMB) }
            : new[] { ("startup", proposed.StartupMB) };

        // 32 MB floor (docs/provider-model.md "Memory rules", HVMOD); upper bound by generation and configuration version (docs/provider-model.md "Memory rules").
        var ceiling = UpperBoundMB(vm);
        foreach (var (name, value) in sizes)
        {
            if (value < 32)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The {0} memory ({1} MB) is below the minimum of 32 MB.", name, value));
            }

            if (value > ceiling)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The {0} memory ({1} MB) exceeds the maximum of {2} MB for this virtual machine.", name, value, ceiling));
            }

            // Assumption (docs/provider-model.md "Memory rules", "Could not confirm"): an odd MB value is refused with 32773.
            if (value % 2 != 0)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The {0} memory ({1} MB) must be a multiple of 2 MB.", name, value));
            }
        }

        // Buffer, minimum and maximum belong to dynamic memory (docs/provider-model.md "Memory rules", module pre-check SetVMMemory_ParameterMismatch).
        if (!dynamic && (Changed("TargetMemoryBuffer", proposed.BufferPercent, current.BufferPercent)
            || Changed("Reservation", proposed.MinimumMB, current.MinimumMB)
            || Changed("Limit", proposed.MaximumMB, current.MaximumMB)))
        {
            return Bad("Buffer, minimum and maximum memory can be set only when dynamic memory is enabled.");
        }

        if (dynamic)
        {
            if (proposed.MinimumMB > proposed.StartupMB)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The minimum memory ({0} MB) cannot exceed the startup memory ({1} MB).", proposed.MinimumMB, proposed.StartupMB));
            }

            if (proposed.StartupMB > proposed.MaximumMB)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The startup memory ({0} MB) cannot exceed the maximum memory ({1} MB).", proposed.StartupMB, proposed.MaximumMB));
            }

            if (proposed.BufferPercent is < 5 or > 2000)
            {
                return Bad(string.Format(CultureInfo.InvariantCulture, "The memory buffer ({0} %) must be between 5 and 2000.", proposed.BufferPercent));
            }

            // With an assigned device (DDA/GPU) and dynamic memory on, startup must equal minimum (docs/provider-model.md "Memory rules").
            if (vm.AssignedDevices.Count > 0 && proposed.MinimumMB != proposed.StartupMB)
            {
                return Bad("With an assigned device and dynamic memory, the minimum memory must equal the startup memory.");
            }
        }

        // Assumption (docs/provider-model.md "Could not confirm"): Weight = Priority × 100, so 0–10000.
        if (proposed.Weight > 10000)
        {
            return Bad(string.Format(CultureInfo.InvariantCulture, "The memory weight ({0}) must be between 0 and 10000.", proposed.Weight));
        }

        // Assumption: a VM in any state but Off counts as running for these rules (a saved VM's memory is fixed too).
        if (vm.State != SimulatedVMState.Off)
        {
            if (proposed.DynamicMemoryEnabled != current.DynamicMemoryEnabled)
            {
                return WrongState("Dynamic memory cannot be enabled or disabled while the virtual machine is running.");
            }

            if (dynamic && proposed.StartupMB != current.StartupMB)
            {
                return WrongState("The startup memory cannot be changed while the virtual machine is running with dynamic memory.");
            }

            if (dynamic && HostVersion < HostVersions.WS2016
                && (proposed.MinimumMB > current.MinimumMB || proposed.MaximumMB < current.MaximumMB))
            {
                // WS2012-era hosts: while running, the minimum may only go down and the maximum only up (docs/provider-model.md "Memory rules").
                // Whether 2016+ allows the other direction is Unverified; the simulator allows it there (Assumption).
                return WrongState("While the virtual machine is running, the minimum memory can only be decreased and the maximum only increased.");
            }

            if (!dynamic && proposed.StartupMB != current.StartupMB)
            {
                // Runtime memory resize needs a WS2016+ host (docs/provider-model.md "Memory rules") and cannot take memory the guest uses.
                if (HostVersion < HostVersions.WS2016)
                {
                    return WrongState("The memory of a running virtual machine can be resized only on Windows Server 2016 or later.");
                }

                if (proposed.StartupMB < DemandMB(vm))
                {
                    return WrongState(string.Format(CultureInfo.InvariantCulture, "The memory cannot be reduced below the {0} MB the guest is using.", DemandMB(vm)));
                }
            }
        }

        return null;
    }

    /// <summary>Largest memory size in MB (docs/provider-model.md "Memory rules"): 1 TB for Gen1 or version &lt; 8.0, 12 TB up to 9.1, 240 TB after.</summary>
    private static ulong UpperBoundMB(SimulatedVM vm)
    {
        var version = Version.TryParse(vm.ConfigurationVersion, out var parsed) ? parsed : new Version(10, 0);
        if (vm.Generation == 1 || version < new Version(8, 0))
        {
            return 1048576;
        }

        return version <= new Version(9, 1) ? 12582912UL : 251658240UL;
    }

    // ---- KVP (docs/provider-model.md "KVP") ----

    private enum KvpOperation
    {
        Add,
        Modify,
        Remove,
    }

    private CimMethodResult KvpMethod(KvpOperation operation, Dictionary<string, object?> parameters, DateTime now)
    {
        var vm = VMOfPath(parameters.TryGetValue("TargetSystem", out var target) ? target : null);
        var texts = StringArray(parameters, "DataItems");
        if (vm is null || texts is null || texts.Length == 0 || texts.Length > MaxKvpItemsPerCall)
        {
            return Refused(ProviderConstants.InvalidParameter);
        }

        var items = new List<(string Name, string Data, ushort Source)>();
        foreach (var text in texts)
        {
            var item = TryParse(text);
            if (item is null || !IsClass(item.ClassName, KvpItemClass) || !TryNumber(item, "Source", out var source, out _))
            {
                return Refused(ProviderConstants.InvalidParameter); // malformed embedded instance (docs/provider-model.md "Methods")
            }

            var name = item.GetString("Name");
            var data = item["Data"] is { } d ? Convert.ToString(d, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

            // Source 0 → HostExchangeItems, 4 → HostOnlyItems (docs/provider-model.md "KVP"); the host writes no other pool.
            // Limits: WMI MAXLEN 1024 for Name and Data (docs/provider-model.md "KVP"); host-only: key ≤ 512 bytes, value ≤ 16 KB (Unverified).
            // Assumption: a value beyond those limits, or a NUL, is an invalid parameter (32773).
            var (nameMax, dataMax) = source == 4 ? (256, 8192) : (1024, 1024);
            if (source is not 0 and not 4 || string.IsNullOrEmpty(name) || name!.Length > nameMax || data.Length > dataMax
                || name.IndexOf('\0') >= 0 || data.IndexOf('\0') >= 0)
            {
                return Refused(ProviderConstants.InvalidParameter);
            }

            items.Add((name, data, (ushort)source));
        }

        var verb = operation switch { KvpOperation.Add => "Adding", KvpOperation.Modify => "Modifying", _ => "Removing" };
        var job = StartJob(JobClass, verb + " key-value pair items", SettingsJobDuration, now, () =>
        {
            // Checked when the job runs, against the items as they are then. A duplicate Add ends the job with
            // 32773 and a missing key on Modify/Remove with 32779 Not found, the codes containers/libhvee expects
            // (pkg/hypervctl/vm.go, kvp.go); that one bad item fails the whole batch with nothing applied is
            // Unverified (docs/provider-model.md).
            var pending = new Dictionary<(ushort, string), bool>();
            foreach (var (name, _, source) in items)
            {
                var pool = source == 4 ? vm.HostOnlyItems : vm.HostItems;
                var exists = pending.TryGetValue((source, name), out var planned) ? planned : pool.ContainsKey(name);
                if (operation == KvpOperation.Add && exists)
                {
                    return new JobOutcome((ushort)ProviderConstants.InvalidParameter, string.Format(CultureInfo.InvariantCulture, "Failed to add the key-value pair item '{0}' to '{1}': the key already exists.", name, vm.Name));
                }

                if (operation != KvpOperation.Add && !exists)
                {
                    return new JobOutcome((ushort)ProviderConstants.NotFound, string.Format(CultureInfo.InvariantCulture, "Failed to {0} the key-value pair item '{1}' of '{2}': the key does not exist.", operation == KvpOperation.Modify ? "modify" : "remove", name, vm.Name));
                }

                pending[(source, name)] = operation != KvpOperation.Remove;
            }

            foreach (var (name, data, source) in items)
            {
                var pool = source == 4 ? vm.HostOnlyItems : vm.HostItems;
                if (operation == KvpOperation.Remove)
                {
                    pool.Remove(name);
                }
                else
                {
                    pool[name] = data;
                }
            }

            return null;
        });
        return JobStarted(job);
    }

    // ---- NMI (docs/provider-model.md "Methods") ----

    private CimMethodResult InjectNmi(SimulatedVM vm, DateTime now)
    {
        // Assumption (docs/provider-model.md "Methods", "Could not confirm"): a VM that is not Running refuses with 32775 Invalid state.
        if (vm.State != SimulatedVMState.Running)
        {
            return Refused(ProviderConstants.InvalidState);
        }

        var job = StartJob(JobClass, "Injecting a non-maskable interrupt", SettingsJobDuration, now, () =>
        {
            if (vm.State != SimulatedVMState.Running)
            {
                return new JobOutcome((ushort)ProviderConstants.InvalidState, "Cannot inject a non-maskable interrupt into the virtual machine '" + vm.Name + "': it is not running.");
            }

            vm.NmiCount++;
            return null;
        });
        return JobStarted(job);
    }

    // ---- RequestStateChange on a VM (docs/provider-model.md: 2 start, 3 off, 6 save, 9 pause) ----

    private CimMethodResult RequestVMStateChange(SimulatedVM vm, Dictionary<string, object?> parameters, DateTime now)
    {
        if (!parameters.TryGetValue("RequestedState", out var requested) || requested is null)
        {
            return Refused(ProviderConstants.InvalidParameter);
        }

        ushort state;
        try
        {
            state = Convert.ToUInt16(requested, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            return Refused(ProviderConstants.InvalidParameter);
        }

        var from = vm.State;
        SimulatedVMState? target = state switch
        {
            2 when from is SimulatedVMState.Off or SimulatedVMState.Saved or SimulatedVMState.Paused => SimulatedVMState.Running,
            3 when from is not SimulatedVMState.Off => SimulatedVMState.Off,
            4 when from is SimulatedVMState.Running => SimulatedVMState.Off, // shut down through the guest
            6 when from is SimulatedVMState.Running or SimulatedVMState.Paused => SimulatedVMState.Saved,
            9 when from is SimulatedVMState.Running => SimulatedVMState.Paused,
            11 when from is SimulatedVMState.Running => SimulatedVMState.Running, // reset
            _ => null,
        };
        if (target is null)
        {
            return Refused(state is 2 or 3 or 4 or 6 or 9 or 11 ? ProviderConstants.InvalidState : ProviderConstants.InvalidParameter);
        }

        // The VM passes through Starting (10) or Shutting Down (4) while the job runs (docs/provider-model.md "Per VM").
        if (target == SimulatedVMState.Running && from is SimulatedVMState.Off or SimulatedVMState.Saved)
        {
            vm.State = SimulatedVMState.Starting;
        }
        else if (target == SimulatedVMState.Off && from is SimulatedVMState.Running or SimulatedVMState.Paused)
        {
            vm.State = SimulatedVMState.Stopping;
        }

        var final = target.Value;
        var job = StartJob(JobClass, "Changing the state of " + vm.Name, SettingsJobDuration, now, () =>
        {
            if (final == SimulatedVMState.Running && from != SimulatedVMState.Paused)
            {
                vm.StartedUtc = DateTime.UtcNow;
            }

            vm.State = final;
            return null;
        });
        return JobStarted(job);
    }

    // ---- jobs (docs/provider-model.md "Jobs") ----

    /// <summary>
    /// CIM_ConcreteJob.RequestStateChange with the codes of MSDOC requeststatechange-msvm-concretejob: 4 Terminate and
    /// 5 Kill stop a running, cancellable job (Terminated 8 / Killed 9, nothing applied) and return 0. Unverified
    /// (docs/provider-model.md): 2 Start, 3 Suspend and 6 Service are 1 Not Supported; a job that already ended is
    /// 4097 Invalid State Transition; a value outside 2–6, or none, is 5 Invalid Parameter.
    /// </summary>
    private static CimMethodResult RequestJobStateChange(SimulatedJob job, Dictionary<string, object?> parameters, DateTime now)
    {
        ushort requested;
        try
        {
            requested = parameters.TryGetValue("RequestedState", out var value) && value is not null
                ? Convert.ToUInt16(value, CultureInfo.InvariantCulture)
                : (ushort)0;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            return Refused(JobRequests.InvalidParameter);
        }

        if (requested is < 2 or > 6)
        {
            return Refused(JobRequests.InvalidParameter);
        }

        if (requested is not JobRequests.Terminate and not JobRequests.Kill || !job.Cancellable)
        {
            return Refused(JobRequests.NotSupported);
        }

        if (!job.IsRunning)
        {
            return Refused(JobRequests.InvalidStateTransition);
        }

        job.Stop(requested == JobRequests.Kill ? ProviderConstants.JobKilled : ProviderConstants.JobTerminated, now);
        return new CimMethodResult(JobRequests.Completed);
    }

    private static CimMethodResult JobError(SimulatedJob job)
    {
        var error = job.ErrorDescription is null
            ? null
            : CimXml.Serialize(new CimObject("CIM_Error", new Dictionary<string, object?>
            {
                ["Message"] = job.ErrorDescription,
                ["CIMStatusCode"] = (uint)job.ErrorCode,
            }));
        return new CimMethodResult(ProviderConstants.Completed, new Dictionary<string, object?> { ["Error"] = error });
    }
}
