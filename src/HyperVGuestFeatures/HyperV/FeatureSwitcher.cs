using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What Enable-/Disable-GuestFeature asks of one host: the VMs, and the features for each.</summary>
internal sealed class FeatureSwitchRequest
{
    private readonly List<FeatureDefinition> _features = new();
    private readonly Dictionary<Guid, List<FeatureDefinition>> _perVm = new();

    /// <param name="enable">True to switch on, false to switch off.</param>
    /// <param name="selection">The VMs named by -VMName/-VMId; none for piped rows, whose VM ids <see cref="AddFeature"/> adds.</param>
    public FeatureSwitchRequest(bool enable, VmSelection? selection = null)
    {
        Enable = enable;
        Selection = selection ?? new VmSelection();
    }

    /// <summary>True to switch on (Enable-GuestFeature), false to switch off.</summary>
    public bool Enable { get; }

    /// <summary>The VMs: -VMName/-VMId, or the ids of piped Get-GuestFeature rows.</summary>
    public VmSelection Selection { get; }

    /// <summary>Adds features to switch on every selected VM (-Name).</summary>
    public void AddFeatures(IEnumerable<FeatureDefinition> features) => _features.AddRange(features);

    /// <summary>Adds a feature to switch on one VM only (a piped Get-GuestFeature row), and selects that VM.</summary>
    public void AddFeature(Guid vmId, FeatureDefinition feature)
    {
        if (!_perVm.TryGetValue(vmId, out var list))
        {
            _perVm[vmId] = list = new List<FeatureDefinition>();
            Selection.AddIds(new[] { vmId });
        }

        list.Add(feature);
    }

    /// <summary>The switchable features asked for this VM, once each, in catalog order.</summary>
    public IReadOnlyList<FeatureDefinition> FeaturesFor(Guid vmId)
    {
        var asked = _perVm.TryGetValue(vmId, out var own) ? _features.Concat(own) : _features;
        var ids = new HashSet<string>(asked.Select(f => f.Id), StringComparer.OrdinalIgnoreCase);
        return FeatureSwitch.SwitchableFeatures.Where(f => ids.Contains(f.Id)).ToList();
    }
}

/// <summary>How <see cref="FeatureSwitcher.Apply"/> reports and asks while it works; the cmdlet layer fills these in.</summary>
internal sealed class FeatureSwitchCallbacks
{
    /// <summary>Messages, per-VM failures, and the ShouldProcess question (asked once per VM and switch).</summary>
    public OperationReporter Reporter { get; init; } = new();

    /// <summary>When set, receives the rows of the features switched or already as asked, as Get-GuestFeature reads them afterwards.</summary>
    public Action<GuestFeatureStatus>? PassThru { get; init; }

    public JobWaitOptions JobOptions { get; init; } = JobWaitOptions.Default;
}

/// <summary>
/// Enable-GuestFeature and Disable-GuestFeature's work on one host (docs/provider-model.md "Switching
/// features"). One VM lookup and one bulk read of the classes involved, whatever the number of VMs;
/// then, per VM, each switch is judged from its setting: already as asked is a warning and no call;
/// otherwise its preconditions are checked (secure boot: Generation 2, VM off) before ShouldProcess,
/// which shows the state Get-GuestFeature reports now and the one asked for. Approved integration
/// services of a VM change in one ModifyResourceSettings call (EnabledState 2 or 3 on their
/// Msvm_*ComponentSettingData), secure boot in one ModifySystemSettings call on the realized
/// Msvm_VirtualSystemSettingData, and dynamic memory through Set-DynamicMemory's own change
/// (<see cref="DynamicMemory.PlanVm"/>), so the memory rules, the virtual NUMA step and its undo are the same.
/// One VM's failure never stops the others. The changes are a <see cref="ChangePlan"/>, asked and made by the caller.
/// </summary>
internal static class FeatureSwitcher
{
    private static readonly string[] InstanceIdKey = { "InstanceID" };

    /// <summary>The whole step on the calling thread: <see cref="Plan"/>, each change asked with the reporter's ShouldProcess.</summary>
    public static void Apply(ICimClient client, FeatureSwitchRequest request, FeatureSwitchCallbacks callbacks, CancellationToken cancellationToken, int queryParallelism = 4)
    {
        if (callbacks is null)
        {
            throw new ArgumentNullException(nameof(callbacks));
        }

        Plan(client, request, callbacks, cancellationToken, queryParallelism).Run(callbacks.Reporter, cancellationToken);
    }

    /// <summary>
    /// Enable-/Disable-GuestFeature's plan for one host: the VMs looked up and the classes involved read once;
    /// per VM and switch, already as asked is a warning, a precondition that fails an error, and anything
    /// else one change. Read back for callbacks.PassThru with Get-GuestFeature's probe.
    /// </summary>
    internal static ChangePlan Plan(ICimClient client, FeatureSwitchRequest request, FeatureSwitchCallbacks callbacks, CancellationToken cancellationToken, int queryParallelism = 4)
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
        var work = VmInventory.Find(client, request.Selection, reporter, cancellationToken)
            .Select(vm => (Machine: vm, Features: request.FeaturesFor(vm.Id))).Where(w => w.Features.Count > 0).ToList();
        if (work.Count == 0)
        {
            return ChangePlan.None;
        }

        var features = work.SelectMany(w => w.Features).Distinct().ToList();
        var switchesMemory = features.Any(f => FeatureSwitch.For(f)!.Kind == FeatureSwitchKind.DynamicMemory);
        var queries = features.SelectMany(FeatureRules.QueriesFor)
            .Concat(features.SelectMany(f => FeatureSwitch.For(f)!.Queries))
            .Concat(new[] { SnapshotQuery.SystemSettings, SnapshotQuery.HostOperatingSystem })
            .Concat(switchesMemory ? DynamicMemory.SetQueries : Array.Empty<SnapshotQuery>())
            .ToList();
        reporter.Verbose(GuestFeatureException.Format("VerboseSwitchRead", features.Count, client.ComputerName, work.Count));
        var snapshot = HostSnapshot.Read(client, queries, queryParallelism, cancellationToken);
        var unsupported = request.Enable ? Unsupported(features, snapshot.HostVersion, client.ComputerName, reporter) : new HashSet<FeatureDefinition>();

        var run = new Run(client, request.Enable, snapshot, callbacks, cancellationToken);
        foreach (var (machine, vmFeatures) in work)
        {
            cancellationToken.ThrowIfCancellationRequested();
            run.PlanVm(machine, vmFeatures.Where(f => !unsupported.Contains(f)).ToList());
        }

        return new ChangePlan(run.Changes, _ => run.WritePassThru(queryParallelism));
    }

    /// <summary>The embedded Msvm_*ComponentSettingData for ModifyResourceSettings: InstanceID and EnabledState (2 enabled, 3 disabled) only.</summary>
    public static string EmbeddedServiceSetting(IntegrationComponent component, CimObject setting, bool enabled)
    {
        if (component is null)
        {
            throw new ArgumentNullException(nameof(component));
        }

        if (setting is null)
        {
            throw new ArgumentNullException(nameof(setting));
        }

        var properties = new List<KeyValuePair<string, object?>>
        {
            new("InstanceID", setting.GetString("InstanceID")),
            new("EnabledState", (ushort)(enabled ? 2 : 3)),
        };
        return CimXml.Serialize(new CimObject(component.SettingClass, properties, InstanceIdKey));
    }

    /// <summary>
    /// The embedded realized Msvm_VirtualSystemSettingData for ModifySystemSettings: InstanceID and
    /// SecureBootEnabled; switching on also sets SecureBootTemplateId to the Microsoft UEFI Certificate
    /// Authority template (the one Linux boot loaders are signed for; openstack/os-win vmutils10
    /// _set_secure_boot sets the same two properties).
    /// </summary>
    public static string EmbeddedSecureBoot(CimObject systemSettings, bool enabled)
    {
        if (systemSettings is null)
        {
            throw new ArgumentNullException(nameof(systemSettings));
        }

        var properties = new List<KeyValuePair<string, object?>>
        {
            new("InstanceID", systemSettings.GetString("InstanceID")),
            new("SecureBootEnabled", enabled),
        };
        if (enabled)
        {
            properties.Add(new("SecureBootTemplateId", VmView.MicrosoftUefiCertificateAuthorityTemplate.ToString("D").ToUpperInvariant()));
        }

        return CimXml.Serialize(new CimObject(DynamicMemory.SystemSettingClass, properties, InstanceIdKey));
    }

    /// <summary>Features this host's version does not offer: one error each for the host, and they are left out.</summary>
    private static HashSet<FeatureDefinition> Unsupported(IEnumerable<FeatureDefinition> features, Version? hostVersion, string computerName, OperationReporter reporter)
    {
        var unsupported = new HashSet<FeatureDefinition>();
        if (hostVersion is null)
        {
            return unsupported;
        }

        foreach (var feature in features.Where(f => !FeatureCatalog.IsSupportedBy(f, hostVersion)))
        {
            unsupported.Add(feature);
            var release = FeatureCatalog.ReleaseOf(hostVersion)?.Name ?? hostVersion.ToString();
            reporter.Error(GuestFeatureException.Create("FeatureNotSupportedByHost", FailureKind.NotSupported, computerName, feature.Name, feature.MinimumHost.Name, computerName, release, hostVersion));
        }

        return unsupported;
    }

    /// <summary>The state of one host's switching: the changes planned VM by VM, what they made (and what was already as asked) for -PassThru.</summary>
    private sealed class Run
    {
        private readonly ICimClient _client;
        private readonly bool _enable;
        private readonly HostSnapshot _snapshot;
        private readonly FeatureSwitchCallbacks _callbacks;
        private readonly CancellationToken _cancellationToken;
        private readonly HostRelease? _release;
        private readonly List<(VirtualMachine Machine, FeatureDefinition Feature)> _done = new();
        private readonly Lazy<CimInstancePath> _service;

        public Run(ICimClient client, bool enable, HostSnapshot snapshot, FeatureSwitchCallbacks callbacks, CancellationToken cancellationToken)
        {
            _client = client;
            _enable = enable;
            _snapshot = snapshot;
            _callbacks = callbacks;
            _cancellationToken = cancellationToken;
            _release = snapshot.HostVersion is null ? null : FeatureCatalog.ReleaseOf(snapshot.HostVersion);
            _service = new Lazy<CimInstancePath>(() => ManagementService.Find(client, cancellationToken), LazyThreadSafetyMode.None);
        }

        /// <summary>The changes planned so far, VM by VM.</summary>
        public List<VmChange> Changes { get; } = new();

        private OperationReporter Reporter => _callbacks.Reporter;

        /// <summary>
        /// Judges every switch of one VM and plans a change for each that is not as asked: its integration
        /// services as one group (asked one by one, the approved ones made in one call), secure boot, and
        /// dynamic memory as Set-DynamicMemory changes it, its ShouldProcess naming the features.
        /// </summary>
        public void PlanVm(VirtualMachine machine, IReadOnlyList<FeatureDefinition> features)
        {
            var view = new VmView(machine, _snapshot);
            var services = new object();
            var check = GuestFeatureException.Format("FeatureCheck", CommandText.Target(machine));
            foreach (var group in features.GroupBy(f => FeatureSwitch.For(f)!.Key))
            {
                var switched = FeatureSwitch.For(group.First())!;
                var asked = group.ToList();
                try
                {
                    if (!NeedsChange(view, switched, asked))
                    {
                        continue;
                    }

                    switch (switched.Kind)
                    {
                        case FeatureSwitchKind.IntegrationService:
                            var setting = view.Setting(switched.Component!)!;
                            var before = setting.GetUInt16("EnabledState")?.ToString(CultureInfo.InvariantCulture) ?? "?";
                            var change = GuestFeatureException.Format("FeatureSwitchServiceChange", switched.Component!.DisplayName, before, _enable ? 2 : 3);
                            Changes.Add(new VmChange(machine, Action(view, asked, change), check, services, (switched.Component!, setting, asked), (approved, stop) => ApplyServices(view, approved, stop)));
                            break;
                        case FeatureSwitchKind.SecureBoot:
                            CheckSecureBoot(view);
                            var system = view.SystemSettings!;
                            var secureBootChange = _enable
                                ? GuestFeatureException.Format("FeatureSwitchSecureBootOn", system.GetBoolean("SecureBootEnabled") == true, FeatureSwitch.TemplateName(FeatureSwitch.TemplateOf(system)))
                                : GuestFeatureException.Format("FeatureSwitchSecureBootOff");
                            Changes.Add(new VmChange(machine, Action(view, asked, secureBootChange), check, stop => ApplySecureBoot(view, asked, stop)));
                            break;
                        default:
                            var prefix = GuestFeatureException.Format(_enable ? "FeatureEnableAction" : "FeatureDisableAction", Label(asked), _enable ? "Disabled" : "Enabled", "; ");
                            var memory = new MemoryChangeCallbacks { Reporter = Reporter, JobOptions = _callbacks.JobOptions };
                            var request = new MemoryChangeRequest { DynamicMemoryEnabled = _enable };
                            if (DynamicMemory.PlanVm(_client, view, request, prefix, _service, memory, () => _done.AddRange(asked.Select(f => (machine, f)))) is { } memoryChange)
                            {
                                Changes.Add(memoryChange);
                            }

                            break;
                    }
                }
                catch (GuestFeatureException failure)
                {
                    Reporter.Error(failure);
                }
            }
        }

        /// <summary>-PassThru: the rows of what was switched or already as asked, read again with Get-GuestFeature's probe.</summary>
        public void WritePassThru(int queryParallelism)
        {
            if (_callbacks.PassThru is null || _done.Count == 0)
            {
                return;
            }

            var selection = new VmSelection();
            selection.AddIds(_done.Select(d => d.Machine.Id).Distinct());
            var features = _done.Select(d => d.Feature).Distinct().ToList();
            var wanted = new HashSet<(Guid, string)>(_done.Select(d => (d.Machine.Id, d.Feature.Id)));
            var after = FeatureProbe.Probe(_client, selection, FeatureSwitch.SwitchableFeatures.Where(features.Contains).ToList(), Reporter.Verbose, _cancellationToken, queryParallelism);
            foreach (var failure in after.Failures)
            {
                Reporter.Error(failure);
            }

            foreach (var row in after.Rows.Where(r => wanted.Contains((r.VMId, r.FeatureId))))
            {
                _callbacks.PassThru(row);
            }
        }

        /// <summary>False (with a warning, and the features counted as done) when the switch is already as asked.</summary>
        private bool NeedsChange(VmView view, FeatureSwitch switched, List<FeatureDefinition> asked)
        {
            var machine = view.Machine;
            var on = switched.Kind == FeatureSwitchKind.SecureBoot && !_enable
                ? (view.SystemSettings is null ? null : FeatureSwitch.IsSecureBootOn(view))
                : switched.IsOn(view);
            if (on is null)
            {
                var what = switched.Kind switch
                {
                    FeatureSwitchKind.IntegrationService => switched.Component!.SettingClass,
                    FeatureSwitchKind.SecureBoot => DynamicMemory.SystemSettingClass,
                    _ => DynamicMemory.MemorySettingClass,
                };
                throw GuestFeatureException.Create("FeatureSettingMissing", FailureKind.NotFound, machine.Name, machine.Name, machine.ComputerName, what);
            }

            if (on.Value != _enable)
            {
                return true;
            }

            var status = FeatureProbe.Judge(asked[0], view, _snapshot.HostVersion, _release);
            Reporter.Warning(GuestFeatureException.Format(
                _enable ? "FeatureAlreadyEnabled" : "FeatureAlreadyDisabled", Label(asked), machine.Name, machine.ComputerName, status.State, status.Detail));
            _done.AddRange(asked.Select(f => (machine, f)));
            return false;
        }

        /// <summary>Secure boot switches only on a Generation 2 VM that is off (docs/provider-model.md); checked before any call.</summary>
        private static void CheckSecureBoot(VmView view)
        {
            var machine = view.Machine;
            if (view.Generation != 2)
            {
                throw GuestFeatureException.Create("SecureBootNeedsGeneration2", FailureKind.InvalidState, machine.Name, machine.Name, machine.ComputerName, view.Generation?.ToString(CultureInfo.InvariantCulture) ?? "?");
            }

            if (machine.State != VMState.Off)
            {
                throw SecureBootNotOff(machine, machine.State.ToString(), null);
            }
        }

        private static GuestFeatureException SecureBootNotOff(VirtualMachine machine, string state, GuestFeatureException? refusal)
        {
            var failure = GuestFeatureException.Create("SecureBootChangeWhileRunning", FailureKind.InvalidState, machine.Name, machine.Name, machine.ComputerName, state);
            return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message, refusal)
            {
                RecommendedAction = GuestFeatureException.Format("SecureBootChangeWhileRunningAction", CommandText.Literal(machine.Name), CommandText.Literal(machine.ComputerName)),
                ProviderCode = refusal?.ProviderCode,
            };
        }

        /// <summary>The ShouldProcess action "features: now -> asked (provider-level change)".</summary>
        private string Action(VmView view, List<FeatureDefinition> asked, string change)
        {
            var states = asked.Select(f => FeatureProbe.Judge(f, view, _snapshot.HostVersion, _release).State.ToString()).Distinct();
            return GuestFeatureException.Format(_enable ? "FeatureEnableAction" : "FeatureDisableAction", Label(asked), string.Join("/", states), " (" + change + ")");
        }

        /// <summary>The approved integration services of one VM, in one ModifyResourceSettings call.</summary>
        private void ApplyServices(VmView view, IReadOnlyList<VmChange> approved, CancellationToken cancellationToken)
        {
            var machine = view.Machine;
            var services = approved.Select(c => ((IntegrationComponent Component, CimObject Setting, List<FeatureDefinition> Features))c.Tag!).ToList();
            try
            {
                var service = _service.Value;
                Reporter.Verbose(GuestFeatureException.Format(
                    "VerboseServicesCall",
                    DynamicMemory.ModifyMethod,
                    machine.Name,
                    machine.ComputerName,
                    _enable ? 2 : 3,
                    string.Join(", ", services.Select(s => s.Component.DisplayName))));
                var parameters = new Dictionary<string, object?>
                {
                    ["ResourceSettings"] = services.Select(s => EmbeddedServiceSetting(s.Component, s.Setting, _enable)).ToArray(),
                };
                var result = _client.InvokeMethod(service, DynamicMemory.ModifyMethod, parameters, cancellationToken);
                new JobWaiter(_client, _callbacks.JobOptions).Wait(DynamicMemory.ModifyMethod, machine.Name, result, cancellationToken);
                _done.AddRange(services.SelectMany(s => s.Features).Select(f => (machine, f)));
            }
            catch (GuestFeatureException failure) when (failure.ErrorId == "CimMethodFailed")
            {
                throw VmPreconditions.FromProviderRefusal(failure, machine, DynamicMemory.ModifyMethod);
            }
        }

        private void ApplySecureBoot(VmView view, List<FeatureDefinition> features, CancellationToken cancellationToken)
        {
            var machine = view.Machine;
            try
            {
                var service = _service.Value;
                Reporter.Verbose(GuestFeatureException.Format(
                    _enable ? "VerboseSecureBootOn" : "VerboseSecureBootOff",
                    DynamicMemory.ModifySystemMethod,
                    machine.Name,
                    machine.ComputerName));
                var parameters = new Dictionary<string, object?> { ["SystemSettings"] = EmbeddedSecureBoot(view.SystemSettings!, _enable) };
                var result = _client.InvokeMethod(service, DynamicMemory.ModifySystemMethod, parameters, cancellationToken);
                new JobWaiter(_client, _callbacks.JobOptions).Wait(DynamicMemory.ModifySystemMethod, machine.Name, result, cancellationToken);
                _done.AddRange(features.Select(f => (machine, f)));
            }
            catch (GuestFeatureException failure) when (VmPreconditions.IsInvalidState(failure))
            {
                // The VM started after the lookup: the provider's 32775 is the same refusal as the check's.
                throw SecureBootNotOff(machine, GuestFeatureException.Format("StateRefusedByProvider", failure.ProviderCode ?? ReturnCodes.InvalidState), failure);
            }
            catch (GuestFeatureException failure) when (failure.ErrorId == "CimMethodFailed")
            {
                throw VmPreconditions.FromProviderRefusal(failure, machine, DynamicMemory.ModifySystemMethod);
            }
        }

        private static string Label(IEnumerable<FeatureDefinition> features)
            => string.Join(", ", features.Select(f => "'" + f.Name + "'"));
    }
}
