using System.Management.Automation;
using HyperVGuestFeatures.Commands;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>Where debug, verbose and warning messages go, so that -Debug never prompts per message.</summary>
public class MessageOutputsTests
{
    [Theory]
    [InlineData(ActionPreference.SilentlyContinue, false, true, "Off")]
    [InlineData(ActionPreference.Ignore, false, true, "Off")]
    [InlineData(ActionPreference.Continue, false, false, "Stream")]
    [InlineData(ActionPreference.Stop, false, true, "Stream")]
    [InlineData(ActionPreference.Inquire, false, true, "Stream")]      // the user chose Inquire and can answer
    [InlineData(ActionPreference.Inquire, false, false, "HostLine")]   // nobody can answer: shown as Continue
    [InlineData(ActionPreference.Inquire, true, true, "HostLine")]     // Inquire only because of -Debug
    public void Decide(ActionPreference preference, bool inquireFromDebugSwitch, bool canPrompt, string expected)
        => Assert.Equal(expected, MessageOutputs.Decide(preference, inquireFromDebugSwitch, canPrompt).ToString());

    [Theory]
    [InlineData(true, "pwsh", "-NoProfile", "-NonInteractive", "-File", "x.ps1")]
    [InlineData(true, "pwsh", "-noni", "-c", "Get-GuestFeature")]
    [InlineData(true, "powershell.exe", "/NonInteractive", "-Command", "x")]
    [InlineData(true, "pwsh.dll", "-ExecutionPolicy", "Bypass", "--noninteractive")]
    [InlineData(false, "pwsh", "-NoProfile")]
    [InlineData(false, "pwsh", "-non")]                                 // too short to mean -NonInteractive
    [InlineData(false, "pwsh", "-File", "x.ps1", "-NonInteractive")]    // the script's own argument
    [InlineData(false, "pwsh", "-c", "Get-Thing -NonInteractive")]
    public void A_NonInteractive_switch_is_found_before_the_script(bool expected, params string[] commandLine)
        => Assert.Equal(expected, MessageOutputs.HasNonInteractiveSwitch(commandLine));

    [Fact]
    public void A_process_without_a_user_cannot_prompt()
        => Assert.False(MessageOutputs.CanPrompt(new[] { "pwsh" }, userInteractive: false));
}
