using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Tests.Catalog;

public class SupportMatrixTests
{
    private static readonly SupportMatrix _matrix = SupportMatrix.Default;

    private static FeatureDefinition Feature(string id) => FeatureCatalog.Find(id) ?? throw new ArgumentException(id);

    private static GuestOperatingSystem Os(string name, string? version, string? major = null, string? minor = null, string? build = null)
        => new(name, version, major, minor, build);

    // ---- the reference data and our catalog ----

    [Fact]
    public void Json_loads_with_the_35_seed_features_and_vcpu_gt_256()
    {
        var ids = _matrix.Features.Select(f => f.Id).ToList();
        Assert.Equal(36, ids.Count);
        Assert.Equal(36, ids.Distinct().Count());
        Assert.Contains("vcpu-gt-256", ids);
        Assert.Equal(FeatureCatalog.Features.Select(f => f.Id).OrderBy(i => i, StringComparer.Ordinal),
            ids.Where(i => i != "vcpu-gt-256").OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(8, _matrix.Document.Hosts!.Count);
        Assert.Equal(1, _matrix.Document.SchemaVersion);
    }

    [Fact]
    public void Default_is_loaded_once_even_under_concurrency()
    {
        var seen = new SupportMatrix[16];
        Parallel.For(0, seen.Length, i => seen[i] = SupportMatrix.Default);
        Assert.All(seen, m => Assert.Same(_matrix, m));
    }

    [Fact]
    public void Catalog_matrix_rows_and_minimum_hosts_agree_with_the_json()
    {
        Assert.All(FeatureCatalog.Features, feature =>
        {
            var data = _matrix.FindFeature(feature.Id);
            Assert.NotNull(data);
            Assert.Equal(data!.MatrixRow, feature.MatrixRow);
            Assert.Equal(data.MinHost, feature.MinimumHost.Id);
        });
    }

    [Fact]
    public void Catalog_names_are_the_seed_names_of_the_json()
        => Assert.All(FeatureCatalog.Features, feature => Assert.Equal(_matrix.FindFeature(feature.Id)!.Name, feature.Name));

    [Fact]
    public void Core_row_stands_for_the_seven_core_features()
        => Assert.Equal(
            _matrix.Document.CoreRowFeatures!.OrderBy(i => i, StringComparer.Ordinal),
            FeatureCatalog.Features.Where(f => f.MatrixRow == "core").Select(f => f.Id).OrderBy(i => i, StringComparer.Ordinal));

    [Fact]
    public void Catalog_hosts_have_the_json_ranks()
    {
        foreach (var host in FeatureCatalog.HostReleases)
        {
            var data = _matrix.Document.Hosts!.Single(h => h.Id == host.Id);
            Assert.Equal(host.Rank, data.Rank);
            Assert.Equal(host.Name, data.Name);
        }
    }

    [Fact]
    public void Every_current_column_id_reads_as_a_release_range_and_every_row_is_dense()
    {
        var current = _matrix.Tables.Where(t => t.Current).ToList();
        Assert.Equal(new[] { "debian", "freebsd", "oracle", "rhel", "sles", "ubuntu" }, current.Select(t => t.Family).Distinct().OrderBy(f => f, StringComparer.Ordinal));
        Assert.Equal(32, current.Sum(t => t.Columns!.Count));
        foreach (var table in current)
        {
            foreach (var column in table.Columns!)
            {
                Assert.NotNull(ColumnRange.Parse(table.Family, column.Id));
            }

            foreach (var row in table.Rows!)
            {
                Assert.All(table.Columns!, c => Assert.True(table.Cells![row].ContainsKey(c.Id), $"{table.Id} {row} {c.Id}"));
            }
        }
    }

    [Theory]
    [InlineData("ubuntu", "22.04", 22, 4, 22, 4)]
    [InlineData("rhel", "9.x", 9, 0, 9, int.MaxValue)]
    [InlineData("rhel", "8.1-8.6+", 8, 1, 8, int.MaxValue)]
    [InlineData("rhel", "7.5-7.7-lis4.3", 7, 5, 7, 7)]
    [InlineData("debian", "11", 11, 0, 11, int.MaxValue)]
    [InlineData("sles", "15", 15, 0, 15, 0)]
    [InlineData("sles", "15-sp1-sp4", 15, 1, 15, 4)]
    [InlineData("sles", "12-sp2", 12, 2, 12, 2)]
    [InlineData("oracle", "8.0-8.5-rhck", 8, 0, 8, 5)]
    [InlineData("ubuntu", "18.10-19.04", 18, 10, 19, 4)]
    public void Column_ids_read_as_ranges(string family, string id, int lowMajor, int lowMinor, int highMajor, int highMinor)
    {
        var range = ColumnRange.Parse(family, id)!;
        Assert.Equal((lowMajor, lowMinor), range.Low);
        Assert.Equal((highMajor, highMinor), range.High);
    }

    // ---- guest identification ----

    [Theory]
    // The seven guests of the default simulated lab (their version as the lab's daemon reports it).
    [InlineData("Ubuntu", "22.04", "ubuntu", "ubuntu-2023", "22.04", GuestSupportBasis.Documented, "Ubuntu 22.04")]
    [InlineData("Red Hat Enterprise Linux", "9.2", "rhel", "rhel-2025-10-9-8", "9.x", GuestSupportBasis.Documented, "RHEL 9.2")]
    [InlineData("Debian GNU/Linux", "12", "debian", "debian-2023", "11", GuestSupportBasis.NewerThanDocumented, "Debian 12")]
    [InlineData("FreeBSD", "13.2", "freebsd", "freebsd-2025", "13.0-13.5", GuestSupportBasis.Documented, "FreeBSD 13.2")]
    [InlineData("SUSE Linux Enterprise Server", "15.5", "sles", "sles-2023", "15-sp1-sp4", GuestSupportBasis.NewerThanDocumented, "SLES 15 SP5")]
    [InlineData("AlmaLinux", "9.3", "rhel", "rhel-2025-10-9-8", "9.x", GuestSupportBasis.Documented, "AlmaLinux 9.3")]
    [InlineData("CentOS Linux", "7.9", "rhel", "rhel-2025-7", "7.6-7.9", GuestSupportBasis.Documented, "CentOS 7.9")]
    // Ubuntu: 24.04 is on the generation page, the interim 22.10 and 24.10 are not
    [InlineData("Ubuntu", "20.04", "ubuntu", "ubuntu-2023", "20.04", GuestSupportBasis.Documented, "Ubuntu 20.04")]
    [InlineData("Ubuntu", "16.04", "ubuntu", "ubuntu-2023", "16.04", GuestSupportBasis.Documented, "Ubuntu 16.04")]
    [InlineData("Ubuntu", "24.04", "ubuntu", "ubuntu-2023", "22.04", GuestSupportBasis.NewerThanDocumented, "Ubuntu 24.04")]
    [InlineData("Ubuntu", "22.10", "ubuntu", null, null, GuestSupportBasis.None, "Ubuntu 22.10")]
    [InlineData("Ubuntu", "24.10", "ubuntu", null, null, GuestSupportBasis.None, "Ubuntu 24.10")]
    // CentOS / RHEL: x series, open-ended 8.6+, built-in preferred over the LIS download column
    [InlineData("Red Hat Enterprise Linux", "10.0", "rhel", "rhel-2025-10-9-8", "10.x", GuestSupportBasis.Documented, "RHEL 10.0")]
    [InlineData("Red Hat Enterprise Linux", "8.10", "rhel", "rhel-2025-10-9-8", "8.1-8.6+", GuestSupportBasis.Documented, "RHEL 8.10")]
    [InlineData("Red Hat Enterprise Linux", "8.4", "rhel", "rhel-2025-10-9-8", "8.1-8.6+", GuestSupportBasis.Documented, "RHEL 8.4")]
    [InlineData("Red Hat Enterprise Linux", "8.0", "rhel", "rhel-2025-10-9-8", "8.0", GuestSupportBasis.Documented, "RHEL 8.0")]
    [InlineData("Red Hat Enterprise Linux Server", "7.5", "rhel", "rhel-2025-7", "7.5", GuestSupportBasis.Documented, "RHEL 7.5")]
    [InlineData("Red Hat Enterprise Linux Server", "7.0", "rhel", "rhel-2025-7", "7.0", GuestSupportBasis.Documented, "RHEL 7.0")]
    [InlineData("Red Hat Enterprise Linux", "11.0", "rhel", null, null, GuestSupportBasis.None, "RHEL 11.0")]
    // A major only, no kernel: the columns of the major answer together (no single column).
    [InlineData("CentOS Linux", "7", "rhel", "rhel-2025-7", null, GuestSupportBasis.SeriesAgrees, "CentOS 7")]
    [InlineData("CentOS Stream", "9", "rhel", "rhel-2025-10-9-8", "9.x", GuestSupportBasis.Documented, "CentOS Stream 9")]
    [InlineData("CentOS Stream", "8", "rhel", "rhel-2025-10-9-8", null, GuestSupportBasis.SeriesAgrees, "CentOS Stream 8")]
    [InlineData("CentOS Linux", "6.10", "rhel", null, null, GuestSupportBasis.None, "CentOS 6.10")]
    // AlmaLinux and Rocky Linux rebuild RHEL release for release: read on the CentOS / RHEL page
    [InlineData("Rocky Linux", "9.3", "rhel", "rhel-2025-10-9-8", "9.x", GuestSupportBasis.Documented, "Rocky Linux 9.3")]
    [InlineData("Rocky Linux", "8.9", "rhel", "rhel-2025-10-9-8", "8.1-8.6+", GuestSupportBasis.Documented, "Rocky Linux 8.9")]
    // Debian: VERSION_ID is the major release only; 10 has one column, 10.0-10.3, which answers alone
    [InlineData("Debian GNU/Linux", "11", "debian", "debian-2023", "11", GuestSupportBasis.Documented, "Debian 11")]
    [InlineData("Debian GNU/Linux", "10", "debian", "debian-2023", "10.0-10.3", GuestSupportBasis.SeriesAgrees, "Debian 10")]
    [InlineData("Debian GNU/Linux", "13", "debian", null, null, GuestSupportBasis.None, "Debian 13")]
    // SUSE: service packs as 15-SP4, 15.4, 15 SP4; plain 15 is the GA release; SP5+ is in the "15 series"
    [InlineData("SLES", "15-SP4", "sles", "sles-2023", "15-sp1-sp4", GuestSupportBasis.Documented, "SLES 15 SP4")]
    [InlineData("SLES", "15.3", "sles", "sles-2023", "15-sp1-sp4", GuestSupportBasis.Documented, "SLES 15 SP3")]
    [InlineData("SLES", "15", "sles", "sles-2023", "15", GuestSupportBasis.Documented, "SLES 15")]
    [InlineData("SLES", "15-SP7", "sles", "sles-2023", "15-sp1-sp4", GuestSupportBasis.NewerThanDocumented, "SLES 15 SP7")]
    [InlineData("SUSE Linux Enterprise Server", "12.5", "sles", "sles-2023", "12-sp3-sp5", GuestSupportBasis.Documented, "SLES 12 SP5")]
    [InlineData("SLES", "11 SP3", "sles", "sles-2023", "11-sp3", GuestSupportBasis.Documented, "SLES 11 SP3")]
    [InlineData("SLES", "16.0", "sles", null, null, GuestSupportBasis.None, "SLES 16")]
    // Oracle Linux (RHCK columns 9.0 and 8.0-8.5); the generation page lists the whole 9.x and 8.x series
    [InlineData("Oracle Linux Server", "9.0", "oracle", "oracle-2025", "9.0-rhck", GuestSupportBasis.Documented, "Oracle Linux 9.0")]
    [InlineData("Oracle Linux Server", "8.4", "oracle", "oracle-2025", "8.0-8.5-rhck", GuestSupportBasis.Documented, "Oracle Linux 8.4")]
    [InlineData("Oracle Linux Server", "9.3", "oracle", "oracle-2025", "9.0-rhck", GuestSupportBasis.NewerThanDocumented, "Oracle Linux 9.3")]
    [InlineData("Oracle Linux Server", "8.8", "oracle", "oracle-2025", "8.0-8.5-rhck", GuestSupportBasis.NewerThanDocumented, "Oracle Linux 8.8")]
    [InlineData("Oracle Linux Server", "7.9", "oracle", null, null, GuestSupportBasis.None, "Oracle Linux 7.9")]
    // FreeBSD: the daemon's 13.2; a hand-filled 12.4-RELEASE-p5 still reads; 14.0 is on neither page
    [InlineData("FreeBSD", "12.4-RELEASE-p5", "freebsd", "freebsd-2025", "12.0-12.4", GuestSupportBasis.Documented, "FreeBSD 12.4-RELEASE-p5")]
    [InlineData("FreeBSD", "14.0", "freebsd", null, null, GuestSupportBasis.None, "FreeBSD 14.0")]
    // No Microsoft matrix: never guessed into RHEL or SLES
    [InlineData("Fedora Linux", "39", null, null, null, GuestSupportBasis.None, "Fedora Linux 39")]
    [InlineData("openSUSE Leap", "15.5", null, null, null, GuestSupportBasis.None, "openSUSE Leap 15.5")]
    public void Guests_map_to_a_family_and_a_current_column(string name, string version, string? family, string? table, string? column, GuestSupportBasis basis, string display)
    {
        var guest = Os(name, version);
        var place = _matrix.Identify(guest);
        Assert.Equal(family, guest.Family);
        Assert.Equal(display, guest.DisplayName);
        Assert.Equal(table, place.TableId);
        Assert.Equal(column, place.ColumnId);
        Assert.Equal(basis, place.Basis);
        Assert.Equal(basis != GuestSupportBasis.None, place.IsIdentified);
        if (!place.IsIdentified)
        {
            Assert.StartsWith(display + ": ", place.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Debian GNU/Linux", "13", "Debian 13: not documented on the Debian page (newer than every column it lists: 11 (Bullseye), 10.0-10.3 (Buster)), nor listed as a supported guest on Microsoft's VM generation page")]
    [InlineData("SUSE Linux Enterprise Server", "16.0", "SLES 16: not documented on the SUSE page (newer than every column it lists: SLES 15 SP1-SP4, SLES 15, SLES 12 SP3-SP5, SLES 12 SP2, SLES 12 SP1, SLES 11 SP4, SLES 11 SP3), nor listed as a supported guest on Microsoft's VM generation page")]
    [InlineData("FreeBSD", "14.0", "FreeBSD 14.0: not documented on the FreeBSD page (newer than every column it lists: 13.0-13.5, 12.0-12.4, 11.0-11.4), nor listed as a supported guest on Microsoft's VM generation page")]
    [InlineData("Ubuntu", "14.04", "Ubuntu 14.04: not documented on the Ubuntu page (older than every column it lists: 22.04 LTS, 20.04 LTS, 18.04 LTS, 16.04 LTS)")]
    [InlineData("Ubuntu", "21.10", "Ubuntu 21.10: not documented on the Ubuntu page (no column covers this release; columns: 22.04 LTS, 20.04 LTS, 18.04 LTS, 16.04 LTS)")]
    [InlineData("Fedora Linux", "39", "Fedora Linux 39: Microsoft publishes no Hyper-V support matrix for this distribution (pages exist for Ubuntu, CentOS / RHEL, Debian, SUSE, Oracle Linux, FreeBSD)")]
    public void Unplaced_guests_say_why(string name, string version, string reason)
    {
        var place = _matrix.Identify(Os(name, version));
        Assert.Equal(GuestSupportBasis.None, place.Basis);
        Assert.Equal(reason, place.Reason);
    }

    [Theory]
    // What the kernel's hv_kvp_daemon really sends: VERSION_ID as OSMajorVersion, the kernel in OSVersion/OSBuildNumber.
    [InlineData("Ubuntu", "5.15.0", "22.04", null, "5.15.0-91-generic", "ubuntu-2023", "22.04", "Ubuntu 22.04")]
    [InlineData("Red Hat Enterprise Linux", "5.14.0", "9.2", null, "5.14.0-284.11.1.el9_2.x86_64", "rhel-2025-10-9-8", "9.x", "RHEL 9.2")]
    [InlineData("CentOS Linux", "3.10.0", "7", null, "3.10.0-1160.el7.x86_64", "rhel-2025-7", "7.6-7.9", "CentOS 7")]
    [InlineData("SLES", "5.14.21", "15.4", null, "5.14.21-150400.24.46-default", "sles-2023", "15-sp1-sp4", "SLES 15 SP4")]
    // Reporters that split the version into major and minor.
    [InlineData("Red Hat Enterprise Linux", null, "9", "2", null, "rhel-2025-10-9-8", "9.x", "RHEL 9.2")]
    [InlineData("CentOS Linux", null, "7", "9", null, "rhel-2025-7", "7.6-7.9", "CentOS 7.9")]
    // A full CentOS release number is not a kernel when nothing else is reported.
    [InlineData("CentOS Linux", "7.9.2009", null, null, null, "rhel-2025-7", "7.6-7.9", "CentOS 7.9.2009")]
    // Guests without os-release: the lines of /etc/redhat-release and /etc/SuSE-release.
    [InlineData("CentOS release 6.10 (Final)", "2.6.32", null, null, "2.6.32-754.el6.x86_64", null, null, "CentOS 6.10")]
    [InlineData("SUSE Linux Enterprise Server 11 (x86_64)", "3.0.101", "VERSION = 11", "PATCHLEVEL = 4", "3.0.101-63-default", "sles-2023", "11-sp4", "SLES 11 SP4")]
    // FreeBSD's daemon: the uname release cut at '-' as OSVersion and OSBuildNumber, no OSMajorVersion.
    [InlineData("FreeBSD", "13.2", null, null, "13.2", "freebsd-2025", "13.0-13.5", "FreeBSD 13.2")]
    [InlineData("FreeBSD", null, null, null, "13.2", "freebsd-2025", "13.0-13.5", "FreeBSD 13.2")]
    public void Real_daemon_item_shapes_are_understood(string name, string? version, string? major, string? minor, string? build, string? table, string? column, string display)
    {
        var guest = Os(name, version, major, minor, build);
        var place = _matrix.Identify(guest);
        Assert.Equal(display, guest.DisplayName);
        Assert.Equal(table, place.TableId);
        Assert.Equal(column, place.ColumnId);
    }

    [Fact]
    public void Oracle_uek_guests_are_not_read_from_the_rhck_columns()
    {
        var place = _matrix.Identify(Os("Oracle Linux Server", null, "9.0", null, "5.15.0-200.131.27.el9uek.x86_64"));
        Assert.False(place.IsIdentified);
        Assert.Equal("Oracle Linux 9.0: the Oracle Linux page covers the Red Hat Compatible Kernel only, and this guest runs 5.15.0-200.131.27.el9uek.x86_64", place.Reason);
    }

    [Fact]
    public void From_kvp_reads_the_intrinsic_items_and_needs_an_os_name()
    {
        var guest = GuestOperatingSystem.FromKvp(new Dictionary<string, string>
        {
            ["OSName"] = "Ubuntu",
            ["osversion"] = "22.04",
            ["OSBuildNumber"] = "5.15.0-91-generic",
            ["FullyQualifiedDomainName"] = "web01",
        });
        Assert.NotNull(guest);
        Assert.Equal("ubuntu", guest!.Family);
        Assert.Equal("22.04", guest.Version);
        Assert.Equal("5.15.0-91-generic", guest.BuildNumber);
        Assert.Equal("Ubuntu 22.04", guest.ToString());

        Assert.Null(GuestOperatingSystem.FromKvp(new Dictionary<string, string> { ["OSVersion"] = "22.04" }));
        Assert.Null(GuestOperatingSystem.FromKvp(new Dictionary<string, string> { ["OSName"] = "  " }));
    }

    [Fact]
    public void A_guest_without_a_version_is_unknown_and_says_so()
    {
        var result = _matrix.Evaluate(Feature("heartbeat"), Os("Ubuntu", null), null);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.StartsWith("Ubuntu: the guest reported no version to look up on the Ubuntu page", result.Reason, StringComparison.Ordinal);
    }

    // ---- evaluation ----

    [Fact]
    public void Null_guest_is_unknown()
    {
        var result = _matrix.Evaluate(Feature("kvp"), null, FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.Equal("guest did not report its OS (KVP intrinsic items unavailable)", result.Reason);
        Assert.Null(result.TableId);
    }

    [Fact]
    public void Ubuntu_kvp_is_supported_with_notes_5_and_9()
    {
        var result = _matrix.Evaluate(Feature("kvp"), Os("Ubuntu", "22.04"), null);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.Equal(GuestSupportBasis.Documented, result.Basis);
        Assert.Equal("Ubuntu 22.04 (Ubuntu page, column 22.04 LTS): supported (notes 5, 9)", result.Reason);
        Assert.Equal("ubuntu-2023", result.TableId);
        Assert.Equal("22.04", result.ColumnId);
        Assert.Equal("22.04 LTS", result.ColumnLabel);
        Assert.Equal(new[] { 5, 9 }, result.NoteNumbers);
        Assert.Equal(2, result.Notes.Count);
        Assert.StartsWith("Note 5: On LTS releases", result.Notes[0], StringComparison.Ordinal);
        Assert.StartsWith("Note 9: ", result.Notes[1], StringComparison.Ordinal);
        Assert.Contains(result.Caveats, c => c.StartsWith("On WS 2012 R2/2016/2019, KVP may need", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("integrated-shutdown")]
    [InlineData("heartbeat")]
    [InlineData("hv-network-device")]
    public void Core_features_read_the_core_row(string id)
    {
        var result = _matrix.Evaluate(Feature(id), Os("FreeBSD", "13.2"), null);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.Equal("FreeBSD 13.2 (FreeBSD page, column 13.0-13.5): supported", result.Reason);
    }

    [Fact]
    public void Lro_on_linux_is_not_documented_rather_than_not_supported()
    {
        var result = _matrix.Evaluate(Feature("lro"), Os("Ubuntu", "22.04"), null);
        Assert.Equal(GuestSupport.Unknown, result.Status);
        Assert.Equal(GuestSupportBasis.None, result.Basis);
        Assert.Equal("Ubuntu 22.04: Large Receive Offload is not documented on the Ubuntu page", result.Reason);
        Assert.Equal("ubuntu-2023", result.TableId);

        Assert.Equal(GuestSupport.Unknown, _matrix.Evaluate(Feature("lro"), Os("Red Hat Enterprise Linux", "9.2"), null).Status);
        Assert.Equal(GuestSupport.Supported, _matrix.Evaluate(Feature("lro"), Os("FreeBSD", "13.2"), null).Status);
    }

    [Fact]
    public void Debian_static_ip_injection_is_not_supported()
    {
        var result = _matrix.Evaluate(Feature("static-ip-injection"), Os("Debian GNU/Linux", "11"), null);
        Assert.Equal(GuestSupport.NotSupported, result.Status);
        Assert.Equal("Debian 11 (Debian page, column 11 (Bullseye)): not supported (cell '-')", result.Reason);
        Assert.Equal("debian-2023", result.TableId);
    }

    [Fact]
    public void Debian_12_is_read_from_the_newest_column_and_says_so()
    {
        var result = _matrix.Evaluate(Feature("static-ip-injection"), Os("Debian GNU/Linux", "12"), null);
        Assert.Equal(GuestSupport.NotSupported, result.Status);
        Assert.Equal(GuestSupportBasis.NewerThanDocumented, result.Basis);
        Assert.Equal("Debian 12 (Debian page, newest column 11 (Bullseye): the page predates this release; Microsoft's VM generation page lists Debian 12.x (Bookworm) as a supported guest): not supported (cell '-')", result.Reason);
        Assert.Equal("debian-2023", result.TableId);
        Assert.Equal("11", result.ColumnId);
    }

    [Fact]
    public void AlmaLinux_is_read_on_the_rhel_page_as_the_release_it_rebuilds()
    {
        var result = _matrix.Evaluate(Feature("heartbeat"), Os("AlmaLinux", "9.3"), FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.Equal(GuestSupportBasis.Documented, result.Basis);
        Assert.Equal("AlmaLinux 9.3 (CentOS / RHEL page, column 9.x, as the RHEL release it rebuilds): supported", result.Reason);
    }

    [Theory]
    // 7.6-7.9 [Built in]
    [InlineData("7.9", "lsvmbus", GuestSupport.NotSupported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): not supported (cell '-')")]
    [InlineData("7.9", "runtime-memory-resize", GuestSupport.NotSupported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): not supported (cell '-')")]
    [InlineData("7.9", "scsi-wwn", GuestSupport.Supported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): supported")]
    [InlineData("7.9", "kvp", GuestSupport.Supported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): supported (note 4)")]
    [InlineData("7.9", "dm-hot-add", GuestSupport.Supported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): supported (notes 8, 9, 10)")]
    [InlineData("7.9", "pae", GuestSupport.NotSupported, "7.6-7.9", "CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): not applicable (cell 'N/A')")]
    // 7.5 [Built in], not the 7.5-7.7 [LIS 4.3] column: SCSI WWN differs between them.
    [InlineData("7.5", "scsi-wwn", GuestSupport.NotSupported, "7.5", "CentOS 7.5 (CentOS / RHEL page, column 7.5 [Built in]): not supported (cell '-')")]
    [InlineData("7.3", "accurate-time", GuestSupport.NotSupported, "7.3", "CentOS 7.3 (CentOS / RHEL page, column 7.3 [Built in]): not supported (cell '-')")]
    [InlineData("7.4", "accurate-time", GuestSupport.Supported, "7.4", "CentOS 7.4 (CentOS / RHEL page, column 7.4 [Built in]): supported")]
    // Erratum rhel-7-file-copy-short-row: the 7.0 [Built in] cell is '?'.
    [InlineData("7.0", "file-copy", GuestSupport.Unknown, "7.0", "CentOS 7.0 (CentOS / RHEL page, column 7.0 [Built in]): cannot be determined (cell '?': the source row has fewer cells than the header)")]
    [InlineData("7.1", "file-copy", GuestSupport.Supported, "7.1", "CentOS 7.1 (CentOS / RHEL page, column 7.1 [Built in]): supported (note 4)")]
    public void Rhel_7_columns(string version, string id, GuestSupport status, string column, string reason)
    {
        var result = _matrix.Evaluate(Feature(id), Os("CentOS Linux", version), null);
        Assert.Equal(status, result.Status);
        Assert.Equal("rhel-2025-7", result.TableId);
        Assert.Equal(column, result.ColumnId);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData("Red Hat Enterprise Linux", "9.2", "pae", GuestSupport.NotSupported, "RHEL 9.2 (CentOS / RHEL page, column 9.x): not supported (cell '-')")]
    [InlineData("Red Hat Enterprise Linux", "8.4", "pae", GuestSupport.NotSupported, "RHEL 8.4 (CentOS / RHEL page, column 8.1-8.6+): not applicable (cell 'N/A')")]
    [InlineData("Red Hat Enterprise Linux", "9.2", "sr-iov", GuestSupport.Supported, "RHEL 9.2 (CentOS / RHEL page, column 9.x): supported")]
    [InlineData("SLES", "15-SP4", "pae", GuestSupport.NotSupported, "SLES 15 SP4 (SUSE page, column SLES 15 SP1-SP4): not applicable (cell 'N/A')")]
    [InlineData("SLES", "11 SP3", "tso-cso", GuestSupport.NotSupported, "SLES 11 SP3 (SUSE page, column SLES 11 SP3): not supported (cell '-')")]
    [InlineData("SLES", "12.2", "dm-hot-add", GuestSupport.Supported, "SLES 12 SP2 (SUSE page, column SLES 12 SP2): supported (note 6)")]
    [InlineData("FreeBSD", "13.2", "virtual-fc", GuestSupport.NotSupported, "FreeBSD 13.2 (FreeBSD page, column 13.0-13.5): not supported (cell '-') (note 1)")]
    [InlineData("FreeBSD", "11.4", "kvp", GuestSupport.Supported, "FreeBSD 11.4 (FreeBSD page, column 11.0-11.4): supported")]
    [InlineData("Oracle Linux Server", "8.4", "live-backup", GuestSupport.Supported, "Oracle Linux 8.4 (Oracle Linux page, column 8.0-8.5 (RHCK)): supported (note 3)")]
    [InlineData("Ubuntu", "20.04", "uefi-boot", GuestSupport.Supported, "Ubuntu 20.04 (Ubuntu page, column 20.04 LTS): supported (notes 10, 11)")]
    [InlineData("Ubuntu", "22.04", "uefi-boot", GuestSupport.Supported, "Ubuntu 22.04 (Ubuntu page, column 22.04 LTS): supported")]
    // Erratum rhel-2025-notes-16-17: note 17 is referenced but no longer defined.
    [InlineData("Red Hat Enterprise Linux", "9.2", "uefi-boot", GuestSupport.Supported, "RHEL 9.2 (CentOS / RHEL page, column 9.x): supported (notes 14, 17; 17 not defined on the page)")]
    // Erratum freebsd-2025-note-6, plus the Storage section header's note 1.
    [InlineData("FreeBSD", "13.2", "vhdx-resize", GuestSupport.Supported, "FreeBSD 13.2 (FreeBSD page, column 13.0-13.5): supported (notes 6, 1; 6 not defined on the page)")]
    public void Concrete_cells(string name, string version, string id, GuestSupport status, string reason)
    {
        var result = _matrix.Evaluate(Feature(id), Os(name, version), null);
        Assert.Equal(status, result.Status);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Undefined_notes_have_numbers_but_no_text()
    {
        var result = _matrix.Evaluate(Feature("uefi-boot"), Os("Red Hat Enterprise Linux", "9.2"), null);
        Assert.Equal(new[] { 14, 17 }, result.NoteNumbers);
        Assert.Single(result.Notes);
        Assert.StartsWith("Note 14: Gen2 VMs have Secure Boot on by default", result.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Vcpu_gt_256_row_is_on_the_rhel_page_only()
    {
        var rhel = _matrix.EvaluateRow("vcpu-gt-256", "vcpu-gt-256", ">256 vCPUs", Os("CentOS Linux", "7.9"), null);
        Assert.Equal(GuestSupport.Supported, rhel.Status);
        Assert.Equal("CentOS 7.9 (CentOS / RHEL page, column 7.6-7.9 [Built in]): supported (note 16; 16 not defined on the page)", rhel.Reason);

        var ubuntu = _matrix.EvaluateRow("vcpu-gt-256", "vcpu-gt-256", ">256 vCPUs", Os("Ubuntu", "22.04"), null);
        Assert.Equal(GuestSupport.Unknown, ubuntu.Status);
        Assert.Equal("Ubuntu 22.04: >256 vCPUs is not documented on the Ubuntu page", ubuntu.Reason);
    }

    [Fact]
    public void Host_below_the_page_floor_is_evaluated_from_the_cell_and_said()
    {
        var result = _matrix.Evaluate(Feature("sr-iov"), Os("Red Hat Enterprise Linux", "9.2"), FeatureCatalog.WindowsServer2012R2);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.True(result.HostOutsidePage);
        Assert.Equal("RHEL 9.2 (CentOS / RHEL page, column 9.x): supported; Windows Server 2012 R2 is outside the hosts the CentOS / RHEL page lists (Windows Server 2016 to Windows Server 2025)", result.Reason);
    }

    [Fact]
    public void Debian_host_cells_stop_at_2019_per_the_errata()
    {
        var result = _matrix.Evaluate(Feature("heartbeat"), Os("Debian GNU/Linux", "11"), FeatureCatalog.WindowsServer2022);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.True(result.HostOutsidePage);
        Assert.EndsWith("(Windows Server 2012 R2 to Windows Server 2019)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_inside_the_page_range_adds_nothing()
    {
        var result = _matrix.Evaluate(Feature("kvp"), Os("Ubuntu", "22.04"), FeatureCatalog.WindowsServer2022);
        Assert.False(result.HostOutsidePage);
        Assert.Equal("Ubuntu 22.04 (Ubuntu page, column 22.04 LTS): supported (notes 5, 9)", result.Reason);
    }

    [Fact]
    public void Host_minimum_of_the_feature_is_not_checked_here()
    {
        // Accurate time needs WS 2016 (HostSupported); the matrix cell alone decides GuestSupport.
        var result = _matrix.Evaluate(Feature("accurate-time"), Os("Ubuntu", "22.04"), FeatureCatalog.WindowsServer2012R2);
        Assert.Equal(GuestSupport.Supported, result.Status);
        Assert.False(result.HostOutsidePage);
    }

    [Fact]
    public void Rhel_8_5_on_a_host_older_than_2019_carries_the_requirement()
    {
        var old = _matrix.Evaluate(Feature("heartbeat"), Os("Red Hat Enterprise Linux", "8.5"), FeatureCatalog.WindowsServer2016);
        Assert.Equal(GuestSupport.Supported, old.Status);
        Assert.EndsWith("; requirement: RHEL 8.5 guests require WS 2019 or later, or Azure Stack HCI / Azure Local 20H2 or later.", old.Reason, StringComparison.Ordinal);

        var current = _matrix.Evaluate(Feature("heartbeat"), Os("Red Hat Enterprise Linux", "8.5"), FeatureCatalog.WindowsServer2019);
        Assert.Equal("RHEL 8.5 (CentOS / RHEL page, column 8.1-8.6+): supported", current.Reason);
    }

    [Fact]
    public void Caveats_come_from_the_guest_family_notes_only()
    {
        var debian = _matrix.Evaluate(Feature("file-copy"), Os("Debian GNU/Linux", "11"), null);
        Assert.Contains(debian.Caveats, c => c.StartsWith("The guest needs the daemons package", StringComparison.Ordinal));

        var ubuntu = _matrix.Evaluate(Feature("file-copy"), Os("Ubuntu", "22.04"), null);
        Assert.Empty(ubuntu.Caveats);
    }

    [Fact]
    public void Every_feature_on_every_current_column_follows_its_cell()
    {
        foreach (var table in _matrix.Tables.Where(t => t.Current))
        {
            foreach (var column in table.Columns!)
            {
                var place = SupportMatrix.PlaceIn(table, column, "Guest");
                foreach (var feature in FeatureCatalog.Features)
                {
                    var expected = !table.Rows!.Contains(feature.MatrixRow)
                        ? GuestSupport.Unknown
                        : table.Cells![feature.MatrixRow][column.Id].Status switch
                        {
                            "yes" => GuestSupport.Supported,
                            "no" or "na" => GuestSupport.NotSupported,
                            _ => GuestSupport.Unknown,
                        };
                    var result = _matrix.EvaluatePlaced(place, feature.Id, feature.MatrixRow, feature.Name, FeatureCatalog.WindowsServer2022);
                    Assert.Equal(expected, result.Status);
                    Assert.Equal(expected == GuestSupport.Unknown ? GuestSupportBasis.None : GuestSupportBasis.Documented, result.Basis);
                    Assert.Equal(table.Id, result.TableId);
                    Assert.Equal(column.Id, result.ColumnId);
                    Assert.StartsWith("Guest: ", result.Reason, StringComparison.Ordinal);
                }
            }
        }
    }
}
