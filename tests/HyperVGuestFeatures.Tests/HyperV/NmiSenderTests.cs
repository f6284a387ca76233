using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class NmiSenderTests
{
    [Theory]
    [InlineData(VMState.Off)]
    [InlineData(VMState.Saved)]
    [InlineData(VMState.Paused)]
    [InlineData(VMState.Starting)]
    [InlineData(VMState.Saving)]
    public void Only_a_running_vm_takes_an_nmi(VMState state)
    {
        var failure = NmiSender.Check(GuestServiceCheckTests.Vm(state, "suse-off"));
        Assert.Equal("VMNotRunning", failure!.ErrorId);
        Assert.Equal("suse-off", failure.Target);
        Assert.Contains("non-maskable interrupt", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(failure.RecommendedAction);
    }

    [Fact]
    public void A_running_vm_passes_the_check()
        => Assert.Null(NmiSender.Check(GuestServiceCheckTests.Vm()));

    [Fact]
    public void The_nmi_is_injected_on_the_vms_path_and_its_job_waited_on()
    {
        var client = new FakeMethodClient();
        var vm = GuestServiceCheckTests.Vm(name: "ubuntu-web");
        var before = DateTime.Now;
        var result = NmiSender.Send(client, vm, null, CancellationToken.None);

        var call = Assert.Single(client.Calls);
        Assert.Equal("InjectNonMaskableInterrupt", call.Method);
        Assert.Equal(vm.Path, call.Target);
        Assert.Empty(call.Parameters);
        Assert.Equal("ubuntu-web", result.VMName);
        Assert.Equal(vm.Id, result.VMId);
        Assert.Equal("hv01", result.ComputerName);
        Assert.InRange(result.SentAt, before, DateTime.Now);
        Assert.Contains("/proc/interrupts", result.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_providers_invalid_state_refusal_is_vm_not_running()
    {
        var client = new FakeMethodClient { Answer = (_, _, _) => new CimMethodResult(ReturnCodes.InvalidState) };
        var failure = Assert.Throws<GuestFeatureException>(() => NmiSender.Send(client, GuestServiceCheckTests.Vm(), null, CancellationToken.None));
        Assert.Equal("VMNotRunning", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Equal(ReturnCodes.InvalidState, failure.ProviderCode);
        Assert.Contains("32775", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_that_fails_with_invalid_state_is_vm_not_running()
    {
        var client = new FakeMethodClient();
        client.Answer = (_, _, _) => client.StartJob(JobStates.Exception, (ushort)ReturnCodes.InvalidState, "Cannot inject a non-maskable interrupt into the virtual machine");
        var failure = Assert.Throws<GuestFeatureException>(() => NmiSender.Send(client, GuestServiceCheckTests.Vm(), null, CancellationToken.None));
        Assert.Equal("VMNotRunning", failure.ErrorId);
    }

    [Fact]
    public void Access_denied_is_an_access_denied_error()
    {
        var client = new FakeMethodClient { Answer = (_, _, _) => new CimMethodResult(ReturnCodes.AccessDenied) };
        var failure = Assert.Throws<GuestFeatureException>(() => NmiSender.Send(client, GuestServiceCheckTests.Vm(), null, CancellationToken.None));
        Assert.Equal("AccessDenied", failure.ErrorId);
        Assert.Equal(FailureKind.AccessDenied, failure.Kind);
        Assert.Equal("alma", failure.Target);
        Assert.Contains("Hyper-V Administrators", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_refusals_keep_the_providers_code()
    {
        var client = new FakeMethodClient { Answer = (_, _, _) => new CimMethodResult(ReturnCodes.Failed) };
        var failure = Assert.Throws<GuestFeatureException>(() => NmiSender.Send(client, GuestServiceCheckTests.Vm(), null, CancellationToken.None));
        Assert.Equal("CimMethodFailed", failure.ErrorId);
        Assert.Equal(ReturnCodes.Failed, failure.ProviderCode);
    }
}
