using System;
using System.Collections.Generic;
using System.Linq;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// A guest's file system in memory: absolute paths, '/' separated, case-sensitive (Linux/FreeBSD
/// guests). A backslash is read as a separator too, since hosts often send Windows-style text.
/// </summary>
internal sealed class GuestFileSystem
{
    private readonly Dictionary<string, GuestFileContent> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };

    public GuestFileSystem()
    {
        foreach (var directory in new[] { "/etc", "/home", "/root", "/tmp", "/var/lib/hyperv", "/usr/bin" })
        {
            CreateDirectory(directory);
        }
    }

    public IReadOnlyCollection<string> Directories => _directories;

    public IReadOnlyCollection<string> FilePaths => _files.Keys;

    /// <summary>Makes a path absolute and canonical: '/a/b', no trailing slash, no '.' or empty parts.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in (path ?? string.Empty).Split('/', '\\'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join("/", parts);
    }

    public static string ParentOf(string normalized)
    {
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? "/" : normalized.Substring(0, slash);
    }

    public bool DirectoryExists(string path) => _directories.Contains(Normalize(path));

    public bool FileExists(string path) => _files.ContainsKey(Normalize(path));

    /// <summary>The file's bytes; null when there is none. A copied (spooled) file is read from disk.</summary>
    public byte[]? ReadFile(string path) => ContentOf(path)?.ReadAll();

    /// <summary>The file's size in bytes; null when there is none.</summary>
    public long? FileLength(string path) => ContentOf(path)?.Length;

    internal GuestFileContent? ContentOf(string path) => _files.TryGetValue(Normalize(path), out var content) ? content : null;

    /// <summary>Creates the directory and its parents.</summary>
    public void CreateDirectory(string path)
    {
        var normalized = Normalize(path);
        while (normalized != "/" && _directories.Add(normalized))
        {
            normalized = ParentOf(normalized);
        }
    }

    /// <summary>Writes the file, creating its parent directories.</summary>
    public void WriteFile(string path, byte[] content)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        SimulatorSpool.DeleteLater(Put(path, GuestFileContent.InMemory(content))?.SpoolPath);
    }

    /// <summary>Stores the content at the path, creating its parent directories; returns the content it replaced.</summary>
    internal GuestFileContent? Put(string path, GuestFileContent content)
    {
        var normalized = Normalize(path);
        CreateDirectory(ParentOf(normalized));
        _files.TryGetValue(normalized, out var replaced);
        _files[normalized] = content;
        return replaced;
    }

    public override string ToString() => string.Join(", ", _files.Keys.OrderBy(k => k, StringComparer.Ordinal));
}
