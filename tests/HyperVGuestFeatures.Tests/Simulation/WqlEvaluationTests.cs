using HyperVGuestFeatures.Cim;
using static HyperVGuestFeatures.Tests.Simulation.SimTest;

namespace HyperVGuestFeatures.Tests.Simulation;

/// <summary>The simulated provider's WQL: the subset the module writes, plus the rest of the data-query grammar.</summary>
public class WqlEvaluationTests
{
    private readonly ICimClient _client = Lab().Client;

    private int Count(string where) => _client.Query(V2, "SELECT * FROM Msvm_ComputerSystem WHERE " + where, None).Count;

    [Theory]
    [InlineData("ElementName = 'ubuntu-web'", 1)]
    [InlineData("ElementName = \"UBUNTU-WEB\"", 1)] // string comparison is case-insensitive, as in WMI
    [InlineData("Description = 'Microsoft Virtual Machine'", 7)]
    [InlineData("Description <> 'Microsoft Virtual Machine'", 1)]
    [InlineData("Description != 'Microsoft Virtual Machine'", 1)]
    [InlineData("EnabledState = 3", 1)]
    [InlineData("EnabledState >= 3", 1)] // only suse-off: the other VMs and the host run (2)
    [InlineData("ElementName = 'ubuntu-web' OR ElementName = 'rhel-db'", 2)]
    [InlineData("(ElementName = 'ubuntu-web' OR ElementName = 'rhel-db') AND EnabledState = 2", 2)]
    [InlineData("NOT ElementName = 'ubuntu-web' AND Description = 'Microsoft Virtual Machine'", 6)]
    [InlineData("ElementName LIKE '%-web'", 1)]
    [InlineData("ElementName LIKE 'rhel_db'", 1)]
    [InlineData("ElementName NOT LIKE '%o%'", 5)] // four VMs and the host HV1
    [InlineData("OnTimeInMilliseconds IS NULL", 1)]
    [InlineData("OnTimeInMilliseconds IS NOT NULL", 7)]
    [InlineData("3 = EnabledState", 1)]
    public void Evaluates_conditions(string where, int expected)
        => Assert.Equal(expected, Count(where));

    [Fact]
    public void Booleans_compare_with_TRUE_and_FALSE()
    {
        Assert.Equal(3, _client.Query(V2, "SELECT * FROM Msvm_MemorySettingData WHERE DynamicMemoryEnabled = TRUE", None).Count);
        Assert.Equal(4, _client.Query(V2, "SELECT * FROM Msvm_MemorySettingData WHERE DynamicMemoryEnabled = FALSE", None).Count);
    }

    [Theory]
    [InlineData("x' OR Name like '%")]
    [InlineData("x' OR ElementName <> '")]
    [InlineData("\\' OR 1=1 --")]
    [InlineData("a\"b")]
    public void An_escaped_injection_string_matches_only_a_vm_with_exactly_that_name(string name)
    {
        var query = Wql.Select("Msvm_ComputerSystem", Wql.Equal("ElementName", name));
        Assert.Empty(_client.Query(V2, query, None));

        var (host, client) = Lab(name: "HV-INJ");
        host.AddVM(new HyperVGuestFeatures.Simulation.SimulatedVM(name, Guid.NewGuid()));
        var match = Assert.Single(client.Query(V2, query, None));
        Assert.Equal(name, match.GetString("ElementName"));
    }

    [Theory]
    [InlineData("SELECT FROM Msvm_ComputerSystem")]
    [InlineData("SELECT * Msvm_ComputerSystem")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'unclosed")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE ElementName 'x'")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE (ElementName = 'x'")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'x' extra")]
    [InlineData("SELECT * FROM Msvm_ComputerSystem WHERE NoSuchProperty = 1")]
    [InlineData("DELETE FROM Msvm_ComputerSystem")]
    public void A_malformed_query_is_an_invalid_query(string wql)
    {
        var e = Assert.Throws<GuestFeatureException>(() => _client.Query(V2, wql, None));
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
        Assert.Equal("CimInvalidQuery", e.ErrorId);
        Assert.StartsWith("Invalid query", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_class_or_namespace_is_refused()
    {
        Assert.Equal("CimInvalidClass", Assert.Throws<GuestFeatureException>(() => _client.Query(V2, "SELECT * FROM Msvm_NoSuchClass", None)).ErrorId);
        Assert.Equal("CimInvalidNamespace", Assert.Throws<GuestFeatureException>(() => _client.Query(@"root\nowhere", "SELECT * FROM Msvm_ComputerSystem", None)).ErrorId);
        Assert.Equal("CimInvalidClass", Assert.Throws<GuestFeatureException>(() => _client.Query(CimNamespaces.Cimv2, "SELECT * FROM Msvm_ComputerSystem", None)).ErrorId);
    }

    [Fact]
    public void A_class_newer_than_the_host_is_an_invalid_class_there()
    {
        var old = new HyperVGuestFeatures.Simulation.SimulatedHost("OLD", HyperVGuestFeatures.Simulation.SimulatorScenarios.Create("WS2012R2", "OLD")).Connect();
        var failure = Assert.Throws<GuestFeatureException>(() => old.Query(V2, "SELECT * FROM Msvm_PciExpressSettingData", None));
        Assert.Equal("CimInvalidClass", failure.ErrorId);
        Assert.Equal(FailureKind.NotSupported, failure.Kind);
        Assert.Empty(_client.Query(V2, "SELECT * FROM Msvm_PciExpressSettingData", None));
    }

    [Fact]
    public void A_property_list_returns_those_properties_and_the_keys()
    {
        var vm = _client.Query(V2, "SELECT ElementName FROM Msvm_ComputerSystem WHERE ElementName = 'rhel-db'", None).Single();
        Assert.Equal("rhel-db", vm.GetString("ElementName"));
        Assert.NotNull(vm.GetString("Name"));
        Assert.False(vm.Properties.ContainsKey("EnabledState"));
    }

    [Fact]
    public void Forward_slashes_in_the_namespace_work_too()
        => Assert.Equal(8, _client.Query("root/virtualization/v2", "SELECT * FROM Msvm_ComputerSystem", None).Count);
}
