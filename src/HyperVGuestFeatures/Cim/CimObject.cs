using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.Cim;

/// <summary>Well-known namespaces.</summary>
public static class CimNamespaces
{
    public const string Virtualization = @"root\virtualization\v2";
    public const string Cimv2 = @"root\cimv2";
}

/// <summary>
/// The path of one instance (class + key properties), or of a class when <see cref="Keys"/> is empty
/// (static methods). This is what a CIM REF parameter such as a method's Job out-parameter carries.
/// </summary>
public sealed class CimInstancePath : IEquatable<CimInstancePath>
{
    public CimInstancePath(string @namespace, string className, IReadOnlyDictionary<string, object?>? keys = null)
    {
        Namespace = @namespace;
        ClassName = className;
        Keys = keys is null
            ? new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, object?>(keys.ToDictionary(k => k.Key, k => k.Value), StringComparer.OrdinalIgnoreCase);
    }

    public string Namespace { get; }

    public string ClassName { get; }

    public IReadOnlyDictionary<string, object?> Keys { get; }

    public bool IsClassPath => Keys.Count == 0;

    /// <summary>A path with a single key property, the common case in root\virtualization\v2.</summary>
    public static CimInstancePath ForKey(string @namespace, string className, string keyName, object keyValue)
        => new(@namespace, className, new Dictionary<string, object?> { [keyName] = keyValue });

    public bool Equals(CimInstancePath? other)
    {
        if (other is null || !string.Equals(Namespace, other.Namespace, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(ClassName, other.ClassName, StringComparison.OrdinalIgnoreCase)
            || Keys.Count != other.Keys.Count)
        {
            return false;
        }

        foreach (var pair in Keys)
        {
            if (!other.Keys.TryGetValue(pair.Key, out var value) || !Equals(Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CimInstancePath);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ClassName);

    /// <summary>WMI-style text, e.g. <c>Msvm_ComputerSystem.CreationClassName="Msvm_ComputerSystem",Name="..."</c>.</summary>
    public override string ToString()
        => IsClassPath
            ? ClassName
            : ClassName + "." + string.Join(",", Keys.Select(k => $"{k.Key}=\"{k.Value}\""));
}

/// <summary>
/// One CIM instance as the module sees it: class, namespace, properties and which of them are keys.
/// Module-owned so that nothing outside Cim/ needs Microsoft.Management.Infrastructure (whose native
/// library is absent on Linux, FEASIBILITY.md §4). Property values are .NET primitives
/// (string, bool, ushort, uint, ulong, int, long, DateTime, TimeSpan), arrays of them,
/// <see cref="CimInstancePath"/> for references and <see cref="CimObject"/> for embedded instances.
/// </summary>
public sealed class CimObject
{
    private readonly Dictionary<string, object?> _properties;

    // A handful of names at most: a small array (distinct, case-insensitive, first spelling kept) costs less than a set.
    private readonly string[] _keyNames;

    public CimObject(string className, IEnumerable<KeyValuePair<string, object?>> properties, IEnumerable<string>? keyNames = null, string @namespace = CimNamespaces.Virtualization)
    {
        ClassName = className;
        Namespace = @namespace;
        _properties = new Dictionary<string, object?>(properties is ICollection<KeyValuePair<string, object?>> known ? known.Count : 0, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in properties)
        {
            _properties[pair.Key] = pair.Value;
        }

        _keyNames = DistinctNames(keyNames);
    }

    /// <summary>
    /// An instance from (name, value) pairs in order; a later pair with the same name wins. <paramref name="sharedKeyNames"/>
    /// is kept as it is, not copied: distinct names in an array nobody changes (the simulator's per-class key lists).
    /// </summary>
    internal CimObject(string className, IReadOnlyList<(string Name, object? Value)> properties, string[]? sharedKeyNames = null, string @namespace = CimNamespaces.Virtualization)
    {
        if (properties is null)
        {
            throw new ArgumentNullException(nameof(properties));
        }

        ClassName = className;
        Namespace = @namespace;
        _properties = new Dictionary<string, object?>(properties.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < properties.Count; i++)
        {
            _properties[properties[i].Name] = properties[i].Value;
        }

        _keyNames = sharedKeyNames ?? Array.Empty<string>();
    }

    public string ClassName { get; }

    public string Namespace { get; }

    public IReadOnlyDictionary<string, object?> Properties => _properties;

    public IReadOnlyCollection<string> KeyNames => _keyNames;

    /// <summary>The property's value, or null when absent or null.</summary>
    public object? this[string name] => _properties.TryGetValue(name, out var value) ? value : null;

    /// <summary>The instance's path, built from its key properties.</summary>
    public CimInstancePath Path
        => new(Namespace, ClassName, _keyNames.ToDictionary(k => k, k => this[k], StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The instance's path; when the provider flagged no key (whether instances queried over WS-Man carry key flags is
    /// unconfirmed, docs/provider-model.md "Could not confirm"), one built from the class's known key properties.
    /// </summary>
    public CimInstancePath PathWithKeys(params string[] knownKeys)
        => _keyNames.Length > 0 || knownKeys is null || knownKeys.Length == 0
            ? Path
            : new CimInstancePath(Namespace, ClassName, knownKeys.ToDictionary(k => k, k => this[k], StringComparer.OrdinalIgnoreCase));

    public string? GetString(string name) => this[name] as string;

    public string[] GetStringArray(string name) => this[name] switch
    {
        string[] strings => strings,
        null => Array.Empty<string>(),
        object[] objects => objects.Select(o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray(),
        var other => new[] { Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty },
    };

    public bool? GetBoolean(string name) => this[name] is { } value ? Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public ulong? GetUInt64(string name) => this[name] is { } value ? Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public uint? GetUInt32(string name) => this[name] is { } value ? Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public ushort? GetUInt16(string name) => this[name] is { } value ? Convert.ToUInt16(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>An unsigned 16-bit array such as OperationalStatus; empty when absent.</summary>
    public ushort[] GetUInt16Array(string name) => this[name] switch
    {
        ushort[] values => values,
        null => Array.Empty<ushort>(),
        Array values => values.Cast<object>().Select(v => Convert.ToUInt16(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        var other => new[] { Convert.ToUInt16(other, System.Globalization.CultureInfo.InvariantCulture) },
    };

    public override string ToString() => Path.ToString();

    private static string[] DistinctNames(IEnumerable<string>? names)
    {
        if (names is null)
        {
            return Array.Empty<string>();
        }

        var distinct = new List<string>(names is ICollection<string> known ? known.Count : 4);
        foreach (var name in names)
        {
            if (!distinct.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                distinct.Add(name);
            }
        }

        return distinct.Count == 0 ? Array.Empty<string>() : distinct.ToArray();
    }
}

/// <summary>What a method call returned: its return code and its out-parameters (a Job REF among them).</summary>
public sealed class CimMethodResult
{
    public CimMethodResult(uint returnValue, IReadOnlyDictionary<string, object?>? outParameters = null)
    {
        ReturnValue = returnValue;
        OutParameters = outParameters ?? new Dictionary<string, object?>();
    }

    public uint ReturnValue { get; }

    public IReadOnlyDictionary<string, object?> OutParameters { get; }

    /// <summary>The Job out-parameter (a key-only reference to a CIM_ConcreteJob), when the call started one.</summary>
    public CimInstancePath? Job => OutParameters.TryGetValue("Job", out var job) ? job as CimInstancePath : null;
}
