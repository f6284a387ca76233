using HyperVGuestFeatures.Cim;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>Job lifecycle (reference §0.3): Running → Completed / Exception; RequestStateChange(4) → Terminated.</summary>
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
        Assert.Equal(32775u, client.InvokeMethod(result.Job!, "RequestStateChange", Args(("RequestedState", (ushort)4)), None).ReturnValue);
    }

    [Fact]
    public void A_copy_job_is_returned_by_queries_of_Msvm_ConcreteJob()
    {
        var (_, client) = Lab();
        var file = Path.GetTempFileName();
        try
        {
            var service = client.Single("Msvm_GuestFileService", "ubuntu-web");
            var setting = Embedded("Msvm_CopyFileToGuestSettingData", ("SourcePath", file), ("DestinationPath", "/tmp/f"));
            var result = client.InvokeMethod(service.Path, "CopyFilesToGuest", Args(("CopyFileToGuestSettings", new[] { setting })), None);
            client.WaitJob(result);
            Assert.Contains(client.Query(V2, "SELECT * FROM Msvm_ConcreteJob", None), j => j.ClassName == "Msvm_CopyFileToGuestJob");
            var byBaseClass = CimInstancePath.ForKey(V2, "Msvm_ConcreteJob", "InstanceID", result.Job!.Keys["InstanceID"]!);
            Assert.Equal("Msvm_CopyFileToGuestJob", client.GetInstance(byBaseClass, None).ClassName);
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
