using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>A VM a copy was asked for: its guest file service when it is ready, or why it is not.</summary>
internal sealed class GuestCopyTarget
{
    public GuestCopyTarget(VirtualMachine machine, CimInstancePath? fileService, GuestFeatureException? failure)
    {
        Machine = machine;
        FileService = fileService;
        Failure = failure;
    }

    public VirtualMachine Machine { get; }

    /// <summary>The VM's Msvm_GuestFileService, on which CopyFilesToGuest is called; null when <see cref="Failure"/> is set.</summary>
    public CimInstancePath? FileService { get; }

    /// <summary>Why nothing can be copied to this VM (VMNotRunning, GuestServiceDisabled, GuestServiceNotResponding).</summary>
    public GuestFeatureException? Failure { get; }
}

/// <summary>
/// Copy-GuestFile's work on one host (docs/provider-model.md "File copy"). <see cref="Prepare"/> checks every VM's
/// preconditions with one query per class per host (the Guest Service Interface settings, its
/// components, the guest file services; joined in memory on the VM id), whatever the VM count.
/// <see cref="Copy"/> then makes one CopyFilesToGuest call per file, with one embedded
/// Msvm_CopyFileToGuestSettingData, as the provider wants, and waits for its job.
/// </summary>
internal sealed class GuestFileCopier
{
    public const string MethodName = "CopyFilesToGuest";
    public const string FileServiceClass = "Msvm_GuestFileService";

    /// <summary>The association of a VM's Guest Service Interface component to the guest services registered on it.</summary>
    public const string RegistrationClass = "Msvm_RegisteredGuestService";
    public const string SettingClass = "Msvm_CopyFileToGuestSettingData";

    // Win32 errors inside the job's ErrorDescription (docs/provider-model.md "Jobs", "File copy").
    private const string FileExistsCode = "0x80070050";
    private const string PathNotFoundCode = "0x80070003";
    private const string FileNotFoundCode = "0x80070002";

    private readonly ICimClient _client;
    private readonly JobWaitOptions _options;

    public GuestFileCopier(ICimClient client, JobWaitOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? JobWaitOptions.Default;
    }

    /// <summary>
    /// Copy-GuestFile's plan for one host (<see cref="ChangePlan"/>): the VMs looked up and judged with
    /// <see cref="Prepare"/> (a VM that cannot take files is an error with no call), one change per ready VM
    /// that <paramref name="copy"/> makes (one call per file, with the caller's progress).
    /// </summary>
    /// <param name="selection">The VMs.</param>
    /// <param name="action">What the copy does, for ShouldProcess (the same for every VM of the host).</param>
    /// <param name="destination">The guest path, to say where to look when an outcome is unknown.</param>
    /// <param name="copy">Copies every file into one ready VM.</param>
    /// <param name="reporter">Messages, errors.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    internal ChangePlan Plan(VmSelection selection, string action, string destination, Action<GuestCopyTarget, CancellationToken> copy, OperationReporter reporter, CancellationToken cancellationToken)
    {
        if (copy is null)
        {
            throw new ArgumentNullException(nameof(copy));
        }

        if (reporter is null)
        {
            throw new ArgumentNullException(nameof(reporter));
        }

        var changes = new List<VmChange>();
        foreach (var target in Prepare(VmInventory.Find(_client, selection, reporter, cancellationToken), reporter.Verbose, cancellationToken))
        {
            if (target.Failure is { } refusal)
            {
                reporter.Error(refusal);
                continue;
            }

            var check = GuestFeatureException.Format("GuestCopyCheck", destination, target.Machine.Name);
            changes.Add(new VmChange(target.Machine, action, check, stop => copy(target, stop)));
        }

        return new ChangePlan(changes);
    }

    /// <summary>
    /// Judges every VM's preconditions. Reads nothing when no VM runs (they all fail VMNotRunning from
    /// the lookup's state); otherwise exactly three queries.
    /// </summary>
    public IReadOnlyList<GuestCopyTarget> Prepare(IReadOnlyList<VirtualMachine> machines, Action<string>? log, CancellationToken cancellationToken)
    {
        if (machines is null)
        {
            throw new ArgumentNullException(nameof(machines));
        }

        if (!machines.Any(m => m.IsRunning))
        {
            return machines.Select(m => new GuestCopyTarget(m, null, GuestServiceCheck.Evaluate(m, null, null))).ToList();
        }

        var gsi = IntegrationComponent.GuestServiceInterface;
        log?.Invoke(GuestFeatureException.Format("VerboseReadGuestServices", machines.Count, _client.ComputerName));
        var settings = ByVm(_client.Query(CimNamespaces.Virtualization, Wql.Select(gsi.SettingClass), cancellationToken));
        var components = ByVm(_client.Query(CimNamespaces.Virtualization, Wql.Select(gsi.ComponentClass), cancellationToken));
        var services = FileServicesByVm(_client.Query(CimNamespaces.Virtualization, Wql.Select(RegistrationClass), cancellationToken));

        var targets = new List<GuestCopyTarget>(machines.Count);
        foreach (var vm in machines)
        {
            settings.TryGetValue(vm.Id, out var setting);
            components.TryGetValue(vm.Id, out var component);
            var failure = GuestServiceCheck.Evaluate(vm, setting, component);
            if (failure is null && !services.ContainsKey(vm.Id))
            {
                // The component answers but the guest registered no file service: the same fix applies.
                failure = GuestServiceCheck.Evaluate(vm, setting, null);
            }

            targets.Add(failure is null
                ? new GuestCopyTarget(vm, services[vm.Id], null)
                : new GuestCopyTarget(vm, null, failure));
        }

        return targets;
    }

    /// <summary>The embedded instance sent for one file (docs/provider-model.md "File copy": OverwriteExisting is what -Force sets).</summary>
    public static string SettingText(GuestCopyItem item, bool overwriteExisting, bool createFullPath)
    {
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        var properties = new List<KeyValuePair<string, object?>>
        {
            new("SourcePath", item.Source.Path),
            new("DestinationPath", item.DestinationPath),
            new("OverwriteExisting", overwriteExisting),
            new("CreateFullPath", createFullPath),
        };
        return CimXml.Serialize(new CimObject(SettingClass, properties));
    }

    /// <summary>
    /// Copies one file and waits for the job. Throws GuestFeatureException: GuestFileExists when the
    /// guest file exists and <paramref name="overwriteExisting"/> is off; CimJobFailed with the
    /// provider's text otherwise (with a recommended action where the fix is known); VMNotRunning,
    /// AccessDenied, CimMethodFailed or CimJobTimeout for refusals and timeouts.
    /// </summary>
    /// <param name="target">A ready VM from <see cref="Prepare"/>.</param>
    /// <param name="item">The file and its guest path.</param>
    /// <param name="overwriteExisting">Replace an existing guest file.</param>
    /// <param name="createFullPath">Create missing guest folders.</param>
    /// <param name="progress">The job's PercentComplete as it changes.</param>
    /// <param name="cancellationToken">Stops the wait and asks the provider to cancel the job.</param>
    public GuestFileCopyResult Copy(GuestCopyTarget target, GuestCopyItem item, bool overwriteExisting, bool createFullPath, Action<int>? progress, CancellationToken cancellationToken)
    {
        if (target?.FileService is null)
        {
            throw new ArgumentException("The VM is not ready for copies.", nameof(target));
        }

        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        var vm = target.Machine;
        var parameters = new Dictionary<string, object?>
        {
            ["CopyFileToGuestSettings"] = new[] { SettingText(item, overwriteExisting, createFullPath) },
        };
        var watch = Stopwatch.StartNew();
        try
        {
            var result = _client.InvokeMethod(target.FileService, MethodName, parameters, cancellationToken);
            new JobWaiter(_client, _options).Wait(MethodName, vm.Name, result, cancellationToken, progress);
        }
        catch (GuestFeatureException failure)
        {
            throw Named(Explain(failure, vm, item), item);
        }

        return new GuestFileCopyResult(vm.ComputerName, vm.Name, vm.Id, item.Source.Path, item.DestinationPath, item.Source.Bytes, watch.Elapsed);
    }

    /// <summary>Turns the provider's failure into the error the user can act on.</summary>
    public static GuestFeatureException Explain(GuestFeatureException failure, VirtualMachine vm, GuestCopyItem item)
    {
        if (failure is null)
        {
            throw new ArgumentNullException(nameof(failure));
        }

        switch (failure.ErrorId)
        {
            case "CimJobFailed" when Mentions(failure, FileExistsCode):
                return new GuestFeatureException(
                    "GuestFileExists",
                    FailureKind.AlreadyExists,
                    vm.Name,
                    GuestFeatureException.Format("GuestFileExists", item.DestinationPath, vm.Name, vm.ComputerName, item.Source.Path),
                    failure)
                {
                    RecommendedAction = GuestFeatureException.Format("GuestFileExistsAction"),
                    ProviderCode = failure.ProviderCode,
                };
            case "CimJobFailed" when Mentions(failure, PathNotFoundCode):
                return VmPreconditions.WithAction(failure, GuestFeatureException.Format("GuestPathNotFoundAction", item.DestinationPath));
            case "CimJobFailed" when Mentions(failure, FileNotFoundCode):
                // The host reads the source (MSDOC msvm-copyfiletoguestsettingdata): its "file not found" names the file.
                return new GuestFeatureException(
                    "GuestFileSourceNotFoundOnHost",
                    FailureKind.NotFound,
                    item.Source.Path,
                    GuestFeatureException.Format("GuestFileSourceNotFoundOnHost", item.Source.Path, vm.ComputerName, vm.Name, failure.Message),
                    failure)
                {
                    RecommendedAction = GuestFeatureException.Format("GuestSourceNotOnHostAction", item.Source.Path, vm.ComputerName),
                    ProviderCode = failure.ProviderCode,
                };
            case "CimMethodFailed" when failure.ProviderCode == ReturnCodes.InvalidState:
                return VmPreconditions.WithAction(failure, GuestFeatureException.Format("GuestCopyInvalidStateAction", vm.Name, CommandText.Target(vm)));
            case "CimMethodFailed":
                return VmPreconditions.FromProviderRefusal(failure, vm, MethodName);
            case "CimJobTimeout":
                return VmPreconditions.WithAction(failure, GuestFeatureException.Format("GuestCopyTimeoutAction"));
            case "CimJobOutcomeUnknown":
                return VmPreconditions.WithAction(failure, GuestFeatureException.Format("ChangeOutcomeUnknownAction", GuestFeatureException.Format("GuestCopyCheck", item.DestinationPath, vm.Name), failure.RecommendedAction));
            default:
                return failure;
        }
    }

    /// <summary>Every failed file is named in its error, so that a copy of many files says which one failed.</summary>
    private static GuestFeatureException Named(GuestFeatureException failure, GuestCopyItem item)
    {
        if (failure.Message.IndexOf(item.Source.Path, StringComparison.Ordinal) >= 0)
        {
            return failure;
        }

        return new GuestFeatureException(
            failure.ErrorId,
            failure.Kind,
            failure.Target,
            GuestFeatureException.Format("GuestCopyFileFailed", item.Source.Path, item.DestinationPath, failure.Message),
            failure.InnerException ?? failure)
        {
            RecommendedAction = failure.RecommendedAction,
            ProviderCode = failure.ProviderCode,
        }.WithDataOf(failure);
    }

    private static bool Mentions(GuestFeatureException failure, string code)
        => failure.Message.IndexOf(code, StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>
    /// Each VM's file service, from the registrations (MSDOC msvm-registeredguestservice): the Dependent that is an
    /// Msvm_GuestFileService, for the VM its Antecedent names, the Guest Service Interface component, whose SystemName
    /// key is the VM (docs/provider-model.md "Associations"). A reference carries its keys, so the path is whole.
    /// </summary>
    internal static Dictionary<Guid, CimInstancePath> FileServicesByVm(IEnumerable<CimObject> registrations)
    {
        var map = new Dictionary<Guid, CimInstancePath>();
        foreach (var registration in registrations)
        {
            if (registration["Antecedent"] is CimInstancePath component
                && registration["Dependent"] is CimInstancePath service
                && string.Equals(service.ClassName, FileServiceClass, StringComparison.OrdinalIgnoreCase)
                && component.Keys.TryGetValue("SystemName", out var systemName)
                && Guid.TryParse(systemName as string, out var id)
                && !map.ContainsKey(id))
            {
                map.Add(id, service);
            }
        }

        return map;
    }

    private static Dictionary<Guid, CimObject> ByVm(IEnumerable<CimObject> instances)
    {
        var map = new Dictionary<Guid, CimObject>();
        foreach (var instance in instances)
        {
            if (HostSnapshot.VmIdOf(instance) is { } id && !map.ContainsKey(id))
            {
                map.Add(id, instance);
            }
        }

        return map;
    }
}
