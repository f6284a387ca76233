namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Text for the fix commands the module suggests (Detail, RecommendedAction, warnings): values are
/// quoted as PowerShell single-quoted strings, so a VM called <c>it's</c> gives a command that runs,
/// and the host is named, so a fix suggested in a multi-host run acts on the right host.
/// </summary>
public static class CommandText
{
    /// <summary>The inside of a single-quoted PowerShell string: every ' doubled.</summary>
    public static string Literal(string value) => value.Replace("'", "''");

    /// <summary><c>-VMName '&lt;vm&gt;' -ComputerName '&lt;host&gt;'</c> for a Hyper-V module command.</summary>
    public static string Target(VirtualMachine vm)
        => $"-VMName '{Literal(vm.Name)}' -ComputerName '{Literal(vm.ComputerName)}'";
}
