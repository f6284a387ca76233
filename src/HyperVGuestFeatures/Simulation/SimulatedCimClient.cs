using System;
using System.Collections.Generic;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// <see cref="ICimClient"/> over a <see cref="SimulatedHost"/>: each call is one round trip to the host
/// (latency, counters, faults), exactly like a call to the real provider.
/// </summary>
internal sealed class SimulatedCimClient : ICimClient
{
    private readonly SimulatedHost _host;
    private bool _disposed;

    public SimulatedCimClient(SimulatedHost host)
    {
        _host = host;
    }

    public string ComputerName => _host.ComputerName;

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _host.ServeQuery(namespaceName, wql, cancellationToken);
    }

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _host.ServeGetInstance(path, cancellationToken);
    }

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _host.ServeGetAssociated(source, associationClass, resultClass, cancellationToken);
    }

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _host.ServeInvokeMethod(target, methodName, parameters, cancellationToken);
    }

    public void Dispose() => _disposed = true;

    public override string ToString() => "Simulated CIM client for " + ComputerName;

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(SimulatedCimClient));
        }
    }
}
