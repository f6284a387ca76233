using HyperVGuestFeatures.Catalog;

namespace HyperVGuestFeatures.Tests.Catalog;

public class FeatureCatalogTests
{
    [Fact]
    public void Has_35_features_with_unique_ids()
    {
        Assert.Equal(35, FeatureCatalog.Features.Count);
        Assert.Equal(35, FeatureCatalog.Features.Select(f => f.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("secure-boot", "ws2016")]
    [InlineData("uefi-boot", "ws2012r2")]
    [InlineData("static-ip-injection", "ws2012")]
    [InlineData("heartbeat", "ws2008r2")]
    public void Minimum_hosts_follow_the_support_matrix(string id, string host)
        => Assert.Equal(host, FeatureCatalog.Find(id)!.MinimumHost.Id);

    [Theory]
    [InlineData("6.3.9600", "accurate-time", false)]
    [InlineData("10.0.14393", "accurate-time", true)]
    [InlineData("10.0.20348.1", "secure-boot", true)]
    [InlineData("6.3.9600", "nmi", true)]
    [InlineData("6.2.9200", "nmi", false)]
    public void Host_support_compares_builds(string version, string id, bool supported)
        => Assert.Equal(supported, FeatureCatalog.IsSupportedBy(FeatureCatalog.Find(id)!, Version.Parse(version)));

    [Fact]
    public void Release_of_a_build_is_the_newest_not_newer_than_it()
    {
        Assert.Equal("ws2022", FeatureCatalog.ReleaseOf(new Version(10, 0, 20348))!.Id);
        Assert.Equal("ws2016", FeatureCatalog.ReleaseOf(new Version(10, 0, 15000))!.Id);
        Assert.Null(FeatureCatalog.ReleaseOf(new Version(6, 0, 6000)));
    }
}

public class FeatureCatalogAlternateNameTests
{
    [Theory]
    [InlineData("KVP (Key-Value pair) exchange", "kvp")]
    [InlineData("Key-Value Pair Exchange", "kvp")]
    [InlineData("vRSS (Virtual Receive Side Scaling)", "vrss")]
    [InlineData("Large Receive Offload (LRO)", "lro")]
    [InlineData("live migration", "live-migration")]
    public void Finds_a_feature_by_the_names_the_sources_use(string name, string id)
        => Assert.Equal(id, FeatureCatalog.Find(name)!.Id);
}
