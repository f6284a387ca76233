using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// Msvm_VirtualSystemManagementService.GetSummaryInformation(SettingData REF[], RequestedInformation uint32[]) with
/// its out-parameter SummaryInformation[] (MSDOC getsummaryinformation-msvm-virtualsystemmanagementservice,
/// msvm-summaryinformation; docs/provider-model.md "Summary information").
/// </summary>
internal sealed partial class SimulatedHost
{
    // RequestedInformation value → Msvm_SummaryInformation property (MSDOC).
    private static readonly Dictionary<uint, string> SummaryProperties = new()
    {
        [0] = "Name",
        [1] = "ElementName",
        [4] = "NumberOfProcessors",
        [100] = "EnabledState",
        [103] = "MemoryUsage",
        [105] = "UpTime",
        [112] = "MemoryAvailable",
        [113] = "AvailableMemoryBuffer",
    };

    /// <summary>
    /// One entry per SettingData reference, in order (every VM when SettingData is null); a reference to no VM gives an
    /// entry whose Name is empty; Name is always filled, the properties not requested are null (MSDOC). A value that
    /// is not a list of numbers is 32773 Invalid parameter (Unverified); numbers the simulator does not model are ignored.
    /// </summary>
    private CimMethodResult GetSummaryInformation(Dictionary<string, object?> parameters)
    {
        var requested = new HashSet<uint>();
        if (parameters.TryGetValue("RequestedInformation", out var requestedValue) && requestedValue is not null)
        {
            try
            {
                foreach (var item in requestedValue is IEnumerable list and not string ? list.Cast<object?>() : new[] { requestedValue })
                {
                    requested.Add(Convert.ToUInt32(item, CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                return Refused(ProviderConstants.InvalidParameter);
            }
        }

        IEnumerable<SimulatedVM?> vms;
        if (parameters.TryGetValue("SettingData", out var settingData) && settingData is not null)
        {
            if (settingData is not IEnumerable references || settingData is string)
            {
                return Refused(ProviderConstants.InvalidParameter);
            }

            vms = references.Cast<object?>().Select(VMOfSettings).ToList();
        }
        else
        {
            vms = _vms;
        }

        var summaries = vms.Select(vm => SummaryOf(vm, requested)).ToArray();
        return new CimMethodResult(ProviderConstants.Completed, new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["SummaryInformation"] = summaries });
    }

    /// <summary>The VM whose realized settings a reference names (InstanceID <c>Microsoft:&lt;VM&gt;</c>); null for anything else.</summary>
    private SimulatedVM? VMOfSettings(object? reference)
    {
        var keys = reference switch
        {
            CimInstancePath path when IsClass(path.ClassName, SystemSettingClass) || string.Equals(path.ClassName, "CIM_VirtualSystemSettingData", StringComparison.OrdinalIgnoreCase) => path.Keys,
            CimObject instance when IsClass(instance.ClassName, SystemSettingClass) => instance.Properties,
            _ => null,
        };
        return keys is not null && keys.TryGetValue("InstanceID", out var id) && id is string text
            && VMIdOfInstanceId(text) is { } vmId && string.Equals(text, "Microsoft:" + vmId, StringComparison.OrdinalIgnoreCase)
            ? FindVMById(vmId)
            : null;
    }

    /// <summary>
    /// A VM's summary. Runtime values exist while it runs or is paused: MemoryUsage is the assigned MB; MemoryAvailable
    /// (sint32) is the share of the assigned memory the guest does not need, negative when it needs more, and
    /// AvailableMemoryBuffer the same against demand. MSDOC says both are "not valid" without dynamic memory: the
    /// simulator then reports 0, a value a client must not read as a demand (Unverified which value a host reports).
    /// </summary>
    private static CimObject SummaryOf(SimulatedVM? vm, HashSet<uint> requested)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (vm is not null)
        {
            var active = vm.HasRuntimeComponents;
            var assigned = (long)AssignedMB(vm);
            var demand = (long)DemandMB(vm);
            var dynamic = vm.Memory.DynamicMemoryEnabled;
            values["ElementName"] = vm.Name;
            values["NumberOfProcessors"] = (ushort)vm.ProcessorCount;
            values["EnabledState"] = ProviderConstants.EnabledState(vm.State);
            values["MemoryUsage"] = active ? (ulong)assigned : null;
            values["UpTime"] = active ? (ulong)Math.Max(0, (DateTime.UtcNow - vm.StartedUtc).TotalMilliseconds) : null;
            values["MemoryAvailable"] = !active ? null : dynamic && assigned > 0 ? (int)((assigned - demand) * 100 / assigned) : 0;
            values["AvailableMemoryBuffer"] = !active ? null : dynamic && demand > 0 ? (int)((assigned - demand) * 100 / demand) : 0;
        }

        var properties = new List<(string, object?)> { ("Name", vm?.IdText ?? string.Empty) };
        foreach (var pair in SummaryProperties.Where(p => p.Key != 0))
        {
            properties.Add((pair.Value, requested.Contains(pair.Key) && values.TryGetValue(pair.Value, out var value) ? value : null));
        }

        return Make(SummaryClass, NameKey, properties.ToArray());
    }
}
