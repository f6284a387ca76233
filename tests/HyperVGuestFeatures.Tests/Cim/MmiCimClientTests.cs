using System.IO;
using System.Management.Automation;
using System.Security;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Cim.Mmi;
using Microsoft.Management.Infrastructure;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>
/// What of the MMI client can run without libmi: the platform mapping (on Linux and macOS) and the
/// conversion and classification rules, which are written over module types and MMI enums.
/// </summary>
public class MmiCimClientTests
{
    private const string Secret = "S3cret-Pa55!";

    [Fact]
    public void Connecting_without_libmi_is_CimUnavailableOnPlatform_and_leaks_no_credential()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has MMI; the mapping is for platforms without it.
        }

        using var password = new SecureString();
        foreach (var c in Secret)
        {
            password.AppendChar(c);
        }

        var failure = Assert.Throws<GuestFeatureException>(() => MmiConnection.Connect("hv01.contoso.com", @"CONTOSO\hvadmin", password));

        Assert.Equal("CimUnavailableOnPlatform", failure.ErrorId);
        Assert.Equal(FailureKind.NotInstalled, failure.Kind);
        Assert.True(failure.InnerException is DllNotFoundException or TypeInitializationException, failure.InnerException?.GetType().FullName);
        Assert.Equal("hv01.contoso.com", failure.Target);
        Assert.Contains("hv01.contoso.com", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Start-HyperVSimulator", failure.RecommendedAction, StringComparison.Ordinal);
        var everything = failure.ToString();
        Assert.DoesNotContain("hvadmin", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Connecting_to_the_local_computer_without_libmi_names_this_computer()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var failure = Assert.Throws<GuestFeatureException>(() => MmiConnection.Connect("localhost"));

        Assert.Equal("CimUnavailableOnPlatform", failure.ErrorId);
        Assert.Equal(Environment.MachineName, failure.Target);
    }

    [Fact]
    public void A_user_name_needs_a_password()
        => Assert.Throws<ArgumentNullException>(() => MmiConnection.Connect("hv01", "admin", null));

    [Fact]
    public void A_session_argument_must_be_a_CimSession()
    {
        Assert.Throws<ArgumentException>(() => MmiConnection.FromSession("hv01"));
        Assert.Throws<ArgumentException>(() => MmiConnection.ComputerNameOf(42));
    }

    [Theory]
    [InlineData(@"CONTOSO\admin", "CONTOSO", "admin")]
    [InlineData("admin@contoso.com", null, "admin@contoso.com")]
    [InlineData("admin", null, "admin")]
    [InlineData(@"\admin", null, "admin")]
    public void User_names_split_into_domain_and_user(string userName, string? domain, string user)
        => Assert.Equal((domain, user), MmiConnection.SplitUserName(userName));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData(" . ", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("hv01", false)]
    public void Local_names_are_recognised(string? name, bool local)
        => Assert.Equal(local, MmiConnection.IsLocal(name));

    [Fact]
    public void This_computers_name_is_local()
        => Assert.True(MmiConnection.IsLocal(Environment.MachineName.ToLowerInvariant()));

    [Theory]
    [InlineData("x", CimType.String)]
    [InlineData(true, CimType.Boolean)]
    [InlineData((ushort)4, CimType.UInt16)]
    [InlineData(4u, CimType.UInt32)]
    [InlineData(4ul, CimType.UInt64)]
    [InlineData(4, CimType.SInt32)]
    [InlineData(4L, CimType.SInt64)]
    [InlineData((byte)4, CimType.UInt8)]
    public void Primitive_parameters_keep_their_CIM_type(object value, CimType type)
        => Assert.Equal(type, MmiValues.CimTypeOf(value));

    [Fact]
    public void Arrays_references_and_times_map_to_their_CIM_types()
    {
        var job = CimInstancePath.ForKey(CimNamespaces.Virtualization, "Msvm_ConcreteJob", "InstanceID", "1");
        Assert.Equal(CimType.StringArray, MmiValues.CimTypeOf(new[] { "<INSTANCE/>" }));
        Assert.Equal(CimType.UInt16Array, MmiValues.CimTypeOf(new ushort[] { 2 }));
        Assert.Equal(CimType.Reference, MmiValues.CimTypeOf(job));
        Assert.Equal(CimType.ReferenceArray, MmiValues.CimTypeOf(new[] { job }));
        Assert.Equal(CimType.DateTime, MmiValues.CimTypeOf(TimeSpan.FromSeconds(1)));
        Assert.Equal(CimType.DateTime, MmiValues.CimTypeOf(DateTime.UtcNow));
    }

    [Fact]
    public void Values_of_other_types_are_refused()
        => Assert.Throws<ArgumentException>(() => MmiValues.CimTypeOf(new object()));

    [Theory]
    [InlineData("root/virtualization/v2", @"root\virtualization\v2")]
    [InlineData(@"root\cimv2", @"root\cimv2")]
    [InlineData(null, @"root\virtualization\v2")]
    [InlineData("", @"root\virtualization\v2")]
    public void Namespaces_are_spelled_with_backslashes(string? reported, string expected)
        => Assert.Equal(expected, MmiValues.NormalizeNamespace(reported, CimNamespaces.Virtualization));

    [Fact]
    public void A_reference_keeps_its_flagged_keys()
    {
        var keys = MmiValues.KeysOf(new (string, object?, bool)[]
        {
            ("CreationClassName", "Msvm_ComputerSystem", true),
            ("Name", "5A1F", true),
            ("ElementName", "web", false),
        });

        Assert.Equal(new[] { "CreationClassName", "Name" }, keys.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void A_key_only_reference_without_flags_uses_its_set_properties()
    {
        var keys = MmiValues.KeysOf(new (string, object?, bool)[] { ("InstanceID", "J1", false), ("Other", null, false) });

        Assert.Equal("J1", Assert.Single(keys).Value);
    }

    [Theory]
    [InlineData(NativeErrorCode.AccessDenied, ErrorCategory.NotSpecified, null, "AccessDenied", FailureKind.AccessDenied)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.PermissionDenied, null, "AccessDenied", FailureKind.AccessDenied)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.AuthenticationError, "HRESULT 0x8009030e", "AccessDenied", FailureKind.AccessDenied)]
    [InlineData(NativeErrorCode.NotFound, ErrorCategory.NotSpecified, null, "CimInstanceNotFound", FailureKind.NotFound)]
    [InlineData(NativeErrorCode.InvalidClass, ErrorCategory.NotSpecified, null, "CimInvalidClass", FailureKind.NotSupported)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.ConnectionError, "HRESULT 0x80338012", "HostUnreachable", FailureKind.HostUnreachable)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.NotSpecified, "HRESULT 0x80338012", "HostUnreachable", FailureKind.HostUnreachable)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.NotSpecified, "HRESULT 0x800706ba", "HostUnreachable", FailureKind.HostUnreachable)]
    [InlineData(NativeErrorCode.InvalidNamespace, ErrorCategory.NotSpecified, null, "HostUnreachable", FailureKind.HostUnreachable)]
    [InlineData(NativeErrorCode.ServerIsShuttingDown, ErrorCategory.NotSpecified, null, "HostUnreachable", FailureKind.HostUnreachable)]
    [InlineData(NativeErrorCode.Failed, ErrorCategory.NotSpecified, null, "CimOperationFailed", FailureKind.OperationFailed)]
    [InlineData(NativeErrorCode.InvalidQuery, ErrorCategory.NotSpecified, null, "CimOperationFailed", FailureKind.OperationFailed)]
    public void Cim_errors_are_classified(NativeErrorCode code, ErrorCategory category, string? messageId, string errorId, object kind)
        => Assert.Equal((errorId, (FailureKind)kind), MmiErrors.Classify(code, category, messageId));

    [Fact]
    public void Missing_native_or_managed_MMI_is_recognised()
    {
        Assert.True(MmiErrors.IsPlatformMissing(new DllNotFoundException("libmi")));
        Assert.True(MmiErrors.IsPlatformMissing(new EntryPointNotFoundException()));
        Assert.True(MmiErrors.IsPlatformMissing(new TypeInitializationException("Microsoft.Management.Infrastructure.Native.ApplicationMethods", null)));
        Assert.True(MmiErrors.IsPlatformMissing(new TypeInitializationException("Other", new DllNotFoundException("libmi"))));
        Assert.True(MmiErrors.IsPlatformMissing(new FileNotFoundException("missing", "Microsoft.Management.Infrastructure, Version=1.0.0.0")));

        // With libmi installed on Linux or macOS (PSWSMan), the platform's MMI throws these instead (issue 8 item 7).
        Assert.True(MmiErrors.IsPlatformMissing(new NotImplementedException()));
        Assert.True(MmiErrors.IsPlatformMissing(new System.Resources.MissingManifestResourceException("Microsoft.Management.Infrastructure.Strings")));
        Assert.True(MmiErrors.IsPlatformMissing(new TypeInitializationException("Microsoft.Management.Infrastructure.Native.MI", new NotImplementedException())));
        Assert.False(MmiErrors.IsPlatformMissing(new TypeInitializationException("Other", new InvalidOperationException())));
        Assert.False(MmiErrors.IsPlatformMissing(new FileNotFoundException("missing", "/tmp/file.iso")));
        Assert.False(MmiErrors.IsPlatformMissing(new InvalidOperationException()));
    }

    [Fact]
    public void The_unavailable_error_says_what_works_here_and_never_simulates_the_real_host()
    {
        var failure = MmiErrors.Unavailable("hv01.contoso.com", new DllNotFoundException());

        // What to do on this platform: Windows for the real host, or the simulator under this computer's name.
        Assert.Contains("Windows", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("Start-HyperVSimulator", failure.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains("without -ComputerName", failure.RecommendedAction, StringComparison.Ordinal);

        // Never a simulator named after the host the user meant to reach: it would pass for that host.
        Assert.DoesNotContain("hv01", failure.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("-ComputerName 'hv01", failure.Message, StringComparison.OrdinalIgnoreCase);
    }
}
