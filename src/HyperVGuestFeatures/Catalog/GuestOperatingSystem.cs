using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// The guest OS as the KVP intrinsic items report it (docs/provider-model.md "KVP"), mapped to a
/// support-matrix family (ubuntu, rhel, debian, sles, oracle, freebsd) and a distribution version.
/// </summary>
/// <remarks>
/// The Linux hv_kvp_daemon sends os-release NAME as OSName. Depending on the daemon and on who fills
/// the items, VERSION_ID arrives as OSVersion or as OSMajorVersion, while OSVersion can also be the
/// kernel release (5.15.0) and OSBuildNumber the full uname release. Older RHEL/SUSE guests without
/// os-release send the lines of /etc/redhat-release or /etc/SuSE-release. FreeBSD's daemon
/// (contrib/hyperv/tools/hv_kvp_daemon.c, kvp_get_os_info) sends "FreeBSD" and the uname release cut at
/// the first '-' as both OSVersion and OSBuildNumber (13.2-RELEASE-p5 arrives as 13.2), and no
/// OSMajorVersion. All of these are accepted; a kernel release is never taken for a distribution version.
/// </remarks>
internal sealed class GuestOperatingSystem
{
    private static readonly Regex _versionPattern = new(
        @"^\s*v?(?<major>\d+)(?:(?:\.|\s*-?\s*SP)(?<minor>\d+))?",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex _kernelPattern = new(@"^\d+\.\d+\.\d+", RegexOptions.CultureInvariant);

    private static readonly Regex _versionInName = new(
        @"(?:release\s+)?(?<version>\d+(?:\.\d+)?)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex _suseReleaseLine = new(
        @"^\s*(?:VERSION|PATCHLEVEL)\s*=\s*",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Builds the guest OS from the raw intrinsic items.</summary>
    /// <param name="name">OSName.</param>
    /// <param name="version">OSVersion.</param>
    /// <param name="majorVersion">OSMajorVersion.</param>
    /// <param name="minorVersion">OSMinorVersion.</param>
    /// <param name="buildNumber">OSBuildNumber.</param>
    public GuestOperatingSystem(string name, string? version, string? majorVersion = null, string? minorVersion = null, string? buildNumber = null)
    {
        Name = (name ?? throw new ArgumentNullException(nameof(name))).Trim();
        Version = Clean(version);
        MajorVersion = Clean(majorVersion);
        MinorVersion = Clean(minorVersion);
        BuildNumber = Clean(buildNumber);

        (Family, DistributionName) = Classify(Name);
        DistributionVersion = PickVersion();
        if (DistributionVersion is not null && TryParseVersion(DistributionVersion, out var parsed))
        {
            // SLES VERSION_ID is 15 for the GA release and 15.5 for SP5: no minor means SP0.
            ParsedVersion = Family == "sles" && parsed.Minor is null ? new DistributionVersionNumber(parsed.Major, 0) : parsed;
        }

        DisplayName = BuildDisplayName();
    }

    /// <summary>OSName as reported, e.g. Red Hat Enterprise Linux.</summary>
    public string Name { get; }

    /// <summary>OSVersion as reported (null when missing or blank).</summary>
    public string? Version { get; }

    /// <summary>OSMajorVersion as reported.</summary>
    public string? MajorVersion { get; }

    /// <summary>OSMinorVersion as reported.</summary>
    public string? MinorVersion { get; }

    /// <summary>OSBuildNumber as reported (on Linux the kernel release).</summary>
    public string? BuildNumber { get; }

    /// <summary>The support-matrix family, or null when Microsoft publishes no matrix for the distribution.</summary>
    public string? Family { get; }

    /// <summary>
    /// Short distribution name used in messages: Ubuntu, RHEL, CentOS, CentOS Stream, AlmaLinux, Rocky Linux,
    /// Debian, SLES, Oracle Linux, FreeBSD, or OSName.
    /// </summary>
    public string DistributionName { get; }

    /// <summary>The distribution version text the matrices are matched against, e.g. 22.04, 7.9, 15-SP5, 13.2.</summary>
    public string? DistributionVersion { get; }

    /// <summary>Name and version for messages, e.g. CentOS 7.9, SLES 15 SP5.</summary>
    public string DisplayName { get; }

    /// <summary>Major and (when reported) minor number of <see cref="DistributionVersion"/>; SUSE's minor is the service pack.</summary>
    internal DistributionVersionNumber? ParsedVersion { get; }

    /// <summary>AlmaLinux and Rocky Linux: read on the CentOS / RHEL page as the RHEL release they rebuild.</summary>
    internal bool IsRhelRebuild => DistributionName is "AlmaLinux" or "Rocky Linux";

    /// <summary>The kernel is Oracle's Unbreakable Enterprise Kernel (uname release 5.15.0-200.131.27.el9uek.x86_64).</summary>
    internal bool RunsUek => BuildNumber is not null && BuildNumber.IndexOf("uek", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>
    /// Whether the kernel release names the RHEL minor release: a Red Hat kernel on RHEL, CentOS Linux, AlmaLinux,
    /// Rocky Linux or Oracle Linux (RHCK). Not CentOS Stream, whose rolling kernels fall between GA builds, nor UEK.
    /// </summary>
    internal bool KernelNamesRhelMinor
        => (Family == "rhel" || Family == "oracle") && DistributionName != "CentOS Stream" && !RunsUek;

    /// <summary>
    /// Builds the guest OS from KVP intrinsic items (OSName, OSVersion, OSMajorVersion, OSMinorVersion,
    /// OSBuildNumber; names compared case-insensitively). Null when OSName is missing or blank.
    /// </summary>
    public static GuestOperatingSystem? FromKvp(IEnumerable<KeyValuePair<string, string>> intrinsicItems)
    {
        if (intrinsicItems is null)
        {
            throw new ArgumentNullException(nameof(intrinsicItems));
        }

        // Items already keyed without regard to case (as a VM's parsed items are) are read as they are.
        if (intrinsicItems is not Dictionary<string, string> items || !ReferenceEquals(items.Comparer, StringComparer.OrdinalIgnoreCase))
        {
            items = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in intrinsicItems)
            {
                if (item.Key is not null)
                {
                    items[item.Key] = item.Value;
                }
            }
        }

        if (!items.TryGetValue("OSName", out var name) || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return new GuestOperatingSystem(name, Get("OSVersion"), Get("OSMajorVersion"), Get("OSMinorVersion"), Get("OSBuildNumber"));

        string? Get(string key) => items.TryGetValue(key, out var value) ? value : null;
    }

    public override string ToString() => DisplayName;

    /// <summary>Reads a major[.minor] version; "15-SP5", "15 SP5" and "15SP5" read as 15.5; suffixes such as -RELEASE are ignored.</summary>
    internal static bool TryParseVersion(string text, out DistributionVersionNumber version)
    {
        var match = _versionPattern.Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups["major"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            version = default;
            return false;
        }

        int? minor = null;
        if (match.Groups["minor"].Success
            && int.TryParse(match.Groups["minor"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMinor))
        {
            minor = parsedMinor;
        }

        version = new DistributionVersionNumber(major, minor);
        return true;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    // Families of the Microsoft pages. AlmaLinux and Rocky Linux rebuild RHEL release for release (same
    // kernel, same minor numbering), so they are read on the CentOS / RHEL page; Fedora, openSUSE, ...
    // have no page and stay null.
    private static (string? Family, string DistributionName) Classify(string name)
    {
        var n = name.ToUpperInvariant();
        if (n.StartsWith("UBUNTU", StringComparison.Ordinal))
        {
            return ("ubuntu", "Ubuntu");
        }

        if (n.StartsWith("RED HAT ENTERPRISE LINUX", StringComparison.Ordinal) || n.StartsWith("RHEL", StringComparison.Ordinal))
        {
            return ("rhel", "RHEL");
        }

        if (n.StartsWith("CENTOS STREAM", StringComparison.Ordinal))
        {
            return ("rhel", "CentOS Stream");
        }

        if (n.StartsWith("CENTOS", StringComparison.Ordinal))
        {
            return ("rhel", "CentOS");
        }

        if (n.StartsWith("ALMALINUX", StringComparison.Ordinal))
        {
            return ("rhel", "AlmaLinux");
        }

        if (n.StartsWith("ROCKY LINUX", StringComparison.Ordinal))
        {
            return ("rhel", "Rocky Linux");
        }

        if (n.StartsWith("DEBIAN", StringComparison.Ordinal))
        {
            return ("debian", "Debian");
        }

        if (n.StartsWith("SLES", StringComparison.Ordinal) || n.StartsWith("SUSE LINUX ENTERPRISE SERVER", StringComparison.Ordinal))
        {
            return ("sles", "SLES");
        }

        if (n.StartsWith("ORACLE LINUX", StringComparison.Ordinal))
        {
            return ("oracle", "Oracle Linux");
        }

        if (n.StartsWith("FREEBSD", StringComparison.Ordinal))
        {
            return ("freebsd", "FreeBSD");
        }

        return (null, name);
    }

    private string? PickVersion()
    {
        if (Family == "freebsd")
        {
            // FreeBSD's daemon reports the uname release cut at '-' (13.2); there is no os-release VERSION_ID.
            return FirstParsable(Version, BuildNumber, CombinedMajorMinor());
        }

        // On Linux, OSVersion may be the kernel release (x.y.z, the start of OSBuildNumber): skip it then.
        var version = Version is not null && !LooksLikeKernel(Version) ? Version : null;
        return FirstParsable(version, CombinedMajorMinor(), VersionFromName());
    }

    // The kernel release is x.y.z and the start of the uname release in OSBuildNumber (5.15.0 / 5.15.0-91-generic).
    // A three-part value alone (CentOS 7.9.2009) is a kernel only when OSMajorVersion offers something better.
    private bool LooksLikeKernel(string value)
        => (BuildNumber is not null && BuildNumber.Length > value.Length
            && BuildNumber.StartsWith(value, StringComparison.Ordinal)
            && BuildNumber[value.Length] == '-')
           || (_kernelPattern.IsMatch(value) && CombinedMajorMinor() is { } other && TryParseVersion(other, out _));

    // os-release VERSION_ID arrives whole in OSMajorVersion (22.04); other reporters split it (9 and 2).
    // /etc/SuSE-release gives "VERSION = 11" and "PATCHLEVEL = 4".
    private string? CombinedMajorMinor()
    {
        var major = MajorVersion is null ? null : _suseReleaseLine.Replace(MajorVersion, string.Empty).Trim();
        var minor = MinorVersion is null ? null : _suseReleaseLine.Replace(MinorVersion, string.Empty).Trim();
        if (string.IsNullOrEmpty(major))
        {
            return null;
        }

        var majorHasMinor = major!.IndexOf('.') >= 0 || major.IndexOf('-') >= 0 || major.IndexOf(' ') >= 0;
        if (majorHasMinor || string.IsNullOrEmpty(minor) || !TryParseVersion(minor!, out _))
        {
            return major;
        }

        return major + "." + minor;
    }

    // /etc/redhat-release as OSName: "CentOS release 6.10 (Final)", "Red Hat Enterprise Linux Server release 7.9 (Maipo)".
    private string? VersionFromName()
    {
        var match = _versionInName.Match(Name);
        return match.Success ? match.Groups["version"].Value : null;
    }

    private static string? FirstParsable(params string?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is not null && TryParseVersion(candidate, out _))
            {
                return candidate;
            }
        }

        return null;
    }

    private string BuildDisplayName()
    {
        if (DistributionVersion is null)
        {
            return DistributionName;
        }

        if (Family == "sles" && ParsedVersion is { } sles)
        {
            return sles.Minor is > 0
                ? string.Format(CultureInfo.InvariantCulture, "SLES {0} SP{1}", sles.Major, sles.Minor)
                : string.Format(CultureInfo.InvariantCulture, "SLES {0}", sles.Major);
        }

        // Old redhat-release names already carry the version.
        return Family is null && Name.IndexOf(DistributionVersion, StringComparison.Ordinal) >= 0
            ? Name
            : DistributionName + " " + DistributionVersion;
    }
}

/// <summary>Major and optional minor number of a distribution release (SUSE: minor = service pack).</summary>
internal readonly struct DistributionVersionNumber : IEquatable<DistributionVersionNumber>
{
    public DistributionVersionNumber(int major, int? minor)
    {
        Major = major;
        Minor = minor;
    }

    public int Major { get; }

    public int? Minor { get; }

    public bool Equals(DistributionVersionNumber other) => Major == other.Major && Minor == other.Minor;

    public override bool Equals(object? obj) => obj is DistributionVersionNumber other && Equals(other);

    public override int GetHashCode() => (Major * 397) ^ (Minor ?? -1);

    public override string ToString()
        => Minor is null ? Major.ToString(CultureInfo.InvariantCulture) : string.Format(CultureInfo.InvariantCulture, "{0}.{1}", Major, Minor);

    public static bool operator ==(DistributionVersionNumber left, DistributionVersionNumber right) => left.Equals(right);

    public static bool operator !=(DistributionVersionNumber left, DistributionVersionNumber right) => !left.Equals(right);
}
