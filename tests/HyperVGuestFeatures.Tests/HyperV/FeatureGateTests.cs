using HyperVGuestFeatures.HyperV;
using HyperVGuestFeatures.Tests.Reporting;

namespace HyperVGuestFeatures.Tests.HyperV;

public class FeatureGateTests
{
    private static readonly List<GuestFeatureStatus> Rows = ReportLab.Rows("hv1", hostile: false);

    [Fact]
    public void A_vm_passes_when_every_feature_is_in_an_expected_state()
    {
        var gate = new FeatureGate(new[] { FeatureState.Enabled }, null);
        var results = gate.Evaluate(Rows.Where(r => r.Feature is "Heartbeat" or "Secure boot"));
        Assert.Equal(7, results.Count);
        Assert.Equal(new[] { "alma-noguestsvc", "rhel-db", "ubuntu-web" }, results.Where(r => r.Passed).Select(r => r.VMName).OrderBy(n => n));
        var centos = results.Single(r => r.VMName == "centos-hung");
        Assert.Equal(2, centos.FeatureCount);
        Assert.Equal(new[] { "Heartbeat", "Secure boot" }, centos.Failures.Select(f => f.Feature));
    }

    [Fact]
    public void Several_states_and_guest_support_narrow_or_widen_what_passes()
    {
        var heartbeat = Rows.Where(r => r.Feature == "Heartbeat").ToList();
        Assert.True(new FeatureGate(new[] { FeatureState.Enabled, FeatureState.NotObservable }, null).Evaluate(heartbeat.Where(r => r.VMName == "suse-off")).Single().Passed);
        var supported = new FeatureGate(new[] { FeatureState.Enabled }, new[] { GuestSupport.Supported });
        foreach (var result in supported.Evaluate(heartbeat))
        {
            var row = heartbeat.Single(r => r.VMName == result.VMName);
            Assert.Equal(row.State == FeatureState.Enabled && row.GuestSupport == GuestSupport.Supported, result.Passed);
        }
    }

    [Fact]
    public void Needs_at_least_one_state()
        => Assert.Throws<ArgumentException>(() => new FeatureGate(Array.Empty<FeatureState>(), null));
}
