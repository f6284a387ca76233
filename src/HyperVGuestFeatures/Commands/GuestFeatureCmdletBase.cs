using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// The root of every cmdlet in the module: cancellation (Ctrl+C reaches lower layers through
/// <see cref="CancellationToken"/>) and one place where failures become ErrorRecords.
/// Derived cmdlets override the <c>OnProcess</c>/<c>OnEnd</c> hooks; a <see cref="GuestFeatureException"/>
/// thrown from them is written as a non-terminating error, since it concerns one input. With -Debug, every
/// client the cmdlet opens says what goes to the provider (<see cref="TracingCimClient"/>), on the debug stream,
/// and -Debug never makes a debug, verbose or warning message prompt (<see cref="MessageOutputs"/>).
/// </summary>
public abstract class GuestFeatureCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    private HashSet<string> _commandLineParameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _pendingDebug = new();
    private MessageOutput _debug;
    private MessageOutput _verbose;
    private MessageOutput _warning;

    /// <summary>Only this module's cmdlets derive from the base cmdlets: they are public only because cmdlets are.</summary>
    private protected GuestFeatureCmdletBase()
    {
    }

    protected sealed override void BeginProcessing()
    {
        // Before the first record, BoundParameters holds only what was typed: remember it, so that a
        // value that later arrives from the pipeline can be told apart from one the user typed.
        _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        DecideMessageOutputs();
        Guard(OnBegin);
    }

    /// <summary>Whether debug output is on, so that provider calls are traced.</summary>
    private protected bool TracesProvider => _debug != MessageOutput.Off;

    /// <summary>
    /// The client as the cmdlet uses it: with debug output on, one that says what goes to the provider through
    /// <paramref name="sink"/>, which gets the messages on the threads the client is used on (a worker's sink
    /// marshals them to the pipeline thread; <see cref="WriteProviderDebug"/> is the pipeline thread's).
    /// </summary>
    private protected ICimClient Traced(ICimClient client, Action<string> sink) => TracesProvider ? new TracingCimClient(client, sink) : client;

    /// <summary>
    /// A sink for clients that domain code uses on its own threads while it reports back on the pipeline thread:
    /// the messages wait, in order, for <see cref="FlushProviderDebug"/>.
    /// </summary>
    private protected void QueueProviderDebug(string message) => _pendingDebug.Enqueue(message);

    /// <summary>Writes the queued debug messages (pipeline thread).</summary>
    private protected void FlushProviderDebug()
    {
        while (_pendingDebug.TryDequeue(out var message))
        {
            WriteProviderDebug(message);
        }
    }

    /// <summary>Writes one debug message, on the pipeline thread, never prompting where it should not.</summary>
    internal void WriteProviderDebug(string message) => Write(ref _debug, message, WriteDebug, (ui, text) => ui.WriteDebugLine(text));

    /// <summary>Writes a verbose message; under -Debug without -Verbose, as Continue instead of a prompt per message.</summary>
    internal new void WriteVerbose(string text) => Write(ref _verbose, text, base.WriteVerbose, (ui, line) => ui.WriteVerboseLine(line));

    /// <summary>Writes a warning; under -Debug without -WarningAction, as Continue instead of a prompt per message.</summary>
    internal new void WriteWarning(string text) => Write(ref _warning, text, base.WriteWarning, (ui, line) => ui.WriteWarningLine(line));

    /// <summary>What -Debug, -Verbose, -WarningAction and the preference variables ask of each stream (<see cref="MessageOutputs"/>).</summary>
    private void DecideMessageOutputs()
    {
        var bound = MyInvocation.BoundParameters;
        bool? debugSwitch = bound.TryGetValue("Debug", out var debug) ? LanguagePrimitives.IsTrue(debug) : null;
        var debugOn = debugSwitch == true;
        var canPrompt = MessageOutputs.CanPrompt(Environment.GetCommandLineArgs(), Environment.UserInteractive);
        var debugInquires = debugOn && MessageOutputs.DebugSwitchInquires;
        _debug = MessageOutputs.Decide(
            debugSwitch switch
            {
                true => debugInquires ? ActionPreference.Inquire : ActionPreference.Continue,
                false => ActionPreference.SilentlyContinue,
                null => Preference("DebugPreference"),
            },
            debugInquires,
            canPrompt);

        // Verbose and warning messages are always written (-WarningVariable collects even silenced warnings); only
        // a prompt nobody asked for, or nobody can answer, is replaced by the host's line.
        var verboseSwitch = bound.TryGetValue("Verbose", out var verbose);
        _verbose = MessageOutputs.Decide(
            verboseSwitch ? (LanguagePrimitives.IsTrue(verbose) ? ActionPreference.Continue : ActionPreference.SilentlyContinue) : debugOn ? ActionPreference.Inquire : Preference("VerbosePreference"),
            !verboseSwitch && debugOn,
            canPrompt) == MessageOutput.HostLine ? MessageOutput.HostLine : MessageOutput.Stream;
        var warningAction = bound.TryGetValue("WarningAction", out var action) && LanguagePrimitives.TryConvertTo(action, out ActionPreference given) ? given : (ActionPreference?)null;
        _warning = MessageOutputs.Decide(
            warningAction ?? (debugOn ? ActionPreference.Inquire : Preference("WarningPreference")),
            warningAction is null && debugOn,
            canPrompt) == MessageOutput.HostLine ? MessageOutput.HostLine : MessageOutput.Stream;
    }

    private ActionPreference Preference(string variable)
        => LanguagePrimitives.TryConvertTo(GetVariableValue(variable), out ActionPreference preference) ? preference
            : variable == "WarningPreference" ? ActionPreference.Continue : ActionPreference.SilentlyContinue;

    /// <summary>
    /// Writes to the stream, or to the host's line when <paramref name="output"/> says so; a prompt that fails
    /// because no one can answer (a host without a user interface) turns the rest of this stream to the host's line.
    /// </summary>
    private void Write(ref MessageOutput output, string text, Action<string> stream, Action<PSHostUserInterface, string> hostLine)
    {
        if (output == MessageOutput.Stream)
        {
            try
            {
                stream(text);
                return;
            }
            catch (Exception e) when (e is HostException or PSInvalidOperationException)
            {
                output = MessageOutput.HostLine;
            }
        }

        if (output == MessageOutput.HostLine && Host?.UI is { } ui)
        {
            try
            {
                hostLine(ui, text);
            }
            catch (Exception e) when (e is HostException or NotImplementedException)
            {
                // A host that shows no messages at all: there is nowhere to show this one.
            }
        }
    }

    /// <summary>Whether the parameter was given on the command line (not bound from the pipeline).</summary>
    protected bool IsCommandLineParameter(string name) => _commandLineParameters.Contains(name);

    protected sealed override void ProcessRecord() => Guard(OnProcess);

    protected sealed override void EndProcessing() => Guard(OnEnd);

    protected sealed override void StopProcessing() => _cancellation.Cancel();

    protected virtual void OnBegin()
    {
    }

    protected virtual void OnProcess()
    {
    }

    protected virtual void OnEnd()
    {
    }

    /// <summary>Writes a failure of one input as a non-terminating error record.</summary>
    private protected void WriteFailure(GuestFeatureException failure) => WriteError(ErrorRecords.From(failure));

    /// <summary>Stops the whole command with the failure (used when no input can go on).</summary>
    private protected void ThrowFailure(GuestFeatureException failure) => ThrowTerminatingError(ErrorRecords.From(failure));

    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Guard(Action step)
    {
        try
        {
            step();
            FlushProviderDebug();
        }
        catch (GuestFeatureException failure)
        {
            FlushProviderDebug();
            WriteFailure(failure);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell reports PipelineStoppedException itself.
            throw new PipelineStoppedException();
        }
    }
}
