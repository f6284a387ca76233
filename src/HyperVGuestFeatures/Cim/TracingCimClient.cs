using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace HyperVGuestFeatures.Cim;

/// <summary>
/// An <see cref="ICimClient"/> that says what goes to the provider and what comes back, for -Debug: the WQL of each
/// query, the path of each instance read, each association walked, each method with its parameters, its return code
/// and the job it started, each failure, and how long each round trip took. It changes nothing about the calls.
/// </summary>
/// <remarks>
/// No secret reaches a message: credentials never pass through a client (the connection holds them), and KVP values
/// (<c>Msvm_KvpExchangeDataItem.Data</c> in DataItems) are data a user may keep secrets in (provisioning tokens,
/// passwords for the guest), so they are shown by size only, with their key and source, which is what diagnosing a
/// call needs (the provider's limits are sizes). Other values are shown, cut at <see cref="MaxValueLength"/>
/// characters. Instances that come back are counted, not shown (they carry the guest's KVP items); a job read back
/// shows its state and error code. <paramref name="sink"/> may be called from any thread the client is used on: the
/// caller marshals the messages to the pipeline thread.
/// </remarks>
internal sealed class TracingCimClient : ICimClient
{
    /// <summary>Values longer than this are cut in a message (the rest is counted).</summary>
    internal const int MaxValueLength = 200;

    private const string KvpItemClass = "Msvm_KvpExchangeDataItem";

    private readonly ICimClient _inner;
    private readonly Action<string> _sink;
    private int _calls;

    public TracingCimClient(ICimClient inner, Action<string> sink)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
    }

    public string ComputerName => _inner.ComputerName;

    public IReadOnlyList<CimObject> Query(string namespaceName, string wql, CancellationToken cancellationToken)
        => Trace(
            GuestFeatureException.Format("CimOperationQuery", wql) + " (" + namespaceName + ")",
            () => _inner.Query(namespaceName, wql, cancellationToken),
            Instances);

    public CimObject GetInstance(CimInstancePath path, CancellationToken cancellationToken)
        => Trace(
            GuestFeatureException.Format("CimOperationGetInstance", path),
            () => _inner.GetInstance(path, cancellationToken),
            Instance);

    public IReadOnlyList<CimObject> GetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
        => Trace(
            GuestFeatureException.Format("CimOperationAssociators", source, associationClass, resultClass),
            () => _inner.GetAssociated(source, associationClass, resultClass, cancellationToken),
            Instances);

    public CimMethodResult InvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var operation = GuestFeatureException.Format("CimOperationMethod", methodName, target);
        if (parameters is { Count: > 0 })
        {
            operation = GuestFeatureException.Format("DebugCimParameters", operation, string.Join("; ", parameters.Select(p => p.Key + " = " + Render(p.Value))));
        }

        return Trace(operation, () => _inner.InvokeMethod(target, methodName, parameters, cancellationToken), Returned);
    }

    public void Dispose() => _inner.Dispose();

    /// <summary>A value as a debug message shows it: embedded instances by class and properties, KVP values by size.</summary>
    internal static string Render(object? value) => value switch
    {
        null => "null",
        string text when text.TrimStart().StartsWith("<INSTANCE", StringComparison.Ordinal) => Embedded(text),
        string text => Cut(text),
        CimInstancePath path => Cut(path.ToString()),
        CimObject instance => Describe(instance),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Render)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => Cut(value.ToString() ?? string.Empty),
    };

    private T Trace<T>(string operation, Func<T> send, Func<T, string> describe)
    {
        // Calls may run at once on several threads: the number pairs each answer with its call.
        var number = Interlocked.Increment(ref _calls);
        _sink(GuestFeatureException.Format("DebugCimCall", number, _inner.ComputerName, operation));
        var clock = Stopwatch.StartNew();
        T result;
        try
        {
            result = send();
        }
        catch (Exception failure) when (failure is GuestFeatureException or OperationCanceledException)
        {
            _sink(GuestFeatureException.Format("DebugCimFailed", number, _inner.ComputerName, Milliseconds(clock), failure.Message));
            throw;
        }

        _sink(GuestFeatureException.Format("DebugCimAnswer", number, _inner.ComputerName, describe(result), Milliseconds(clock)));
        return result;
    }

    private static string Instances(IReadOnlyList<CimObject> instances)
        => GuestFeatureException.Format("DebugCimInstances", instances.Count);

    private static string Instance(CimObject instance)
        => instance.GetUInt16("JobState") is { } jobState
            ? GuestFeatureException.Format("DebugCimJob", instance.ClassName, jobState, JobStates.Describe(jobState), Render(instance["ErrorCode"]))
            : instance.ClassName;

    private static string Returned(CimMethodResult result)
    {
        var text = GuestFeatureException.Format("DebugCimReturn", result.ReturnValue, ReturnCodes.Describe(result.ReturnValue));
        var jobs = result.OutParameters.Values.SelectMany(JobIds).ToList();
        return jobs.Count == 0 ? text : GuestFeatureException.Format("DebugCimReturnJob", text, string.Join(", ", jobs));
    }

    /// <summary>The InstanceIDs of the job references (or instances) in an out-parameter: Job, or ParentPools before Windows Server 2016.</summary>
    private static IEnumerable<string> JobIds(object? value) => value switch
    {
        CimInstancePath path when path.Keys.TryGetValue("InstanceID", out var id) => new[] { Convert.ToString(id, CultureInfo.InvariantCulture) ?? string.Empty },
        CimObject instance when instance["JobState"] is not null && instance["InstanceID"] is { } id => new[] { Convert.ToString(id, CultureInfo.InvariantCulture) ?? string.Empty },
        IEnumerable items and not string => items.Cast<object?>().SelectMany(JobIds),
        _ => Array.Empty<string>(),
    };

    private static string Embedded(string text)
    {
        try
        {
            return Describe(CimXml.Parse(text));
        }
        catch (FormatException)
        {
            return Cut(text);
        }
    }

    private static string Describe(CimObject instance)
    {
        var isKvpItem = string.Equals(instance.ClassName, KvpItemClass, StringComparison.OrdinalIgnoreCase);
        var properties = instance.Properties.Select(p => p.Key + " = " + (isKvpItem && string.Equals(p.Key, "Data", StringComparison.OrdinalIgnoreCase) && p.Value is string data
            ? GuestFeatureException.Format("DebugValueSize", data.Length)
            : Render(p.Value)));
        return instance.ClassName + " { " + string.Join(", ", properties) + " }";
    }

    private static string Cut(string text)
        => text.Length <= MaxValueLength ? text : GuestFeatureException.Format("DebugValueCut", text.Substring(0, MaxValueLength), text.Length);

    private static string Milliseconds(Stopwatch clock) => clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
}
