using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>One key and value to write.</summary>
internal sealed class KvpEntry
{
    public KvpEntry(string name, string value)
    {
        Name = name ?? string.Empty;
        Value = value ?? string.Empty;
    }

    public string Name { get; }

    public string Value { get; }

    public override string ToString() => Name;
}

/// <summary>A rule an entry breaks: the ErrorId and the message arguments after the key and VM.</summary>
internal sealed class KvpViolation
{
    internal KvpViolation(KvpEntry entry, string errorId, string reason, string action)
    {
        Entry = entry;
        ErrorId = errorId;
        Reason = reason;
        RecommendedAction = action;
    }

    public KvpEntry Entry { get; }

    public string ErrorId { get; }

    /// <summary>Why, in words, for the message.</summary>
    public string Reason { get; }

    public string RecommendedAction { get; }

    /// <summary>The error for one VM: nothing is written to it.</summary>
    public GuestFeatureException ToFailure(string vmName)
        => new(ErrorId, FailureKind.InvalidArgument, vmName, GuestFeatureException.Format(ErrorId, Entry.Name, vmName, Reason))
        {
            RecommendedAction = RecommendedAction,
        };
}

/// <summary>
/// The KVP rules (docs/provider-model.md "KVP"): sizes in UTF-16 code units as the provider and the
/// VMBus carry them, the guest daemon's UTF-8 caps, the 128-item batch limit, and the embedded
/// <c>Msvm_KvpExchangeDataItem</c> texts the methods take and the properties give.
/// </summary>
internal static class KvpRules
{
    public const string ItemClass = "Msvm_KvpExchangeDataItem";

    /// <summary>AddKvpItems, ModifyKvpItems and RemoveKvpItems take at most 128 items per call (docs/provider-model.md "Methods").</summary>
    public const int MaxItemsPerCall = 128;

    /// <summary>256 UTF-16 units on the wire including the terminating NUL (docs/provider-model.md "KVP").</summary>
    public const int MaxNameLength = 255;

    /// <summary>1024 UTF-16 units on the wire including the terminating NUL (docs/provider-model.md "KVP").</summary>
    public const int MaxValueLength = 1023;

    /// <summary>Host-only items never reach the guest; the host keeps values up to 16 KB, 8192 UTF-16 units with the NUL (docs/provider-model.md "KVP").</summary>
    public const int MaxHostOnlyValueLength = 8191;

    /// <summary>The Linux daemon keeps a key of at most 511 UTF-8 bytes (512 with the NUL; docs/provider-model.md "KVP").</summary>
    public const int MaxGuestNameBytes = 511;

    /// <summary>The Linux daemon keeps a value of at most 2047 UTF-8 bytes (2048 with the NUL; docs/provider-model.md "KVP").</summary>
    public const int MaxGuestValueBytes = 2047;

    private static readonly UTF8Encoding Utf8 = new(false, false);

    /// <summary>Whether the source can be written by the host (Host or HostOnly).</summary>
    public static bool IsWritable(KvpSource source) => source is KvpSource.Host or KvpSource.HostOnly;

    public static int MaxValueLengthFor(KvpSource source) => source == KvpSource.HostOnly ? MaxHostOnlyValueLength : MaxValueLength;

    /// <summary>Every rule the entries break, in their order; empty when all can be written.</summary>
    public static IReadOnlyList<KvpViolation> Validate(IEnumerable<KvpEntry> entries, KvpSource source)
    {
        var violations = new List<KvpViolation>();
        var nameAction = GuestFeatureException.Format("KvpNameInvalidAction", MaxNameLength);
        foreach (var entry in entries)
        {
            if (entry.Name.Length == 0)
            {
                violations.Add(new KvpViolation(entry, "KvpNameInvalid", GuestFeatureException.Format("KvpReasonNameEmpty"), nameAction));
            }
            else if (entry.Name.All(char.IsWhiteSpace))
            {
                // Allowed by the provider, but a key nobody can see or type back (and a blank CSV cell) is a mistake.
                violations.Add(new KvpViolation(entry, "KvpNameInvalid", GuestFeatureException.Format("KvpReasonNameBlank"), nameAction));
            }
            else if (entry.Name.Length > MaxNameLength)
            {
                violations.Add(new KvpViolation(entry, "KvpNameInvalid", GuestFeatureException.Format("KvpReasonNameTooLong", entry.Name.Length, MaxNameLength), nameAction));
            }
            else if (entry.Name.IndexOf('\0') >= 0)
            {
                violations.Add(new KvpViolation(entry, "KvpNameInvalid", GuestFeatureException.Format("KvpReasonNul"), nameAction));
            }
            else if (!IsXmlText(entry.Name))
            {
                violations.Add(new KvpViolation(entry, "KvpNameInvalid", GuestFeatureException.Format("KvpReasonNotXmlText"), nameAction));
            }

            var maxValue = MaxValueLengthFor(source);
            if (entry.Value.Length > maxValue)
            {
                violations.Add(new KvpViolation(entry, "KvpValueTooLong", GuestFeatureException.Format("KvpReasonValueTooLong", entry.Value.Length, source, maxValue), GuestFeatureException.Format("KvpValueTooLongAction", maxValue)));
            }
            else if (entry.Value.IndexOf('\0') >= 0)
            {
                violations.Add(new KvpViolation(entry, "KvpValueInvalid", GuestFeatureException.Format("KvpReasonNul"), GuestFeatureException.Format("KvpValueInvalidAction")));
            }
            else if (!IsXmlText(entry.Value))
            {
                violations.Add(new KvpViolation(entry, "KvpValueInvalid", GuestFeatureException.Format("KvpReasonNotXmlText"), GuestFeatureException.Format("KvpValueInvalidAction")));
            }
        }

        return violations;
    }

    /// <summary>
    /// Items travel as CIM-XML text (docs/provider-model.md "Embedded instances"): control characters other than tab and line
    /// breaks, and unpaired surrogates, cannot be written into it, so they are refused up front.
    /// </summary>
    private static bool IsXmlText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || !System.Xml.XmlConvert.IsXmlChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Warnings for entries the provider accepts but the Linux daemon would cut: more than
    /// 511 (key) or 2047 (value) UTF-8 bytes, which non-ASCII text reaches before the UTF-16 limit.
    /// Only host items (Source 0) reach the guest.
    /// </summary>
    public static IReadOnlyList<string> GuestWarnings(IEnumerable<KvpEntry> entries, KvpSource source)
    {
        var warnings = new List<string>();
        if (source != KvpSource.Host)
        {
            return warnings;
        }

        foreach (var entry in entries)
        {
            var nameBytes = Utf8.GetByteCount(entry.Name);
            if (nameBytes > MaxGuestNameBytes)
            {
                warnings.Add(GuestFeatureException.Format("KvpNameUtf8TooLong", entry.Name, nameBytes, MaxGuestNameBytes));
            }

            var valueBytes = Utf8.GetByteCount(entry.Value);
            if (valueBytes > MaxGuestValueBytes)
            {
                warnings.Add(GuestFeatureException.Format("KvpValueUtf8TooLong", entry.Name, valueBytes, MaxGuestValueBytes));
            }
        }

        return warnings;
    }

    /// <summary>The embedded Msvm_KvpExchangeDataItem text for a method's DataItems (Name, Data, Source; docs/provider-model.md "Embedded instances").</summary>
    public static string Serialize(string name, string value, KvpSource source)
        => CimXml.Serialize(new CimObject(ItemClass, new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Data"] = value,
            ["Source"] = (ushort)source,
        }));

    /// <summary>Parses an item text; FormatException when it is not a named Msvm_KvpExchangeDataItem.</summary>
    public static KvpEntry Parse(string text)
    {
        var instance = CimXml.Parse(text);
        if (!string.Equals(instance.ClassName, ItemClass, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException(GuestFeatureException.Format("KvpItemWrongClass", instance.ClassName, ItemClass));
        }

        var name = instance.GetString("Name");
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException(GuestFeatureException.Format("KvpItemNoName"));
        }

        return new KvpEntry(name!, instance.GetString("Data") ?? string.Empty);
    }

    /// <summary>Splits the items into batches of at most <see cref="MaxItemsPerCall"/>.</summary>
    public static IEnumerable<IReadOnlyList<T>> Batches<T>(IReadOnlyList<T> items)
    {
        for (var start = 0; start < items.Count; start += MaxItemsPerCall)
        {
            yield return items.Skip(start).Take(MaxItemsPerCall).ToList();
        }
    }

    /// <summary>
    /// The provider's code for an AddKvpItems of a key that exists: 32773, which containers/libhvee
    /// (pkg/hypervctl/vm.go, PutKeyValuePair) takes as "already exists" and answers with
    /// ModifyKvpItems (docs/provider-model.md).
    /// </summary>
    public const uint KeyExistsCode = 32773;

    /// <summary>The provider's code for a ModifyKvpItems or RemoveKvpItems of a missing key: 32779, "Not found" in containers/libhvee (pkg/hypervctl/kvp.go).</summary>
    public const uint KeyNotFoundCode = 32779;

    /// <summary>
    /// Whether <paramref name="failure"/> of <paramref name="method"/> says a key already exists (Add)
    /// or does not exist (Modify, Remove): another writer changed the VM's items after they were read.
    /// Keyed on the provider's code, as a refused call or a failed job: 32773 / 32779, or 32768
    /// "Failed" whose description says so (what the simulator reported before it used the specific codes).
    /// </summary>
    public static bool IsKeyConflict(string method, GuestFeatureException failure)
    {
        if (failure is null || failure.ProviderCode is not { } code || failure.ErrorId is not ("CimJobFailed" or "CimMethodFailed"))
        {
            return false;
        }

        var add = string.Equals(method, "AddKvpItems", StringComparison.OrdinalIgnoreCase);
        var modifyOrRemove = string.Equals(method, "ModifyKvpItems", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "RemoveKvpItems", StringComparison.OrdinalIgnoreCase);
        return code switch
        {
            KeyExistsCode => add,
            KeyNotFoundCode => modifyOrRemove,
            Cim.ReturnCodes.Failed => (add && Says(failure, "already exists")) || (modifyOrRemove && Says(failure, "does not exist")),
            _ => false,
        };
    }

    private static bool Says(GuestFeatureException failure, string text) => failure.Message.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0;
}
