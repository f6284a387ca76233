using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class GuestServiceCheckTests
{
    private static readonly Guid Id = new("5A1F0000-0000-4000-8000-000000000001");

    internal static VirtualMachine Vm(VMState state = VMState.Running, string name = "alma")
        => new("hv01", Id, name, state, VmInventory.PathOf(Id));

    private static CimObject Setting(ushort enabledState)
        => new("Msvm_GuestServiceInterfaceComponentSettingData", new Dictionary<string, object?>
        {
            ["InstanceID"] = $"Microsoft:{Id:D}\\6C09BB55-D683-4DA0-8931-C9BF705F6480",
            ["EnabledState"] = enabledState,
        });

    private static CimObject Component(ushort status, string? description = null)
        => new("Msvm_GuestServiceInterfaceComponent", new Dictionary<string, object?>
        {
            ["SystemName"] = Id.ToString("D").ToUpperInvariant(),
            ["EnabledState"] = (ushort)2,
            ["OperationalStatus"] = new[] { status },
            ["StatusDescriptions"] = description is null ? null : new[] { description },
        });

    [Theory]
    [InlineData(VMState.Off)]
    [InlineData(VMState.Saved)]
    [InlineData(VMState.Paused)]
    [InlineData(VMState.Starting)]
    [InlineData(VMState.Stopping)]
    [InlineData(VMState.Other)]
    public void A_vm_that_is_not_running_takes_no_files(VMState state)
    {
        var failure = GuestServiceCheck.Evaluate(Vm(state), Setting(2), Component(2));
        Assert.NotNull(failure);
        Assert.Equal("VMNotRunning", failure!.ErrorId);
        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Equal("alma", failure.Target);
        Assert.Contains(state.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Contains(state == VMState.Paused ? "Resume-VM -Name 'alma'" : "Start-VM -Name 'alma'", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((ushort)3)]
    [InlineData((ushort)0)]
    [InlineData((ushort)6)]
    public void A_guest_service_interface_that_is_not_enabled_in_the_settings_is_disabled(ushort enabledState)
    {
        var failure = GuestServiceCheck.Evaluate(Vm(), Setting(enabledState), Component(12));
        Assert.Equal("GuestServiceDisabled", failure!.ErrorId);
        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Equal("Enable-GuestFeature -VMName 'alma' -ComputerName 'hv01' -Name 'File copy from host to guest'", failure.RecommendedAction);
    }

    [Fact]
    public void A_vm_without_the_setting_is_disabled()
        => Assert.Equal("GuestServiceDisabled", GuestServiceCheck.Evaluate(Vm(), null, null)!.ErrorId);

    [Theory]
    [InlineData((ushort)12, "No Contact")]
    [InlineData((ushort)13, "Lost Communication")]
    [InlineData((ushort)7, "Non-Recoverable Error")]
    [InlineData((ushort)15, "Paused")]
    [InlineData((ushort)0, "0")]
    public void An_enabled_service_the_guest_does_not_answer_names_the_daemon(ushort status, string statusText)
    {
        var failure = GuestServiceCheck.Evaluate(Vm(), Setting(2), Component(status));
        Assert.Equal("GuestServiceNotResponding", failure!.ErrorId);
        Assert.Contains("hv_fcopy_daemon", failure.Message, StringComparison.Ordinal);
        Assert.Contains(statusText, failure.Message, StringComparison.Ordinal);
        Assert.Contains("hv_fcopy_daemon", failure.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void The_providers_status_text_is_quoted_when_there_is_one()
    {
        var failure = GuestServiceCheck.Evaluate(Vm(), Setting(2), Component(12, "The protocol version is not supported"));
        Assert.Contains("The protocol version is not supported", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enabled_service_without_a_runtime_component_is_not_responding()
        => Assert.Equal("GuestServiceNotResponding", GuestServiceCheck.Evaluate(Vm(), Setting(2), null)!.ErrorId);

    [Theory]
    [InlineData((ushort)2)]
    [InlineData((ushort)3)]
    public void An_enabled_service_that_answers_is_ready(ushort status)
        => Assert.Null(GuestServiceCheck.Evaluate(Vm(), Setting(2), Component(status)));
}
