using System.Diagnostics;
using System.Globalization;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;

// What Get-VM | Get-VMIntegrationService, Get-VMMemory and Get-VMNetworkAdapter do for each VM: look the VM up by
// name, then walk associations from it: its realized settings, each of the six integration services' settings and
// runtime component, its memory settings and its network adapters' settings. 16 round trips per VM. Hosts are worked
// on in parallel (at most 32 at once), the fairest reading of that pattern. At most --cap VMs a host are walked; the
// pattern's cost is linear in the VMs by construction, so beyond the cap the time is extrapolated and marked so.
// Usage: PerVmPattern --vms N --hosts H --latency-ms L --cap C   -> one JSON object on stdout.
var options = ParseArguments(args);
var vms = options["vms"];
var hostCount = options["hosts"];
var cap = options["cap"];
var latency = TimeSpan.FromMilliseconds(options["latency-ms"]);

var hosts = Enumerable.Range(1, hostCount)
    .Select(i => new SimulatedHost("pattern" + i.ToString("D2", CultureInfo.InvariantCulture), SimulatorScenarios.Generate(vms, "pattern" + i.ToString("D2", CultureInfo.InvariantCulture))) { Latency = latency })
    .ToList();
var walked = Math.Min(vms, cap);
var components = new[]
{
    "Msvm_ShutdownComponent", "Msvm_TimeSyncComponent", "Msvm_HeartbeatComponent",
    "Msvm_KvpExchangeComponent", "Msvm_VssComponent", "Msvm_GuestServiceInterfaceComponent",
};

// A round trip's latency blocks its thread, as a real client's does: give every host worked on at once its own thread
// from the start instead of waiting for the thread pool to grow.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 32), minIo);

var watch = Stopwatch.StartNew();
Parallel.ForEach(hosts, new ParallelOptions { MaxDegreeOfParallelism = 32 }, host => Walk(host, walked));
watch.Stop();

var scale = (double)vms / Math.Max(1, walked);
var opsPerHost = hosts.Max(h => h.QueryCount + h.MethodCallCount);
Console.WriteLine(string.Format(
    CultureInfo.InvariantCulture,
    "{{\"Seconds\":{0:0.###},\"OpsPerHost\":{1},\"Extrapolated\":{2}}}",
    watch.Elapsed.TotalSeconds * scale,
    (long)Math.Round(opsPerHost * scale),
    scale != 1 ? "true" : "false"));
foreach (var host in hosts)
{
    host.Stop();
}

return 0;

void Walk(SimulatedHost host, int limit)
{
    var none = CancellationToken.None;
    using var client = host.Connect();
    foreach (var name in host.VMNames.Take(limit))
    {
        var vm = client.Query(CimNamespaces.Virtualization, Wql.Select("Msvm_ComputerSystem", Wql.Equal("ElementName", name)), none)[0];
        var settings = client.GetAssociated(vm.Path, "Msvm_SettingsDefineState", "Msvm_VirtualSystemSettingData", none)[0];
        foreach (var component in components)
        {
            _ = client.GetAssociated(settings.Path, "Msvm_VirtualSystemSettingDataComponent", component + "SettingData", none);
            _ = client.GetAssociated(vm.Path, "Msvm_SystemDevice", component, none);
        }

        _ = client.GetAssociated(settings.Path, "Msvm_VirtualSystemSettingDataComponent", "Msvm_MemorySettingData", none);
        _ = client.GetAssociated(settings.Path, "Msvm_VirtualSystemSettingDataComponent", "Msvm_SyntheticEthernetPortSettingData", none);
    }
}

static Dictionary<string, int> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["vms"] = 10, ["hosts"] = 1, ["latency-ms"] = 2, ["cap"] = 200 };
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        parsed[args[i].TrimStart('-')] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }

    return parsed;
}
