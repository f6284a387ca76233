using HyperVGuestFeatures.Cim;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Job lifecycle (docs/provider-model.md "Jobs"): Running → Completed / Exception; RequestStateChange(4) → Terminated.</summary>
public class JobTests
{
    [Fact]
    public void A_job_runs_then_completes_and_stays_queryable()
    {
        var (host, client) = Lab();
        host.SettingsJobDuration = TimeSpan.FromSeconds(2);
        var result = client.InvokeMethod(client.VM("rhel-db").Path, "InjectNonMaskableInterrupt", Args(), None);
        Assert.Equal(4096u, result.ReturnValue);
        Assert.Equal("Msvm_ConcreteJob", result.Job!.ClassName);
        var running = client.GetInstance(result.Job, None);
        Assert.Equal((ushort)4, running.GetUInt16("JobState"));
        Assert.True(running.GetBoolean("Cancellable"));
        Assert.Equal(TimeSpan.FromMinutes(5), running["TimeBeforeRemoval"]);
        var done = client.WaitJob(result);
        AssertCompleted(done);
        Assert.Equal((ushort)100, done.GetUInt16("PercentComplete"));
        Assert.Contains(client.Query(V2, Wql.Select("Msvm_ConcreteJob", Wql.Equal("InstanceID", result.Job.Keys["InstanceID"]!)), None), j => j.GetUInt16("JobState") == 7);
    }

    [Fact]
    public void Cancelling_a_running_job_terminates_it_and_applies_nothing()
    {
        var (host, client) = Lab();
        host.SettingsJobDuration = TimeSpan.FromSeconds(30);
        var result = client.InvokeMethod(client.Service(), "AddKvpItems", Args(("TargetSystem", client.VM("rhel-db").Path), ("DataItems", new[] { KvpItem("k", "v") })), None);
        Assert.Equal(0u, client.InvokeMethod(result.Job!, "RequestStateChange", Args(("RequestedState", (ushort)4)), None).ReturnValue);
        var job = client.GetInstance(result.Job!, None);
        Assert.Equal((ushort)8, job.GetUInt16("JobState"));
        Assert.Empty(host.InspectVM("rhel-db", vm => vm.HostItems));

        // MSDOC requeststatechange-msvm-concretejob: its own codes, 4097 Invalid State Transition for a job that ended.
        Assert.Equal(4097u, client.InvokeMethod(result.Job!, "RequestStateChange", Args(("RequestedState", (ushort)4)), None).ReturnValue);
    }

    [Fact]
    public void Kill_stops_a_job_at_once_and_other_requests_get_the_documented_codes()
    {
        var (host, client) = Lab();
        host.SettingsJobDuration = TimeSpan.FromSeconds(30);
        var result = client.InvokeMethod(client.VM("rhel-db").Path, "InjectNonMaskableInterrupt", Args(), None);
        uint Request(object? state) => client.InvokeMethod(result.Job!, "RequestStateChange", Args(("RequestedState", state)), None).ReturnValue;

        Assert.Equal(5u, Request((ushort)42));      // Invalid Parameter
        Assert.Equal(5u, Request("soon"));
        Assert.Equal(1u, Request((ushort)3));       // Suspend: Not Supported
        Assert.Equal(0u, Request((ushort)5));       // Kill
        Assert.Equal((ushort)9, client.GetInstance(result.Job!, None).GetUInt16("JobState"));
        Assert.Equal(0, host.InspectVM("rhel-db", vm => vm.NmiCount));
        Assert.Equal(4097u, Request((ushort)5));
    }

    [Fact]
    public void A_copy_job_is_a_CIM_ConcreteJob_but_not_an_Msvm_ConcreteJob()
    {
        var (_, client) = Lab();
        var file = Path.GetTempFileName();
        try
        {
            var service = client.Single("Msvm_GuestFileService", "ubuntu-web");
            var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", file), ("DestinationPath", "/tmp/f"));
            var result = client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);
            client.WaitJob(result);
            Assert.Equal("Msvm_CopyFileToGuestJob", result.Job!.ClassName);

            // MSDOC msvm-copyfiletoguestjob: class Msvm_CopyFileToGuestJob : CIM_ConcreteJob.
            Assert.DoesNotContain(client.Query(V2, "SELECT * FROM Msvm_ConcreteJob", None), j => j.ClassName == "Msvm_CopyFileToGuestJob");
            Assert.Contains(client.Query(V2, "SELECT * FROM CIM_ConcreteJob", None), j => j.ClassName == "Msvm_CopyFileToGuestJob");
            Assert.Single(client.Query(V2, "SELECT * FROM Msvm_CopyFileToGuestJob", None));
            var id = result.Job.Keys["InstanceID"]!;
            Assert.Equal("Msvm_CopyFileToGuestJob", client.GetInstance(CimInstancePath.ForKey(V2, "CIM_ConcreteJob", "InstanceID", id), None).ClassName);
            Assert.Equal(FailureKind.NotFound, Assert.Throws<GuestFeatureException>(() => client.GetInstance(CimInstancePath.ForKey(V2, "Msvm_ConcreteJob", "InstanceID", id), None)).Kind);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_job_is_NotFound()
    {
        var (_, client) = Lab();
        Assert.Equal(FailureKind.NotFound, Assert.Throws<GuestFeatureException>(() => client.GetInstance(CimInstancePath.ForKey(V2, "Msvm_ConcreteJob", "InstanceID", Guid.NewGuid().ToString()), None)).Kind);
    }
}
