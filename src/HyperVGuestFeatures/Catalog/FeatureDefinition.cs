using System;

namespace HyperVGuestFeatures.Catalog;

/// <summary>The seed's groups; Generation2 is the seed's "Generation 2 virtual machines".</summary>
public enum FeatureCategory
{
    Core,
    Networking,
    Storage,
    Memory,
    Video,
    Miscellaneous,
    Generation2,
}

/// <summary>How the host can see a feature (the classes of docs/provider-model.md "Per VM"); drives the prober.</summary>
internal enum FeatureSignal
{
    /// <summary>An integration component's setting (EnabledState) and runtime status (OperationalStatus).</summary>
    IntegrationComponent,

    /// <summary>Only the host version can be checked (e.g. accurate time on top of time sync).</summary>
    HostVersion,

    /// <summary>A VM setting: processors, memory, generation, secure boot, MMIO gap.</summary>
    VirtualMachineSetting,

    /// <summary>A device in the VM's settings: synthetic NIC, SCSI controller, display, vFC, assigned PCI device.</summary>
    Device,

    /// <summary>A port setting of the VM's network adapters: VLAN, offload weights, SR-IOV.</summary>
    NetworkPort,

    /// <summary>A host-wide setting (e.g. live migration enabled on the host).</summary>
    HostSetting,

    /// <summary>Only the guest knows: the host has no signal at all.</summary>
    NotObservable,
}

/// <summary>A Windows Server release that can host Hyper-V, as the support matrix names them.</summary>
internal sealed class HostRelease
{
    public HostRelease(string id, string name, Version version, int rank)
    {
        Id = id;
        Name = name;
        Version = version;
        Rank = rank;
    }

    /// <summary>The support matrix's host id, e.g. ws2016.</summary>
    public string Id { get; }

    /// <summary>Display name, e.g. Windows Server 2016.</summary>
    public string Name { get; }

    /// <summary>The host OS version, e.g. 10.0.14393.</summary>
    public Version Version { get; }

    public int Rank { get; }

    public override string ToString() => Name;
}

/// <summary>One feature of the Linux/FreeBSD guest feature catalog (docs/guest-support.md "The catalog").</summary>
internal sealed class FeatureDefinition
{
    public FeatureDefinition(string id, string name, FeatureCategory category, HostRelease minimumHost, FeatureSignal signal, string description, string signalDescription, string matrixRow)
    {
        Id = id;
        Name = name;
        Category = category;
        MinimumHost = minimumHost;
        Signal = signal;
        Description = description;
        SignalDescription = signalDescription;
        MatrixRow = matrixRow;
    }

    /// <summary>Catalog id (docs/guest-support.md "The catalog"), e.g. file-copy.</summary>
    public string Id { get; }

    /// <summary>The seed's feature name, e.g. File copy from host to guest.</summary>
    public string Name { get; }

    public FeatureCategory Category { get; }

    /// <summary>The oldest host that supports the feature (docs/guest-support.md "Minimum hosts").</summary>
    public HostRelease MinimumHost { get; }

    public FeatureSignal Signal { get; }

    /// <summary>What the feature does, in one or two sentences.</summary>
    public string Description { get; }

    /// <summary>What the host looks at to judge it (class.property), or why it cannot.</summary>
    public string SignalDescription { get; }

    /// <summary>The row id to look up in the distribution tables (core for the 7 core features).</summary>
    public string MatrixRow { get; }

    /// <summary>
    /// Other names the same feature goes by: the seed's description-table spelling and the
    /// distribution pages' row labels (docs/guest-support.md "The catalog"), so -Name finds it by any of them.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<string> AlternateNames { get; init; } = Array.Empty<string>();

    /// <summary>Whether <paramref name="matches"/> accepts the id, the seed name or an alternate name.</summary>
    public bool IsNamed(Func<string, bool> matches)
    {
        if (matches(Id) || matches(Name))
        {
            return true;
        }

        foreach (var alternate in AlternateNames)
        {
            if (matches(alternate))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Name;
}
