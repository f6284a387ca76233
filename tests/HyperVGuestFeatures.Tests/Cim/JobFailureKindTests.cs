using HyperVGuestFeatures.Cim;
using static HyperVGuestFeatures.Tests.Cim.FakeJobProvider;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>Issue 10 item 9: a failed job is reported with the kind (and so the category) of its ErrorCode.</summary>
public class JobFailureKindTests
{
    private static readonly JobWaitOptions Fast = new() { InitialPollDelay = TimeSpan.FromMilliseconds(1), MaxPollDelay = TimeSpan.FromMilliseconds(1) };

    [Theory]
    [InlineData((ushort)32769, FailureKind.AccessDenied)]
    [InlineData((ushort)32770, FailureKind.NotSupported)]
    [InlineData((ushort)32773, FailureKind.InvalidArgument)]
    [InlineData((ushort)32775, FailureKind.InvalidState)]
    [InlineData((ushort)32768, FailureKind.OperationFailed)]
    [InlineData(null, FailureKind.OperationFailed)]
    public void A_failed_job_takes_the_kind_of_its_error_code(ushort? errorCode, object kind)
    {
        var provider = new FakeJobProvider(Job(JobStates.Exception, errorCode: errorCode, description: "refused"));

        var failure = Assert.Throws<GuestFeatureException>(() => new JobWaiter(provider, Fast, new FakeClock()).Wait("AddKvpItems", "vm", Started(), CancellationToken.None));

        Assert.Equal("CimJobFailed", failure.ErrorId);
        Assert.Equal((FailureKind)kind, failure.Kind);
    }
}
