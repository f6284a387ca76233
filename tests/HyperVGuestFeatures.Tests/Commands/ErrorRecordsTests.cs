using System.Management.Automation;
using HyperVGuestFeatures.Commands;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>Issue 10 item 9: in a run over several hosts every error record names its host.</summary>
public class ErrorRecordsTests
{
    private static GuestFeatureException JobFailed() => new("CimJobFailed", FailureKind.AccessDenied, "web", "The Hyper-V job for AddKvpItems on 'web' failed.")
    {
        RecommendedAction = "Check your rights.",
        ProviderCode = 32769,
    };

    [Fact]
    public void With_several_hosts_the_message_and_the_target_name_the_host()
    {
        var failure = JobFailed();
        failure.Data["AppliedKeys"] = new[] { "a" };

        var record = ErrorRecords.From(failure, "hv02");

        Assert.Equal("Host 'hv02': The Hyper-V job for AddKvpItems on 'web' failed.", record.Exception.Message);
        Assert.Equal("CimJobFailed", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, record.CategoryInfo.Category);
        var target = Assert.IsType<PSObject>(record.TargetObject);
        Assert.Equal("web", target.BaseObject);
        Assert.Equal("hv02", target.Properties["ComputerName"].Value);
        Assert.Equal("web", record.CategoryInfo.TargetName);
        Assert.Equal("Check your rights.", record.ErrorDetails.RecommendedAction);
        var exception = Assert.IsType<GuestFeatureException>(record.Exception);
        Assert.Equal(32769u, exception.ProviderCode);
        Assert.Equal(new[] { "a" }, exception.Data["AppliedKeys"]);
        Assert.Same(failure, exception.InnerException);
    }

    [Fact]
    public void A_message_that_names_the_host_already_is_not_prefixed()
    {
        var failure = new GuestFeatureException("VMNotFound", FailureKind.NotFound, "ghost", "No virtual machine named 'ghost' was found on host 'hv02'.");
        Assert.Equal(failure.Message, ErrorRecords.From(failure, "hv02").Exception.Message);
    }

    [Fact]
    public void A_host_failure_keeps_the_host_as_its_target()
    {
        var failure = new GuestFeatureException("HostUnreachable", FailureKind.HostUnreachable, "hv02", "Cannot connect.");
        Assert.Equal("hv02", ErrorRecords.From(failure, "hv02").TargetObject);
    }

    [Fact]
    public void With_one_host_the_record_is_unchanged()
    {
        var record = ErrorRecords.From(JobFailed(), null);
        Assert.Equal("web", record.TargetObject);
        Assert.StartsWith("The Hyper-V job", record.Exception.Message, StringComparison.Ordinal);
    }
}
