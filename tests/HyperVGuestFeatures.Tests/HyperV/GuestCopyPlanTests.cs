using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class GuestCopyPlanTests
{
    private static GuestCopySource Source(string path) => new(path, 10);

    [Theory]
    [InlineData(1, false, "/tmp/app.conf", false)]
    [InlineData(1, false, "/tmp/", true)]
    [InlineData(2, false, "/tmp", true)]
    [InlineData(1, true, "/tmp", true)]
    [InlineData(0, false, "/tmp/x", false)]
    public void The_destination_is_a_directory_for_several_sources_a_wildcard_or_a_trailing_separator(int count, bool wildcard, string destination, bool expected)
        => Assert.Equal(expected, GuestCopyPlan.DestinationIsDirectory(count, wildcard, destination));

    [Theory]
    [InlineData("/tmp/a", true)]
    [InlineData("/", true)]
    [InlineData("$HOME/a", true)]
    [InlineData("%TEMP%/a", true)]
    [InlineData("\\temp", false)]
    [InlineData("C:\\temp\\a.txt", false)]
    [InlineData("c:/temp", false)]
    [InlineData("tmp/a", false)]
    [InlineData("./a", false)]
    [InlineData("C:", false)]
    [InlineData("C:temp", false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public void Only_full_guest_paths_are_accepted(string path, bool expected)
        => Assert.Equal(expected, GuestCopyPlan.IsFullGuestPath(path));

    [Theory]
    [InlineData("/tmp", "C:\\src\\a.txt", "/tmp/a.txt")]
    [InlineData("/tmp/", "/home/me/a.txt", "/tmp/a.txt")]
    [InlineData("/tmp//", "/home/me/a.txt", "/tmp/a.txt")]
    [InlineData("/", "C:\\a.txt", "/a.txt")]
    [InlineData("$HOME/in", "C:\\src\\b.bin", "$HOME/in/b.bin")]
    public void A_file_keeps_its_name_inside_a_guest_directory(string directory, string source, string expected)
        => Assert.Equal(expected, GuestCopyPlan.Combine(directory, source));

    [Fact]
    public void One_source_goes_to_the_destination_as_given()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("C:\\src\\a.txt") }, "/etc/app.conf", sourceUsedWildcards: false);
        var item = Assert.Single(plan.Items);
        Assert.Equal("/etc/app.conf", item.DestinationPath);
        Assert.False(plan.DestinationIsDirectory);
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void One_source_matched_by_a_wildcard_keeps_its_name()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("/src/a.txt") }, "/etc/app", sourceUsedWildcards: true);
        Assert.Equal("/etc/app/a.txt", Assert.Single(plan.Items).DestinationPath);
    }

    [Fact]
    public void Several_sources_land_in_the_destination_directory()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("/src/a.txt"), Source("/src/b.txt") }, "/tmp/drop", sourceUsedWildcards: false);
        Assert.Equal(new[] { "/tmp/drop/a.txt", "/tmp/drop/b.txt" }, plan.Items.Select(i => i.DestinationPath));
        Assert.True(plan.DestinationIsDirectory);
    }

    [Fact]
    public void Two_files_with_the_same_name_do_not_overwrite_each_other()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("/one/a.txt"), Source("/two/a.txt"), Source("/two/b.txt") }, "/tmp", sourceUsedWildcards: false);
        Assert.Equal(new[] { "/one/a.txt", "/two/b.txt" }, plan.Items.Select(i => i.Source.Path));
        var failure = Assert.Single(plan.Failures);
        Assert.Equal("GuestFileDestinationConflict", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal("/two/a.txt", failure.Target);
        Assert.Contains("/tmp/a.txt", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_host_file_named_twice_is_copied_once_on_a_windows_host()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("C:\\src\\a.txt"), Source("c:\\SRC\\a.txt") }, "/tmp/a.txt", sourceUsedWildcards: false, StringComparer.OrdinalIgnoreCase);
        Assert.Single(plan.Items);
        Assert.Empty(plan.Failures);
        Assert.False(plan.DestinationIsDirectory);
    }

    [Fact]
    public void Files_that_differ_only_in_case_are_two_files_on_a_case_sensitive_host()
    {
        // Issue 10 item 2: a.txt and A.txt (say from '*') were merged into one and the other was never copied.
        var plan = GuestCopyPlan.Build(new[] { Source("/src/a.txt"), Source("/src/A.txt"), Source("/src/a.txt") }, "/tmp", sourceUsedWildcards: true, StringComparer.Ordinal);
        Assert.Equal(new[] { "/tmp/a.txt", "/tmp/A.txt" }, plan.Items.Select(i => i.DestinationPath));
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void Host_paths_compare_as_the_host_file_system_does()
        => Assert.Same(
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal,
            GuestCopyPlan.HostPathComparer);

    [Fact]
    public void A_directory_copied_with_recurse_keeps_its_tree_under_its_name()
    {
        var sources = new[]
        {
            new GuestCopySource("/src/site/index.html", 4, "site/index.html"),
            new GuestCopySource("/src/site/css/themes/fonts/mono.woff", 4, "site/css/themes/fonts/mono.woff"),
        };
        var plan = GuestCopyPlan.Build(sources, "/var/www", sourceUsedWildcards: false);
        Assert.True(plan.DestinationIsDirectory);
        Assert.Equal(new[] { "/var/www/site/index.html", "/var/www/site/css/themes/fonts/mono.woff" }, plan.Items.Select(i => i.DestinationPath));
    }

    [Fact]
    public void One_file_of_a_tree_still_goes_inside_the_destination()
    {
        var plan = GuestCopyPlan.Build(new[] { new GuestCopySource("/src/conf/app.conf", 1, "conf/app.conf") }, "/etc/app", sourceUsedWildcards: false);
        Assert.Equal("/etc/app/conf/app.conf", Assert.Single(plan.Items).DestinationPath);
    }

    [Fact]
    public void The_same_file_in_a_tree_and_named_on_its_own_goes_to_both_places()
    {
        var plan = GuestCopyPlan.Build(new[] { new GuestCopySource("/src/site/a.txt", 1, "site/a.txt"), Source("/src/site/a.txt") }, "/tmp", sourceUsedWildcards: false);
        Assert.Equal(new[] { "/tmp/site/a.txt", "/tmp/a.txt" }, plan.Items.Select(i => i.DestinationPath));
    }

    [Fact]
    public void Two_trees_that_put_different_files_on_one_guest_path_are_refused()
    {
        var plan = GuestCopyPlan.Build(new[] { new GuestCopySource("/one/site/a.txt", 1, "site/a.txt"), new GuestCopySource("/two/site/a.txt", 1, "site/a.txt") }, "/tmp", sourceUsedWildcards: false);
        Assert.Single(plan.Items);
        Assert.Equal("GuestFileDestinationConflict", Assert.Single(plan.Failures).ErrorId);
    }

    [Theory]
    [InlineData(@"C:\temp\a.txt")]
    [InlineData("C:/temp/")]
    [InlineData("d:")]
    [InlineData(@"\\server\share\a.txt")]
    [InlineData(@"\temp\a.txt")]
    public void A_windows_style_destination_is_refused_for_a_linux_or_freebsd_guest(string destination)
    {
        var failure = Assert.Throws<GuestFeatureException>(() => GuestCopyPlan.Build(new[] { Source("/a") }, destination, false));
        Assert.Equal("GuestPathWindowsStyle", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal(destination, failure.Target);
        Assert.Contains("/tmp/app.conf", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp/a.txt")]
    [InlineData("//tmp/a")]
    [InlineData("/tmp/dir\\name")]
    public void A_posix_destination_is_not_windows_style(string destination)
        => Assert.False(GuestCopyPlan.IsWindowsStylePath(destination));

    [Fact]
    public void A_literal_path_for_a_remote_host_keeps_its_brackets_and_backticks()
    {
        var (sources, failures) = GuestCopyPlan.HostSources(new[] { @"C:\drop\b[1].txt", @"C:\drop\x`y.txt" }, "hv01", literal: true);
        Assert.Empty(failures);
        Assert.Equal(new[] { @"C:\drop\b[1].txt", @"C:\drop\x`y.txt" }, sources.Select(s => s.Path));
    }

    [Fact]
    public void A_relative_literal_path_for_a_remote_host_is_still_refused()
    {
        var (_, failures) = GuestCopyPlan.HostSources(new[] { "b[1].txt" }, "hv01", literal: true);
        Assert.Equal("GuestFileSourceNotHostPath", Assert.Single(failures).ErrorId);
    }

    [Theory]
    [InlineData("tmp/a.txt")]
    [InlineData("")]
    public void A_relative_destination_is_refused_before_anything_is_copied(string destination)
    {
        var failure = Assert.Throws<GuestFeatureException>(() => GuestCopyPlan.Build(new[] { Source("/a") }, destination, false));
        Assert.Equal("GuestPathNotFull", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
    }

    [Theory]
    [InlineData("C:\\src\\a.txt", "a.txt")]
    [InlineData("/src/b", "b")]
    [InlineData("\\\\server\\share\\c.iso", "c.iso")]
    [InlineData("plain", "plain")]
    public void File_names_come_from_either_separator(string path, string expected)
        => Assert.Equal(expected, GuestCopyPlan.FileNameOf(path));

    [Theory]
    [InlineData(@"C:\drop\app.conf", true)]
    [InlineData("C:/drop/app.conf", true)]
    [InlineData(@"\\files\drop\app.conf", true)]
    [InlineData(@"%ProgramData%\app.conf", true)]
    [InlineData("/tmp/app.conf", true)]
    [InlineData("app.conf", false)]
    [InlineData("./app.conf", false)]
    [InlineData(@"..\app.conf", false)]
    [InlineData("C:app.conf", false)]
    [InlineData(" ", false)]
    public void A_host_path_must_be_full_as_the_host_sees_it(string path, bool expected)
        => Assert.Equal(expected, GuestCopyPlan.IsFullHostPath(path));

    [Fact]
    public void Sources_for_a_remote_host_pass_as_given_and_need_no_local_file()
    {
        // MSDOC msvm-copyfiletoguestsettingdata: the source "must be accessible to the Hyper-V host".
        var (sources, failures) = GuestCopyPlan.HostSources(new[] { @"D:\only-on-the-host\x.bin", @"%TEMP%\y.bin", @"C:\b`[1`].txt" }, "hv01");
        Assert.Empty(failures);
        Assert.Equal(new[] { @"D:\only-on-the-host\x.bin", @"%TEMP%\y.bin", @"C:\b[1].txt" }, sources.Select(s => s.Path));
        Assert.All(sources, s => Assert.Null(s.Bytes));
    }

    [Theory]
    [InlineData("*.conf", "GuestFileSourceWildcardNeedsLocalHost")]
    [InlineData(@"C:\drop\a?.txt", "GuestFileSourceWildcardNeedsLocalHost")]
    [InlineData("app.conf", "GuestFileSourceNotHostPath")]
    public void Wildcards_and_relative_paths_need_this_computer(string path, string errorId)
    {
        var (sources, failures) = GuestCopyPlan.HostSources(new[] { path }, "hv01");
        Assert.Empty(sources);
        var failure = Assert.Single(failures);
        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal(path, failure.Target);
        Assert.Contains("hv01", failure.Message, StringComparison.Ordinal);
        Assert.Contains("run Copy-GuestFile on the host", failure.RecommendedAction, StringComparison.Ordinal);
    }
}
