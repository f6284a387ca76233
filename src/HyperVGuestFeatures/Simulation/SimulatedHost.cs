using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// One simulated Hyper-V host: an in-memory root\virtualization\v2 provider behind <see cref="ICimClient"/>.
/// It behaves as docs/provider-model.md describes the real provider and exposes exactly its classes; every
/// instance is projected from the model on each call. Thread-safe: the model is guarded by one lock, so
/// many threads may call one host and many hosts may be called at once.
/// </summary>
internal sealed partial class SimulatedHost
{
    /// <summary>How long completed jobs stay queryable (docs/provider-model.md "Jobs": TimeBeforeRemoval 5 minutes).</summary>
    public static readonly TimeSpan TimeBeforeRemoval = TimeSpan.FromMinutes(5);

    private readonly object _sync = new();
    private readonly List<SimulatedVM> _vms = new();
    private readonly Dictionary<string, SimulatedJob> _jobs = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HyperVSimulatorFault> _faults = new();
    private readonly SimulatorSpool _spool = new();
    private long _queryCount;
    private long _methodCallCount;
    private long _changeCallCount;
    private long _jobCount;
    private bool _stopped;
    private bool _liveMigrationEnabled;
    private long _latencyTicks;

    /// <summary>A host with the <c>Default</c> scenario (the WS2022 lab of the spec).</summary>
    public SimulatedHost(string computerName)
        : this(computerName, SimulatorScenarios.Create(SimulatorScenarios.Default, computerName))
    {
    }

    /// <summary>A host with the VMs of <paramref name="lab"/> (a scenario, a fixture or hand-built).</summary>
    public SimulatedHost(string computerName, SimulatedLab lab)
    {
        if (lab is null)
        {
            throw new ArgumentNullException(nameof(lab));
        }

        ComputerName = computerName;
        Scenario = lab.Scenario;
        HostVersion = lab.HostVersion;
        _liveMigrationEnabled = lab.LiveMigrationEnabled;
        foreach (var vm in lab.VMs)
        {
            AddVM(vm);
        }
    }

    public string ComputerName { get; }

    public string Scenario { get; }

    public Version HostVersion { get; }

    /// <summary>Slept on every round trip, before the call is served (cancellable).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// How long settings, KVP, NMI and state-change jobs run. Assumption (docs/provider-model.md "Jobs", "Could not confirm":
    /// real jobs take under a second to a few seconds): 20 ms by default, so tests stay fast.
    /// </summary>
    public TimeSpan SettingsJobDuration { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Fixed part of a copy job's duration; the rest is proportional to size (docs/provider-model.md "Jobs").</summary>
    public TimeSpan CopyJobBaseDuration { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Simulated copy throughput. Assumption: 100 MB/s.</summary>
    public long CopyBytesPerSecond { get; set; } = 100L * 1024 * 1024;

    public long QueryCount => Interlocked.Read(ref _queryCount);

    public long MethodCallCount => Interlocked.Read(ref _methodCallCount);

    /// <summary>
    /// Method calls that may change a VM or the host: every method but the read-only ones
    /// (GetSummaryInformation), so tests can say "no change was attempted" while a probe reads summaries.
    /// </summary>
    public long ChangeCallCount => Interlocked.Read(ref _changeCallCount);

    public long JobCount => Interlocked.Read(ref _jobCount);

    public bool IsStopped
    {
        get
        {
            lock (_sync)
            {
                return _stopped;
            }
        }
    }

    public bool LiveMigrationEnabled
    {
        get
        {
            lock (_sync)
            {
                return _liveMigrationEnabled;
            }
        }

        set
        {
            lock (_sync)
            {
                _liveMigrationEnabled = value;
            }
        }
    }

    public int VMCount
    {
        get
        {
            lock (_sync)
            {
                return _vms.Count;
            }
        }
    }

    public IReadOnlyList<string> VMNames
    {
        get
        {
            lock (_sync)
            {
                return _vms.Select(v => v.Name).ToList();
            }
        }
    }

    public IReadOnlyList<HyperVSimulatorFault> Faults
    {
        get
        {
            lock (_sync)
            {
                _faults.RemoveAll(f => f.IsSpent);
                return _faults.ToList();
            }
        }
    }

    /// <summary>Opens a client on this host; every call through it is one round trip.</summary>
    public ICimClient Connect() => new SimulatedCimClient(this);

    /// <summary>Reads the counters at once and, when asked, resets them to zero.</summary>
    public SimulatorCounters ReadCounters(bool reset = false)
    {
        if (!reset)
        {
            return new SimulatorCounters(QueryCount, MethodCallCount, ChangeCallCount, JobCount);
        }

        return new SimulatorCounters(
            Interlocked.Exchange(ref _queryCount, 0),
            Interlocked.Exchange(ref _methodCallCount, 0),
            Interlocked.Exchange(ref _changeCallCount, 0),
            Interlocked.Exchange(ref _jobCount, 0));
    }

    public void ResetCounters() => ReadCounters(reset: true);

    /// <summary>
    /// Takes the host off the network: every later call through any client fails with HostUnreachable. Copies
    /// still reading their sources stop, and the files copied into the guests are deleted from this computer.
    /// </summary>
    public void Stop()
    {
        lock (_sync)
        {
            _stopped = true;
            foreach (var job in _jobs.Values)
            {
                job.CancelWork();
            }
        }

        _spool.DeleteAllLater();
    }

    public void AddFault(HyperVSimulatorFault fault)
    {
        if (fault is null)
        {
            throw new ArgumentNullException(nameof(fault));
        }

        lock (_sync)
        {
            _faults.Add(fault);
        }
    }

    public void ClearFaults()
    {
        lock (_sync)
        {
            _faults.Clear();
        }
    }

    /// <summary>Adds a VM to the host (fills in device ids that are empty). Throws if the name or id is taken.</summary>
    public void AddVM(SimulatedVM vm)
    {
        if (vm is null)
        {
            throw new ArgumentNullException(nameof(vm));
        }

        lock (_sync)
        {
            if (_vms.Any(v => string.Equals(v.Name, vm.Name, StringComparison.OrdinalIgnoreCase) || v.Id == vm.Id))
            {
                throw GuestFeatureException.Create("SimulatorVMExists", FailureKind.InvalidArgument, vm.Name, vm.Name, ComputerName);
            }

            AssignDeviceIds(vm);
            _vms.Add(vm);
        }
    }

    /// <summary>Reads the VM's model under the host's lock; throws VMNotFound when no VM has that name.</summary>
    public T InspectVM<T>(string vmName, Func<SimulatedVM, T> read)
    {
        if (read is null)
        {
            throw new ArgumentNullException(nameof(read));
        }

        lock (_sync)
        {
            AdvanceJobs(DateTime.UtcNow);
            return read(FindVMByName(vmName));
        }
    }

    /// <summary>Changes the VM's model under the host's lock; throws VMNotFound when no VM has that name.</summary>
    public void ModifyVM(string vmName, Action<SimulatedVM> change)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        lock (_sync)
        {
            AdvanceJobs(DateTime.UtcNow);
            change(FindVMByName(vmName));
        }
    }

    /// <summary>Sets a VM's power state directly (Set-HyperVSimulatorVM), without a job.</summary>
    public void SetVMState(string vmName, SimulatedVMState state)
        => ModifyVM(vmName, vm => ChangeState(vm, state));

    /// <summary>Enables or disables an integration component in the VM's settings.</summary>
    public void SetComponentEnabled(string vmName, IntegrationComponentKind component, bool enabled)
        => ModifyVM(vmName, vm => vm.Components[component].Enabled = enabled);

    /// <summary>Sets what the guest side of a component reports while the VM runs.</summary>
    public void SetComponentStatus(string vmName, IntegrationComponentKind component, IntegrationComponentStatus status)
        => ModifyVM(vmName, vm => vm.Components[component].Status = status);

    /// <summary>A file's bytes in the VM's guest file system; null when there is none. Read off the host's lock.</summary>
    public byte[]? ReadGuestFile(string vmName, string path)
    {
        var content = InspectVM(vmName, vm => vm.Files.ContentOf(path));
        try
        {
            return content?.ReadAll();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the host stopped and its copied files are gone
        }
    }

    /// <summary>A file's size in the VM's guest file system; null when there is none.</summary>
    public long? GuestFileLength(string vmName, string path) => InspectVM(vmName, vm => vm.Files.FileLength(path));

    /// <summary>Whether the VM's guest file system has the directory (a copy creates directories only for the files it puts).</summary>
    public bool GuestDirectoryExists(string vmName, string path) => InspectVM(vmName, vm => vm.Files.DirectoryExists(path));

    /// <summary>A read-only stream over a guest file (for large copies, without loading them); null when there is none.</summary>
    public Stream? OpenGuestFile(string vmName, string path) => InspectVM(vmName, vm => vm.Files.ContentOf(path))?.Open();

    public override string ToString() => ComputerName + " (" + Scenario + ")";

    private static void ChangeState(SimulatedVM vm, SimulatedVMState state)
    {
        if (state == SimulatedVMState.Running && !vm.HasRuntimeComponents)
        {
            vm.StartedUtc = DateTime.UtcNow;
        }

        vm.State = state;
    }

    private SimulatedVM FindVMByName(string vmName)
        => _vms.FirstOrDefault(v => string.Equals(v.Name, vmName, StringComparison.OrdinalIgnoreCase))
            ?? throw GuestFeatureException.Create("VMNotFound", FailureKind.NotFound, vmName, vmName, ComputerName);

    private SimulatedVM? FindVMById(string? id)
        => id is null ? null : _vms.FirstOrDefault(v => string.Equals(v.IdText, id, StringComparison.OrdinalIgnoreCase));

    private static void AssignDeviceIds(SimulatedVM vm)
    {
        Guid Make(Guid current, string what) => current != Guid.Empty ? current : SimulatorIds.From(vm.IdText + "/" + what);

        for (var i = 0; i < vm.NetworkAdapters.Count; i++)
        {
            vm.NetworkAdapters[i].Id = Make(vm.NetworkAdapters[i].Id, "nic" + i);
        }

        for (var i = 0; i < vm.Controllers.Count; i++)
        {
            var controller = vm.Controllers[i];
            controller.Id = Make(controller.Id, "controller" + i);
            for (var d = 0; d < controller.Disks.Count; d++)
            {
                controller.Disks[d].Id = Make(controller.Disks[d].Id, "controller" + i + "disk" + d);
            }
        }

        for (var i = 0; i < vm.FibreChannelAdapters.Count; i++)
        {
            vm.FibreChannelAdapters[i].Id = Make(vm.FibreChannelAdapters[i].Id, "fc" + i);
        }

        for (var i = 0; i < vm.AssignedDevices.Count; i++)
        {
            vm.AssignedDevices[i].Id = Make(vm.AssignedDevices[i].Id, "pci" + i);
        }
    }

    // ---- round trips (called by SimulatedCimClient) ----

    /// <summary>
    /// The start of every round trip: latency, then the host must be up. The work a read then does (parsing the query,
    /// projecting the model) runs in a <see cref="CpuGate"/> slot: the simulated hosts share this computer's processors
    /// with the module instead of each taking a thread's share, and the most urgent caller is served first.
    /// </summary>
    private void BeginRoundTrip(CancellationToken cancellationToken)
    {
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(latency);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Under the lock: a stopped host or an armed Disconnect fault drops the call; returns a matching method fault.</summary>
    private HyperVSimulatorFault? CheckFaults(string kind, string? vmName)
    {
        if (_stopped)
        {
            throw Unreachable(GuestFeatureException.Format("SimulatorStopped"));
        }

        HyperVSimulatorFault? hit = null;
        foreach (var fault in _faults)
        {
            if (fault.TryHit(kind, vmName))
            {
                hit = fault;
                break;
            }
        }

        _faults.RemoveAll(f => f.IsSpent);
        if (hit is { Disconnect: true })
        {
            throw Unreachable(GuestFeatureException.Format("SimulatedDisconnect"));
        }

        return hit;
    }

    private GuestFeatureException Unreachable(string detail)
        => GuestFeatureException.Create("HostUnreachable", FailureKind.HostUnreachable, ComputerName, ComputerName, detail);

    internal IReadOnlyList<CimObject> ServeQuery(string namespaceName, string wql, CancellationToken cancellationToken)
    {
        BeginRoundTrip(cancellationToken);
        using var cpu = CpuGate.Shared.Enter(cancellationToken);
        Interlocked.Increment(ref _queryCount);
        var query = WqlQuery.Parse(wql);
        lock (_sync)
        {
            CheckFaults("Query", null);
            AdvanceJobs(DateTime.UtcNow);
            var instances = InstancesOf(namespaceName, query.ClassName, null);
            if (instances.Count > 0)
            {
                // A property no instance of the class has is the provider's "invalid query" (any instance that has it will do).
                var unknown = query.ReferencedProperties().FirstOrDefault(p => !instances.Any(i => i.Properties.ContainsKey(p)));
                if (unknown is not null)
                {
                    throw WqlQuery.Invalid(wql, GuestFeatureException.Format("CimNoSuchProperty", unknown, query.ClassName));
                }
            }

            return instances.Where(query.Matches).Select(query.Project).ToList();
        }
    }

    internal CimObject ServeGetInstance(CimInstancePath path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        BeginRoundTrip(cancellationToken);
        using var cpu = CpuGate.Shared.Enter(cancellationToken);
        Interlocked.Increment(ref _queryCount);
        lock (_sync)
        {
            var vm = VMOfKeys(path.Keys);
            CheckFaults("GetInstance", vm?.Name);
            AdvanceJobs(DateTime.UtcNow);
            return FindInstance(path, vm)
                ?? throw GuestFeatureException.Create("CimInstanceNotFound", FailureKind.NotFound, path.ToString(), path.ToString(), ComputerName);
        }
    }

    internal IReadOnlyList<CimObject> ServeGetAssociated(CimInstancePath source, string associationClass, string resultClass, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        BeginRoundTrip(cancellationToken);
        using var cpu = CpuGate.Shared.Enter(cancellationToken);
        Interlocked.Increment(ref _queryCount);
        lock (_sync)
        {
            var vm = VMOfKeys(source.Keys);
            CheckFaults("GetAssociated", vm?.Name);
            AdvanceJobs(DateTime.UtcNow);
            var origin = FindInstance(source, vm)
                ?? throw GuestFeatureException.Create("CimInstanceNotFound", FailureKind.NotFound, source.ToString(), source.ToString(), ComputerName);
            return Associated(origin, vm, associationClass, resultClass);
        }
    }

    internal CimMethodResult ServeInvokeMethod(CimInstancePath target, string methodName, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        BeginRoundTrip(cancellationToken);
        Interlocked.Increment(ref _methodCallCount);
        if (!IsReadOnlyMethod(methodName))
        {
            Interlocked.Increment(ref _changeCallCount);
        }

        parameters ??= new Dictionary<string, object?>();
        lock (_sync)
        {
            var now = DateTime.UtcNow;
            AdvanceJobs(now);
            return Invoke(target, methodName, new Dictionary<string, object?>(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase), now);
        }
    }

    private static bool IsReadOnlyMethod(string methodName)
        => string.Equals(methodName, "GetSummaryInformation", StringComparison.OrdinalIgnoreCase);

    // ---- jobs ----

    private CimInstancePath StartJob(string className, string description, TimeSpan duration, DateTime now, Func<JobOutcome?> completion, Action<SimulatedJob>? attach = null)
    {
        var job = new SimulatedJob(className, description, now, duration, completion);
        attach?.Invoke(job);
        _jobs[job.Id] = job;
        Interlocked.Increment(ref _jobCount);
        return CimInstancePath.ForKey(CimNamespaces.Virtualization, className, "InstanceID", job.Id);
    }

    /// <summary>Under the lock: finishes the jobs that are due, in due order, and drops the expired ones.</summary>
    private void AdvanceJobs(DateTime now)
    {
        foreach (var job in _jobs.Values.Where(j => j.IsRunning && j.IsWorkDone && j.DueUtc <= now).OrderBy(j => j.DueUtc).ToList())
        {
            JobOutcome? outcome;
            try
            {
                outcome = job.Completion();
            }
            catch (GuestFeatureException e)
            {
                outcome = new JobOutcome((ushort)ProviderConstants.Failed, e.Message);
            }

            job.EndUtc = job.DueUtc;
            if (outcome is null)
            {
                job.State = ProviderConstants.JobCompleted;
            }
            else
            {
                job.State = ProviderConstants.JobException;
                job.ErrorCode = outcome.ErrorCode;
                job.ErrorDescription = outcome.Description;
            }
        }

        foreach (var expired in _jobs.Values.Where(j => j.EndUtc is { } end && end + TimeBeforeRemoval < now).Select(j => j.Id).ToList())
        {
            _jobs.Remove(expired);
        }
    }
}
