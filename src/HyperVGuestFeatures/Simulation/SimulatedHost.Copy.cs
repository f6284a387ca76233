using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// Msvm_GuestFileService.CopyFilesToGuest (docs/provider-model.md "Methods"). The host reads each source from its
/// own file system, and the simulated host runs on this computer, so it reads this computer's files: streamed into
/// a spool file off the host's lock, so that a copy of any size neither fills memory nor blocks the host's other
/// callers, and stops as soon as its job is cancelled or the host stops.
/// </summary>
internal sealed partial class SimulatedHost
{
    internal const string CopyMethod = "CopyFilesToGuest";

    private const string CopyFailurePrefix = "Failed to initiate copying files to the guest: ";
    private const string FileNotFoundText = "The system cannot find the file specified. (0x80070002)";
    private const string AccessDeniedText = "Access is denied. (0x80070005)";
    private const int CopyBufferBytes = 81920;

    /// <summary>
    /// The out-parameters of a started copy: <c>Job</c> from Windows 10 / Windows Server 2016 on, <c>ParentPools</c>
    /// (an array of Msvm_CopyFileToGuestJob references) before (MSDOC copyfilestoguest-msvm-guestfileservice).
    /// </summary>
    private CimMethodResult CopyStarted(CimInstancePath job)
        => HostVersion >= HostVersions.Windows10
            ? JobStarted(job)
            : new CimMethodResult(ProviderConstants.JobStarted, new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["ParentPools"] = new[] { job } });

    private CimMethodResult CopyFilesToGuest(SimulatedVM vm, Dictionary<string, object?> parameters, DateTime now)
    {
        // Preconditions: the VM runs and the Guest Service Interface is enabled. Unverified (docs/provider-model.md):
        // the provider's code for them; the Hyper-V module reports OperationFailed_InvalidState, so 32775.
        if (vm.State != SimulatedVMState.Running || !vm.Components[IntegrationComponentKind.GuestServiceInterface].Enabled)
        {
            return Refused(ProviderConstants.InvalidState);
        }

        // MSDOC: "An array of instances of Msvm_CopyFileToGuestSettingData"; an empty one is an invalid parameter.
        var texts = StringArray(parameters, "CopyFileToGuestSettings");
        if (texts is null || texts.Length == 0)
        {
            return Refused(ProviderConstants.InvalidParameter);
        }

        var transfers = new List<CopyTransfer>();
        foreach (var text in texts)
        {
            var setting = TryParse(text);
            var source = setting?.GetString("SourcePath");
            var destination = setting?.GetString("DestinationPath");
            if (setting is null || !IsClass(setting.ClassName, CopySettingClass) || string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(destination))
            {
                return Refused(ProviderConstants.InvalidParameter);
            }

            transfers.Add(new CopyTransfer(source!, destination!, setting.GetBoolean("OverwriteExisting") ?? false, setting.GetBoolean("CreateFullPath") ?? false));
        }

        var job = StartJob(CopyJobClass, "Copying files to the guest", CopyJobBaseDuration, now, () => FinishCopy(vm, transfers), started =>
        {
            var cancellation = new CancellationTokenSource();
            started.WorkCancellation = cancellation;
            started.WorkProgress = () => CopyTransfer.Progress(transfers);
            started.Discard = () => CopyTransfer.DiscardAll(transfers);
            started.Work = Task.Run(() => ReadSources(started, transfers, cancellation));
        });
        return CopyStarted(job);
    }

    /// <summary>
    /// Off the host's lock: streams every source into a spool file, then lets the job end no sooner than the
    /// simulated throughput allows (<see cref="CopyBytesPerSecond"/>). A cancelled copy deletes what it spooled.
    /// </summary>
    private void ReadSources(SimulatedJob job, List<CopyTransfer> transfers, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        try
        {
            foreach (var transfer in transfers)
            {
                token.ThrowIfCancellationRequested();
                transfer.Read(_spool, token);
            }

            var bytes = transfers.Sum(t => Math.Max(0, t.Total));
            job.PostponeTo(job.StartUtc + CopyJobBaseDuration + TimeSpan.FromTicks((long)(bytes * (double)TimeSpan.TicksPerSecond / Math.Max(1, CopyBytesPerSecond))));
        }
        catch (OperationCanceledException)
        {
            CopyTransfer.DiscardAll(transfers);
        }
        finally
        {
            cancellation.Dispose();
        }
    }

    /// <summary>Under the lock, when the job ends: puts each spooled file at its guest path, in order, as docs/provider-model.md "File copy" describes.</summary>
    private static JobOutcome? FinishCopy(SimulatedVM vm, List<CopyTransfer> transfers)
    {
        static JobOutcome Fail(string reason) => new((ushort)ProviderConstants.Failed, CopyFailurePrefix + reason);

        for (var i = 0; i < transfers.Count; i++)
        {
            var failure = Place(vm, transfers[i]);
            if (failure is not null)
            {
                // Unverified (docs/provider-model.md): with several settings, the files before the failing one stay copied.
                CopyTransfer.DiscardAll(transfers.Skip(i));
                return Fail(failure);
            }
        }

        return null;
    }

    private static string? Place(SimulatedVM vm, CopyTransfer transfer)
    {
        if (transfer.Error is { } error)
        {
            return error;
        }

        if (vm.State != SimulatedVMState.Running || !vm.Components[IntegrationComponentKind.GuestServiceInterface].Enabled)
        {
            return "The guest service interface is not available.";
        }

        var files = vm.Files;
        var path = GuestFileSystem.Normalize(transfer.Destination);

        // A destination naming an existing guest directory takes the source file's name (docs/provider-model.md "File copy").
        if (files.DirectoryExists(path))
        {
            path = GuestFileSystem.Normalize(path + "/" + transfer.FileName);
        }

        if (files.DirectoryExists(path))
        {
            return AccessDeniedText;
        }

        // A second copy without overwrite fails with ERROR_FILE_EXISTS in the job's text (docs/provider-model.md "Jobs", "File copy").
        if (files.FileExists(path) && !transfer.Overwrite)
        {
            return "The file exists. (0x80070050)";
        }

        var parent = GuestFileSystem.ParentOf(path);
        if (!files.DirectoryExists(parent))
        {
            if (files.FileExists(parent) || !transfer.CreateFullPath)
            {
                // Copy-VMFile's text is "the system cannot find the file specified"; the simulator uses the Win32 text
                // for a missing folder, ERROR_PATH_NOT_FOUND (Unverified).
                return "The system cannot find the path specified. (0x80070003)";
            }

            files.CreateDirectory(parent);
        }

        SimulatorSpool.DeleteLater(files.Put(path, transfer.TakeContent())?.SpoolPath);
        return null;
    }

    /// <summary>One file of a copy: what was asked, and how far reading its source got.</summary>
    private sealed class CopyTransfer
    {
        private readonly object _sync = new();
        private long _copied;
        private long _total = -1;
        private string? _spoolPath;

        public CopyTransfer(string source, string destination, bool overwrite, bool createFullPath)
        {
            Source = source;
            Destination = destination;
            Overwrite = overwrite;
            CreateFullPath = createFullPath;
            FileName = source.Split('/', '\\').LastOrDefault(p => p.Length > 0) ?? source;
        }

        public string Source { get; }

        public string Destination { get; }

        public bool Overwrite { get; }

        public bool CreateFullPath { get; }

        public string FileName { get; }

        /// <summary>The source's size once opened; -1 before.</summary>
        public long Total => Interlocked.Read(ref _total);

        /// <summary>Why the source could not be read (the provider's Win32 text), or null.</summary>
        public string? Error { get; private set; }

        public static double Progress(IReadOnlyCollection<CopyTransfer> transfers)
        {
            var total = transfers.Sum(t => Math.Max(0, t.Total));
            return transfers.Any(t => t.Total < 0 && t.Error is null) || total == 0 ? 0 : transfers.Sum(t => Interlocked.Read(ref t._copied)) / (double)total;
        }

        public static void DiscardAll(IEnumerable<CopyTransfer> transfers)
        {
            foreach (var transfer in transfers)
            {
                SimulatorSpool.DeleteLater(transfer.TakeSpoolPath());
            }
        }

        /// <summary>
        /// Streams the source into a new spool file. The host expands environment variables in the path (reference
        /// docs/provider-model.md "File copy"); a path that is not rooted names no file the host can find (Unverified, docs/provider-model.md).
        /// </summary>
        public void Read(SimulatorSpool spool, CancellationToken token)
        {
            var source = Environment.ExpandEnvironmentVariables(Source);
            if (!Path.IsPathRooted(source))
            {
                Error = FileNotFoundText;
                return;
            }

            string? spoolPath = null;
            try
            {
                using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, CopyBufferBytes, FileOptions.SequentialScan);
                Interlocked.Exchange(ref _total, input.Length);
                spoolPath = spool.NewFile();
                lock (_sync)
                {
                    _spoolPath = spoolPath;
                }

                using var output = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.SequentialScan);
                var buffer = new byte[CopyBufferBytes];
                int read;
                while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    token.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, read);
                    Interlocked.Add(ref _copied, read);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                Error = FileNotFoundText;
            }
            catch (UnauthorizedAccessException)
            {
                Error = AccessDeniedText;
            }
            catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
            {
                Error = e.Message;
            }

            if (Error is not null)
            {
                SimulatorSpool.DeleteLater(TakeSpoolPath());
            }
        }

        /// <summary>The spooled bytes as guest file content; the guest file system owns the spool file from now on.</summary>
        public GuestFileContent TakeContent()
            => GuestFileContent.Spooled(TakeSpoolPath() ?? throw new InvalidOperationException("The copy spooled nothing."), Total);

        private string? TakeSpoolPath()
        {
            lock (_sync)
            {
                var path = _spoolPath;
                _spoolPath = null;
                return path;
            }
        }
    }
}
