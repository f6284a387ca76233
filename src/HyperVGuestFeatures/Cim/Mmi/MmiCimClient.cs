using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.Management.Infrastructure;
using Microsoft.Management.Infrastructure.Options;
using MiMethodResult = Microsoft.Management.Infrastructure.CimMethodResult;

namespace HyperVGuestFeatures.Cim.Mmi;

/// <summary>
/// <see cref="ICimClient"/> over a Microsoft.Management.Infrastructure session: the real Hyper-V
/// provider. Create it through <see cref="MmiConnection"/>, whose signatures carry no MMI types.
/// Every instance MMI hands back is converted to module types and disposed at once.
/// </summary>
internal sealed class MmiCimClient : ICimClient
{
    private const string QueryDialect = "WQL";

    /// <summary>
    /// The longest any one operation may take before MMI gives up on it (CimOperationOptions.Timeout): a host
    /// that stops answering mid-call fails with a timeout instead of holding its worker for ever. Generous,
    /// since one query reads a whole host (thousands of VMs); Ctrl+C does not wait for it (the cancellation
    /// token is handed to MMI as well).
    /// </summary>
    internal static readonly TimeSpan OperationTimeout = TimeSpan.FromMinutes(3);

    private readonly CimSession _session;
    private readonly IDisposable? _ownedOptions;
    private readonly bool _ownsSession;

    /// <param name="session">The session to use.</param>
    /// <param name="computerName">The host name as the user addressed it (messages, error targets).</param>
    /// <param name="ownsSession">True when this client made the session and must close it; a user's -CimSession is never closed.</param>
    /// <param name="ownedOptions">Session options to dispose with the session (kept alive as long as it).</param>
    public MmiCimClient(CimSession session, string computerName, bool ownsSession, IDisposable? ownedOptions = null)
    {
        _session = session;
        ComputerName = computerName;
        _ownsSession = ownsSession;
        _ownedOptions = ownedOptions;
    }

    public string ComputerName { get; }

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken)
        => Run(GuestFeatureException.Format("CimOperationQuery", wql), options => ToObjects(_session.QueryInstances(namespaceName, QueryDialect, wql, options), namespaceName), cancellationToken);

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
        => Run(GuestFeatureException.Format("CimOperationGetInstance", path), options =>
        {
            var created = new List<IDisposable>();
            try
            {
                var key = MmiValues.ToKeyInstance(path, created);
                using var instance = _session.GetInstance(path.Namespace, key, options);
                return MmiValues.ToObject(instance, path.Namespace);
            }
            finally
            {
                DisposeAll(created);
            }
        }, cancellationToken);

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
        => Run(GuestFeatureException.Format("CimOperationAssociators", source, associationClass, resultClass), options =>
        {
            var created = new List<IDisposable>();
            try
            {
                var key = MmiValues.ToKeyInstance(source, created);
                return ToObjects(_session.EnumerateAssociatedInstances(source.Namespace, key, associationClass, resultClass, null, null, options), source.Namespace);
            }
            finally
            {
                DisposeAll(created);
            }
        }, cancellationToken);

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
        => Run(GuestFeatureException.Format("CimOperationMethod", methodName, target), options =>
        {
            var created = new List<IDisposable>();
            try
            {
                var inParameters = MmiValues.ToParameters(parameters, created);
                using var result = target.IsClassPath
                    ? _session.InvokeMethod(target.Namespace, target.ClassName, methodName, inParameters, options)
                    : _session.InvokeMethod(target.Namespace, MmiValues.ToKeyInstance(target, created), methodName, inParameters, options);
                return ToResult(result, target.Namespace);
            }
            finally
            {
                DisposeAll(created);
            }
        }, cancellationToken);

    public void Dispose()
    {
        if (_ownsSession)
        {
            _session.Dispose();
            _ownedOptions?.Dispose();
        }
    }

    private static List<CimObject> ToObjects(IEnumerable<CimInstance> instances, string @namespace)
    {
        var objects = new List<CimObject>();
        foreach (var instance in instances)
        {
            using (instance)
            {
                objects.Add(MmiValues.ToObject(instance, @namespace));
            }
        }

        return objects;
    }

    private static CimMethodResult ToResult(MiMethodResult result, string @namespace)
    {
        var returnValue = Convert.ToUInt32(result.ReturnValue?.Value ?? 0u, CultureInfo.InvariantCulture);
        var outParameters = result.OutParameters
            .ToDictionary(p => p.Name, p => MmiValues.FromCim(p.Value, p.CimType, @namespace), StringComparer.OrdinalIgnoreCase);
        return new CimMethodResult(returnValue, outParameters);
    }

    private static void DisposeAll(List<IDisposable> created)
    {
        for (var i = created.Count - 1; i >= 0; i--)
        {
            created[i].Dispose();
        }
    }

    /// <summary>One provider round trip: a bounded operation timeout and the cancellation handed to MMI, failures mapped to GuestFeatureException.</summary>
    private T Run<T>(string operation, Func<CimOperationOptions, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var options = new CimOperationOptions { Timeout = OperationTimeout };
            if (cancellationToken.CanBeCanceled)
            {
                options.CancellationToken = cancellationToken;
            }

            return body(options);
        }
        catch (CimException failure) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(GuestFeatureException.Format("OperationStopped"), failure, cancellationToken);
        }
        catch (CimException failure)
        {
            throw MmiErrors.Map(failure, ComputerName, operation);
        }
        catch (Exception failure) when (MmiErrors.IsPlatformMissing(failure))
        {
            throw MmiErrors.Unavailable(ComputerName, failure);
        }
    }
}
