using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// The root of every cmdlet in the module: cancellation (Ctrl+C reaches lower layers through
/// <see cref="CancellationToken"/>) and one place where failures become ErrorRecords.
/// Derived cmdlets override the <c>OnProcess</c>/<c>OnEnd</c> hooks; a <see cref="GuestFeatureException"/>
/// thrown from them is written as a non-terminating error, since it concerns one input.
/// </summary>
public abstract class GuestFeatureCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    private HashSet<string> _commandLineParameters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Only this module's cmdlets derive from the base cmdlets: they are public only because cmdlets are.</summary>
    private protected GuestFeatureCmdletBase()
    {
    }

    protected sealed override void BeginProcessing()
    {
        // Before the first record, BoundParameters holds only what was typed: remember it, so that a
        // value that later arrives from the pipeline can be told apart from one the user typed.
        _commandLineParameters = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        Guard(OnBegin);
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
        }
        catch (GuestFeatureException failure)
        {
            WriteFailure(failure);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell reports PipelineStoppedException itself.
            throw new PipelineStoppedException();
        }
    }
}
