using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Small helpers for the simulator tests; jobs are polled here, not with the module's job waiter.</summary>
internal static class SimTest
{
    public const string V2 = CimNamespaces.Virtualization;

    public static readonly CancellationToken None = CancellationToken.None;

    public static (SimulatedHost Host, ICimClient Client) Lab(string scenario = SimulatorScenarios.Default, string name = "HV1")
    {
        var host = new SimulatedHost(name, SimulatorScenarios.Create(scenario, name));
        return (host, host.Connect());
    }

    public static CimObject VM(this ICimClient client, string name)
        => Assert.Single(client.Query(V2, Wql.Select("Msvm_ComputerSystem", Wql.Equal("ElementName", name)), None));

    public static string VMId(this ICimClient client, string name) => client.VM(name).GetString("Name")!;

    public static CimObject Single(this ICimClient client, string className, string vmName)
    {
        var id = client.VMId(vmName);
        return Assert.Single(client.Query(V2, Wql.Select(className), None), o =>
            string.Equals(o.GetString("SystemName"), id, StringComparison.OrdinalIgnoreCase)
            || (o.GetString("InstanceID") ?? string.Empty).StartsWith("Microsoft:" + id, StringComparison.OrdinalIgnoreCase)
            || string.Equals(o.GetString("Name"), id, StringComparison.OrdinalIgnoreCase));
    }

    public static CimInstancePath Service(this ICimClient client)
        => Assert.Single(client.Query(V2, Wql.Select("Msvm_VirtualSystemManagementService"), None)).Path;

    public static Dictionary<string, object?> Args(params (string Name, object? Value)[] values)
        => values.ToDictionary(v => v.Name, v => v.Value);

    public static string Embedded(string className, params (string Name, object? Value)[] properties)
        => CimXml.Serialize(new CimObject(className, properties.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value))));

    public static string KvpItem(string name, string data, ushort source = 0)
        => Embedded("Msvm_KvpExchangeDataItem", ("Name", name), ("Data", data), ("Source", source));

    /// <summary>Polls the job every 10 ms until it leaves Running (or 10 s pass); returns its last state.</summary>
    public static CimObject WaitJob(this ICimClient client, CimMethodResult result)
    {
        Assert.Equal(4096u, result.ReturnValue);
        Assert.NotNull(result.Job);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var job = client.GetInstance(result.Job!, None);
            if (job.GetUInt16("JobState") != 4 || DateTime.UtcNow > deadline)
            {
                return job;
            }

            Thread.Sleep(10);
        }
    }

    public static void AssertCompleted(CimObject job)
    {
        Assert.True(job.GetUInt16("JobState") == 7, $"job ended {job.GetUInt16("JobState")}: {job.GetString("ErrorDescription")}");
        Assert.Equal((ushort)0, job.GetUInt16("ErrorCode"));
    }

    public static void AssertFailed(CimObject job, ushort errorCode)
    {
        Assert.Equal((ushort)10, job.GetUInt16("JobState"));
        Assert.Equal(errorCode, job.GetUInt16("ErrorCode"));
        Assert.False(string.IsNullOrEmpty(job.GetString("ErrorDescription")));
    }
}
