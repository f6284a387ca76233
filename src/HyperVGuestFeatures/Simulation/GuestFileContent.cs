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
/// Where one simulated host keeps the files copied into its guests: a folder under the temporary folder, removed
/// when the host stops, and at the latest when the process exits.
/// </summary>
internal sealed class SimulatorSpool
{
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static int _exitHooked;
    private readonly string _directory;

    public SimulatorSpool()
    {
        _directory = Path.Combine(Path.GetTempPath(), "HyperVGuestFeatures-simulator", Guid.NewGuid().ToString("N"));
        if (Interlocked.Exchange(ref _exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var directory in Live.Keys)
                {
                    TryDeleteDirectory(directory);
                }
            };
        }
    }

    /// <summary>A new, empty spool file's path (its folder is created on first use).</summary>
    public string NewFile()
    {
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

    /// <summary>Deletes the whole folder later (the host stopped).</summary>
    public void DeleteAllLater()
    {
        var directory = _directory;
        Live.TryRemove(directory, out _);
        ThreadPool.QueueUserWorkItem(_ => TryDeleteDirectory(directory));
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

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open; nothing else to do from here.
        }
    }
}
