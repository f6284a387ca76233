using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// A host file to copy, as a full path on the Hyper-V host, which reads it (MSDOC msvm-copyfiletoguestsettingdata:
/// "This source file must be accessible to the Hyper-V host"; docs/provider-model.md).
/// </summary>
internal sealed class GuestCopySource
{
    public GuestCopySource(string path, long? bytes, string? relativePath = null)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Bytes = bytes;
        RelativePath = relativePath;
    }

    /// <summary>Full host path of the file.</summary>
    public string Path { get; }

    /// <summary>
    /// The file's size when this computer resolved it (a link's target's size: the host copies the target); null for a
    /// remote host's file, which only the host reads.
    /// </summary>
    public long? Bytes { get; }

    /// <summary>
    /// For a file found in a directory copied with -Recurse: its '/'-separated path under the destination, starting
    /// with the directory's name ("site/css/app.css"); null for a file named or matched itself (it keeps its name).
    /// </summary>
    public string? RelativePath { get; }

    public override string ToString() => Path;
}

/// <summary>One provider call's worth of copying: one host file to one guest path (docs/provider-model.md "File copy": one file per call).</summary>
internal sealed class GuestCopyItem
{
    public GuestCopyItem(GuestCopySource source, string destinationPath)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        DestinationPath = destinationPath ?? throw new ArgumentNullException(nameof(destinationPath));
    }

    public GuestCopySource Source { get; }

    /// <summary>The guest path sent as DestinationPath.</summary>
    public string DestinationPath { get; }

    public override string ToString() => Source.Path + " -> " + DestinationPath;
}

/// <summary>The copies to make on every VM, and the sources that could not be planned.</summary>
internal sealed class GuestCopyPlanResult
{
    public GuestCopyPlanResult(IReadOnlyList<GuestCopyItem> items, IReadOnlyList<GuestFeatureException> failures, bool destinationIsDirectory)
    {
        Items = items;
        Failures = failures;
        DestinationIsDirectory = destinationIsDirectory;
    }

    public IReadOnlyList<GuestCopyItem> Items { get; }

    public IReadOnlyList<GuestFeatureException> Failures { get; }

    /// <summary>Whether DestinationPath was taken as a guest directory (each file keeps its name).</summary>
    public bool DestinationIsDirectory { get; }
}

/// <summary>
/// Where each host file lands in the guest. One source and a destination without a trailing
/// separator: the destination is the file's guest path, as given (the provider itself puts the file
/// inside when that path is an existing guest directory, docs/provider-model.md "File copy"). Several sources, a wildcard,
/// a directory copied with -Recurse, or a trailing '/': the destination is a guest directory and each file keeps its
/// name (a directory's files their path under the directory's name). The guest is Linux or FreeBSD (the module's scope),
/// so guest paths are POSIX: names are joined with '/', and a Windows-style destination is refused before any call.
/// </summary>
internal static class GuestCopyPlan
{
    private static readonly char[] Separators = { '\\', '/' };

    /// <summary>
    /// True for a full path a Windows host can read as given: <c>C:\…</c> (or <c>C:/…</c>), a UNC path <c>\\server\share\…</c>,
    /// or one that starts with an environment variable, which the host expands (MSDOC msvm-copyfiletoguestsettingdata).
    /// A simulated host reads this computer's files, so a rooted path of this computer (<c>/tmp/…</c>) counts too.
    /// Drive-relative (<c>C:app.conf</c>) and relative paths do not.
    /// </summary>
    public static bool IsFullHostPath(string? sourcePath)
    {
        if (string.IsNullOrWhiteSpace(sourcePath))
        {
            return false;
        }

        var path = sourcePath!;
        return path.StartsWith(@"\\", StringComparison.Ordinal)
            || path[0] == '%'
            || (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/')
            || path[0] == '/';
    }

    /// <summary>
    /// The sources for a host that is not this computer: each path is passed to the host as given (the host reads it,
    /// expands its environment variables, and is the one to say a file is missing). Paths with wildcards, or that are
    /// not full host paths, need this computer's file system and are refused, naming the host.
    /// </summary>
    /// <param name="sourcePaths">The paths as given.</param>
    /// <param name="computerName">The remote hosts, for messages.</param>
    /// <param name="literal">-LiteralPath: the paths have no wildcard meaning and are passed exactly as given.</param>
    public static (IReadOnlyList<GuestCopySource> Sources, IReadOnlyList<GuestFeatureException> Failures) HostSources(IEnumerable<string> sourcePaths, string computerName, bool literal = false)
    {
        if (sourcePaths is null)
        {
            throw new ArgumentNullException(nameof(sourcePaths));
        }

        var sources = new List<GuestCopySource>();
        var failures = new List<GuestFeatureException>();
        foreach (var path in sourcePaths)
        {
            var errorId = !literal && System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(path) ? "GuestFileSourceWildcardNeedsLocalHost"
                : !IsFullHostPath(path) ? "GuestFileSourceNotHostPath"
                : null;
            if (errorId is null)
            {
                // An escaped wildcard character (`[) names itself: the host gets the literal path.
                sources.Add(new GuestCopySource(literal ? path : System.Management.Automation.WildcardPattern.Unescape(path), null));
                continue;
            }

            failures.Add(new GuestFeatureException(errorId, FailureKind.InvalidArgument, path, GuestFeatureException.Format(errorId, path, computerName))
            {
                RecommendedAction = GuestFeatureException.Format("GuestFileSourceHostPathAction", computerName),
            });
        }

        return (sources, failures);
    }

    /// <summary>
    /// Throws GuestPathWindowsStyle for a Windows-style destination (<c>C:\…</c>, <c>\…</c>, a UNC path): the guest is Linux
    /// or FreeBSD, whose paths are POSIX; GuestPathNotFull unless the destination is a full guest path.
    /// </summary>
    public static void RequireFullGuestPath(string? destinationPath)
    {
        if (IsWindowsStylePath(destinationPath))
        {
            throw new GuestFeatureException(
                "GuestPathWindowsStyle",
                FailureKind.InvalidArgument,
                destinationPath,
                GuestFeatureException.Format("GuestPathWindowsStyle", destinationPath))
            {
                RecommendedAction = GuestFeatureException.Format("GuestPathWindowsStyleAction"),
            };
        }

        if (!IsFullGuestPath(destinationPath))
        {
            throw GuestFeatureException.Create("GuestPathNotFull", FailureKind.InvalidArgument, destinationPath, destinationPath);
        }
    }

    /// <summary>Whether the destination names a guest directory rather than the file itself.</summary>
    public static bool DestinationIsDirectory(int sourceCount, bool sourceUsedWildcards, string destinationPath)
        => sourceCount > 1 || sourceUsedWildcards || EndsWithSeparator(destinationPath);

    /// <summary>
    /// True for a full guest path: '/...', or one that starts with an environment variable ('$HOME/...', '%VAR%/...'),
    /// which the guest expands (docs/provider-model.md "File copy").
    /// </summary>
    public static bool IsFullGuestPath(string? destinationPath)
    {
        if (string.IsNullOrWhiteSpace(destinationPath) || IsWindowsStylePath(destinationPath))
        {
            return false;
        }

        return destinationPath![0] is '/' or '%' or '$';
    }

    /// <summary>True for a path written for Windows: a drive letter (<c>C:\…</c>, <c>C:/…</c>, <c>C:</c>), or a leading backslash (<c>\temp</c>, UNC <c>\\server\share</c>).</summary>
    public static bool IsWindowsStylePath(string? path)
        => !string.IsNullOrEmpty(path)
            && (path![0] == '\\' || (path.Length >= 2 && char.IsLetter(path[0]) && path[1] == ':'));

    /// <summary>The file name of a host path (after the last '\' or '/').</summary>
    public static string FileNameOf(string hostPath)
    {
        var trimmed = (hostPath ?? throw new ArgumentNullException(nameof(hostPath))).TrimEnd('\\', '/');
        var cut = trimmed.LastIndexOfAny(Separators);
        return cut < 0 ? trimmed : trimmed.Substring(cut + 1);
    }

    /// <summary>The guest path of <paramref name="sourcePath"/>'s file inside the guest directory <paramref name="directory"/>.</summary>
    public static string Combine(string directory, string sourcePath)
        => Join(directory, FileNameOf(sourcePath));

    /// <summary>The guest path of <paramref name="source"/> inside the guest directory <paramref name="directory"/>: its name, or its path under a directory copied with -Recurse.</summary>
    public static string Combine(string directory, GuestCopySource source)
        => source?.RelativePath is { } relative ? Join(directory, relative) : Combine(directory, (source ?? throw new ArgumentNullException(nameof(source))).Path);

    /// <summary>
    /// Plans the copies. A host file named twice (with the same place under the destination) is copied once; paths are
    /// compared with <paramref name="hostPathComparer"/>, the host file system's rule (<see cref="HostPathComparer"/>),
    /// so that <c>a.txt</c> and <c>A.txt</c>, two files on a case-sensitive file system, are both copied. Sources that
    /// would land on the same guest path as an earlier one are refused (GuestFileDestinationConflict) rather than
    /// overwrite each other; guest paths are case-sensitive. The others go on.
    /// </summary>
    public static GuestCopyPlanResult Build(IReadOnlyList<GuestCopySource> sources, string destinationPath, bool sourceUsedWildcards, StringComparer? hostPathComparer = null)
    {
        if (sources is null)
        {
            throw new ArgumentNullException(nameof(sources));
        }

        RequireFullGuestPath(destinationPath);

        var comparer = hostPathComparer ?? HostPathComparer;
        var seen = new HashSet<string>(comparer);
        var distinct = sources.Where(s => seen.Add(s.Path + "\0" + s.RelativePath)).ToList();
        var asDirectory = DestinationIsDirectory(distinct.Count, sourceUsedWildcards, destinationPath) || distinct.Any(s => s.RelativePath is not null);
        var items = new List<GuestCopyItem>();
        var failures = new List<GuestFeatureException>();
        var taken = new Dictionary<string, GuestCopySource>(StringComparer.Ordinal);
        foreach (var source in distinct)
        {
            var destination = asDirectory ? Combine(destinationPath, source) : destinationPath;
            if (taken.TryGetValue(destination, out var first))
            {
                failures.Add(GuestFeatureException.Create("GuestFileDestinationConflict", FailureKind.InvalidArgument, source.Path, source.Path, first.Path, destination));
                continue;
            }

            taken.Add(destination, source);
            items.Add(new GuestCopyItem(source, destination));
        }

        return new GuestCopyPlanResult(items, failures, asDirectory);
    }

    /// <summary>
    /// How host paths compare: case-insensitively on Windows (every Hyper-V host; NTFS names ignore case), exactly
    /// elsewhere, where a simulated host reads this computer's case-sensitive files.
    /// </summary>
    public static StringComparer HostPathComparer { get; } =
        System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static string Join(string directory, string relativePath)
        => directory.TrimEnd('\\', '/') + "/" + relativePath;

    private static bool EndsWithSeparator(string? path)
        => !string.IsNullOrEmpty(path) && path![path.Length - 1] is '/' or '\\';
}
