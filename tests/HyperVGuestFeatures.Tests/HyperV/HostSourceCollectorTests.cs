using System.Diagnostics;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>What Copy-GuestFile makes of this computer's paths before any call: HostFiles and HostSourceCollector.</summary>
public sealed class HostSourceCollectorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hvgf-sources-" + Guid.NewGuid().ToString("n"));

    public HostSourceCollectorTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_regular_file_is_a_file_with_its_size()
    {
        var file = Write("a.txt", "12345");
        Assert.Equal(new HostFileStatus(HostFileKind.File, 5, false), HostFiles.Probe(file));
    }

    [Fact]
    public void A_missing_path_is_missing()
        => Assert.Equal(HostFileKind.Missing, HostFiles.Probe(Path.Combine(_root, "nope")).Kind);

    [Fact]
    public void A_directory_is_a_directory()
        => Assert.Equal(HostFileKind.Directory, HostFiles.Probe(_root).Kind);

    [Fact]
    public void A_link_to_a_file_has_the_target_size()
    {
        var target = Write("target.bin", new string('x', 1000));
        var link = Path.Combine(_root, "link.bin");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(new HostFileStatus(HostFileKind.File, 1000, true), HostFiles.Probe(link));
    }

    [Fact]
    public void A_link_to_nothing_is_dangling()
    {
        var link = Path.Combine(_root, "dangling");
        File.CreateSymbolicLink(link, Path.Combine(_root, "gone"));
        Assert.Equal(HostFileKind.DanglingLink, HostFiles.Probe(link).Kind);
    }

    [Fact]
    public void A_named_pipe_and_devices_are_told_apart_without_opening_them()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(_root, "fifo");
        MakeFifo(fifo);
        Assert.Equal(HostFileKind.NamedPipe, HostFiles.Probe(fifo).Kind); // opening it would block this test
        Assert.Equal(HostFileKind.CharacterDevice, HostFiles.Probe("/dev/zero").Kind);
    }

    [Fact]
    public void Files_are_sources_and_the_rest_are_errors_naming_the_path()
    {
        var file = Write("ok.txt", "ok");
        var link = Path.Combine(_root, "dangling");
        File.CreateSymbolicLink(link, Path.Combine(_root, "gone"));
        var collector = new HostSourceCollector(recurse: false);
        collector.Add(file, "ok.txt", namedOutright: true);
        collector.Add(link, "dangling", namedOutright: true);
        collector.Add(Path.Combine(_root, "missing"), "missing", namedOutright: true);
        if (!OperatingSystem.IsWindows())
        {
            collector.Add("/dev/null", "/dev/null", namedOutright: true);
        }

        var source = Assert.Single(collector.Sources);
        Assert.Equal(file, source.Path);
        Assert.Equal(2, source.Bytes);
        Assert.Null(source.RelativePath);
        var ids = collector.Failures.Select(f => f.ErrorId).ToList();
        Assert.Equal("GuestFileSourceDanglingLink", ids[0]);
        Assert.Equal("dangling", collector.Failures[0].Target);
        Assert.Equal("GuestFileSourceNotFound", ids[1]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("GuestFileSourceNotRegular", ids[2]);
            Assert.Contains("character device", collector.Failures[2].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_directory_without_recurse_is_an_error_when_named_and_skipped_when_matched()
    {
        var directory = Path.Combine(_root, "dir");
        Directory.CreateDirectory(directory);
        var collector = new HostSourceCollector(recurse: false);
        collector.Add(directory, "dir", namedOutright: true);
        collector.Add(directory, "*", namedOutright: false);
        var failure = Assert.Single(collector.Failures);
        Assert.Equal("GuestFileSourceIsDirectory", failure.ErrorId);
        Assert.Contains("-Recurse", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(collector.Notes);
        Assert.Empty(collector.Sources);
    }

    [Fact]
    public void Recurse_walks_the_tree_in_order_keeping_paths_under_the_directory_name()
    {
        Write("site/b.txt", "b");
        Write("site/a/x.txt", "x");
        Write("site/a/deep/er/y.txt", "yy");
        var collector = new HostSourceCollector(recurse: true);
        collector.Add(Path.Combine(_root, "site"), "site", namedOutright: true);
        Assert.Empty(collector.Failures);
        Assert.Empty(collector.Warnings);
        Assert.Equal(new[] { "site/a/deep/er/y.txt", "site/a/x.txt", "site/b.txt" }, collector.Sources.Select(s => s.RelativePath));
        Assert.Equal(2, collector.Sources[0].Bytes);
        Assert.Equal(Path.Combine(_root, "site", "a", "deep", "er", "y.txt"), collector.Sources[0].Path);
    }

    [Fact]
    public void Recurse_warns_once_for_the_topmost_directory_with_nothing_to_copy()
    {
        Write("site/keep.txt", "k");
        Directory.CreateDirectory(Path.Combine(_root, "site", "empty", "deeper", "still"));
        Directory.CreateDirectory(Path.Combine(_root, "void"));
        var collector = new HostSourceCollector(recurse: true);
        collector.Add(Path.Combine(_root, "site"), "site", namedOutright: true);
        collector.Add(Path.Combine(_root, "void"), "void", namedOutright: true);
        Assert.Equal(2, collector.Warnings.Count);
        Assert.Contains(Path.Combine(_root, "site", "empty") + "'", collector.Warnings[0], StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, "void") + "'", collector.Warnings[1], StringComparison.Ordinal);
        Assert.Single(collector.Sources);
    }

    [Fact]
    public void Recurse_does_not_follow_directory_links_inside_the_tree_but_follows_one_named_outright()
    {
        Write("site/a.txt", "a");
        Directory.CreateSymbolicLink(Path.Combine(_root, "site", "loop"), Path.Combine(_root, "site"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "current"), Path.Combine(_root, "site"));

        var inside = new HostSourceCollector(recurse: true);
        inside.Add(Path.Combine(_root, "site"), "site", namedOutright: true);
        Assert.Equal(new[] { "site/a.txt" }, inside.Sources.Select(s => s.RelativePath));
        Assert.Contains("loop", Assert.Single(inside.Warnings), StringComparison.Ordinal);

        var named = new HostSourceCollector(recurse: true);
        named.Add(Path.Combine(_root, "current"), "current", namedOutright: true);
        Assert.Equal(new[] { "current/a.txt" }, named.Sources.Select(s => s.RelativePath));

        var matched = new HostSourceCollector(recurse: true);
        matched.Add(Path.Combine(_root, "current"), "*", namedOutright: false);
        Assert.Empty(matched.Sources);
        Assert.Single(matched.Warnings);
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
