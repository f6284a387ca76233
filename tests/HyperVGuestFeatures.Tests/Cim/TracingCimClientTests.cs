using System.Collections.Concurrent;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Tests.Simulation;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Cim;

/// <summary>What -Debug shows of the calls to the provider: everything sent, never a KVP value or a secret.</summary>
public class TracingCimClientTests
{
    private readonly ConcurrentQueue<string> _messages = new();

    private TracingCimClient Traced(ICimClient inner) => new(inner, _messages.Enqueue);

    [Fact]
    public void A_query_shows_its_WQL_then_how_many_instances_came_back()
    {
        var (_, inner) = Lab();
        var client = Traced(inner);

        var found = client.Query(V2, "SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'rhel-db'", None);

        Assert.Single(found);
        Assert.Collection(
            _messages,
            m => Assert.Equal(@"CIM call 1 to 'HV1': query SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'rhel-db' (root\virtualization\v2)", m),
            m => Assert.Matches(@"^CIM call 1 from 'HV1': 1 instance\(s\) \(\d+ ms\)$", m));
    }

    [Fact]
    public void A_method_shows_its_parameters_return_code_and_job_and_KVP_values_by_size_only()
    {
        var (_, inner) = Lab();
        var client = Traced(inner);
        var item = Embedded("Msvm_KvpExchangeDataItem", ("Name", "token"), ("Data", "S3cret-Token-Value"), ("Source", (ushort)0));

        var result = client.InvokeMethod(client.Service(), "AddKvpItems", Args(("TargetSystem", inner.VM("ubuntu-web").Path), ("DataItems", new[] { item })), None);

        var messages = _messages.ToList();
        var call = Assert.Single(messages, m => m.Contains("AddKvpItems on Msvm_VirtualSystemManagementService", StringComparison.Ordinal));
        Assert.Contains("TargetSystem = Msvm_ComputerSystem.CreationClassName=\"Msvm_ComputerSystem\",Name=\"" + inner.VMId("ubuntu-web") + "\"", call, StringComparison.Ordinal);
        Assert.Contains("DataItems = [Msvm_KvpExchangeDataItem { Name = token, Data = <18 characters>, Source = 0 }]", call, StringComparison.Ordinal);
        Assert.DoesNotContain(messages, m => m.Contains("S3cret", StringComparison.Ordinal));
        var job = Assert.IsType<string>(result.Job!.Keys["InstanceID"]);
        Assert.Contains(messages, m => m.StartsWith("CIM call 2 from 'HV1': returned 4096 (Method Parameters Checked - Job Started), job " + job + " (", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_read_back_shows_its_state_and_error_code()
    {
        var (_, inner) = Lab();
        var client = Traced(inner);
        var result = inner.InvokeMethod(inner.VM("rhel-db").Path, "InjectNonMaskableInterrupt", Args(), None);

        client.GetInstance(result.Job!, None);

        Assert.Matches(@"^CIM call 1 from 'HV1': Msvm_ConcreteJob, JobState \d+ \(\w+( \w+)*\), ErrorCode 0 \(\d+ ms\)$", _messages.Last());
    }

    [Fact]
    public void A_failure_is_shown_and_still_thrown()
    {
        var (host, inner) = Lab();
        host.Stop();
        var client = Traced(inner);

        var failure = Assert.Throws<GuestFeatureException>(() => client.Query(V2, "SELECT * FROM Msvm_ComputerSystem", None));

        Assert.Equal("HostUnreachable", failure.ErrorId);
        Assert.Matches(@"^CIM call 1 from 'HV1': failed after \d+ ms: ", _messages.Last());
        Assert.EndsWith(failure.Message, _messages.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_are_cut_and_counted()
    {
        var text = new string('x', TracingCimClient.MaxValueLength + 50);

        var shown = TracingCimClient.Render(text);

        Assert.Equal(new string('x', TracingCimClient.MaxValueLength) + "... (" + (TracingCimClient.MaxValueLength + 50) + " characters)", shown);
    }

    [Fact]
    public void Numbers_are_shown_the_same_in_any_culture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("[1.5, 4096]", TracingCimClient.Render(new object[] { 1.5, 4096u }));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }
}
