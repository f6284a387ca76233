using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Disable-GuestFeature: switches off what the host can switch behind catalog features (six integration
/// services by class and GUID, secure boot, dynamic memory through Set-DynamicMemory's rules). Already
/// off is a warning and no call.
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "GuestFeature", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(GuestFeatureStatus))]
public sealed class DisableGuestFeatureCommand : GuestFeatureSwitchCmdletBase
{
    protected override bool Enable => false;
}
