using System;
using System.Collections.Generic;
using System.Threading;

namespace HyperVGuestFeatures.Cim;

/// <summary>
/// The one way the domain talks to a Hyper-V host's WMI provider. Implemented by the MMI-backed
/// client for real hosts and by the simulated host, so the domain cannot tell them apart.
/// Every member is one round trip to the provider. Failures to reach or use the host are thrown as
/// <see cref="GuestFeatureException"/> (HostUnreachable, AccessDenied, NotFound, ...); method
/// refusals are return codes in <see cref="CimMethodResult"/>, as the provider reports them.
/// </summary>
internal interface ICimClient : IDisposable
{
    /// <summary>The host name as the user addressed it.</summary>
    string ComputerName { get; }

    /// <summary>Runs a WQL query (build it with <see cref="Wql"/>, which escapes every value).</summary>
    IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken);

    /// <summary>Fetches one instance by its key; throws GuestFeatureException (NotFound) when it does not exist.</summary>
    CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken);

    /// <summary>ASSOCIATORS OF the instance through <paramref name="associationClass"/>, limited to <paramref name="resultClass"/>.</summary>
    IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken);

    /// <summary>
    /// Invokes an instance method (or a static one when <paramref name="target"/> is a class path).
    /// In-parameters are primitives, string arrays of embedded instances (see <see cref="CimXml"/>)
    /// and <see cref="CimInstancePath"/> for REF parameters.
    /// </summary>
    CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken);
}
