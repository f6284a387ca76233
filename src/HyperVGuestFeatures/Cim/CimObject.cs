using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.Cim;

/// <summary>Well-known namespaces.</summary>
internal static class CimNamespaces
{
    public const string Virtualization = @"root\virtualization\v2";
    public const string Cimv2 = @"root\cimv2";
}

/// <summary>
/// The path of one instance (class + key properties), or of a class when <see cref="Keys"/> is empty
/// (static methods). This is what a CIM REF parameter such as a method's Job out-parameter carries.
/// </summary>
internal sealed class CimInstancePath : IEquatable<CimInstancePath>
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
            : ClassName + "." + string.Join(",", Keys.Select(k => k.Key + "=\"" + Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture) + "\""));
}

/// <summary>
/// One CIM instance as the module sees it: class, namespace, properties and which of them are keys.
/// Module-owned so that nothing outside Cim/ needs Microsoft.Management.Infrastructure (whose native
/// library, libmi, is absent on Linux: even an in-memory CimInstance cannot be built there). Property values are .NET primitives
/// (string, bool, ushort, uint, ulong, int, long, DateTime, TimeSpan), arrays of them,
/// <see cref="CimInstancePath"/> for references and <see cref="CimObject"/> for embedded instances.
/// </summary>
internal sealed class CimObject
{
    // Past this many properties, lookups go through an index rather than along the array.
    private const int IndexedFrom = 16;

    // The properties in their order, names distinct without regard to case (the first spelling kept, the last value):
    // a bulk read holds hundreds of thousands of instances, and an array of pairs costs a third of a dictionary.
    private readonly (string Name, object? Value)[] _items;
    private readonly int _count;
    private readonly Dictionary<string, int>? _index;

    // A handful of names at most: a small array (distinct, case-insensitive, first spelling kept) costs less than a set.
    private readonly string[] _keyNames;
    private PropertyView? _view;

    public CimObject(string className, IEnumerable<KeyValuePair<string, object?>> properties, IEnumerable<string>? keyNames = null, string @namespace = CimNamespaces.Virtualization)
    {
        if (properties is null)
        {
            throw new ArgumentNullException(nameof(properties));
        }

        ClassName = className;
        Namespace = @namespace;
        _items = new (string, object?)[properties is ICollection<KeyValuePair<string, object?>> known ? known.Count : 8];
        foreach (var pair in properties)
        {
            Set(ref _items, ref _count, ref _index, pair.Key, pair.Value);
        }

        _keyNames = DistinctNames(keyNames);
    }

    /// <summary>
    /// An instance from (name, value) pairs in order; a later pair with the same name wins. An array of distinct names
    /// is kept as it is, not copied, and so is <paramref name="sharedKeyNames"/> (distinct names): pass arrays nobody
    /// changes afterwards (the simulator's fresh property lists, its per-class key lists).
    /// </summary>
    internal CimObject(string className, IReadOnlyList<(string Name, object? Value)> properties, string[]? sharedKeyNames = null, string @namespace = CimNamespaces.Virtualization)
    {
        if (properties is null)
        {
            throw new ArgumentNullException(nameof(properties));
        }

        ClassName = className;
        Namespace = @namespace;
        if (properties is (string Name, object? Value)[] array && array.Length < IndexedFrom && AreDistinct(array))
        {
            _items = array;
            _count = array.Length;
        }
        else
        {
            _items = new (string, object?)[properties.Count];
            for (var i = 0; i < properties.Count; i++)
            {
                Set(ref _items, ref _count, ref _index, properties[i].Name, properties[i].Value);
            }
        }

        _keyNames = sharedKeyNames ?? Array.Empty<string>();
    }

    public string ClassName { get; }

    public string Namespace { get; }

    /// <summary>The properties by name (without regard to case), in the order they were given.</summary>
    public IReadOnlyDictionary<string, object?> Properties => _view ??= new PropertyView(this);

    public IReadOnlyCollection<string> KeyNames => _keyNames;

    /// <summary>How many properties the instance has; with <see cref="PropertyAt"/>, a walk without an enumerator.</summary>
    internal int PropertyCount => _count;

    internal (string Name, object? Value) PropertyAt(int index) => _items[index];

    /// <summary>The property's value, or null when absent or null.</summary>
    public object? this[string name] => IndexOf(name) is var i and >= 0 ? _items[i].Value : null;

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

    private static bool AreDistinct((string Name, object? Value)[] items)
    {
        for (var i = 1; i < items.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(items[i].Name, items[j].Name, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Adds a property, or replaces the value of the one with that name (keeping its place and spelling).</summary>
    private static void Set(ref (string Name, object? Value)[] items, ref int count, ref Dictionary<string, int>? index, string name, object? value)
    {
        var at = Find(items, count, index, name);
        if (at >= 0)
        {
            items[at].Value = value;
            return;
        }

        if (count == items.Length)
        {
            Array.Resize(ref items, Math.Max(4, count * 2));
        }

        items[count] = (name, value);
        index?.Add(name, count);
        count++;
        if (index is null && count == IndexedFrom)
        {
            index = new Dictionary<string, int>(IndexedFrom * 2, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < count; i++)
            {
                index.Add(items[i].Name, i);
            }
        }
    }

    private static int Find((string Name, object? Value)[] items, int count, Dictionary<string, int>? index, string name)
    {
        if (index is not null)
        {
            return index.TryGetValue(name, out var at) ? at : -1;
        }

        for (var i = 0; i < count; i++)
        {
            if (string.Equals(items[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOf(string name) => Find(_items, _count, _index, name);

    /// <summary><see cref="Properties"/>: a read-only dictionary over the instance's pairs.</summary>
    private sealed class PropertyView : IReadOnlyDictionary<string, object?>
    {
        private readonly CimObject _owner;

        public PropertyView(CimObject owner)
        {
            _owner = owner;
        }

        public int Count => _owner._count;

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<object?> Values => this.Select(p => p.Value);

        public object? this[string key] => _owner.IndexOf(key) is var i and >= 0 ? _owner._items[i].Value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => _owner.IndexOf(key) >= 0;

        public bool TryGetValue(string key, out object? value)
        {
            var i = _owner.IndexOf(key);
            value = i >= 0 ? _owner._items[i].Value : null;
            return i >= 0;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < _owner._count; i++)
            {
                yield return new KeyValuePair<string, object?>(_owner._items[i].Name, _owner._items[i].Value);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

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
internal sealed class CimMethodResult
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
