using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Tests.Catalog;

/// <summary>
/// What the guest does not say: the RHEL minor release from the kernel, a major release whose columns agree,
/// a release newer than the page; and the page revisions the embedded tables come from.
/// </summary>
public class GuestSupportInferenceTests
{
    private static readonly SupportMatrix _matrix = SupportMatrix.Default;
    private static readonly RhelKernelTable _kernels = new(_matrix.Document.RhelKernelMinors);

    private static FeatureDefinition Feature(string id) => FeatureCatalog.Find(id) ?? throw new ArgumentException(id);

    // As hv_kvp_daemon reports an os-release guest: VERSION_ID in OSMajorVersion, the kernel in OSVersion/OSBuildNumber.
    private static GuestOperatingSystem Daemon(string name, string versionId, string kernel)
        => new(name, kernel.Split('-')[0], versionId, null, kernel);

    // ---- the kernel table ----

    [Theory]
    // GA kernels and their updates: the build number after the first '-'.
    [InlineData("3.10.0-1160.el7.x86_64", 7, 9)]
    [InlineData("3.10.0-1160.119.1.el7.x86_64", 7, 9)]
    [InlineData("3.10.0-123.el7.x86_64", 7, 0)]
    [InlineData("4.18.0-80.el8.x86_64", 8, 0)]
    [InlineData("4.18.0-553.el8_10.x86_64", 8, 10)]
    [InlineData("6.12.0-55.el10.x86_64", 10, 0)]
    // A build between two rows (a Stream-like or hot-fix kernel) floors to the lower minor.
    [InlineData("3.10.0-1150.el7.x86_64", 7, 8)]
    [InlineData("4.18.0-500.el8.x86_64", 8, 8)]
    [InlineData("5.14.0-600.el9.x86_64", 9, 6)]
    // Above the newest row: the newest minor the table knows.
    [InlineData("3.10.0-1200.el7.x86_64", 7, 9)]
    public void A_kernel_build_names_the_minor_release(string kernel, int major, int minor)
    {
        Assert.True(_kernels.TryInferMinor(kernel, major, out var inferred));
        Assert.Equal(minor, inferred.Minor);
        if (inferred.DistTag is null)
        {
            Assert.NotNull(inferred.Build);
            Assert.True(inferred.GaBuild <= inferred.Build);
        }
    }

    [Theory]
    // The dist tag .elN_M names the minor whatever the build says.
    [InlineData("4.18.0-513.24.1.el8_9.x86_64", 8, 9, "el8_9")]
    [InlineData("5.14.0-284.11.1.el9_2.x86_64", 9, 2, "el9_2")]
    [InlineData("5.14.0-427.13.1.el9_4.x86_64", 9, 4, "el9_4")]
    [InlineData("6.12.0-55.9.1.el10_0.x86_64", 10, 0, "el10_0")]
    // Oracle's Red Hat Compatible Kernel carries the same tag.
    [InlineData("5.14.0-427.13.1.0.1.el9_4.x86_64", 9, 4, "el9_4")]
    public void A_dist_tag_names_the_minor_release(string kernel, int major, int minor, string tag)
    {
        Assert.True(_kernels.TryInferMinor(kernel, major, out var inferred));
        Assert.Equal(minor, inferred.Minor);
        Assert.Equal(tag, inferred.DistTag);
        Assert.Null(inferred.Build);
    }

    [Theory]
    // Below the 7.0 GA build: not a RHEL 7 kernel the table knows.
    [InlineData("3.10.0-100.el7.x86_64", 7)]
    // An unknown base for the major: a mainline (elrepo) kernel on CentOS 7, a distribution kernel elsewhere.
    [InlineData("5.4.225-1.el7.elrepo.x86_64", 7)]
    [InlineData("5.15.0-91-generic", 7)]
    // The base of another major.
    [InlineData("4.18.0-513.el8.x86_64", 7)]
    // A dist tag of another major says nothing about this one.
    [InlineData("4.18.0-513.24.1.el8_9.x86_64", 7)]
    // A major the table does not have.
    [InlineData("2.6.32-754.el6.x86_64", 6)]
    // Not a kernel release at all.
    [InlineData("13.2", 13)]
    [InlineData("", 7)]
    [InlineData(null, 7)]
    public void Kernels_the_table_does_not_know_name_nothing(string? kernel, int major)
        => Assert.False(_kernels.TryInferMinor(kernel, major, out _));

    [Fact]
    public void The_table_rows_rise_with_the_minor_release()
    {
        foreach (var series in _matrix.Document.RhelKernelMinors!.Series!)
        {
            var builds = series.Builds!.OrderBy(b => b.Minor).Select(b => b.Build).ToList();
            Assert.Equal(builds.OrderBy(b => b), builds);
            Assert.Equal(builds.Count, builds.Distinct().Count());
        }

        Assert.Equal(new[] { 7, 8, 9, 10 }, _matrix.Document.RhelKernelMinors.Series!.Select(s => s.Major));
    }

    // ---- placement by the kernel ----

    [Fact]
    public void CentOS_7_with_the_7_9_GA_kernel_lands_in_the_7_9_column()
    {
        var guest = Daemon("CentOS Linux", "7", "3.10.0-1160.el7.x86_64");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.InferredMinor, place.Basis);
        Assert.Equal("rhel-2025-7", place.TableId);
        Assert.Equal("7.6-7.9", place.ColumnId);

        var kvp = _matrix.Evaluate(Feature("kvp"), guest, FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Supported, kvp.Status);
        Assert.Equal(GuestSupportBasis.InferredMinor, kvp.Basis);
        Assert.Equal("CentOS 7 (CentOS / RHEL page, column 7.6-7.9 [Built in]: release 7.9 by kernel 3.10.0-1160.el7.x86_64, whose build 1160 is at or above the 7.9 GA build 1160): supported (note 4)", kvp.Reason);

        // The 7.6-7.9 column has no lsvmbus, unlike the LIS download columns.
        Assert.Equal(GuestSupport.NotSupported, _matrix.Evaluate(Feature("lsvmbus"), guest, null).Status);
    }

    [Fact]
    public void A_7_5_kernel_reads_the_built_in_7_5_column_not_the_lis_download()
    {
        var guest = Daemon("CentOS Linux", "7", "3.10.0-862.14.4.el7.x86_64");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.InferredMinor, place.Basis);
        Assert.Equal("7.5", place.ColumnId);
        var wwn = _matrix.Evaluate(Feature("scsi-wwn"), guest, null);
        Assert.Equal(GuestSupport.NotSupported, wwn.Status);
        Assert.Equal(GuestSupportBasis.InferredMinor, wwn.Basis);
    }

    [Fact]
    public void A_dist_tag_places_a_CentOS_8_guest_and_its_8_5_host_requirement_follows()
    {
        var guest = Daemon("CentOS Linux", "8", "4.18.0-348.7.1.el8_5.x86_64");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.InferredMinor, place.Basis);
        Assert.Equal("8.1-8.6+", place.ColumnId);

        var old = _matrix.Evaluate(Feature("heartbeat"), guest, FeatureCatalog.WindowsServer2016);
        Assert.Equal("CentOS 8 (CentOS / RHEL page, column 8.1-8.6+: release 8.5 by the dist tag el8_5 of kernel 4.18.0-348.7.1.el8_5.x86_64): supported; requirement: RHEL 8.5 guests require WS 2019 or later, or Azure Stack HCI / Azure Local 20H2 or later.", old.Reason);
    }

    [Fact]
    public void CentOS_Stream_is_never_placed_by_its_kernel()
    {
        // 4.18.0-500 would floor to 8.8, but a Stream kernel is not a RHEL minor release: the 8 series answers.
        var guest = Daemon("CentOS Stream", "8", "4.18.0-500.el8.x86_64");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, place.Basis);
        Assert.Null(place.ColumnId);
        Assert.Equal(new[] { "8.1-8.6+", "8.0" }, place.ColumnLabels);
        Assert.False(guest.KernelNamesRhelMinor);
    }

    [Fact]
    public void An_oracle_uek_guest_is_never_placed_by_its_kernel_nor_read_from_the_rhck_columns()
    {
        var guest = Daemon("Oracle Linux Server", "8", "5.4.17-2136.300.7.el8uek.x86_64");
        Assert.False(guest.KernelNamesRhelMinor);
        var result = _matrix.Evaluate(Feature("kvp"), guest, null);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.Equal(GuestSupportBasis.None, result.Basis);
        Assert.Equal("Oracle Linux 8: the Oracle Linux page covers the Red Hat Compatible Kernel only, and this guest runs 5.4.17-2136.300.7.el8uek.x86_64", result.Reason);
    }

    [Fact]
    public void An_unknown_kernel_base_falls_back_to_the_series_rule()
    {
        var guest = Daemon("CentOS Linux", "7", "5.4.225-1.el7.elrepo.x86_64");
        Assert.True(guest.KernelNamesRhelMinor);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, _matrix.Identify(guest).Basis);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, _matrix.Evaluate(Feature("kvp"), guest, null).Basis);
        Assert.Equal(GuestSupport.Unknown, _matrix.Evaluate(Feature("vrss"), guest, null).Status);
    }

    [Fact]
    public void A_minor_the_kernel_names_but_no_column_has_falls_back_to_the_series_rule()
    {
        // Oracle 9 with the 9.4 RHCK kernel: the page has a 9.0 column only, which answers for the 9 series.
        var guest = Daemon("Oracle Linux Server", "9", "5.14.0-427.13.1.0.1.el9_4.x86_64");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, place.Basis);
        Assert.Equal("9.0-rhck", place.ColumnId);
    }

    [Fact]
    public void A_reported_minor_wins_over_the_kernel()
    {
        // RHEL's VERSION_ID is 9.2: the column is documented, the kernel is not consulted.
        var guest = Daemon("Red Hat Enterprise Linux", "9.2", "5.14.0-284.11.1.el9_2.x86_64");
        Assert.Equal(GuestSupportBasis.Documented, _matrix.Identify(guest).Basis);
        var alma = Daemon("AlmaLinux", "9.3", "5.14.0-362.8.1.el9_3.x86_64");
        Assert.Equal(GuestSupportBasis.Documented, _matrix.Identify(alma).Basis);
    }

    // ---- the series rule ----

    [Fact]
    public void A_major_alone_answers_the_features_every_column_of_the_major_agrees_on()
    {
        // CentOS 7 without a usable kernel: the built-in 7.x columns (7.6-7.9 ... 7.0) agree on 25 of the 35 features.
        var guest = new GuestOperatingSystem("CentOS Linux", null, "7");
        var place = _matrix.Identify(guest);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, place.Basis);
        Assert.Equal(new[] { "7.6-7.9 [Built in]", "7.5 [Built in]", "7.4 [Built in]", "7.3 [Built in]", "7.2 [Built in]", "7.1 [Built in]", "7.0 [Built in]" }, place.ColumnLabels);

        var results = FeatureCatalog.Features.ToDictionary(f => f.Id, f => _matrix.Evaluate(f, guest, null));
        var definite = results.Where(r => r.Value.Status != GuestSupport.Unknown).Select(r => r.Key).OrderBy(i => i, StringComparer.Ordinal).ToList();
        Assert.Equal(25, definite.Count);
        Assert.Equal(
            new[] { "accurate-time", "dda", "file-copy", "lro", "scsi-wwn", "sr-iov", "trim", "tso-cso", "vhdx-resize", "vrss" },
            results.Where(r => r.Value.Status == GuestSupport.Unknown).Select(r => r.Key).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(definite, id => Assert.Equal(GuestSupportBasis.SeriesAgrees, results[id].Basis));
        Assert.Equal(GuestSupport.NotSupported, results["lsvmbus"].Status);
        Assert.Equal(GuestSupport.NotSupported, results["runtime-memory-resize"].Status);
    }

    [Fact]
    public void Columns_that_differ_are_named_and_the_answer_stays_unknown()
    {
        var result = _matrix.Evaluate(Feature("accurate-time"), new GuestOperatingSystem("CentOS Linux", null, "7"), null);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.Equal(GuestSupportBasis.None, result.Basis);
        Assert.Equal("CentOS 7: the guest reported no minor release, and the CentOS / RHEL page's columns for 7 differ on Windows Server 2016 Accurate Time (supported in 7.6-7.9 [Built in], 7.5 [Built in], 7.4 [Built in]; not supported in 7.3 [Built in], 7.2 [Built in], 7.1 [Built in], 7.0 [Built in])", result.Reason);

        // The 7.0 file copy cell is '?' (erratum rhel-7-file-copy-short-row): it cannot agree.
        var fileCopy = _matrix.Evaluate(Feature("file-copy"), new GuestOperatingSystem("CentOS Linux", null, "7"), null);
        Assert.EndsWith("(supported in 7.6-7.9 [Built in], 7.5 [Built in], 7.4 [Built in], 7.3 [Built in], 7.2 [Built in], 7.1 [Built in]; undetermined in 7.0 [Built in])", fileCopy.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Agreeing_columns_give_the_union_of_their_notes_and_say_when_the_notes_differ()
    {
        var guest = new GuestOperatingSystem("CentOS Linux", null, "7");
        var hotAdd = _matrix.Evaluate(Feature("dm-hot-add"), guest, null);
        Assert.Equal(GuestSupport.Supported, hotAdd.Status);
        Assert.Equal(new[] { 8, 9, 10 }, hotAdd.NoteNumbers);
        Assert.EndsWith("): supported (notes 8, 9, 10; they differ by minor release)", hotAdd.Reason, StringComparison.Ordinal);
        Assert.StartsWith("CentOS 7 (CentOS / RHEL page: no minor release reported, and the columns for 7 agree: 7.6-7.9 [Built in], ", hotAdd.Reason, StringComparison.Ordinal);

        var kvp = _matrix.Evaluate(Feature("kvp"), guest, null);
        Assert.EndsWith("): supported (note 4)", kvp.Reason, StringComparison.Ordinal);

        // Every 7.x column prints N/A for PAE: the verdict names the cell.
        Assert.EndsWith("): not applicable (cell 'N/A')", _matrix.Evaluate(Feature("pae"), guest, null).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_8_guest_agrees_on_uefi_but_not_on_more_than_256_vcpus()
    {
        var guest = Daemon("CentOS Stream", "8", "4.18.0-500.el8.x86_64");
        var uefi = _matrix.Evaluate(Feature("uefi-boot"), guest, null);
        Assert.Equal(GuestSupport.Supported, uefi.Status);
        Assert.Equal(GuestSupportBasis.SeriesAgrees, uefi.Basis);
        Assert.EndsWith("supported (notes 14, 17; 17 not defined on the page; they differ by minor release)", uefi.Reason, StringComparison.Ordinal);

        var vcpus = _matrix.EvaluateRow("vcpu-gt-256", "vcpu-gt-256", ">256 vCPUs", guest, null);
        Assert.Equal(GuestSupport.Unknown, vcpus.Status);
        Assert.EndsWith("differ on >256 vCPUs (supported in 8.1-8.6+; not supported in 8.0)", vcpus.Reason, StringComparison.Ordinal);
    }

    // ---- newer than the page ----

    [Theory]
    [InlineData("Debian GNU/Linux", "12", "static-ip-injection", GuestSupport.NotSupported, "11", "Debian 12.x (Bookworm)")]
    [InlineData("Debian GNU/Linux", "12", "lsvmbus", GuestSupport.NotSupported, "11", "Debian 12.x (Bookworm)")]
    [InlineData("SUSE Linux Enterprise Server", "15.5", "hv-sockets", GuestSupport.Supported, "15-sp1-sp4", "SUSE 15 series")]
    [InlineData("SUSE Linux Enterprise Server", "15.5", "pae", GuestSupport.NotSupported, "15-sp1-sp4", "SUSE 15 series")]
    [InlineData("Ubuntu", "24.04", "uefi-boot", GuestSupport.Supported, "22.04", "Ubuntu 24.04")]
    [InlineData("Oracle Linux Server", "9.3", "lsvmbus", GuestSupport.Supported, "9.0-rhck", "Oracle Linux 9.x (RHCK)")]
    public void A_release_newer_than_the_page_is_read_from_its_newest_column_and_marked(string name, string version, string id, GuestSupport status, string column, string listed)
    {
        var result = _matrix.Evaluate(Feature(id), new GuestOperatingSystem(name, null, version), null);
        Assert.Equal(status, result.Status);
        Assert.Equal(GuestSupportBasis.NewerThanDocumented, result.Basis);
        Assert.Equal(column, result.ColumnId);
        Assert.Contains("newest column " + result.ColumnLabel + ": the page predates this release; Microsoft's VM generation page lists " + listed + " as a supported guest)", result.Reason, StringComparison.Ordinal);
    }

    // ---- every verdict ----

    public static TheoryData<string, string?, string?, string?> Guests => new()
    {
        { "Ubuntu", "5.15.0", "22.04", "5.15.0-91-generic" },
        { "Ubuntu", "6.8.0", "24.04", "6.8.0-31-generic" },
        { "Red Hat Enterprise Linux", "5.14.0", "9.2", "5.14.0-284.11.1.el9_2.x86_64" },
        { "CentOS Linux", "3.10.0", "7", "3.10.0-1160.el7.x86_64" },
        { "CentOS Linux", null, "7", null },
        { "CentOS Stream", "4.18.0", "8", "4.18.0-500.el8.x86_64" },
        { "Debian GNU/Linux", "6.1.0", "12", "6.1.0-17-amd64" },
        { "Debian GNU/Linux", "4.19.0", "10", "4.19.0-26-amd64" },
        { "SUSE Linux Enterprise Server", "5.14.21", "15.5", "5.14.21-150500.53-default" },
        { "AlmaLinux", "5.14.0", "9.3", "5.14.0-362.8.1.el9_3.x86_64" },
        { "FreeBSD", "13.2", null, "13.2" },
        { "Oracle Linux Server", "5.14.0", "9.3", "5.14.0-362.8.1.0.1.el9_3.x86_64" },
        { "Fedora Linux", "6.5.6", "39", "6.5.6-300.fc39.x86_64" },
    };

    [Theory]
    [MemberData(nameof(Guests))]
    public void Every_verdict_has_a_basis_exactly_when_it_has_an_answer(string name, string? version, string? major, string? build)
    {
        var guest = new GuestOperatingSystem(name, version, major, null, build);
        foreach (var feature in FeatureCatalog.Features)
        {
            var result = _matrix.Evaluate(feature, guest, FeatureCatalog.WindowsServer2022);
            Assert.Equal(result.Status == GuestSupport.Unknown, result.Basis == GuestSupportBasis.None);
            Assert.StartsWith(guest.DisplayName, result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_guest_that_reports_nothing_is_unknown_with_the_reason()
    {
        var result = _matrix.Evaluate(Feature("kvp"), null, FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.Equal(GuestSupportBasis.None, result.Basis);
        Assert.Equal("guest did not report its OS (KVP intrinsic items unavailable)", result.Reason);

        var off = _matrix.NotReported("guest did not report its OS: the VM is Off, and KVP intrinsic items exist only while it runs");
        var offResult = _matrix.Evaluate(off, Feature("heartbeat"), FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Unknown, offResult.Status);
        Assert.Equal(GuestSupportBasis.None, offResult.Basis);
        Assert.Equal("guest did not report its OS: the VM is Off, and KVP intrinsic items exist only while it runs", offResult.Reason);
        Assert.Same(off, _matrix.NotReported(offResult.Reason));
    }

    // ---- cost per row ----

    [Fact]
    public void Guests_that_report_the_same_OS_share_one_placement_and_one_verdict_per_feature()
    {
        var first = Daemon("CentOS Linux", "7", "3.10.0-1160.el7.x86_64");
        var second = Daemon("CentOS Linux", "7", "3.10.0-1160.el7.x86_64");
        var place = _matrix.Identify(first);
        Assert.Same(place, _matrix.Identify(second));

        var a = _matrix.Evaluate(place, Feature("kvp"), FeatureCatalog.WindowsServer2022);
        var b = _matrix.Evaluate(_matrix.Identify(second), Feature("kvp"), FeatureCatalog.WindowsServer2022);
        Assert.Same(a, b);
        Assert.Same(a.Reason, b.Reason);

        // Another host is another verdict (the host range of the page may differ).
        Assert.NotSame(a, _matrix.Evaluate(place, Feature("kvp"), FeatureCatalog.WindowsServer2012R2));
    }

    // ---- the page revisions the tables come from ----

    [Theory]
    [InlineData("ubuntu-2023", "Supported-Ubuntu-virtual-machines-on-Hyper-V.md", "2023-09-27", "kkkashan", null)]
    [InlineData("rhel-2025-10-9-8", "Supported-CentOS-and-Red-Hat-Enterprise-Linux-virtual-machines-on-Hyper-V.md", "2025-06-19", "robinharwood", "051b1c98b8de6cb7b4e969a64e34e4edfd91e3c4")]
    [InlineData("rhel-2025-7", "Supported-CentOS-and-Red-Hat-Enterprise-Linux-virtual-machines-on-Hyper-V.md", "2025-06-19", "robinharwood", "051b1c98b8de6cb7b4e969a64e34e4edfd91e3c4")]
    [InlineData("debian-2023", "Supported-Debian-virtual-machines-on-Hyper-V.md", "2023-09-26", "kkkashan", "030ee582624693fd548ddca79c48fe512caef15a")]
    [InlineData("freebsd-2025", "Supported-FreeBSD-virtual-machines-on-Hyper-V.md", "2025-06-19", "dknappettmsft", null)]
    [InlineData("sles-2023", "Supported-SUSE-virtual-machines-on-Hyper-V.md", "2023-09-27", "kkkashan", null)]
    [InlineData("oracle-2025", "Supported-Oracle-Linux-virtual-machines-on-Hyper-V.md", "2025-06-19", "dknappettmsft", null)]
    public void Each_current_table_records_the_page_revision_it_was_taken_from(string id, string file, string date, string author, string? commit)
    {
        var table = _matrix.Tables.Single(t => t.Id == id);
        Assert.True(table.Current);
        var source = table.Source!;
        Assert.Equal("WindowsServerDocs/virtualization/hyper-v/" + file, source.Path);
        Assert.Equal(date, source.MsDate);
        Assert.Equal(author, source.Author);
        Assert.Equal(commit, source.Commit);
        Assert.Equal("https://learn.microsoft.com/windows-server/virtualization/hyper-v/" + file.Substring(0, file.Length - 3).ToLowerInvariant(), source.Url);
        Assert.StartsWith("2026-12-05: the newest revision", source.Checked, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generation_page_lists_the_newer_releases_the_tables_lack()
    {
        var page = _matrix.Document.GenerationPage!;
        Assert.Equal("2025-06-18", page.Source!.MsDate);
        Assert.Equal("0ea820e96d19071f97dca4f3dfcd260c1cff2e0e", page.Source.Commit);
        var guests = page.SupportedGuests!;
        Assert.Equal(new[] { "debian", "freebsd", "oracle", "rhel", "sles", "ubuntu" }, guests.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains(guests["debian"], r => r.Major == 12 && r.MinorFrom is null);
        Assert.Contains(guests["ubuntu"], r => r.Major == 24 && r.MinorFrom == 4 && r.MinorTo == 4);
        Assert.Contains(guests["sles"], r => r.Major == 15 && r.MinorFrom is null);
        Assert.Contains(guests["rhel"], r => r.Major == 10);
        Assert.DoesNotContain(guests["rhel"], r => r.Major == 7);
        Assert.Contains(guests["freebsd"], r => r.Major == 13 && r.MinorTo == 5);
    }

    [Theory]
    // A few cells of each current table, as the newest revision prints them.
    [InlineData("ubuntu-2023", "uefi-boot", "22.04", "yes", "")]
    [InlineData("ubuntu-2023", "uefi-boot", "20.04", "yes", "10,11")]
    [InlineData("ubuntu-2023", "kvp", "16.04", "yes", "5,9")]
    [InlineData("rhel-2025-10-9-8", "pae", "10.x", "no", "")]
    [InlineData("rhel-2025-10-9-8", "pae", "8.0", "na", "")]
    [InlineData("rhel-2025-10-9-8", "vcpu-gt-256", "8.0", "no", "")]
    [InlineData("rhel-2025-10-9-8", "uefi-boot", "10.x", "yes", "14,17")]
    [InlineData("rhel-2025-7", "file-copy", "7.0", "unknown", "")]
    [InlineData("rhel-2025-7", "dda", "7.0-7.2-lis4.3", "no", "")]
    [InlineData("rhel-2025-7", "dm-hot-add", "7.0", "yes", "8,9,10")]
    [InlineData("rhel-2025-7", "runtime-memory-resize", "7.6-7.9", "no", "")]
    [InlineData("debian-2023", "static-ip-injection", "11", "no", "")]
    [InlineData("debian-2023", "pae", "10.0-10.3", "yes", "")]
    [InlineData("debian-2023", "accurate-time", "11", "yes", "4")]
    [InlineData("freebsd-2025", "lro", "13.0-13.5", "yes", "")]
    [InlineData("freebsd-2025", "sr-iov", "11.0-11.4", "yes", "")]
    [InlineData("freebsd-2025", "vhdx-resize", "12.0-12.4", "yes", "6")]
    [InlineData("freebsd-2025", "secure-boot", "13.0-13.5", "no", "")]
    [InlineData("sles-2023", "pae", "11-sp4", "yes", "")]
    [InlineData("sles-2023", "hv-sockets", "12-sp2", "no", "")]
    [InlineData("sles-2023", "uefi-boot", "11-sp3", "no", "")]
    [InlineData("sles-2023", "live-backup", "15", "yes", "2,3,8")]
    [InlineData("oracle-2025", "pae", "9.0-rhck", "na", "")]
    [InlineData("oracle-2025", "dm-hot-add", "8.0-8.5-rhck", "yes", "4,5,6")]
    [InlineData("oracle-2025", "uefi-boot", "9.0-rhck", "yes", "7")]
    public void Pinned_cells_match_the_newest_page_revision(string table, string row, string column, string status, string notes)
    {
        var cell = _matrix.Tables.Single(t => t.Id == table).Cells![row][column];
        Assert.Equal(status, cell.Status);
        Assert.Equal(notes, string.Join(",", cell.Notes ?? new List<int>()));
    }
}
