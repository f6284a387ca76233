using System;
using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// -ComputerName refuses a blank name ('   ', an empty CSV cell read with its padding): it names no
/// host, and taking it as the local computer would change the local VMs by accident. A piped row
/// with a blank name fails binding on its own; the other rows still run.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateComputerNameAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        if ((element is PSObject wrapped ? wrapped.BaseObject : element) is string name && name.Length > 0 && name.Trim().Length == 0)
        {
            throw new ValidationMetadataException(GuestFeatureException.Format("ComputerNameBlank"));
        }
    }
}
