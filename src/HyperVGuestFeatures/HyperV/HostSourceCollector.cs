using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Turns this computer's resolved source paths into the files to copy (docs/provider-model.md "File copy": the provider
/// copies one regular file per call and creates no directory on its own). Every path is looked at before anything is
/// sent: a missing file, a dangling link, a named pipe, a device or a socket is an error naming the path (a pipe would
/// block the host's read, a device such as /dev/zero would never end); a link to a regular file is copied as its
/// target, with the target's size. With <c>recurse</c>, a directory becomes its files, each keeping its path under the
/// directory's name; links to directories found inside are not followed (a link can loop back to its parent), and a
/// directory with nothing to copy is a warning, since the provider cannot create an empty directory.
/// </summary>
internal sealed class HostSourceCollector
{
    private readonly bool _recurse;
    private readonly List<GuestCopySource> _sources = new();
    private readonly List<GuestFeatureException> _failures = new();
    private readonly List<string> _warnings = new();
    private readonly List<string> _notes = new();

    public HostSourceCollector(bool recurse)
    {
        _recurse = recurse;
    }

    /// <summary>The files to copy, in the order they were found (a directory's entries in ordinal order).</summary>
    public IReadOnlyList<GuestCopySource> Sources => _sources;

    /// <summary>Paths refused, each an error naming the path.</summary>
    public IReadOnlyList<GuestFeatureException> Failures => _failures;

    /// <summary>What was left out on purpose and deserves the user's attention (empty directories, directory links).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>What was left out as asked (directories a wildcard matched without -Recurse), for verbose output.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>
    /// Adds one resolved host path. <paramref name="namedOutright"/> is true for a path given as such (not matched by
    /// a wildcard): a directory named outright without -Recurse is an error (a wildcard's directories are skipped), and
    /// a link to a directory named outright is followed with -Recurse (links below it are not).
    /// </summary>
    /// <param name="path">The full host path.</param>
    /// <param name="given">What the user wrote, for messages.</param>
    /// <param name="namedOutright">Named as such rather than matched by a wildcard.</param>
    public void Add(string path, string given, bool namedOutright)
    {
        var status = HostFiles.Probe(path);
        if (status.Kind != HostFileKind.Directory)
        {
            AddFile(path, status, relativePath: null, namedOutright ? given : path);
            return;
        }

        if (!_recurse)
        {
            if (namedOutright)
            {
                var failure = GuestFeatureException.Create("GuestFileSourceIsDirectory", FailureKind.InvalidArgument, path, path);
                _failures.Add(new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
                {
                    RecommendedAction = GuestFeatureException.Format("GuestFileSourceIsDirectoryAction", Path.Combine(path, "*")),
                });
            }
            else
            {
                _notes.Add(GuestFeatureException.Format("VerboseSkipDirectory", path, given));
            }

            return;
        }

        if (status.IsLink && !namedOutright)
        {
            _warnings.Add(GuestFeatureException.Format("GuestFileDirectoryLinkSkipped", path));
            return;
        }

        var name = GuestCopyPlan.FileNameOf(path);
        if (Walk(path, name) == 0)
        {
            _warnings.Add(GuestFeatureException.Format("GuestFileEmptyDirectory", path));
        }
    }

    /// <summary>Adds the directory's tree; returns how many entries it handled (files, refusals, skipped links).</summary>
    private int Walk(string directory, string relativePath)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failures.Add(GuestFeatureException.Create("GuestFileSourceUnreadable", FailureKind.AccessDenied, directory, directory, e.Message));
            return 1;
        }

        Array.Sort(entries, StringComparer.Ordinal);
        var handled = 0;
        var empty = new List<string>();
        foreach (var entry in entries)
        {
            var status = HostFiles.Probe(entry);
            var entryPath = relativePath.Length == 0 ? GuestCopyPlan.FileNameOf(entry) : relativePath + "/" + GuestCopyPlan.FileNameOf(entry);
            if (status.Kind != HostFileKind.Directory)
            {
                AddFile(entry, status, entryPath, entry);
                handled++;
                continue;
            }

            if (status.IsLink)
            {
                _warnings.Add(GuestFeatureException.Format("GuestFileDirectoryLinkSkipped", entry));
                handled++;
                continue;
            }

            var below = Walk(entry, entryPath);
            if (below == 0)
            {
                empty.Add(entry);
            }

            handled += below;
        }

        // Only the topmost directory of an empty subtree is named: its parent, if it has something, is created by the copy.
        if (handled > 0)
        {
            _warnings.AddRange(empty.Select(e => GuestFeatureException.Format("GuestFileEmptyDirectory", e)));
        }

        return handled;
    }

    private void AddFile(string path, HostFileStatus status, string? relativePath, string target)
    {
        switch (status.Kind)
        {
            case HostFileKind.File:
                _sources.Add(new GuestCopySource(path, status.Length, relativePath));
                return;
            case HostFileKind.Missing:
                _failures.Add(GuestFeatureException.Create("GuestFileSourceNotFound", FailureKind.NotFound, target, target));
                return;
            case HostFileKind.DanglingLink:
                _failures.Add(new GuestFeatureException(
                    "GuestFileSourceDanglingLink",
                    FailureKind.NotFound,
                    target,
                    GuestFeatureException.Format("GuestFileSourceDanglingLink", path))
                {
                    RecommendedAction = GuestFeatureException.Format("GuestFileSourceDanglingLinkAction"),
                });
                return;
            default:
                _failures.Add(GuestFeatureException.Create("GuestFileSourceNotRegular", FailureKind.InvalidArgument, target, path, KindText(status.Kind)));
                return;
        }
    }

    private static string KindText(HostFileKind kind) => kind switch
    {
        HostFileKind.NamedPipe => GuestFeatureException.Format("HostFileKindNamedPipe"),
        HostFileKind.CharacterDevice => GuestFeatureException.Format("HostFileKindCharacterDevice"),
        HostFileKind.BlockDevice => GuestFeatureException.Format("HostFileKindBlockDevice"),
        _ => GuestFeatureException.Format("HostFileKindSocket"),
    };
}
