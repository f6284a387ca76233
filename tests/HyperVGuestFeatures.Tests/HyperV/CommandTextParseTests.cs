using System.Management.Automation;
using System.Management.Automation.Language;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

/// <summary>
/// Issue 10 item 13: a suggested command must run as printed. Each is parsed as PowerShell parses it,
/// and the values its parameters would receive are checked: the host exactly, and a -VMName that, as
/// the wildcard pattern the cmdlet matches with, selects exactly that VM.
/// </summary>
public class CommandTextParseTests
{
    [Theory]
    [InlineData("it's", "hv'01")]
    [InlineData("it\u2019s", "hv\u201901")]            // ’ ends a single-quoted string like '
    [InlineData("\u2018quoted\u2019", "host")]          // ‘ ’
    [InlineData("\u201Alow\u201B", "host")]             // ‚ ‛
    [InlineData("web[1]", "host")]                      // [ ] are a character set unless escaped
    [InlineData("a*b?", "host")]
    [InlineData("back`tick", "host")]
    [InlineData("$(Get-Date) ; exit", "host")]          // nothing in single quotes is expanded
    public void The_target_of_a_suggested_command_parses_to_exactly_that_VM_and_host(string vmName, string host)
    {
        var vm = new VirtualMachine(host, Guid.Empty, vmName, VMState.Off, VmInventory.PathOf(Guid.Empty));
        var command = CommandText.EnableFeature(vm, "File copy from host to guest");

        var arguments = Arguments(command);
        Assert.StartsWith("Enable-GuestFeature ", command, StringComparison.Ordinal);

        Assert.Equal(host, arguments["ComputerName"]);
        var pattern = new WildcardPattern(arguments["VMName"], WildcardOptions.IgnoreCase);
        Assert.True(pattern.IsMatch(vmName), $"{arguments["VMName"]} does not match {vmName}");
        Assert.Equal(vmName, WildcardPattern.Unescape(arguments["VMName"]));
        Assert.Equal("File copy from host to guest", arguments["Name"]);
    }

    [Fact]
    public void A_bracketed_name_does_not_select_the_VM_its_pattern_would()
    {
        var vm = new VirtualMachine("host", Guid.Empty, "web[1]", VMState.Off, VmInventory.PathOf(Guid.Empty));
        var pattern = new WildcardPattern(Arguments("Get-KvpItem " + CommandText.Target(vm))["VMName"], WildcardOptions.IgnoreCase);
        Assert.False(pattern.IsMatch("web1"));
    }

    [Fact]
    public void A_literal_is_one_single_quoted_string_whatever_the_quotes()
    {
        foreach (var text in new[] { "'", "\u2018", "\u2019", "\u201A", "\u201B", "''\u2019'", "a'b\u2019c" })
        {
            Assert.Equal(text, Arguments("Test-WSMan -ComputerName '" + CommandText.Literal(text) + "'")["ComputerName"]);
        }
    }

    /// <summary>The named parameters of the one command in <paramref name="script"/> and the string each receives.</summary>
    private static Dictionary<string, string> Arguments(string script)
    {
        var ast = Parser.ParseInput(script, out _, out var errors);
        Assert.Empty(errors);
        var command = Assert.Single(ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>());
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var elements = command.CommandElements;
        for (var i = 1; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst parameter)
            {
                var value = Assert.IsType<StringConstantExpressionAst>(parameter.Argument ?? elements[++i]);
                Assert.Equal(StringConstantType.SingleQuoted, value.StringConstantType);
                result[parameter.ParameterName] = value.Value;
            }
        }

        return result;
    }
}
