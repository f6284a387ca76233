using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// A PowerShell host that answers confirmation prompts from a script and records what it was asked
/// and shown, so -Confirm/-Force/-WhatIf can be tested as a user at a console sees them.
/// </summary>
internal sealed class ScriptedHost : PSHost
{
    private readonly ScriptedUI _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "ScriptedHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    /// <summary>The answers to give, in order: the label of a choice (Yes, No, ...).</summary>
    public Queue<string> Answers => _ui.Answers;

    /// <summary>Every prompt shown: caption and message.</summary>
    public List<string> Prompts => _ui.Prompts;

    /// <summary>Every line written to the host (What if: ...).</summary>
    public List<string> Lines => _ui.Lines;

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class ScriptedUI : PSHostUserInterface
    {
        public Queue<string> Answers { get; } = new();

        public List<string> Prompts { get; } = new();

        public List<string> Lines { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + ": " + message);
            if (Answers.Count == 0)
            {
                throw new InvalidOperationException("Unexpected prompt: " + caption + ": " + message);
            }

            var answer = Answers.Dequeue();
            var index = choices.ToList().FindIndex(c => string.Equals(c.Label.Replace("&", string.Empty, StringComparison.Ordinal), answer, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : throw new InvalidOperationException("No choice " + answer);
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override string ReadLine() => throw new NotSupportedException();

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

        public override void Write(string value) => Lines.Add(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);

        public override void WriteLine(string value) => Lines.Add(value);

        public override void WriteErrorLine(string value) => Lines.Add(value);

        public override void WriteDebugLine(string message) => Lines.Add("DEBUG: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Lines.Add("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Lines.Add("WARNING: " + message);
    }
}
