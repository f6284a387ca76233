using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>A host file to copy, already resolved to a full path (the provider reads it on the Hyper-V host, reference §4).</summary>
public sealed class GuestCopySource
{
    public GuestCopySource(string path, long bytes)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Bytes = bytes;
    }

    /// <summary>Full host path of the file.</summary>
    public string Path { get; }

    /// <summary>The file's size when it was resolved.</summary>
    public long Bytes { get; }

    public override string ToString() => Path;
}

/// <summary>One provider call's worth of copying: one host file to one guest path (reference §1.4: one file per call).</summary>
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
/// inside when that path is an existing guest directory, reference §4). Several sources, a wildcard,
/// or a trailing '/' or '\': the destination is a guest directory and each file keeps its name.
/// The guest is Linux or FreeBSD, so names are joined with '/', unless the destination is written
/// Windows-style (backslashes and no slash).
/// </summary>
public static class GuestCopyPlan
{
    private static readonly char[] Separators = { '\\', '/' };

    /// <summary>Whether the destination names a guest directory rather than the file itself.</summary>
    public static bool DestinationIsDirectory(int sourceCount, bool sourceUsedWildcards, string destinationPath)
        => sourceCount > 1 || sourceUsedWildcards || EndsWithSeparator(destinationPath);

    /// <summary>
    /// True for a full guest path: '/...' (Linux, FreeBSD), 'C:\...' or '\...' (Windows), or one that
    /// starts with an environment variable, which the guest expands (reference §4).
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

        if (!IsFullGuestPath(destinationPath))
        {
            throw GuestFeatureException.Create("GuestPathNotFull", FailureKind.InvalidArgument, destinationPath, destinationPath);
        }

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
