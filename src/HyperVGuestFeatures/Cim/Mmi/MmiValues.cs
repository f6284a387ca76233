using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Management.Infrastructure;

namespace HyperVGuestFeatures.Cim.Mmi;

/// <summary>
/// Conversions between MMI's CimInstance/CimMethodParameter and the module's own CIM types.
/// The choices (which CimType a value is sent as, which properties make a path, how namespaces are
/// spelled) are plain functions over module types, so they are unit-tested on Linux where no
/// CimInstance can be built (MMI's native library is absent there).
/// </summary>
internal static class MmiValues
{
    /// <summary>The CIM type an in-parameter or key value is sent as; the module's values are typed already.</summary>
    public static CimType CimTypeOf(object value) => value switch
    {
        string => CimType.String,
        bool => CimType.Boolean,
        byte => CimType.UInt8,
        sbyte => CimType.SInt8,
        ushort => CimType.UInt16,
        short => CimType.SInt16,
        uint => CimType.UInt32,
        int => CimType.SInt32,
        ulong => CimType.UInt64,
        long => CimType.SInt64,
        float => CimType.Real32,
        double => CimType.Real64,
        char => CimType.Char16,
        DateTime or TimeSpan => CimType.DateTime,
        CimInstancePath => CimType.Reference,
        string[] => CimType.StringArray,
        bool[] => CimType.BooleanArray,
        byte[] => CimType.UInt8Array,
        ushort[] => CimType.UInt16Array,
        uint[] => CimType.UInt32Array,
        int[] => CimType.SInt32Array,
        ulong[] => CimType.UInt64Array,
        long[] => CimType.SInt64Array,
        CimInstancePath[] => CimType.ReferenceArray,
        _ => throw new ArgumentException(
            GuestFeatureException.Format("CimValueTypeUnsupported", value.GetType().FullName),
            nameof(value)),
    };

    /// <summary>
    /// WS-Man may report namespaces with forward slashes ("root/virtualization/v2"); the module spells
    /// them with backslashes, as <see cref="CimNamespaces"/> does, so paths compare equal.
    /// </summary>
    public static string NormalizeNamespace(string? reported, string fallback)
        => string.IsNullOrEmpty(reported) ? fallback : reported!.Replace('/', '\\');

    /// <summary>
    /// The key properties of a referenced instance: those flagged Key, or, when the provider sent a
    /// key-only reference without flags (a method's Job out-parameter), every property that has a value.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> KeysOf(IEnumerable<(string Name, object? Value, bool IsKey)> properties)
    {
        var all = properties.ToList();
        var keys = all.Where(p => p.IsKey).ToList();
        if (keys.Count == 0)
        {
            keys = all.Where(p => p.Value is not null).ToList();
        }

        return keys.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Converts a provider instance, with embedded instances and references, to a <see cref="CimObject"/>.</summary>
    public static CimObject ToObject(CimInstance instance, string fallbackNamespace)
    {
        var system = instance.CimSystemProperties;
        var @namespace = NormalizeNamespace(system.Namespace, fallbackNamespace);
        var properties = new List<KeyValuePair<string, object?>>();
        var keyNames = new List<string>();
        foreach (var property in instance.CimInstanceProperties)
        {
            if ((property.Flags & CimFlags.Key) != 0)
            {
                keyNames.Add(property.Name);
            }

            properties.Add(new KeyValuePair<string, object?>(property.Name, FromCim(property.Value, property.CimType, @namespace)));
        }

        return new CimObject(system.ClassName, properties, keyNames, @namespace);
    }

    /// <summary>Converts a reference (a key-only instance) to a <see cref="CimInstancePath"/>.</summary>
    public static CimInstancePath ToPath(CimInstance reference, string fallbackNamespace)
    {
        var system = reference.CimSystemProperties;
        var @namespace = NormalizeNamespace(system.Namespace, fallbackNamespace);
        var keys = KeysOf(reference.CimInstanceProperties.Select(p => (p.Name, FromCim(p.Value, p.CimType, @namespace), (p.Flags & CimFlags.Key) != 0)));
        return new CimInstancePath(@namespace, system.ClassName, keys);
    }

    /// <summary>A property or out-parameter value in module terms; primitives and typed arrays pass through.</summary>
    public static object? FromCim(object? value, CimType type, string @namespace) => value switch
    {
        null => null,
        CimInstance instance when type == CimType.Reference => ToPath(instance, @namespace),
        CimInstance instance => ToObject(instance, @namespace),
        CimInstance[] instances when type == CimType.ReferenceArray => instances.Select(i => ToPath(i, @namespace)).ToArray(),
        CimInstance[] instances => instances.Select(i => ToObject(i, @namespace)).ToArray(),
        _ => value,
    };

    /// <summary>
    /// A key-only instance for <paramref name="path"/>, as GetInstance, associations, instance methods and
    /// REF parameters take it. Every instance created (this one and nested references) is added to
    /// <paramref name="created"/>; the caller disposes them after the call.
    /// </summary>
    public static CimInstance ToKeyInstance(CimInstancePath path, List<IDisposable> created)
    {
        var instance = new CimInstance(path.ClassName, path.Namespace);
        created.Add(instance);
        foreach (var key in path.Keys)
        {
            if (key.Value is { } value)
            {
                instance.CimInstanceProperties.Add(CimProperty.Create(key.Key, ToWire(value, created), CimTypeOf(value), CimFlags.Key));
            }
        }

        return instance;
    }

    /// <summary>
    /// In-parameters for InvokeMethod. Null values are left out (the provider's default applies);
    /// references become key-only instances, tracked in <paramref name="created"/> for disposal.
    /// </summary>
    public static CimMethodParametersCollection ToParameters(IReadOnlyDictionary<string, object?> parameters, List<IDisposable> created)
    {
        var collection = new CimMethodParametersCollection();
        created.Add(collection);
        foreach (var parameter in parameters)
        {
            if (parameter.Value is { } value)
            {
                collection.Add(CimMethodParameter.Create(parameter.Key, ToWire(value, created), CimTypeOf(value), CimFlags.In));
            }
        }

        return collection;
    }

    private static object ToWire(object value, List<IDisposable> created) => value switch
    {
        CimInstancePath path => ToKeyInstance(path, created),
        CimInstancePath[] paths => paths.Select(p => ToKeyInstance(p, created)).ToArray(),
        _ => value,
    };
}
