using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// A VM's memory settings as the provider holds them (Msvm_MemorySettingData, MB on the wire;
/// docs/provider-model.md "Per VM").
/// </summary>
internal sealed class MemorySettings
{
    public bool DynamicMemoryEnabled { get; init; }

    /// <summary>VirtualQuantity: startup memory, the static size when dynamic memory is off.</summary>
    public ulong StartupMB { get; init; }

    /// <summary>Reservation: minimum memory (dynamic memory).</summary>
    public ulong MinimumMB { get; init; }

    /// <summary>Limit: maximum memory (dynamic memory).</summary>
    public ulong MaximumMB { get; init; }

    /// <summary>TargetMemoryBuffer, percent.</summary>
    public uint Buffer { get; init; }

    /// <summary>Weight; PowerShell's Priority × 100 (Unverified: docs/provider-model.md "Per VM").</summary>
    public uint Weight { get; init; }

    /// <summary>Reads the settings from an Msvm_MemorySettingData instance; absent values read as 0.</summary>
    public static MemorySettings FromCim(CimObject setting) => new()
    {
        DynamicMemoryEnabled = setting.GetBoolean("DynamicMemoryEnabled") ?? false,
        StartupMB = setting.GetUInt64("VirtualQuantity") ?? 0,
        MinimumMB = setting.GetUInt64("Reservation") ?? 0,
        MaximumMB = setting.GetUInt64("Limit") ?? 0,
        Buffer = setting.GetUInt32("TargetMemoryBuffer") ?? 0,
        Weight = setting.GetUInt32("Weight") ?? 0,
    };
}

/// <summary>What the user asked to change, in PowerShell's units (bytes, percent, priority 0–100); null = leave as is.</summary>
internal sealed class MemoryChangeRequest
{
    public bool? DynamicMemoryEnabled { get; init; }

    public long? StartupBytes { get; init; }

    public long? MinimumBytes { get; init; }

    public long? MaximumBytes { get; init; }

    public int? Buffer { get; init; }

    public int? Priority { get; init; }
}

/// <summary>What the rules need to know about the VM and its host besides its memory settings.</summary>
internal sealed class MemoryVmFacts
{
    public string VMName { get; init; } = string.Empty;

    public VMState State { get; init; }

    /// <summary>The host OS version (Win32_OperatingSystem.Version), null when unknown.</summary>
    public Version? HostVersion { get; init; }

    /// <summary>1 or 2; null when unknown.</summary>
    public int? Generation { get; init; }

    /// <summary>The VM's configuration version (VSSD.Version), null when unknown.</summary>
    public Version? ConfigurationVersion { get; init; }

    /// <summary>True when a PCI Express device is assigned (DDA/GPU).</summary>
    public bool HasAssignedDevice { get; init; }
}

/// <summary>The outcome of checking a request: the resulting settings, the properties to send, and best-practice warnings.</summary>
internal sealed class MemoryPlan
{
    internal MemoryPlan(MemorySettings current, MemorySettings resulting, IReadOnlyList<KeyValuePair<string, object>> changes, IReadOnlyList<string> warnings)
    {
        Current = current;
        Resulting = resulting;
        Changes = changes;
        Warnings = warnings;
    }

    public MemorySettings Current { get; }

    public MemorySettings Resulting { get; }

    /// <summary>The Msvm_MemorySettingData properties whose value changes, with the wire value (uint64/uint32/boolean).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Changes { get; }

    public bool HasChanges => Changes.Count > 0;

    /// <summary>Best-practice notes (sizes that aren't multiples of 128 MB); never a reason to refuse.</summary>
    public IReadOnlyList<string> Warnings { get; }

    private static object WireValue(MemorySettings settings, string property) => property switch
    {
        "DynamicMemoryEnabled" => settings.DynamicMemoryEnabled,
        "VirtualQuantity" => settings.StartupMB,
        "Reservation" => settings.MinimumMB,
        "Limit" => settings.MaximumMB,
        "TargetMemoryBuffer" => settings.Buffer,
        "Weight" => settings.Weight,
        _ => throw new ArgumentOutOfRangeException(nameof(property), property, "Not a memory setting."),
    };

    /// <summary>The plan that puts back what this plan changes: the same properties, with the values they have now.</summary>
    public MemoryPlan Undo()
    {
        var changes = Changes.Select(c => new KeyValuePair<string, object>(c.Key, WireValue(Current, c.Key))).ToList();
        return new MemoryPlan(Resulting, Current, changes, Array.Empty<string>());
    }

    /// <summary>
    /// Set-DynamicMemory's parameters that ask for the settings this plan changes as they are now, e.g.
    /// "-DynamicMemoryEnabled $true -MinimumBytes 512MB": the command that goes back.
    /// </summary>
    public string CurrentAsParameters()
    {
        var parameters = new List<string>();
        foreach (var change in Changes)
        {
            parameters.Add(change.Key switch
            {
                "DynamicMemoryEnabled" => "-DynamicMemoryEnabled " + (Current.DynamicMemoryEnabled ? "$true" : "$false"),
                "VirtualQuantity" => "-StartupBytes " + Current.StartupMB.ToString(CultureInfo.InvariantCulture) + "MB",
                "Reservation" => "-MinimumBytes " + Current.MinimumMB.ToString(CultureInfo.InvariantCulture) + "MB",
                "Limit" => "-MaximumBytes " + Current.MaximumMB.ToString(CultureInfo.InvariantCulture) + "MB",
                "TargetMemoryBuffer" => "-Buffer " + Current.Buffer.ToString(CultureInfo.InvariantCulture),
                _ => "-Priority " + MemoryRules.PriorityOf(Current.Weight).ToString(CultureInfo.InvariantCulture),
            });
        }

        return string.Join(" ", parameters);
    }

    /// <summary>"Startup 2048 MB -> 4096 MB, Priority 50 -> 80": the change as ShouldProcess shows it.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        void Add(string name, string before, string after)
        {
            if (before != after)
            {
                parts.Add(GuestFeatureException.Format("MemoryChangeItem", name, before, after));
            }
        }

        static string Mb(ulong value) => value.ToString(CultureInfo.InvariantCulture) + " MB";
        Add("DynamicMemoryEnabled", Current.DynamicMemoryEnabled ? "True" : "False", Resulting.DynamicMemoryEnabled ? "True" : "False");
        Add("Startup", Mb(Current.StartupMB), Mb(Resulting.StartupMB));
        Add("Minimum", Mb(Current.MinimumMB), Mb(Resulting.MinimumMB));
        Add("Maximum", Mb(Current.MaximumMB), Mb(Resulting.MaximumMB));
        Add("Buffer", Current.Buffer.ToString(CultureInfo.InvariantCulture) + "%", Resulting.Buffer.ToString(CultureInfo.InvariantCulture) + "%");
        Add("Priority", MemoryRules.PriorityOf(Current.Weight).ToString(CultureInfo.InvariantCulture), MemoryRules.PriorityOf(Resulting.Weight).ToString(CultureInfo.InvariantCulture));
        return string.Join(", ", parts);
    }
}

/// <summary>
/// The dynamic memory rules (docs/provider-model.md "Memory rules"; Set-DynamicMemory's help lists them), checked
/// before any change so a bad request is refused with a clear error instead of a failed provider job.
/// Pure: no CIM calls. Throws <see cref="GuestFeatureException"/> for the first rule a request breaks.
/// </summary>
internal static class MemoryRules
{
    public const long BytesPerMB = 1024L * 1024L;

    /// <summary>The smallest memory size the provider takes (docs/provider-model.md "Memory rules").</summary>
    public const ulong FloorMB = 32;

    /// <summary>The catalog's best practice: sizes in multiples of 128 MB (docs/guest-support.md "Minimum hosts").</summary>
    public const ulong BestPracticeMultipleMB = 128;

    public const int MinimumBuffer = 5;
    public const int MaximumBuffer = 2000;
    public const int MinimumPriority = 0;
    public const int MaximumPriority = 100;

    /// <summary>Assumption (docs/provider-model.md "Could not confirm"): Weight = Priority × 100.</summary>
    public const uint WeightPerPriority = 100;

    /// <summary>Runtime memory resize of static memory needs Windows Server 2016 (docs/provider-model.md "Memory rules").</summary>
    public static readonly Version RuntimeResizeHost = new(10, 0, 14393);

    private const ulong OneTerabyteMB = 1048576;
    private const ulong TwelveTerabytesMB = 12582912;
    private const ulong TwoHundredFortyTerabytesMB = 251658240;

    /// <summary>
    /// The largest memory size in MB for the VM (docs/provider-model.md "Memory rules"): 1 TB for generation 1 or configuration
    /// version below 8.0, 12 TB up to version 9.1, 240 TB after. Unknown facts give the largest bound
    /// and leave the rest to the provider.
    /// </summary>
    public static ulong CeilingMB(int? generation, Version? configurationVersion)
    {
        if (generation == 1 || (configurationVersion is not null && configurationVersion < new Version(8, 0)))
        {
            return OneTerabyteMB;
        }

        return configurationVersion is not null && configurationVersion <= new Version(9, 1) ? TwelveTerabytesMB : TwoHundredFortyTerabytesMB;
    }

    /// <summary>PowerShell's Priority from the provider's Weight (Weight / 100, rounded).</summary>
    public static int PriorityOf(uint weight) => (int)((weight + (WeightPerPriority / 2)) / WeightPerPriority);

    /// <summary>
    /// Checks <paramref name="request"/> against the VM's <paramref name="current"/> settings and returns
    /// the plan; throws GuestFeatureException (target: the VM name) for the first broken rule.
    /// A request that changes nothing returns a plan without changes (no state rule applies to it).
    /// </summary>
    public static MemoryPlan Plan(MemorySettings current, MemoryChangeRequest request, MemoryVmFacts facts)
    {
        if (current is null)
        {
            throw new ArgumentNullException(nameof(current));
        }

        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        var vm = facts.VMName;
        var ceiling = CeilingMB(facts.Generation, facts.ConfigurationVersion);
        var startup = SizeMB("startup", request.StartupBytes, vm, ceiling);
        var minimum = SizeMB("minimum", request.MinimumBytes, vm, ceiling);
        var maximum = SizeMB("maximum", request.MaximumBytes, vm, ceiling);

        if (request.Buffer is { } buffer && buffer is < MinimumBuffer or > MaximumBuffer)
        {
            throw Range(vm, "MemoryBufferOutOfRange", buffer, MinimumBuffer, MaximumBuffer);
        }

        if (request.Priority is { } priority && priority is < MinimumPriority or > MaximumPriority)
        {
            throw Range(vm, "MemoryPriorityOutOfRange", priority, MinimumPriority, MaximumPriority);
        }

        // The Hyper-V module's SetVMMemory_ParameterMismatch: buffer, minimum and maximum belong to
        // dynamic memory, so they are refused when it is (or ends up) off (docs/provider-model.md "Memory rules").
        var dynamic = request.DynamicMemoryEnabled ?? current.DynamicMemoryEnabled;
        if (!dynamic && (request.Buffer.HasValue || request.MinimumBytes.HasValue || request.MaximumBytes.HasValue))
        {
            var given = new[] { ("-Buffer", request.Buffer.HasValue), ("-MinimumBytes", request.MinimumBytes.HasValue), ("-MaximumBytes", request.MaximumBytes.HasValue) }
                .Where(p => p.Item2).Select(p => p.Item1);
            throw Failure("DynamicMemoryParameterMismatch", FailureKind.InvalidArgument, vm, "DynamicMemoryParameterMismatchAction", string.Join(", ", given), vm);
        }

        var resulting = new MemorySettings
        {
            DynamicMemoryEnabled = dynamic,
            StartupMB = startup ?? current.StartupMB,
            MinimumMB = minimum ?? current.MinimumMB,
            MaximumMB = maximum ?? current.MaximumMB,
            Buffer = request.Buffer is { } b ? (uint)b : current.Buffer,
            Weight = request.Priority is { } p ? (uint)p * WeightPerPriority : current.Weight,
        };

        var changes = new List<KeyValuePair<string, object>>();
        void Compare<T>(string property, T before, T after)
            where T : notnull
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
            {
                changes.Add(new KeyValuePair<string, object>(property, after));
            }
        }

        Compare("DynamicMemoryEnabled", current.DynamicMemoryEnabled, resulting.DynamicMemoryEnabled);
        Compare("VirtualQuantity", current.StartupMB, resulting.StartupMB);
        Compare("Reservation", current.MinimumMB, resulting.MinimumMB);
        Compare("Limit", current.MaximumMB, resulting.MaximumMB);
        Compare("TargetMemoryBuffer", current.Buffer, resulting.Buffer);
        Compare("Weight", current.Weight, resulting.Weight);

        // Only sizes that change are worth a note: a re-run that changes nothing stays quiet (DSC).
        var warnings = new[] { ("startup", startup, current.StartupMB), ("minimum", minimum, current.MinimumMB), ("maximum", maximum, current.MaximumMB) }
            .Where(s => s.Item2 is { } mb && mb != s.Item3 && mb % BestPracticeMultipleMB != 0)
            .Select(s => GuestFeatureException.Format("MemoryNotMultipleOf128", vm, s.Item1, s.Item2))
            .ToList();

        var plan = new MemoryPlan(current, resulting, changes, warnings);
        if (!plan.HasChanges)
        {
            return plan;
        }

        CheckState(current, resulting, facts);

        if (resulting.DynamicMemoryEnabled)
        {
            if (resulting.MinimumMB > resulting.StartupMB)
            {
                throw Range(vm, "MinimumAboveStartup", resulting.MinimumMB, resulting.StartupMB);
            }

            if (resulting.StartupMB > resulting.MaximumMB)
            {
                throw Range(vm, "StartupAboveMaximum", resulting.StartupMB, resulting.MaximumMB);
            }

            if (facts.HasAssignedDevice && resulting.MinimumMB != resulting.StartupMB)
            {
                throw Failure("AssignedDeviceNeedsFixedStartup", FailureKind.InvalidArgument, vm, "AssignedDeviceNeedsFixedStartupAction", vm, resulting.StartupMB, resulting.MinimumMB);
            }
        }

        return plan;
    }

    /// <summary>What may change in the VM's power state (docs/provider-model.md "Memory rules").</summary>
    private static void CheckState(MemorySettings current, MemorySettings resulting, MemoryVmFacts facts)
    {
        var vm = facts.VMName;
        switch (facts.State)
        {
            case VMState.Off:
                return;
            case VMState.Running:
            case VMState.Paused:
                break;
            default:
                // Saved or in transition: the memory is fixed until the VM is running or off.
                throw Failure("VMStateInvalid", FailureKind.InvalidState, vm, "MemoryVMStateInvalidAction", vm, facts.State);
        }

        if (resulting.DynamicMemoryEnabled != current.DynamicMemoryEnabled)
        {
            throw Failure("DynamicMemoryChangeWhileRunning", FailureKind.InvalidState, vm, "StopVMAction", vm, facts.State);
        }

        var hostBefore2016 = facts.HostVersion is not null && facts.HostVersion < RuntimeResizeHost;
        if (resulting.DynamicMemoryEnabled)
        {
            if (resulting.StartupMB != current.StartupMB)
            {
                throw Failure("StartupChangeWhileRunning", FailureKind.InvalidState, vm, "StopVMAction", vm, facts.State);
            }

            // WS 2012-era hosts: while running the minimum may only go down and the maximum only up (docs/provider-model.md "Memory rules").
            if (hostBefore2016 && (resulting.MinimumMB > current.MinimumMB || resulting.MaximumMB < current.MaximumMB))
            {
                throw Failure("DynamicMemoryRangeWhileRunning", FailureKind.InvalidState, vm, "StopVMAction", vm, facts.HostVersion);
            }
        }
        else if (resulting.StartupMB != current.StartupMB && hostBefore2016)
        {
            throw Failure("RuntimeResizeNotSupported", FailureKind.NotSupported, vm, "StopVMAction", vm, facts.HostVersion);
        }
    }

    /// <summary>A size in bytes checked and converted to MB: at least 32 MB, whole and even MB, within the VM's ceiling.</summary>
    private static ulong? SizeMB(string name, long? bytes, string vm, ulong ceilingMB)
    {
        if (bytes is not { } value)
        {
            return null;
        }

        if (value < (long)FloorMB * BytesPerMB)
        {
            throw Range(vm, "MemoryBelowFloor", name, value, FloorMB);
        }

        if (value % BytesPerMB != 0)
        {
            throw Failure("MemorySizeNotAligned", FailureKind.InvalidArgument, vm, "MemorySizeNotAlignedAction", vm, name, value, GuestFeatureException.Format("MemoryNotWholeMB"));
        }

        var mb = (ulong)(value / BytesPerMB);
        if (mb % 2 != 0)
        {
            throw Failure("MemorySizeNotAligned", FailureKind.InvalidArgument, vm, "MemorySizeNotAlignedAction", vm, name, value, GuestFeatureException.Format("MemoryOddMB"));
        }

        if (mb > ceilingMB)
        {
            throw Range(vm, "MemoryAboveCeiling", name, mb, ceilingMB);
        }

        return mb;
    }

    /// <summary>InvalidMemoryRange with the reason of resource <paramref name="reasonKey"/>.</summary>
    private static GuestFeatureException Range(string vm, string reasonKey, params object?[] reasonArgs)
    {
        var reason = GuestFeatureException.Format(reasonKey, reasonArgs);
        return Failure("InvalidMemoryRange", FailureKind.InvalidArgument, vm, "InvalidMemoryRangeAction", vm, reason);
    }

    private static GuestFeatureException Failure(string errorId, FailureKind kind, string vm, string actionKey, params object?[] args)
    {
        var failure = GuestFeatureException.Create(errorId, kind, vm, args);
        return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
        {
            RecommendedAction = GuestFeatureException.Format(actionKey, vm, CommandText.VMName(vm)),
        };
    }
}
