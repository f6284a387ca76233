using System.Diagnostics;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Large copies measure this process's memory: they run alone, not beside other tests.</summary>
[CollectionDefinition(nameof(LargeCopiesRunAlone), DisableParallelization = true)]
public sealed class LargeCopiesRunAlone
{
}

/// <summary>
/// A copy streams its source off the host's lock (issue 10 item 17): memory does not grow with the file, other
/// callers of the host are not held up, and cancelling or stopping ends it at once.
/// </summary>
[Collection(nameof(LargeCopiesRunAlone))]
public sealed class LargeCopyTests : IDisposable
{
    private const long Size = 300L * 1024 * 1024;
    private static readonly long[] Marks = { 0, 123_456_789, Size - 1 };
    private readonly string _source = Path.Combine(Path.GetTempPath(), "hvgf-large-" + Guid.NewGuid().ToString("N") + ".bin");

    public LargeCopyTests()
    {
        // Sparse, so the disk holds only what the copy writes; a few marked bytes prove the content arrives in place.
        using var file = new FileStream(_source, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(Size);
        foreach (var offset in Marks)
        {
            file.Position = offset;
            file.WriteByte((byte)(1 + (offset % 250)));
        }
    }

    public void Dispose() => File.Delete(_source);

    [Fact]
    public void A_large_copy_streams_without_growing_memory_or_blocking_the_host()
    {
        var (host, client) = Lab();
        host.CopyBytesPerSecond = 200L * 1024 * 1024;
        var service = client.Single("Msvm_GuestFileService", "ubuntu-web").Path;
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _source), ("DestinationPath", "/tmp/large.bin"));
        var baseline = WorkingSet();

        var call = Stopwatch.StartNew();
        var result = client.InvokeMethod(service, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);
        call.Stop();
        Assert.Equal(4096u, result.ReturnValue);

        var peak = baseline;
        var slowestQuery = TimeSpan.Zero;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        CimObject job;
        while ((job = client.GetInstance(result.Job!, None)).GetUInt16("JobState") == 4 && DateTime.UtcNow < deadline)
        {
            var query = Stopwatch.StartNew();
            Assert.Equal(7, client.Query(V2, "SELECT * FROM Msvm_ComputerSystem WHERE Description = 'Microsoft Virtual Machine'", None).Count);
            slowestQuery = query.Elapsed > slowestQuery ? query.Elapsed : slowestQuery;
            peak = Math.Max(peak, WorkingSet());
            Thread.Sleep(20);
        }

        AssertCompleted(job);
        Assert.True(call.Elapsed < TimeSpan.FromSeconds(1), $"the call took {call.Elapsed}");
        Assert.True(slowestQuery < TimeSpan.FromMilliseconds(500), $"a query during the copy took {slowestQuery}");
        Assert.True(peak - baseline < 100L * 1024 * 1024, $"the working set grew by {(peak - baseline) / (1024 * 1024)} MB");
        Assert.Equal(Size, host.GuestFileLength("ubuntu-web", "/tmp/large.bin"));
        using var copied = host.OpenGuestFile("ubuntu-web", "/tmp/large.bin")!;
        foreach (var offset in Marks)
        {
            copied.Position = offset;
            Assert.Equal(1 + (offset % 250), copied.ReadByte());
        }
    }

    [Fact]
    public void Cancelling_a_large_copy_ends_it_at_once_and_copies_nothing()
    {
        var (host, client) = Lab();
        host.CopyBytesPerSecond = 10L * 1024 * 1024;
        var service = client.Single("Msvm_GuestFileService", "ubuntu-web").Path;
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _source), ("DestinationPath", "/tmp/large.bin"));
        var result = client.InvokeMethod(service, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);

        var cancel = Stopwatch.StartNew();
        Assert.Equal(0u, client.InvokeMethod(result.Job!, "RequestStateChange", Args(("RequestedState", (ushort)4)), None).ReturnValue);
        cancel.Stop();

        Assert.True(cancel.Elapsed < TimeSpan.FromSeconds(1), $"cancelling took {cancel.Elapsed}");
        Assert.Equal((ushort)8, client.GetInstance(result.Job!, None).GetUInt16("JobState"));
        Thread.Sleep(200);
        Assert.Null(host.GuestFileLength("ubuntu-web", "/tmp/large.bin"));
    }

    [Fact]
    public void Stopping_the_host_stops_its_copies()
    {
        var (host, client) = Lab();
        host.CopyBytesPerSecond = 10L * 1024 * 1024;
        var service = client.Single("Msvm_GuestFileService", "ubuntu-web").Path;
        var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", _source), ("DestinationPath", "/tmp/large.bin"));
        Assert.Equal(4096u, client.InvokeMethod(service, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None).ReturnValue);

        var stop = Stopwatch.StartNew();
        host.Stop();
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(1), $"stopping took {stop.Elapsed}");
        Assert.Equal(FailureKind.HostUnreachable, Assert.Throws<GuestFeatureException>(() => client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None)).Kind);
    }

    private static long WorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
