using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Tests.Cim;

public class ReturnCodesTests
{
    [Theory]
    [InlineData(0u, "Completed with No Error")]
    [InlineData(4096u, "Method Parameters Checked - Job Started")]
    [InlineData(32768u, "Failed")]
    [InlineData(32769u, "Access Denied")]
    [InlineData(32770u, "Not Supported")]
    [InlineData(32771u, "Status is unknown")]
    [InlineData(32772u, "Timeout")]
    [InlineData(32773u, "Invalid parameter")]
    [InlineData(32774u, "System is in use")]
    [InlineData(32775u, "Invalid state for this operation")]
    [InlineData(32776u, "Incorrect data type")]
    [InlineData(32777u, "System is not available")]
    [InlineData(32778u, "Out of memory")]
    [InlineData(32779u, "Not found")]
    [InlineData(32780u, "Unknown return code")]
    public void Every_documented_code_has_its_meaning(uint code, string meaning)
        => Assert.Equal(meaning, ReturnCodes.Describe(code));

    [Theory]
    [InlineData(JobStates.New)]
    [InlineData(JobStates.Starting)]
    [InlineData(JobStates.Running)]
    [InlineData(JobStates.Suspended)]
    [InlineData(JobStates.ShuttingDown)]
    [InlineData((ushort)0)]
    [InlineData((ushort)12)]
    [InlineData((ushort)32769)]
    public void Unfinished_and_unknown_states_are_pending(ushort state)
        => Assert.Equal(JobStateClass.Pending, JobStates.Classify(state));

    [Theory]
    [InlineData(JobStates.Completed)]
    [InlineData(JobStates.CompletedWithWarnings)]
    public void Completed_states_succeed(ushort state)
        => Assert.Equal(JobStateClass.Succeeded, JobStates.Classify(state));

    [Theory]
    [InlineData(JobStates.Terminated)]
    [InlineData(JobStates.Killed)]
    [InlineData(JobStates.Exception)]
    [InlineData(JobStates.Service)]
    public void Ended_without_success_states_fail(ushort state)
        => Assert.Equal(JobStateClass.Failed, JobStates.Classify(state));

    [Theory]
    [InlineData(JobStates.Completed, (ushort)0, JobStateClass.Succeeded)]
    [InlineData(JobStates.Completed, (ushort)32768, JobStateClass.Failed)]
    [InlineData(JobStates.CompletedWithWarnings, (ushort)5, JobStateClass.Failed)]
    [InlineData(JobStates.Running, (ushort)5, JobStateClass.Pending)]
    [InlineData(JobStates.Exception, (ushort)0, JobStateClass.Failed)]
    public void A_finished_job_with_a_non_zero_error_code_failed(ushort state, ushort errorCode, object expected)
        => Assert.Equal((JobStateClass)expected, JobStates.Classify(state, errorCode));

    [Fact]
    public void A_missing_error_code_leaves_the_state_to_decide()
        => Assert.Equal(JobStateClass.Succeeded, JobStates.Classify(JobStates.Completed, null));

    [Theory]
    [InlineData(0u, "Completed with No Error")]
    [InlineData(1u, "Not Supported")]
    [InlineData(4u, "Failed")]
    [InlineData(5u, "Invalid Parameter")]
    [InlineData(4096u, "Method Parameters Checked - Transition Started")]
    [InlineData(4097u, "Invalid State Transition")]
    [InlineData(32768u, "Unknown return code")]
    public void Job_state_requests_have_their_own_documented_codes(uint code, string meaning)
        => Assert.Equal(meaning, JobRequests.Describe(code));

    [Fact]
    public void KVP_not_found_is_a_NotFound_refusal()
        => Assert.Equal(FailureKind.NotFound, ReturnCodes.KindOf(ReturnCodes.NotFound));

    [Fact]
    public void States_have_names()
    {
        Assert.Equal("Running", JobStates.Describe(JobStates.Running));
        Assert.Equal("Completed with warnings", JobStates.Describe(JobStates.CompletedWithWarnings));
        Assert.Equal("Unknown (12)", JobStates.Describe(12));
    }
}
