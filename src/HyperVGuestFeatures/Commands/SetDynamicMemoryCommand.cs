using System;
using System.Linq;
using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Set-DynamicMemory: read-modify-write of the memory settings of the selected VMs. Every rule is
/// checked before anything changes; each VM is confirmed on its own and changed with one provider call.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DynamicMemory", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(DynamicMemoryInfo))]
public sealed class SetDynamicMemoryCommand : VmCmdletBase
{
    private const string NameSet = "VMName";
    private const string IdSet = "VMId";

    /// <summary>VM names; wildcards allowed. Required here: a change is never applied to every VM by default.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(VmNameCompleter))]
    public new string[]? VMName
    {
        get => base.VMName;
        set => base.VMName = value;
    }

    /// <summary>VM ids (Get-VM's VMId).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public new Guid[]? VMId
    {
        get => base.VMId;
        set => base.VMId = value;
    }

    /// <summary>Switches dynamic memory on or off (only while the VM is off).</summary>
    [Parameter]
    public bool DynamicMemoryEnabled { get; set; }

    /// <summary>Startup memory in bytes (the fixed size when dynamic memory is off).</summary>
    [Parameter]
    public long StartupBytes { get; set; }

    /// <summary>Minimum memory in bytes (dynamic memory only).</summary>
    [Parameter]
    public long MinimumBytes { get; set; }

    /// <summary>Maximum memory in bytes (dynamic memory only).</summary>
    [Parameter]
    public long MaximumBytes { get; set; }

    /// <summary>Memory buffer in percent, 5-2000 (dynamic memory only).</summary>
    [Parameter]
    [ValidateRange(MemoryRules.MinimumBuffer, MemoryRules.MaximumBuffer)]
    public int Buffer { get; set; }

    /// <summary>Memory priority, 0-100.</summary>
    [Parameter]
    [ValidateRange(MemoryRules.MinimumPriority, MemoryRules.MaximumPriority)]
    public int Priority { get; set; }

    /// <summary>Writes the VM's memory settings as re-read after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void OnBegin()
    {
        var settings = new[] { nameof(DynamicMemoryEnabled), nameof(StartupBytes), nameof(MinimumBytes), nameof(MaximumBytes), nameof(Buffer), nameof(Priority) };
        if (!settings.Any(Bound))
        {
            ThrowFailure(GuestFeatureException.Create("MemoryNoSettingGiven", FailureKind.InvalidArgument, null));
        }
    }

    protected override void OnProcess() => CollectVmRequest();

    protected override void OnEnd()
    {
        var request = new MemoryChangeRequest
        {
            DynamicMemoryEnabled = Bound(nameof(DynamicMemoryEnabled)) ? DynamicMemoryEnabled : null,
            StartupBytes = Bound(nameof(StartupBytes)) ? StartupBytes : null,
            MinimumBytes = Bound(nameof(MinimumBytes)) ? MinimumBytes : null,
            MaximumBytes = Bound(nameof(MaximumBytes)) ? MaximumBytes : null,
            Buffer = Bound(nameof(Buffer)) ? Buffer : null,
            Priority = Bound(nameof(Priority)) ? Priority : null,
        };
        var passThru = PassThru.IsPresent;

        RunChanges(Requests, (host, selection) =>
        {
            var callbacks = new MemoryChangeCallbacks
            {
                Reporter = host.Reporter,
                PassThru = passThru ? memory => host.Output(memory) : null,
            };
            return DynamicMemory.PlanSet(host.Client, selection, request, callbacks, host.CancellationToken);
        });
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
