using System;
using System.Globalization;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Whether a VM can take files now (docs/provider-model.md "File copy", preconditions), judged in memory from one bulk read
/// per host: the VM runs (VMNotRunning), its Guest Service Interface is enabled in its settings
/// (GuestServiceDisabled) and the guest answers on it (GuestServiceNotResponding: hv_fcopy_daemon).
/// This is the check Copy-VMFile lacks, whose copies fail with a bare "Failed to initiate copying".
/// </summary>
internal static class GuestServiceCheck
{
    private const ushort Enabled = 2;
    private const ushort StatusOk = 2;
    private const ushort StatusDegraded = 3;

    /// <param name="vm">The VM as the lookup read it.</param>
    /// <param name="setting">Its Msvm_GuestServiceInterfaceComponentSettingData, or null when the host has none for it.</param>
    /// <param name="component">Its Msvm_GuestServiceInterfaceComponent, or null (it exists only while the VM runs).</param>
    /// <returns>The reason the copy cannot start, or null when the VM is ready.</returns>
    public static GuestFeatureException? Evaluate(VirtualMachine vm, CimObject? setting, CimObject? component)
    {
        if (vm is null)
        {
            throw new ArgumentNullException(nameof(vm));
        }

        var notRunning = VmPreconditions.RequireRunning(vm, "OperationCopy");
        if (notRunning is not null)
        {
            return notRunning;
        }

        var gsi = IntegrationComponent.GuestServiceInterface;
        if (setting is null || setting.GetUInt16("EnabledState") != Enabled)
        {
            return new GuestFeatureException(
                "GuestServiceDisabled",
                FailureKind.InvalidState,
                vm.Name,
                GuestFeatureException.Format("GuestServiceDisabled", vm.Name, vm.ComputerName))
            {
                RecommendedAction = GuestFeatureException.Format("GuestServiceDisabledAction", CommandText.EnableFeature(vm, FeatureSwitch.FeatureOf(gsi).Name)),
            };
        }

        var status = component?.GetUInt16Array("OperationalStatus") ?? Array.Empty<ushort>();
        if (component is not null && status.Length > 0 && status[0] is StatusOk or StatusDegraded)
        {
            return null;
        }

        var descriptions = component?.GetStringArray("StatusDescriptions") ?? Array.Empty<string>();
        var statusText = component is null
            ? GuestFeatureException.Format("GuestServiceNoComponent")
            : descriptions.Length > 0 && !string.IsNullOrWhiteSpace(descriptions[0])
                ? descriptions[0]
                : status.Length > 0 ? DescribeStatus(status[0]) : GuestFeatureException.Format("GuestServiceNoStatus");
        return new GuestFeatureException(
            "GuestServiceNotResponding",
            FailureKind.InvalidState,
            vm.Name,
            GuestFeatureException.Format("GuestServiceNotResponding", vm.Name, vm.ComputerName, statusText, gsi.GuestDaemon))
        {
            RecommendedAction = GuestFeatureException.Format("GuestServiceNotRespondingAction", gsi.GuestDaemon),
        };
    }

    /// <summary>The name of an OperationalStatus[0] value (docs/provider-model.md "Integration components").</summary>
    public static string DescribeStatus(ushort status) => status switch
    {
        StatusOk => "OK",
        StatusDegraded => "Degraded",
        7 => "Non-Recoverable Error",
        12 => "No Contact",
        13 => "Lost Communication",
        15 => "Paused",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
