using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What a host path names, after following a symbolic link.</summary>
internal enum HostFileKind
{
    Missing,
    File,
    Directory,

    /// <summary>A symbolic link whose target does not exist.</summary>
    DanglingLink,
    NamedPipe,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>A host path as Copy-GuestFile sees it: what it names, the size of what it names, and whether it is a link.</summary>
internal readonly struct HostFileStatus : IEquatable<HostFileStatus>
{
    public HostFileStatus(HostFileKind kind, long length, bool isLink)
    {
        Kind = kind;
        Length = length;
        IsLink = isLink;
    }

    public HostFileKind Kind { get; }

    /// <summary>The size of the regular file the path names (the link's target for a link); 0 otherwise.</summary>
    public long Length { get; }

    /// <summary>The path itself is a symbolic link (or, on Windows, a reparse point).</summary>
    public bool IsLink { get; }

    public static bool operator ==(HostFileStatus left, HostFileStatus right) => left.Equals(right);

    public static bool operator !=(HostFileStatus left, HostFileStatus right) => !left.Equals(right);

    public bool Equals(HostFileStatus other) => Kind == other.Kind && Length == other.Length && IsLink == other.IsLink;

    public override bool Equals(object? obj) => obj is HostFileStatus other && Equals(other);

    public override int GetHashCode() => ((int)Kind * 397) ^ Length.GetHashCode() ^ (IsLink ? 1 : 0);

    public override string ToString() => Kind + (IsLink ? " (link)" : string.Empty) + " " + Length;
}

/// <summary>
/// Looks at this computer's files without opening them: a named pipe blocks whoever opens it and a device such as
/// /dev/zero never ends, so Copy-GuestFile must know what a path names before the host is asked to read it. .NET has
/// no file-type API, so on Linux, FreeBSD and macOS this asks the runtime's own native shim (libSystem.Native, which
/// System.IO itself uses, with one struct layout on every Unix: Flags, Mode, Uid, Gid, Size); on Windows, where those
/// kinds are not files, the file attributes say enough.
/// </summary>
internal static class HostFiles
{
    private static bool s_nativeMissing;

    /// <summary>What <paramref name="path"/> names. Never throws for a path that cannot be read: that is <see cref="HostFileKind.Missing"/>.</summary>
    public static HostFileStatus Probe(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("A path is required.", nameof(path));
        }

        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && !s_nativeMissing)
        {
            try
            {
                return ProbeUnix(path);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A runtime that links System.Native into its host: fall back to what .NET itself tells.
                s_nativeMissing = true;
            }
        }

        return ProbeManaged(path);
    }

    private static HostFileStatus ProbeUnix(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        if (!NativeMethods.LStat(bytes, out var linkMode, out var linkSize))
        {
            return new HostFileStatus(HostFileKind.Missing, 0, false);
        }

        var isLink = (linkMode & NativeMethods.TypeMask) == NativeMethods.TypeLink;
        if (!isLink)
        {
            return FromMode(linkMode, linkSize, false);
        }

        return NativeMethods.Stat(bytes, out var mode, out var size)
            ? FromMode(mode, size, true)
            : new HostFileStatus(HostFileKind.DanglingLink, 0, true);
    }

    private static HostFileStatus FromMode(int mode, long size, bool isLink)
    {
        var kind = (mode & NativeMethods.TypeMask) switch
        {
            NativeMethods.TypeRegular => HostFileKind.File,
            NativeMethods.TypeDirectory => HostFileKind.Directory,
            NativeMethods.TypeFifo => HostFileKind.NamedPipe,
            NativeMethods.TypeCharacter => HostFileKind.CharacterDevice,
            NativeMethods.TypeBlock => HostFileKind.BlockDevice,
            _ => HostFileKind.Socket,
        };
        return new HostFileStatus(kind, kind == HostFileKind.File ? size : 0, isLink);
    }

    /// <summary>
    /// Windows (and a Unix runtime without the shim): a directory or a file, by attributes. A file link's own length is
    /// not its target's, so the target is opened for its length (on Windows, opening follows the link; a missing
    /// target is a dangling link). Pipes and devices are not file-system entries on Windows.
    /// </summary>
    private static HostFileStatus ProbeManaged(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new HostFileStatus(HostFileKind.Missing, 0, false);
        }

        var isLink = (attributes & FileAttributes.ReparsePoint) != 0;
        if ((attributes & FileAttributes.Directory) != 0)
        {
            return new HostFileStatus(Directory.Exists(path) ? HostFileKind.Directory : HostFileKind.DanglingLink, 0, isLink);
        }

        if (!isLink || !RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return new HostFileStatus(HostFileKind.File, new FileInfo(path).Length, isLink);
        }

        try
        {
            using var target = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new HostFileStatus(HostFileKind.File, target.Length, true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HostFileStatus(HostFileKind.DanglingLink, 0, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The target exists but cannot be opened here; the host reads it with its own rights.
            return new HostFileStatus(HostFileKind.File, new FileInfo(path).Length, true);
        }
    }

    private static class NativeMethods
    {
        // The runtime shim's normalized file-type bits (they equal POSIX S_IFMT and friends).
        public const int TypeMask = 0xF000;
        public const int TypeFifo = 0x1000;
        public const int TypeCharacter = 0x2000;
        public const int TypeDirectory = 0x4000;
        public const int TypeBlock = 0x6000;
        public const int TypeRegular = 0x8000;
        public const int TypeLink = 0xA000;

        // struct FileStatus { int32 Flags; int32 Mode; uint32 Uid; uint32 Gid; int64 Size; ...times, device, inode }:
        // the buffer is larger than any runtime's struct, and only Mode and Size are read.
        private const int StatusBytes = 512;
        private const int ModeOffset = 4;
        private const int SizeOffset = 16;

        public static bool Stat(byte[] path, out int mode, out long size) => Read(SystemNativeStat, path, out mode, out size);

        public static bool LStat(byte[] path, out int mode, out long size) => Read(SystemNativeLStat, path, out mode, out size);

        private static bool Read(Func<byte[], byte[], int> call, byte[] path, out int mode, out long size)
        {
            var status = new byte[StatusBytes];
            if (call(path, status) != 0)
            {
                mode = 0;
                size = 0;
                return false;
            }

            mode = BitConverter.ToInt32(status, ModeOffset);
            size = BitConverter.ToInt64(status, SizeOffset);
            return true;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int SystemNativeStat(byte[] path, [Out] byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int SystemNativeLStat(byte[] path, [Out] byte[] status);
    }
}
