using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// The RHEL minor release a Red Hat kernel belongs to (support-matrix.json "rhel_kernel_minors"): the dist tag
/// .elN_M names it (4.18.0-513.24.1.el8_9 is 8.9); a kernel with a plain .elN tag (every GA kernel, every RHEL 7
/// kernel) is placed by its build number, the number after the first '-' (3.10.0-1160.119.1.el7 has build 1160):
/// the minor whose GA build is the largest at or below it. A base or major the table does not list names nothing.
/// </summary>
internal sealed class RhelKernelTable
{
    private static readonly Regex _distTag = new(@"\.el(?<major>\d+)_(?<minor>\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex _release = new(@"^(?<base>\d+\.\d+\.\d+)-(?<build>\d+)", RegexOptions.CultureInvariant);

    private readonly List<RhelKernelSeriesData> _series;

    public RhelKernelTable(RhelKernelMinorsData? data)
    {
        _series = (data?.Series ?? new List<RhelKernelSeriesData>())
            .Select(s => new RhelKernelSeriesData
            {
                Major = s.Major,
                Base = s.Base,
                Builds = (s.Builds ?? new List<RhelKernelBuildData>()).OrderBy(b => b.Build).ToList(),
            })
            .ToList();
    }

    /// <summary>Reads the minor release of RHEL <paramref name="major"/> from <paramref name="kernel"/> (the full uname release).</summary>
    public bool TryInferMinor(string? kernel, int major, out KernelMinor minor)
    {
        minor = default;
        if (string.IsNullOrWhiteSpace(kernel))
        {
            return false;
        }

        var tag = _distTag.Match(kernel);
        if (tag.Success)
        {
            // A tag for another major (a CentOS 7 guest reporting an el8 kernel) says nothing about this major.
            var tagMinor = Number(tag.Groups["minor"].Value);
            if (Number(tag.Groups["major"].Value) != major || tagMinor < 0)
            {
                return false;
            }

            minor = new KernelMinor(tagMinor, tag.Value.Substring(1), null, null);
            return true;
        }

        var release = _release.Match(kernel);
        if (!release.Success)
        {
            return false;
        }

        var series = _series.FirstOrDefault(s => s.Major == major && s.Base == release.Groups["base"].Value);
        if (series is null)
        {
            return false;
        }

        var build = Number(release.Groups["build"].Value);
        var row = series.Builds!.LastOrDefault(b => b.Build <= build);
        if (row is null)
        {
            return false;
        }

        minor = new KernelMinor(row.Minor, null, build, row.Build);
        return true;
    }

    private static int Number(string digits)
        => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}

/// <summary>A minor release read from a kernel: from its dist tag (el9_2), or from its build and the GA build of that minor.</summary>
internal readonly struct KernelMinor
{
    public KernelMinor(int minor, string? distTag, int? build, int? gaBuild)
    {
        Minor = minor;
        DistTag = distTag;
        Build = build;
        GaBuild = gaBuild;
    }

    public int Minor { get; }

    /// <summary>The dist tag without its dot (el8_9), when the tag named the minor.</summary>
    public string? DistTag { get; }

    /// <summary>The kernel's build number, when the table named the minor.</summary>
    public int? Build { get; }

    /// <summary>The GA build of <see cref="Minor"/> in the table.</summary>
    public int? GaBuild { get; }
}
