using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Changes a simulated VM's power state and integration components, to reach any precondition in tests.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "HyperVSimulatorVM", SupportsShouldProcess = true)]
[OutputType(typeof(HyperVSimulatorVMInfo))]
public sealed class SetHyperVSimulatorVMCommand : GuestFeatureCmdletBase
{
    private const string Shutdown = "Shutdown";
    private const string TimeSynchronization = "Time Synchronization";
    private const string Heartbeat = "Heartbeat";
    private const string KeyValuePairExchange = "Key-Value Pair Exchange";
    private const string Vss = "VSS";
    private const string GuestServiceInterface = "Guest Service Interface";

    private List<(string Key, string? Value)> _guestChanges = new();
    private List<(string Key, string? Value)> _intrinsicChanges = new();
    private List<(IntegrationComponentInfo Component, IntegrationComponentStatus Status)> _statusChanges = new();

    /// <summary>The simulated host; the local computer by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SimulatedHostNameCompleter))]
    [ValidateComputerName]
    public string? ComputerName { get; set; }

    /// <summary>VM names (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>The power state to put the VM in, at once (no job).</summary>
    [Parameter]
    [ValidateSet("Running", "Off", "Saved", "Paused")]
    public string? State { get; set; }

    /// <summary>Integration components to disable in the VM's settings, by the names the Hyper-V module shows.</summary>
    [Parameter]
    [ValidateSet(Shutdown, TimeSynchronization, Heartbeat, KeyValuePairExchange, Vss, GuestServiceInterface)]
    public string[]? DisableComponent { get; set; }

    /// <summary>Integration components to enable in the VM's settings.</summary>
    [Parameter]
    [ValidateSet(Shutdown, TimeSynchronization, Heartbeat, KeyValuePairExchange, Vss, GuestServiceInterface)]
    public string[]? EnableComponent { get; set; }

    /// <summary>
    /// Acts as the guest: KVP items it publishes for the host (Source Guest). A $null value removes the
    /// key. The host sees them only while the VM runs with Key-Value Pair Exchange enabled.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? GuestItem { get; set; }

    /// <summary>Acts as the guest's KVP daemon: intrinsic items (OSName, NetworkAddressIPv4, ...); a $null value removes the key.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? IntrinsicItem { get; set; }

    /// <summary>
    /// Acts as the guest side of integration components: what each reports while the VM runs, by the
    /// component names the Hyper-V module shows (keys) and OK, Degraded, NonRecoverableError, NoContact
    /// (the guest's daemon does not answer) or LostCommunication (values).
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? ComponentStatus { get; set; }

    /// <summary>Writes the changed VMs to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnBegin()
    {
        // Checked before any VM changes, so a bad key changes nothing.
        _guestChanges = GuestItemChanges(GuestItem);
        _intrinsicChanges = GuestItemChanges(IntrinsicItem);
        _statusChanges = StatusChanges(ComponentStatus);
    }

    protected override void OnProcess()
    {
        if (SimulatorCommandSupport.Find(ComputerName, WriteFailure) is not { } host)
        {
            return;
        }

        foreach (var vmName in SimulatorCommandSupport.MatchVMs(host, VMName!, WriteFailure))
        {
            Apply(host, vmName);
        }
    }

    private void Apply(SimulatedHost host, string vmName)
    {
        if (State is not null && ShouldProcess(vmName, GuestFeatureException.Format("SimulatorVMStateChange", State)))
        {
            host.SetVMState(vmName, (SimulatedVMState)Enum.Parse(typeof(SimulatedVMState), State, ignoreCase: true));
        }

        foreach (var (names, enable) in new[] { (DisableComponent, false), (EnableComponent, true) })
        {
            foreach (var name in names ?? Array.Empty<string>())
            {
                var component = IntegrationComponentInfo.FromDisplayName(name)!;
                if (ShouldProcess(vmName, GuestFeatureException.Format(enable ? "SimulatorEnableComponentAction" : "SimulatorDisableComponentAction", component.DisplayName)))
                {
                    host.SetComponentEnabled(vmName, component.Kind, enable);
                }
            }
        }

        foreach (var (component, status) in _statusChanges)
        {
            if (ShouldProcess(vmName, GuestFeatureException.Format("SimulatorComponentStatusAction", component.DisplayName, status)))
            {
                host.SetComponentStatus(vmName, component.Kind, status);
            }
        }

        foreach (var (changes, source) in new[] { (_guestChanges, KvpSource.Guest), (_intrinsicChanges, KvpSource.Intrinsic) })
        {
            if (changes.Count > 0 && ShouldProcess(vmName, GuestFeatureException.Format("SimulatorGuestItemAction", source, string.Join(", ", changes.Select(c => c.Key)))))
            {
                host.ModifyVM(vmName, vm =>
                {
                    var pool = source == KvpSource.Guest ? vm.GuestItems : vm.IntrinsicItems;
                    foreach (var (key, value) in changes)
                    {
                        if (value is null)
                        {
                            pool.Remove(key);
                        }
                        else
                        {
                            pool[key] = value;
                        }
                    }
                });
            }
        }

        if (PassThru)
        {
            WriteObject(host.InspectVM(vmName, vm => new HyperVSimulatorVMInfo(host.ComputerName, vm)));
        }
    }

    /// <summary>The component statuses asked for, checked before any VM changes.</summary>
    private List<(IntegrationComponentInfo Component, IntegrationComponentStatus Status)> StatusChanges(Hashtable? statuses)
    {
        var changes = new List<(IntegrationComponentInfo, IntegrationComponentStatus)>();
        foreach (DictionaryEntry entry in statuses ?? new Hashtable())
        {
            var name = LanguagePrimitives.ConvertTo<string>(entry.Key);
            var value = entry.Value is null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
            var component = string.IsNullOrEmpty(name) ? null : IntegrationComponentInfo.FromDisplayName(name);
            var statusName = Enum.GetNames(typeof(IntegrationComponentStatus)).FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
            if (component is null || statusName is null)
            {
                ThrowFailure(GuestFeatureException.Create(
                    "SimulatorComponentStatusInvalid",
                    FailureKind.InvalidArgument,
                    entry.Key,
                    entry.Key,
                    value,
                    string.Join(", ", IntegrationComponentInfo.All.Select(c => c.DisplayName)),
                    string.Join(", ", Enum.GetNames(typeof(IntegrationComponentStatus)))));
                continue;
            }

            changes.Add((component, (IntegrationComponentStatus)Enum.Parse(typeof(IntegrationComponentStatus), statusName)));
        }

        return changes;
    }

    /// <summary>The hashtable as (key, value) pairs: keys and values as text, a null value meaning "remove".</summary>
    private List<(string Key, string? Value)> GuestItemChanges(Hashtable? items)
    {
        var changes = new List<(string Key, string? Value)>();
        foreach (DictionaryEntry entry in items ?? new Hashtable())
        {
            var key = LanguagePrimitives.ConvertTo<string>(entry.Key);
            if (string.IsNullOrEmpty(key))
            {
                ThrowFailure(GuestFeatureException.Create("SimulatorGuestItemKeyEmpty", FailureKind.InvalidArgument, entry.Key));
            }

            var value = entry.Value is null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
            changes.Add((key, value));
        }

        return changes;
    }
}
