using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperVGuestFeatures.Cim.Mmi;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// <para type="synopsis">Starts simulated Hyper-V hosts for this PowerShell process (every runspace); cmdlets addressed to their names talk to the simulator.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "HyperVSimulator", SupportsShouldProcess = true, DefaultParameterSetName = ScenarioSet)]
[OutputType(typeof(HyperVSimulatorInfo))]
public sealed class StartHyperVSimulatorCommand : GuestFeatureCmdletBase
{
    private const string ScenarioSet = "Scenario";

    /// <summary>
    /// The longest -Latency: 10 s per round trip is already far beyond a slow WAN link (a one-host
    /// Get-GuestFeature makes about a dozen round trips); more only makes the host look hung.
    /// </summary>
    private static readonly TimeSpan MaxLatency = TimeSpan.FromSeconds(10);

    /// <summary>The longest -JobDuration: long enough to act on a VM while a job runs, short of a hung host.</summary>
    private static readonly TimeSpan MaxJobDuration = TimeSpan.FromMinutes(1);
    private const string PathSet = "Path";
    private byte[]? _fixture;
    private string? _fixturePath;
    private bool? _localHostIsReal;

    /// <summary>
    /// Says whether this computer is a real Hyper-V host, whose name a simulated host would shadow. The
    /// real probe asks local WMI (<see cref="MmiLocalHost"/>); tests put a stand-in here to play "a real
    /// host is here" on a machine without Hyper-V.
    /// </summary>
    internal static Func<bool> DetectLocalHyperVHost { get; set; } = MmiLocalHost.HasHyperVProvider;

    /// <summary>Host names to simulate; the local computer by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateComputerName]
    public string[]? ComputerName { get; set; }

    /// <summary>The built-in lab: Default (WS2022), WS2022, WS2019, WS2016 or WS2012R2.</summary>
    [Parameter(ParameterSetName = ScenarioSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ScenarioCompleter))]
    public string Scenario { get; set; } = SimulatorScenarios.Default;

    /// <summary>A JSON fixture describing the lab (docs/simulator-fixtures.md).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Replaces the scenario's VMs with this many generated running Linux guests (benchmarks).</summary>
    [Parameter(ParameterSetName = ScenarioSet)]
    [ValidateRange(0, 100000)]
    public int? VMCount { get; set; }

    /// <summary>Time added to every round trip to the simulated provider: 0 to 10 seconds.</summary>
    [Parameter]
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// How long the simulated provider's jobs run before they end (settings, KVP, NMI and state changes; a
    /// copy also takes its size into account): 0 to 1 minute, 20 ms by default.
    /// </summary>
    [Parameter]
    public TimeSpan? JobDuration { get; set; }

    /// <summary>Writes the started hosts to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Starts a simulated host under this computer's name even when this computer is a real Hyper-V host,
    /// whose provider the simulator then hides from every command of this process until it is stopped.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void OnBegin()
    {
        // Everything that can be wrong with the request is found before any host starts: terminating errors.
        try
        {
            if (Latency < TimeSpan.Zero)
            {
                throw new GuestFeatureException("SimulatorLatencyNegative", FailureKind.InvalidArgument, Latency, GuestFeatureException.Format("SimulatorLatencyNegative", Latency));
            }

            if (Latency > MaxLatency)
            {
                throw GuestFeatureException.Create("SimulatorLatencyTooLarge", FailureKind.InvalidArgument, Latency, Latency, MaxLatency);
            }

            if (JobDuration is { } duration && (duration < TimeSpan.Zero || duration > MaxJobDuration))
            {
                throw GuestFeatureException.Create("SimulatorJobDurationOutOfRange", FailureKind.InvalidArgument, duration, duration, MaxJobDuration);
            }

            if (ParameterSetName == PathSet)
            {
                _fixturePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
                if (!File.Exists(_fixturePath))
                {
                    throw GuestFeatureException.Create("SimulatorFixtureNotFound", FailureKind.NotFound, _fixturePath, _fixturePath);
                }

                _fixture = File.ReadAllBytes(_fixturePath);
                SimulatorFixture.Parse(_fixture, _fixturePath, Environment.MachineName);
            }
            else
            {
                Scenario = SimulatorScenarios.Canonical(Scenario);
            }
        }
        catch (GuestFeatureException failure)
        {
            ThrowFailure(failure);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowFailure(GuestFeatureException.Create("SimulatorFixtureInvalid", FailureKind.InvalidArgument, _fixturePath, _fixturePath, e.Message));
        }
    }

    protected override void OnProcess()
    {
        foreach (var requested in SimulatorCommandSupport.NamesOrLocal(ComputerName))
        {
            var name = SimulatorSessions.NormalizeHostName(requested);
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteFailure(GuestFeatureException.Create("SimulatorHostNameInvalid", FailureKind.InvalidArgument, name, name));
                continue;
            }

            // A simulated host under this computer's name answers in place of its real provider: refuse
            // unless asked for (-Force), so the simulator never passes for a real host by accident.
            var shadowsRealHost = string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                && (_localHostIsReal ??= DetectLocalHyperVHost());
            if (shadowsRealHost && !Force)
            {
                WriteFailure(new GuestFeatureException("SimulatorWouldShadowHost", FailureKind.AlreadyExists, name, GuestFeatureException.Format("SimulatorWouldShadowHost", name))
                {
                    RecommendedAction = GuestFeatureException.Format("SimulatorWouldShadowHostAction"),
                });
                continue;
            }

            var what = _fixture is null ? Scenario : _fixturePath!;
            if (!ShouldProcess(name, GuestFeatureException.Format("SimulatorStartAction", what)))
            {
                continue;
            }

            if (shadowsRealHost)
            {
                WriteWarning(GuestFeatureException.Format("SimulatorShadowsHost", name));
            }

            SimulatedLab lab = _fixture is not null
                ? SimulatorFixture.Parse(_fixture, _fixturePath!, name, System.IO.Path.GetFileNameWithoutExtension(_fixturePath!))
                : VMCount is { } count
                    ? SimulatorScenarios.Generate(count, name, Scenario)
                    : SimulatorScenarios.Create(Scenario, name);
            var host = new SimulatedHost(name, lab) { Latency = Latency };
            if (JobDuration is { } jobDuration)
            {
                host.SettingsJobDuration = jobDuration;
                host.CopyJobBaseDuration = jobDuration;
            }

            WriteVerbose(GuestFeatureException.Format("SimulatorStarted", name, host.Scenario, host.HostVersion, host.VMCount));
            if (SimulatorSessions.Current.Register(host) is { } replaced)
            {
                replaced.Stop();
                WriteWarning(GuestFeatureException.Format("SimulatorReplaced", name));
            }

            if (PassThru)
            {
                WriteObject(new HyperVSimulatorInfo(host, default));
            }
        }
    }

    /// <summary>Completes -Scenario with the built-in lab names.</summary>
    private sealed class ScenarioCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SimulatorScenarios.Names
                .Where(n => n.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}
