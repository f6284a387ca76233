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
    [InlineData(32779u, "Unknown return code")]
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

    [Fact]
    public void States_have_names()
    {
        Assert.Equal("Running", JobStates.Describe(JobStates.Running));
        Assert.Equal("Completed with warnings", JobStates.Describe(JobStates.CompletedWithWarnings));
        Assert.Equal("Unknown (12)", JobStates.Describe(12));
    }
}
