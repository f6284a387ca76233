using System;
using System.Globalization;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// Secure boot through ModifySystemSettings (docs/provider-model.md "Switching features"): the realized
/// Msvm_VirtualSystemSettingData's SecureBootEnabled and SecureBootTemplateId, the two properties
/// openstack/os-win (vmutils10 _set_secure_boot) sets before calling ModifySystemSettings, and that
/// Set-VMFirmware -EnableSecureBoot/-SecureBootTemplateId change. Integration services are switched by
/// ModifyResourceSettings on their setting data, which SimulatedHost.Methods.cs already serves.
/// </summary>
internal sealed partial class SimulatedHost
{
    /// <summary>The Open Source Shielded VM template, the third template of a Windows Server 2016+ host (Assumption: as Hyper-V lists it).</summary>
    internal const string OpenSourceShieldedVmTemplate = "4292AE2B-EE2C-42B5-A969-DD8F8689F6F3";

    private static bool IsSecureBootProperty(string name)
        => string.Equals(name, "SecureBootEnabled", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "SecureBootTemplateId", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The secure boot part of an embedded VSSD, checked at once: null with no refusal when it carries
    /// none. Assumptions (no public source gives the provider's codes here): a Generation 1 VM, a value
    /// of the wrong type, a template id on a host older than Windows Server 2016 (it has no templates,
    /// and the simulator's VSSD has no SecureBootTemplateId there) or an id that is none of the host's
    /// templates is 32773 Invalid parameter.
    /// </summary>
    private uint? ProposeSecureBoot(SimulatedVM vm, CimObject setting, out SecureBootChange? change)
    {
        change = null;
        var enabledValue = setting["SecureBootEnabled"];
        var templateValue = setting["SecureBootTemplateId"];
        if (enabledValue is null && templateValue is null)
        {
            return null;
        }

        if (vm.Generation != 2)
        {
            return ProviderConstants.InvalidParameter;
        }

        bool? enabled = null;
        if (enabledValue is not null)
        {
            try
            {
                enabled = Convert.ToBoolean(enabledValue, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException)
            {
                return ProviderConstants.InvalidParameter;
            }
        }

        Guid? template = null;
        if (templateValue is not null)
        {
            if (HostVersion < HostVersions.WS2016 || !Guid.TryParse(Convert.ToString(templateValue, CultureInfo.InvariantCulture), out var id) || !IsKnownTemplate(id))
            {
                return ProviderConstants.InvalidParameter;
            }

            template = id;
        }

        change = new SecureBootChange(enabled, template);
        return null;
    }

    /// <summary>
    /// When the job runs: a change needs the VM off, as Hyper-V requires ("Cannot change the secure boot
    /// state whilst the VM is powered on", dsccommunity/HyperVDsc DSC_VMHyperV). Assumption: like the
    /// virtual NUMA switch, the job then ends with 32775. Sending the values the VM already has changes
    /// nothing and is accepted in any state.
    /// </summary>
    private static JobOutcome? CheckSecureBoot(SimulatedVM vm, SecureBootChange change)
    {
        if (!change.Changes(vm) || vm.State == SimulatedVMState.Off)
        {
            return null;
        }

        return new JobOutcome((ushort)ProviderConstants.InvalidState, string.Format(CultureInfo.InvariantCulture, "'{0}' failed to modify settings. Secure boot can be changed only while the virtual machine is off.", vm.Name));
    }

    private static void ApplySecureBoot(SimulatedVM vm, SecureBootChange change)
    {
        if (change.Enabled is { } enabled)
        {
            vm.SecureBootEnabled = enabled;
        }

        if (change.Template is { } template)
        {
            vm.SecureBootTemplateId = template;
        }
    }

    private static bool IsKnownTemplate(Guid id)
        => id == new Guid(ProviderConstants.MicrosoftWindowsTemplate)
            || id == new Guid(ProviderConstants.MicrosoftUefiCaTemplate)
            || id == new Guid(OpenSourceShieldedVmTemplate);

    /// <summary>What one ModifySystemSettings call asks of secure boot; null members are left as they are.</summary>
    private sealed class SecureBootChange
    {
        public SecureBootChange(bool? enabled, Guid? template)
        {
            Enabled = enabled;
            Template = template;
        }

        public bool? Enabled { get; }

        public Guid? Template { get; }

        public bool Changes(SimulatedVM vm)
            => (Enabled is { } enabled && enabled != vm.SecureBootEnabled)
                || (Template is { } template && template != vm.SecureBootTemplateId);
    }
}
