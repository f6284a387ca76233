using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// VMs' runtime summaries (assigned memory, available memory) through
/// <c>Msvm_VirtualSystemManagementService.GetSummaryInformation(SettingData, RequestedInformation)</c>, as every other
/// client reads them (openstack os-win get_vm_summary_info, MSDOC's sample): one call for all the VMs of a host
/// (docs/provider-model.md "Summary information").
/// </summary>
internal static class VmSummaries
{
    public const string MethodName = "GetSummaryInformation";

    // RequestedInformation values (MSDOC getsummaryinformation-msvm-virtualsystemmanagementservice).
    public const uint Name = 0;
    public const uint ElementName = 1;
    public const uint EnabledState = 100;
    public const uint MemoryUsage = 103;
    public const uint MemoryAvailable = 112;
    public const uint AvailableMemoryBuffer = 113;

    private static readonly uint[] Requested = { Name, ElementName, EnabledState, MemoryUsage, MemoryAvailable, AvailableMemoryBuffer };

    /// <summary>
    /// The summaries of <paramref name="vmIds"/> (VM GUIDs), or of every VM when null, in one method call after
    /// finding the service (one query). Null when the provider refused the call: the summaries are then unknown.
    /// </summary>
    public static IReadOnlyList<CimObject>? Read(ICimClient client, IReadOnlyCollection<string>? vmIds, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        var service = ManagementService.Find(client, cancellationToken);
        var parameters = new Dictionary<string, object?>
        {
            // MSDOC: "If this parameter is Null, information for all virtual machines is retrieved."
            ["SettingData"] = vmIds?.Select(SettingsOf).ToArray(),
            ["RequestedInformation"] = Requested,
        };
        var result = client.InvokeMethod(service, MethodName, parameters, cancellationToken);
        return result.ReturnValue == ReturnCodes.Completed
            ? Parse(result.OutParameters.TryGetValue("SummaryInformation", out var value) ? value : null)
            : null;
    }

    /// <summary>The realized settings of a VM, as the REF GetSummaryInformation takes (InstanceID <c>Microsoft:&lt;VM&gt;</c>).</summary>
    public static CimInstancePath SettingsOf(string vmId)
        => CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_VirtualSystemSettingData", "InstanceID", "Microsoft:" + vmId.ToUpperInvariant());

    /// <summary>
    /// The SummaryInformation out-parameter: embedded instances (as MI hands them), or their CIM-XML text; entries
    /// whose Name is empty (a VM the host could not find, MSDOC) are left out.
    /// </summary>
    public static IReadOnlyList<CimObject> Parse(object? value)
    {
        var items = value switch
        {
            null => Enumerable.Empty<object?>(),
            CimObject single => new object?[] { single },
            string text => new object?[] { text },
            IEnumerable many => many.Cast<object?>(),
            _ => Enumerable.Empty<object?>(),
        };
        var summaries = new List<CimObject>();
        foreach (var item in items)
        {
            var summary = item switch
            {
                CimObject instance => instance,
                string text => TryParse(text),
                _ => null,
            };
            if (summary is not null && !string.IsNullOrEmpty(summary.GetString("Name")))
            {
                summaries.Add(summary);
            }
        }

        return summaries;
    }

    /// <summary>
    /// Demand in MB from a running VM's summary: MemoryAvailable (sint32) is the share of the assigned memory the guest
    /// does not need, negative when it needs more than it has, and valid only with dynamic memory on (MSDOC
    /// msvm-summaryinformation). Null when it is not valid or not reported.
    /// </summary>
    public static long? DemandMB(CimObject? summary, bool dynamicMemoryEnabled)
    {
        if (summary is null || !dynamicMemoryEnabled || summary.GetUInt64("MemoryUsage") is not { } assigned || summary["MemoryAvailable"] is not { } availableValue)
        {
            return null;
        }

        var available = Convert.ToInt64(availableValue, System.Globalization.CultureInfo.InvariantCulture);
        return Math.Max(0, (long)assigned - ((long)assigned * available / 100));
    }

    private static CimObject? TryParse(string text)
    {
        try
        {
            return CimXml.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
