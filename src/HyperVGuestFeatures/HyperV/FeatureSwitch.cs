using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>How a switchable feature is switched on the host.</summary>
internal enum FeatureSwitchKind
{
    /// <summary>An integration service: EnabledState of its Msvm_*ComponentSettingData (ModifyResourceSettings).</summary>
    IntegrationService,

    /// <summary>SecureBootEnabled and SecureBootTemplateId of the realized Msvm_VirtualSystemSettingData (ModifySystemSettings).</summary>
    SecureBoot,

    /// <summary>DynamicMemoryEnabled of Msvm_MemorySettingData, through Set-DynamicMemory's rules (<see cref="DynamicMemory.Set"/>).</summary>
    DynamicMemory,
}

/// <summary>
/// The switch the host has behind a catalog feature (docs/provider-model.md "Switching features"):
/// the six integration services by class and GUID (never by the localised display name), secure boot
/// with the Microsoft UEFI Certificate Authority template, and dynamic memory. Several features can
/// share one switch: Time synchronization and Windows Server 2016 Accurate Time are the Time
/// Synchronization service; Dynamic Memory Hot-Add and Ballooning are dynamic memory. Pure: no I/O.
/// </summary>
internal sealed class FeatureSwitch
{
    public static readonly FeatureSwitch SecureBoot = new("secure-boot", FeatureSwitchKind.SecureBoot, null);
    public static readonly FeatureSwitch DynamicMemory = new("dynamic-memory", FeatureSwitchKind.DynamicMemory, null);

    private static readonly Dictionary<IntegrationComponent, FeatureSwitch> Services =
        IntegrationComponent.All.ToDictionary(c => c, c => new FeatureSwitch("ic:" + c.Id.ToString("D"), FeatureSwitchKind.IntegrationService, c));

    private static readonly Dictionary<string, FeatureSwitch> ByFeatureId = new(StringComparer.OrdinalIgnoreCase)
    {
        ["integrated-shutdown"] = Services[IntegrationComponent.Shutdown],
        ["time-sync"] = Services[IntegrationComponent.TimeSynchronization],
        ["accurate-time"] = Services[IntegrationComponent.TimeSynchronization],
        ["heartbeat"] = Services[IntegrationComponent.Heartbeat],
        ["kvp"] = Services[IntegrationComponent.KeyValuePairExchange],
        ["live-backup"] = Services[IntegrationComponent.Vss],
        ["file-copy"] = Services[IntegrationComponent.GuestServiceInterface],
        ["secure-boot"] = SecureBoot,
        ["dm-hot-add"] = DynamicMemory,
        ["dm-ballooning"] = DynamicMemory,
    };

    private FeatureSwitch(string key, FeatureSwitchKind kind, IntegrationComponent? component)
    {
        Key = key;
        Kind = kind;
        Component = component;
    }

    /// <summary>Tells switches apart (features with the same key share one switch).</summary>
    public string Key { get; }

    public FeatureSwitchKind Kind { get; }

    /// <summary>The integration service, for <see cref="FeatureSwitchKind.IntegrationService"/>.</summary>
    public IntegrationComponent? Component { get; }

    /// <summary>The catalog features the host can switch, in catalog order.</summary>
    public static IReadOnlyList<FeatureDefinition> SwitchableFeatures { get; } = FeatureCatalog.Features.Where(f => ByFeatureId.ContainsKey(f.Id)).ToList();

    /// <summary>The catalog name of the secure boot feature, for fix commands.</summary>
    public static string SecureBootFeatureName => SwitchableFeatures.First(f => For(f) == SecureBoot).Name;

    /// <summary>The catalog feature named after an integration service (the first in catalog order that it switches).</summary>
    public static FeatureDefinition FeatureOf(IntegrationComponent component)
        => SwitchableFeatures.First(f => For(f)?.Component == component);

    /// <summary>The switch behind <paramref name="feature"/>; null when the host cannot switch it.</summary>
    public static FeatureSwitch? For(FeatureDefinition feature)
        => ByFeatureId.TryGetValue((feature ?? throw new ArgumentNullException(nameof(feature))).Id, out var found) ? found : null;

    /// <summary>The snapshot queries that say where this switch stands (besides the features' own, <see cref="FeatureRules.QueriesFor"/>).</summary>
    public IEnumerable<SnapshotQuery> Queries => Kind switch
    {
        FeatureSwitchKind.IntegrationService => new[] { SnapshotQuery.SettingOf(Component!) },
        FeatureSwitchKind.SecureBoot => new[] { SnapshotQuery.SystemSettings },
        _ => new[] { SnapshotQuery.Memory },
    };

    /// <summary>
    /// Whether the switch is on in the VM's settings, as Enable-GuestFeature means it: an integration
    /// service with EnabledState 2 (any other value is off, as the Hyper-V module reads it,
    /// docs/provider-model.md "Integration components"); secure boot on with the Microsoft UEFI Certificate Authority template (the one Linux boots
    /// with; on with another template is not yet as asked); dynamic memory on. Null when the host
    /// reported no setting to judge by.
    /// </summary>
    public bool? IsOn(VmView view)
    {
        if (view is null)
        {
            throw new ArgumentNullException(nameof(view));
        }

        switch (Kind)
        {
            case FeatureSwitchKind.IntegrationService:
                return view.Setting(Component!) is { } setting ? setting.GetUInt16("EnabledState") == 2 : null;
            case FeatureSwitchKind.SecureBoot:
                if (view.SystemSettings is not { } system)
                {
                    return null;
                }

                return system.GetBoolean("SecureBootEnabled") == true && TemplateOf(system) == VmView.MicrosoftUefiCertificateAuthorityTemplate;
            default:
                return view.Memory is { } memory ? memory.GetBoolean("DynamicMemoryEnabled") == true : null;
        }
    }

    /// <summary>Whether secure boot is on at all (whatever the template): what Disable switches off.</summary>
    public static bool IsSecureBootOn(VmView view)
        => (view ?? throw new ArgumentNullException(nameof(view))).SystemSettings?.GetBoolean("SecureBootEnabled") == true;

    /// <summary>The secure boot template id of a realized VSSD; Guid.Empty when none or unreadable.</summary>
    public static Guid TemplateOf(CimObject systemSettings)
        => Guid.TryParse((systemSettings ?? throw new ArgumentNullException(nameof(systemSettings))).GetString("SecureBootTemplateId"), out var id) ? id : Guid.Empty;

    /// <summary>A template's name for messages: the two the provider model knows, else its id.</summary>
    public static string TemplateName(Guid template)
        => template == VmView.MicrosoftUefiCertificateAuthorityTemplate ? "Microsoft UEFI Certificate Authority"
            : template == VmView.MicrosoftWindowsTemplate ? "Microsoft Windows"
            : template == Guid.Empty ? "none"
            : template.ToString("D").ToUpperInvariant();

    /// <summary>
    /// Why a feature the host cannot switch is not switchable, and what to do instead (resource keys
    /// of Messages.resx with their arguments), by how the host sees it.
    /// </summary>
    public static GuestFeatureException NotSwitchable(FeatureDefinition feature)
    {
        if (feature is null)
        {
            throw new ArgumentNullException(nameof(feature));
        }

        var reasonKey = feature.Signal switch
        {
            FeatureSignal.NotObservable => "FeatureNotSwitchableGuest",
            FeatureSignal.Device => "FeatureNotSwitchableDevice",
            FeatureSignal.NetworkPort => "FeatureNotSwitchablePort",
            FeatureSignal.HostSetting => "FeatureNotSwitchableHost",
            FeatureSignal.IntegrationComponent => "FeatureNotSwitchableDerived",
            _ => "FeatureNotSwitchableSetting",
        };
        var actionKey = feature.Signal switch
        {
            FeatureSignal.NotObservable => "FeatureNotSwitchableGuestAction",
            FeatureSignal.IntegrationComponent => "FeatureNotSwitchableDerivedAction",
            _ => "FeatureNotSwitchableAction",
        };
        var reason = GuestFeatureException.Format(reasonKey, Lower(feature.SignalDescription));
        var name = CommandText.Literal(feature.Name);
        var failure = GuestFeatureException.Create("FeatureNotSwitchable", FailureKind.InvalidArgument, feature.Name, feature.Name, reason);
        return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
        {
            RecommendedAction = GuestFeatureException.Format(actionKey, name),
        };
    }

    public override string ToString() => Component?.DisplayName ?? Key;

    // "A synthetic network adapter ..." reads on as "a synthetic ..."; a class name (Msvm_...) keeps its case.
    private static string Lower(string text)
        => text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLower(text[0], CultureInfo.InvariantCulture) + text.Substring(1) : text;
}
