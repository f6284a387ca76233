using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// A host file to copy, as a full path on the Hyper-V host, which reads it (MSDOC msvm-copyfiletoguestsettingdata:
/// "This source file must be accessible to the Hyper-V host"; docs/provider-model.md).
/// </summary>
public sealed class GuestCopySource
{
    public GuestCopySource(string path, long? bytes)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Bytes = bytes;
    }

    /// <summary>Full host path of the file.</summary>
    public string Path { get; }

    /// <summary>The file's size when this computer resolved it; null for a remote host's file, which only the host reads.</summary>
    public long? Bytes { get; }

    public override string ToString() => Path;
}

/// <summary>One provider call's worth of copying: one host file to one guest path (docs/provider-model.md "File copy": one file per call).</summary>
public sealed class GuestCopyItem
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
public sealed class GuestCopyPlanResult
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
/// or a trailing '/' or '\': the destination is a guest directory and each file keeps its name.
/// The guest is Linux or FreeBSD, so names are joined with '/', unless the destination is written
/// Windows-style (backslashes and no slash).
/// </summary>
public static class GuestCopyPlan
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
    public static (IReadOnlyList<GuestCopySource> Sources, IReadOnlyList<GuestFeatureException> Failures) HostSources(IEnumerable<string> sourcePaths, string computerName)
    {
        if (sourcePaths is null)
        {
            throw new ArgumentNullException(nameof(sourcePaths));
        }

        var sources = new List<GuestCopySource>();
        var failures = new List<GuestFeatureException>();
        foreach (var path in sourcePaths)
        {
            var errorId = System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(path) ? "GuestFileSourceWildcardNeedsLocalHost"
                : !IsFullHostPath(path) ? "GuestFileSourceNotHostPath"
                : null;
            if (errorId is null)
            {
                // An escaped wildcard character (`[) names itself: the host gets the literal path.
                sources.Add(new GuestCopySource(System.Management.Automation.WildcardPattern.Unescape(path), null));
                continue;
            }

            failures.Add(new GuestFeatureException(errorId, FailureKind.InvalidArgument, path, GuestFeatureException.Format(errorId, path, computerName))
            {
                RecommendedAction = GuestFeatureException.Format("GuestFileSourceHostPathAction", computerName),
            });
        }

        return (sources, failures);
    }

    /// <summary>Throws GuestPathNotFull unless the destination is a full guest path.</summary>
    public static void RequireFullGuestPath(string? destinationPath)
    {
        if (!IsFullGuestPath(destinationPath))
        {
            throw GuestFeatureException.Create("GuestPathNotFull", FailureKind.InvalidArgument, destinationPath, destinationPath);
        }
    }

    /// <summary>Whether the destination names a guest directory rather than the file itself.</summary>
    public static bool DestinationIsDirectory(int sourceCount, bool sourceUsedWildcards, string destinationPath)
        => sourceCount > 1 || sourceUsedWildcards || EndsWithSeparator(destinationPath);

    /// <summary>
    /// True for a full guest path: '/...' (Linux, FreeBSD), 'C:\...' or '\...' (Windows), or one that
    /// starts with an environment variable, which the guest expands (docs/provider-model.md "File copy").
    /// </summary>
    public static bool IsFullGuestPath(string? destinationPath)
    {
        if (string.IsNullOrWhiteSpace(destinationPath))
        {
            return false;
        }

        var path = destinationPath!;
        return path[0] is '/' or '\\' or '%' or '$'
            || (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/');
    }

    /// <summary>The separator the guest path uses: '\' for a Windows-style path (backslashes, no slash), '/' otherwise.</summary>
    public static char SeparatorOf(string destinationPath)
        => destinationPath.IndexOf('\\') >= 0 && destinationPath.IndexOf('/') < 0 ? '\\' : '/';

    /// <summary>The file name of a host path (after the last '\' or '/').</summary>
    public static string FileNameOf(string hostPath)
    {
        var trimmed = (hostPath ?? throw new ArgumentNullException(nameof(hostPath))).TrimEnd('\\', '/');
        var cut = trimmed.LastIndexOfAny(Separators);
        return cut < 0 ? trimmed : trimmed.Substring(cut + 1);
    }

    /// <summary>The guest path of <paramref name="sourcePath"/>'s file inside the guest directory <paramref name="directory"/>.</summary>
    public static string Combine(string directory, string sourcePath)
    {
        var separator = SeparatorOf(directory);
        return directory.TrimEnd('\\', '/') + separator + FileNameOf(sourcePath);
    }

    /// <summary>
    /// Plans the copies. Sources that would land on the same guest path as an earlier one are refused
    /// (GuestFileDestinationConflict) rather than overwrite each other; the others go on.
    /// </summary>
    public static GuestCopyPlanResult Build(IReadOnlyList<GuestCopySource> sources, string destinationPath, bool sourceUsedWildcards)
    {
        if (sources is null)
        {
            throw new ArgumentNullException(nameof(sources));
        }

        RequireFullGuestPath(destinationPath);

        var distinct = sources.GroupBy(s => s.Path, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        var asDirectory = DestinationIsDirectory(distinct.Count, sourceUsedWildcards, destinationPath);
        var items = new List<GuestCopyItem>();
        var failures = new List<GuestFeatureException>();
        var taken = new Dictionary<string, GuestCopySource>(StringComparer.Ordinal);
        foreach (var source in distinct)
        {
            var destination = asDirectory ? Combine(destinationPath, source.Path) : destinationPath;
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

    private static bool EndsWithSeparator(string? path)
        => !string.IsNullOrEmpty(path) && path![path.Length - 1] is '/' or '\\';
}
