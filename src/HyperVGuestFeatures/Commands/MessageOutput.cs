using System;
using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>Where a command's messages of one stream (debug, verbose, warning) go.</summary>
internal enum MessageOutput
{
    /// <summary>Nowhere: the stream is off (for debug: provider calls are not traced at all).</summary>
    Off,

    /// <summary>The stream (WriteDebug, WriteVerbose, WriteWarning), with PowerShell's own handling of the preference.</summary>
    Stream,

    /// <summary>
    /// The host's debug, verbose or warning line, without a prompt: where the stream would ask "Continue?" for every
    /// message although the user did not ask for that, or where no one can answer.
    /// </summary>
    HostLine,
}

/// <summary>
/// Decides <see cref="MessageOutput"/> for one stream of one command, so that -Debug never prompts per message.
/// </summary>
/// <remarks>
/// -Debug means "show the debug messages". PowerShell 7 makes the command's debug preference Continue for it, but
/// still makes its verbose and warning preferences Inquire when -Verbose and -WarningAction are not given (Windows
/// PowerShell 5.1 makes all three Inquire), so every such message would prompt, and under pwsh -NonInteractive the
/// first one fails the whole command ("PowerShell is in NonInteractive mode"). Those messages are shown as Continue
/// shows them, as PowerShell 7's own Write-Verbose and Write-Warning do under -Debug. An Inquire the user chose
/// ($DebugPreference, $VerbosePreference, $WarningPreference, -WarningAction) prompts as asked where someone can
/// answer, and is shown as Continue where no one can (pwsh -NonInteractive, a service).
/// </remarks>
internal static class MessageOutputs
{
    /// <summary>Whether -Debug makes a command's debug preference Inquire (Windows PowerShell) rather than Continue (PowerShell 7).</summary>
    internal static bool DebugSwitchInquires { get; } = typeof(PSCmdlet).Assembly.GetName().Version.Major < 7;

    /// <param name="preference">The preference PowerShell applies to the stream for this command.</param>
    /// <param name="inquireFromDebugSwitch">True when that preference is Inquire only because -Debug was given.</param>
    /// <param name="canPrompt">Whether a prompt can be answered (<see cref="CanPrompt"/>).</param>
    public static MessageOutput Decide(ActionPreference preference, bool inquireFromDebugSwitch, bool canPrompt) => preference switch
    {
        ActionPreference.SilentlyContinue or ActionPreference.Ignore => MessageOutput.Off,
        ActionPreference.Inquire when inquireFromDebugSwitch || !canPrompt => MessageOutput.HostLine,
        _ => MessageOutput.Stream,
    };

    /// <summary>
    /// Whether someone can answer a prompt: not when the process runs without a user (a service), nor when
    /// PowerShell was started with -NonInteractive (any prefix of it down to -noni, with - or /, before -File or
    /// -Command, whose arguments are the script's, as pwsh and powershell.exe read their switches).
    /// </summary>
    public static bool CanPrompt(string[] commandLine, bool userInteractive) => userInteractive && !HasNonInteractiveSwitch(commandLine);

    internal static bool HasNonInteractiveSwitch(string[] commandLine)
    {
        const string NonInteractive = "noninteractive";
        for (var i = 1; i < commandLine.Length; i++)
        {
            var argument = commandLine[i] ?? string.Empty;
            if (argument.Length < 2 || (argument[0] != '-' && argument[0] != '/'))
            {
                continue; // a switch's value (-ExecutionPolicy Bypass), or a script path (then a switch after it is rare)
            }

            var name = argument.TrimStart('-', '/');
            if (name.Length >= 4 && NonInteractive.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (IsPrefixOf(name, "command") || IsPrefixOf(name, "file") || IsPrefixOf(name, "encodedcommand") || string.Equals(name, "ec", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsPrefixOf(string name, string full) => name.Length > 0 && full.StartsWith(name, StringComparison.OrdinalIgnoreCase);
}
