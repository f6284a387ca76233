using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class GuestCopyPlanTests
{
    private static GuestCopySource Source(string path) => new(path, 10);

    [Theory]
    [InlineData(1, false, "/tmp/app.conf", false)]
    [InlineData(1, false, "/tmp/", true)]
    [InlineData(1, false, "C:\\temp\\", true)]
    [InlineData(2, false, "/tmp", true)]
    [InlineData(1, true, "/tmp", true)]
    [InlineData(0, false, "/tmp/x", false)]
    public void The_destination_is_a_directory_for_several_sources_a_wildcard_or_a_trailing_separator(int count, bool wildcard, string destination, bool expected)
        => Assert.Equal(expected, GuestCopyPlan.DestinationIsDirectory(count, wildcard, destination));

    [Theory]
    [InlineData("/tmp/a", true)]
    [InlineData("/", true)]
    [InlineData("\\temp", true)]
    [InlineData("C:\\temp\\a.txt", true)]
    [InlineData("c:/temp", true)]
    [InlineData("$HOME/a", true)]
    [InlineData("%TEMP%\\a", true)]
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
    [InlineData("C:\\dest\\", "C:\\src\\a.txt", "C:\\dest\\a.txt")]
    [InlineData("C:\\dest", "/src/b.bin", "C:\\dest\\b.bin")]
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
    public void The_same_host_file_named_twice_is_copied_once()
    {
        var plan = GuestCopyPlan.Build(new[] { Source("C:\\src\\a.txt"), Source("c:\\SRC\\a.txt") }, "/tmp/a.txt", sourceUsedWildcards: false);
        Assert.Single(plan.Items);
        Assert.Empty(plan.Failures);
        Assert.False(plan.DestinationIsDirectory);
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
