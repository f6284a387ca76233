using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Tests.Cim;

public class WqlTests
{
    [Theory]
    [InlineData("web01", "'web01'")]
    [InlineData("x' OR Name like '%", @"'x\' OR Name like \'%'")]
    [InlineData(@"a\b", @"'a\\b'")]
    [InlineData("say \"hi\"", "'say \\\"hi\\\"'")]
    [InlineData("100%_done", "'100%_done'")]
    public void Literal_escapes_quotes_and_backslashes(string value, string expected)
        => Assert.Equal(expected, Wql.Literal(value));

    [Fact]
    public void Literal_rejects_nul() => Assert.Throws<ArgumentException>(() => Wql.Literal("a\0b"));

    [Fact]
    public void Literal_formats_numbers_and_booleans_invariantly()
    {
        Assert.Equal("4096", Wql.Literal(4096u));
        Assert.Equal("TRUE", Wql.Literal(true));
    }

    [Fact]
    public void AnyOf_joins_equalities_with_or()
        => Assert.Equal("(ElementName = 'a' OR ElementName = 'b\\'c')", Wql.AnyOf("ElementName", new object[] { "a", "b'c" }));

    [Fact]
    public void Select_refuses_a_class_name_that_is_not_an_identifier()
        => Assert.Throws<ArgumentException>(() => Wql.Select("Msvm_ComputerSystem; DROP"));

    [Fact]
    public void Select_with_condition()
        => Assert.Equal("SELECT * FROM Msvm_ComputerSystem WHERE Name = 'G'", Wql.Select("Msvm_ComputerSystem", Wql.Equal("Name", "G")));
}
