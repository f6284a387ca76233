using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// A guest file's bytes: in memory (what fixtures and scenarios write) or in a spool file on this computer (what
/// a copy wrote), so that copying a file of any size never holds it in the process's memory.
/// </summary>
internal sealed class GuestFileContent
{
    private readonly byte[]? _bytes;

    private GuestFileContent(byte[]? bytes, string? spoolPath, long length)
    {
        _bytes = bytes;
        SpoolPath = spoolPath;
        Length = length;
    }

    /// <summary>The spool file holding the bytes; null for content kept in memory.</summary>
    public string? SpoolPath { get; }

    public long Length { get; }

    public static GuestFileContent InMemory(byte[] bytes) => new((byte[])bytes.Clone(), null, bytes.LongLength);

    public static GuestFileContent Spooled(string spoolPath, long length) => new(null, spoolPath, length);

    /// <summary>A read-only stream over the bytes; for spooled content this opens the spool file (I/O: call it outside the host's lock).</summary>
    public Stream Open()
        => _bytes is not null
            ? new MemoryStream(_bytes, writable: false)
            : new FileStream(SpoolPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.SequentialScan);

    /// <summary>Every byte (I/O for spooled content: call it outside the host's lock).</summary>
    public byte[] ReadAll()
    {
        if (_bytes is not null)
        {
            return (byte[])_bytes.Clone();
        }

        using var stream = Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// Where one simulated host keeps the files copied into its guests: a folder under the temporary folder, named after
/// this process, removed when the host stops, when the process exits, and otherwise by the next process that
/// spools, once the process that made it is gone.
/// </summary>
internal sealed class SimulatorSpool
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "HyperVGuestFeatures-simulator");
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static int _started;
    private readonly string _directory;

    public SimulatorSpool()
    {
        _directory = Path.Combine(Root, CurrentProcessId().ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>A new, empty spool file's path (its folder is created on first use).</summary>
    public string NewFile()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var directory in Live.Keys)
                {
                    TryDeleteDirectory(directory);
                }
            };
            ThreadPool.QueueUserWorkItem(_ => RemoveOrphans());
        }

        Live.TryAdd(_directory, 0);
        Directory.CreateDirectory(_directory);
        return Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".bin");
    }

    /// <summary>Deletes a spool file later, on a pool thread, so that no caller holding a lock waits for the disk.</summary>
    public static void DeleteLater(string? spoolPath)
    {
        if (spoolPath is not null)
        {
            ThreadPool.QueueUserWorkItem(_ => TryDeleteFile(spoolPath));
        }
    }

    /// <summary>Deletes the whole folder later (the host stopped); the process's exit deletes it if this has not run yet.</summary>
    public void DeleteAllLater()
    {
        var directory = _directory;
        ThreadPool.QueueUserWorkItem(state =>
        {
            if (TryDeleteDirectory(directory))
            {
                Live.TryRemove(directory, out _);
            }
        });
    }

    private static int CurrentProcessId()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.Id;
    }

    /// <summary>Folders left by processes that ended without cleaning up (killed, crashed).</summary>
    private static void RemoveOrphans()
    {
        try
        {
            foreach (var directory in Directory.GetDirectories(Root))
            {
                var name = Path.GetFileName(directory);
                var dash = name.IndexOf('-');
                if (dash > 0 && int.TryParse(name.Substring(0, dash), out var processId) && !IsRunning(processId))
                {
                    TryDeleteDirectory(directory);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to tidy, or not ours to tidy.
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still open somewhere; the folder goes when the host stops or the process exits.
        }
    }

    private static bool TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a file still open; the process's exit, or a later process, tries again
        }
    }
}
