using System.Management.Automation.Language;

namespace HyperVGuestFeatures.HyperV;

/// <summary>
/// Text for the fix commands the module suggests (Detail, RecommendedAction, warnings), so that they
/// run as printed: values are PowerShell single-quoted strings, and a VM name is also escaped for
/// the wildcard matching of the -VMName/-Name parameters it goes to (this module's, and the Hyper-V
/// module's: Get-VM -Name accepts wildcards, PSDOC Get-VM). The host is named, so a fix suggested in
/// a multi-host run acts on the right host.
/// </summary>
internal static class CommandText
{
    /// <summary>
    /// The inside of a single-quoted PowerShell string. PowerShell ends such a string at ' and also at
    /// the typographic quotes ‘ ’ ‚ ‛, so each of them is doubled (as PowerShell's own
    /// CodeGeneration.EscapeSingleQuotedStringContent does): a VM called it’s gives a command that runs.
    /// </summary>
    public static string Literal(string value) => CodeGeneration.EscapeSingleQuotedStringContent(value ?? string.Empty);

    /// <summary>
    /// The inside of a single-quoted -VMName value: wildcard characters backtick-escaped first, so
    /// web[1] selects the VM web[1] and not web1 (the backticks stay literal inside single quotes and
    /// reach the cmdlet's wildcard matching, which takes them as escapes).
    /// </summary>
    public static string VMName(string name) => NamePatterns.QuotedLiteral(name);

    /// <summary><c>-VMName '&lt;vm&gt;' -ComputerName '&lt;host&gt;'</c> for a Hyper-V module or this module's command.</summary>
    public static string Target(VirtualMachine vm)
        => $"-VMName '{VMName(vm.Name)}' -ComputerName '{Literal(vm.ComputerName)}'";

    /// <summary>
    /// <c>Enable-GuestFeature -VMName … -ComputerName … -Name '&lt;feature&gt;'</c>: the fix for a feature the host can
    /// switch. It finds the integration service by GUID, so it works on hosts of any language, where the Hyper-V
    /// module's Enable-VMIntegrationService -Name needs the host's localised display name.
    /// </summary>
    public static string EnableFeature(VirtualMachine vm, string featureName)
        => $"Enable-GuestFeature {Target(vm)} -Name '{Literal(featureName)}'";
}
