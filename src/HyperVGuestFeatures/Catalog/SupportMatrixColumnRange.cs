using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperVGuestFeatures.Catalog;

/// <summary>
/// The releases a matrix column covers, read from its id: 22.04 (exactly 22.04), 11 and 9.x (every 11.y / 9.y),
/// 7.6-7.9 (inclusive), 8.1-8.6+ (8.1 and every later 8.y), SUSE 15-sp1-sp4 and 12-sp2 (service packs as
/// minors; a bare SUSE 15 is the GA release, SP0). Suffixes such as -lis4.3 or -rhck name the integration
/// or kernel, not releases.
/// </summary>
internal sealed class ColumnRange
{
    private const int AnyMinor = int.MaxValue;

    private static readonly Regex _suffix = new(@"-(?:lis[0-9.]+|rhck|uek[0-9]*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex _sles = new(@"^(?<major>\d+)(?:-sp(?<from>\d+)(?:-sp(?<to>\d+))?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex _generic = new(
        @"^(?<major>\d+)(?:\.(?<minor>\d+|x))?(?:-(?<toMajor>\d+)\.(?<toMinor>\d+))?(?<plus>\+)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private ColumnRange((int Major, int Minor) low, (int Major, int Minor) high)
    {
        Low = low;
        High = high;
    }

    /// <summary>The oldest release in the column (major, minor).</summary>
    public (int Major, int Minor) Low { get; }

    /// <summary>The newest release in the column; minor int.MaxValue stands for "every later minor".</summary>
    public (int Major, int Minor) High { get; }

    /// <summary>Reads a column id of <paramref name="family"/>; null when it does not name releases.</summary>
    public static ColumnRange? Parse(string family, string columnId)
    {
        var id = _suffix.Replace(columnId.Trim(), string.Empty);
        if (family == "sles")
        {
            var sles = _sles.Match(id);
            if (!sles.Success)
            {
                return null;
            }

            var major = Number(sles.Groups["major"].Value);
            var from = sles.Groups["from"].Success ? Number(sles.Groups["from"].Value) : 0;
            var to = sles.Groups["to"].Success ? Number(sles.Groups["to"].Value) : from;
            return new ColumnRange((major, from), (major, to));
        }

        var match = _generic.Match(id);
        if (!match.Success)
        {
            return null;
        }

        var lowMajor = Number(match.Groups["major"].Value);
        var minorText = match.Groups["minor"].Success ? match.Groups["minor"].Value : null;
        var plus = match.Groups["plus"].Success;
        if (minorText is null || minorText == "x" || minorText == "X")
        {
            // "11", "9.x": the whole major release.
            return match.Groups["toMajor"].Success ? null : new ColumnRange((lowMajor, 0), (lowMajor, AnyMinor));
        }

        var lowMinor = Number(minorText);
        if (!match.Groups["toMajor"].Success)
        {
            return new ColumnRange((lowMajor, lowMinor), (lowMajor, plus ? AnyMinor : lowMinor));
        }

        var highMajor = Number(match.Groups["toMajor"].Value);
        var highMinor = plus ? AnyMinor : Number(match.Groups["toMinor"].Value);
        return new ColumnRange((lowMajor, lowMinor), (highMajor, highMinor));
    }

    public bool Contains(int major, int minor) => Compare((major, minor), Low) >= 0 && Compare((major, minor), High) <= 0;

    /// <summary>Whether every minor release of <paramref name="major"/> is in the column.</summary>
    public bool CoversMajor(int major) => Compare(Low, (major, 0)) <= 0 && Compare(High, (major, AnyMinor)) >= 0;

    /// <summary>Whether some minor release of <paramref name="major"/> is in the column.</summary>
    public bool TouchesMajor(int major) => Compare(Low, (major, AnyMinor)) <= 0 && Compare(High, (major, 0)) >= 0;

    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0}.{1}-{2}.{3}", Low.Major, Low.Minor, High.Major, High.Minor == AnyMinor ? "*" : High.Minor.ToString(CultureInfo.InvariantCulture));

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Compare((int Major, int Minor) a, (int Major, int Minor) b)
        => a.Major != b.Major ? a.Major.CompareTo(b.Major) : a.Minor.CompareTo(b.Minor);
}
