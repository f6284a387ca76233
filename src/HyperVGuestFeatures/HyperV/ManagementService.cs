using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>The host's Msvm_VirtualSystemManagementService, whose methods change VM settings (docs/provider-model.md).</summary>
internal static class ManagementService
{
    public const string ClassName = "Msvm_VirtualSystemManagementService";

    /// <summary>The keys of every CIM_Service, for this service's path when the provider sent no key flags.</summary>
    internal static readonly string[] ServiceKeys = { "CreationClassName", "Name", "SystemCreationClassName", "SystemName" };

    /// <summary>
    /// The service's path, read with one query: its keys include the host's own name (SystemName),
    /// which may differ from the name the user addressed.
    /// </summary>
    public static CimInstancePath Find(ICimClient client, CancellationToken cancellationToken)
    {
        var services = client.Query(CimNamespaces.Virtualization, Wql.Select(ClassName), cancellationToken);
        var service = (services.Count > 0 ? services[0] : null)
            ?? throw GuestFeatureException.Create("ManagementServiceNotFound", FailureKind.NotInstalled, client.ComputerName, client.ComputerName);
        return service.PathWithKeys(ServiceKeys);
    }
}
