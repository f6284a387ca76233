using HyperVGuestFeatures.Catalog;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>Issue 10 item 8: a bad name is a failure for that name; the other names are still looked up.</summary>
public class VmInventoryTests
{
    private static (FakeCimClient Client, VmLookup Lookup) Find(params string[] names)
    {
        var client = new FakeCimClient();
        FakeLab.AddVm(client, "web");
        var selection = new VmSelection();
        selection.AddNames(names);
        return (client, VmInventory.Find(client, selection, CancellationToken.None));
    }

    [Theory]
    [InlineData("ubuntu[", "InvalidWildcardPattern")]
    [InlineData("we[b", "InvalidWildcardPattern")]
    [InlineData("a\0b", "VMNameInvalid")]
    public void A_bad_name_fails_alone_and_the_others_are_found(string bad, string errorId)
    {
        var (_, lookup) = Find(bad, "web");

        Assert.Equal("web", Assert.Single(lookup.Machines).Name);
        var failure = Assert.Single(lookup.Failures);
        Assert.Equal((errorId, FailureKind.InvalidArgument, (object?)bad), (failure.ErrorId, failure.Kind, failure.Target));
        Assert.DoesNotContain('\0', failure.Message);
    }

    [Fact]
    public void Only_bad_names_make_no_query()
    {
        var (client, lookup) = Find("ubuntu[", "a\0b");

        Assert.Empty(client.Queries);
        Assert.Empty(lookup.Machines);
        Assert.Equal(new[] { "InvalidWildcardPattern", "VMNameInvalid" }, lookup.Failures.Select(f => f.ErrorId));
    }

    [Fact]
    public void A_name_with_a_control_character_is_matched_in_memory_not_in_wql()
    {
        var (client, lookup) = Find("we\u0001b", "web");

        Assert.DoesNotContain('\u0001', Assert.Single(client.Queries));
        Assert.Equal("web", Assert.Single(lookup.Machines).Name);
        var failure = Assert.Single(lookup.Failures);
        Assert.Equal("VMNotFound", failure.ErrorId);
        Assert.Contains("'we`u{1}b'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web`[1`]")]
    [InlineData("web[12]")]
    [InlineData("*")]
    public void Valid_patterns_and_escaped_brackets_are_not_refused(string name)
        => Assert.Null(NamePatterns.Check(name, "VMName"));

    [Fact]
    public void An_invalid_feature_pattern_selects_nothing_and_the_other_names_still_select()
    {
        var features = CatalogFilter.Select(new[] { "Heart[", "Heartbeat" }, null, out var failures);

        Assert.Equal("Heartbeat", Assert.Single(features).Name);
        Assert.Equal(("InvalidWildcardPattern", (object?)"Heart["), (Assert.Single(failures).ErrorId, failures[0].Target));
        Assert.Empty(CatalogFilter.Select(new[] { "Heart[" }, null, out _));
        Assert.NotEmpty(CatalogFilter.Select(null, null, out _));
    }
}
