using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// One change to one VM, planned from what was read and validated, before anything changes: the VM, what
/// the change does from the state now to the one asked (the ShouldProcess action), how to make it, and how
/// to see afterwards whether it was made. Changes of one VM that share a group (e.g. several integration
/// services) are asked one by one and the approved ones made together, in one provider call.
/// </summary>
internal sealed class VmChange
{
    private readonly Action<IReadOnlyList<VmChange>, CancellationToken> _apply;

    /// <param name="machine">The VM the change is made to.</param>
    /// <param name="action">What it does, old -> new, as ShouldProcess shows it.</param>
    /// <param name="check">A command (or a place) that shows whether it was made, for an outcome that is not known.</param>
    /// <param name="apply">Makes the change; throws GuestFeatureException when it fails.</param>
    public VmChange(VirtualMachine machine, string action, string check, Action<CancellationToken> apply)
        : this(machine, action, check, null, null, (_, cancellationToken) => apply(cancellationToken))
    {
    }

    /// <param name="machine">The VM the change is made to.</param>
    /// <param name="action">What it does, old -> new, as ShouldProcess shows it.</param>
    /// <param name="check">A command (or a place) that shows whether it was made.</param>
    /// <param name="group">Changes with the same group are made together by one call of <paramref name="apply"/>.</param>
    /// <param name="tag">What <paramref name="apply"/> needs to know of this change within its group.</param>
    /// <param name="apply">Makes the approved changes of the group (given in plan order).</param>
    public VmChange(VirtualMachine machine, string action, string check, object? group, object? tag, Action<IReadOnlyList<VmChange>, CancellationToken> apply)
    {
        Machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Action = action;
        Check = check;
        Group = group;
        Tag = tag;
        _apply = apply;
    }

    public VirtualMachine Machine { get; }

    /// <summary>The ShouldProcess target: the VM and its host.</summary>
    public string Target => VmPreconditions.Describe(Machine);

    /// <summary>What the change does, from the state now to the one asked (the ShouldProcess action).</summary>
    public string Action { get; }

    /// <summary>How to see whether the change was made, when its outcome is not known.</summary>
    public string Check { get; }

    public object? Group { get; }

    public object? Tag { get; }

    internal void Apply(IReadOnlyList<VmChange> group, CancellationToken cancellationToken) => _apply(group, cancellationToken);
}

/// <summary>
/// The changing cmdlets' one step on one host: look up -> read -> validate -> ShouldProcess -> change ->
/// read back. A planner (KvpExchange, DynamicMemory, NmiSender, FeatureSwitcher, GuestFileCopier) does the
/// first three and reports what it found (VMs not found, rule violations, warnings for what is already as
/// asked); what is left is this plan: the changes to ask about, and what to read back once the approved
/// ones are made. The questions are asked by the caller, so that the cmdlet layer can plan many hosts at
/// once, ask on the pipeline thread, and change them at once again (<see cref="Run"/> does all on one thread).
/// </summary>
internal sealed class ChangePlan
{
    private readonly Action<IReadOnlyList<VmChange>>? _readBack;

    /// <param name="changes">The changes to ask about, in the order they are made.</param>
    /// <param name="readBack">Called after the approved changes, with those made (e.g. to re-read them for -PassThru).</param>
    public ChangePlan(IReadOnlyList<VmChange> changes, Action<IReadOnlyList<VmChange>>? readBack = null)
    {
        Changes = changes ?? throw new ArgumentNullException(nameof(changes));
        _readBack = readBack;
    }

    /// <summary>Nothing to change and nothing to read back.</summary>
    public static ChangePlan None { get; } = new(Array.Empty<VmChange>());

    public IReadOnlyList<VmChange> Changes { get; }

    /// <summary>Several plans of one host as one: their changes in order, each read back with its own changes made.</summary>
    public static ChangePlan Combine(IReadOnlyList<ChangePlan> plans)
    {
        if (plans is null)
        {
            throw new ArgumentNullException(nameof(plans));
        }

        if (plans.Count == 1)
        {
            return plans[0];
        }

        return new ChangePlan(plans.SelectMany(p => p.Changes).ToList(), made =>
        {
            foreach (var plan in plans)
            {
                plan._readBack?.Invoke(made.Where(c => plan.Changes.Contains(c)).ToList());
            }
        });
    }

    /// <summary>
    /// Makes the <paramref name="approved"/> changes in plan order (a group's approved changes together,
    /// where the first of them stands), then reads back. A change that fails is an error for its VM and
    /// the others go on; an unknown outcome also says how to check it; a host that cannot be reached ends
    /// the host's work (reported once by the caller). A change stopped midway (Ctrl+C) becomes a
    /// <see cref="ChangeInterruptedException"/> that says what may have happened and how to check.
    /// </summary>
    public void Apply(IReadOnlyList<VmChange> approved, OperationReporter reporter, CancellationToken cancellationToken)
    {
        if (approved is null)
        {
            throw new ArgumentNullException(nameof(approved));
        }

        if (reporter is null)
        {
            throw new ArgumentNullException(nameof(reporter));
        }

        var made = new List<VmChange>();
        foreach (var group in GroupsOf(approved))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = group[0];
            try
            {
                first.Apply(group, cancellationToken);
                made.AddRange(group);
            }
            catch (GuestFeatureException failure) when (failure.Kind == FailureKind.OutcomeUnknown)
            {
                reporter.Error(VmPreconditions.WithAction(failure, GuestFeatureException.Format("ChangeOutcomeUnknownAction", first.Check, failure.RecommendedAction)));
            }
            catch (GuestFeatureException failure) when (failure.Kind != FailureKind.HostUnreachable)
            {
                reporter.Error(failure);
            }
            catch (OperationCanceledException stopped) when (stopped is not ChangeInterruptedException && cancellationToken.IsCancellationRequested)
            {
                throw Interrupted(group, stopped);
            }
        }

        _readBack?.Invoke(made);
    }

    /// <summary>The whole step on the calling thread: each change asked with <see cref="OperationReporter.ShouldProcess"/>, then the approved ones made.</summary>
    public void Run(OperationReporter reporter, CancellationToken cancellationToken)
    {
        if (reporter is null)
        {
            throw new ArgumentNullException(nameof(reporter));
        }

        Apply(Changes.Where(c => reporter.ShouldProcess(c.Target, c.Action)).ToList(), reporter, cancellationToken);
    }

    /// <summary>
    /// ChangeInterrupted for a change stopped midway: what it was, what the stopped wait knew (a job asked to
    /// terminate, with its id) or that the call may have reached the host, and how to check.
    /// </summary>
    public static ChangeInterruptedException Interrupted(IReadOnlyList<VmChange> group, OperationCanceledException stopped)
    {
        if (group is null || group.Count == 0)
        {
            throw new ArgumentException("A group has at least one change.", nameof(group));
        }

        if (stopped is null)
        {
            throw new ArgumentNullException(nameof(stopped));
        }

        var first = group[0];
        var detail = stopped.Data.Contains("JobId") ? stopped.Message : GuestFeatureException.Format("ChangeInterruptedInCall");
        var action = string.Join("; ", group.Select(c => c.Action));
        return new ChangeInterruptedException(GuestFeatureException.Format("ChangeInterrupted", first.Target, action, detail, first.Check), stopped);
    }

    /// <summary>The approved changes as they are made: each alone, or with the others of its group where the first of them stands.</summary>
    private static IEnumerable<IReadOnlyList<VmChange>> GroupsOf(IReadOnlyList<VmChange> approved)
    {
        var seen = new HashSet<object>();
        foreach (var change in approved)
        {
            if (change.Group is null)
            {
                yield return new[] { change };
            }
            else if (seen.Add(change.Group))
            {
                yield return approved.Where(c => ReferenceEquals(c.Group, change.Group)).ToList();
            }
        }
    }
}
