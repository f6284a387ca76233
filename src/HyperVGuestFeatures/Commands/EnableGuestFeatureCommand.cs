using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Enable-GuestFeature: switches on what the host can switch behind catalog features (six integration
/// services by class and GUID, secure boot with the Microsoft UEFI Certificate Authority template,
/// dynamic memory through Set-DynamicMemory's rules). Already on is a warning and no call.
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "GuestFeature", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(GuestFeatureStatus))]
public sealed class EnableGuestFeatureCommand : GuestFeatureSwitchCmdletBase
{
    protected override bool Enable => true;
}
