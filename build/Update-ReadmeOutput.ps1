#Requires -Version 7.2
<#
.SYNOPSIS
    Fills the README's output blocks with what the module prints, captured at 120 columns.
.DESCRIPTION
    A block in README.md is an HTML comment naming a command, a fenced text block, and a closing comment:

        <!-- output: Get-GuestFeature -Name 'Secure boot' -->
        ```text
        PS> Get-GuestFeature -Name 'Secure boot'
        ...what it printed...
        ```
        <!-- /output -->

    The commands run in README order, in one session of this process, against the default simulated host
    named HV01 (Start-HyperVSimulator -ComputerName HV01, and HV01 as every cmdlet's default ComputerName, as
    on a computer of that name). Output is formatted by the module's views at 120 columns; errors and
    warnings read as the console shows them (ConciseView, "WARNING: "), without colours. Run it in a fresh
    pwsh (the module's dll can't be unloaded): build.ps1 -Task Docs does. With -Check, the README is left
    alone and every block that differs is written out with what it should say (tests/Readme.Tests.ps1).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReadmePath,
    [switch] $Check
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$hostName = 'HV01'
$width = 120
$blockPattern = '(?ms)^<!-- output: (?<command>.+?) -->\r?\n.*?^<!-- /output -->'

Import-Module $ModulePath -Force
$PSStyle.OutputRendering = 'PlainText'
$ErrorView = 'ConciseView'
$null = Start-HyperVSimulator -ComputerName $hostName
$PSDefaultParameterValues['*:ComputerName'] = $hostName

# What the console shows for one command: its objects through the module's views, its errors and warnings.
function Get-ConsoleText([string] $Command) {
    $ErrorActionPreference = 'Continue'   # as at the prompt: an error is shown, the next command runs
    $lines = [Collections.Generic.List[string]]::new()
    $objects = [Collections.Generic.List[object]]::new()
    $flush = {
        if ($objects.Count) { $lines.Add(($objects | Out-String -Width $width).TrimEnd()); $objects.Clear() }
    }
    foreach ($record in & ([scriptblock]::Create($Command)) *>&1) {
        switch ($record) {
            { $_ -is [System.Management.Automation.ErrorRecord] } { & $flush; $lines.Add(($_ | Out-String -Width $width).TrimEnd()); break }
            { $_ -is [System.Management.Automation.WarningRecord] } { & $flush; $lines.Add('WARNING: ' + $_.Message); break }
            { $_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] -or $_ -is [System.Management.Automation.InformationRecord] } { break }
            default { $objects.Add($_) }
        }
    }
    & $flush
    # Markdown keeps what the console shows, not the padding at the end of table lines.
    (($lines -join "`n") -split '\r?\n' | ForEach-Object { $_.TrimEnd() }) -join "`n"
}

$readme = Get-Content $ReadmePath -Raw -Encoding utf8
$stale = [Collections.Generic.List[string]]::new()
$updated = [regex]::Replace($readme, $blockPattern, {
        param($match)
        $command = $match.Groups['command'].Value
        $text = (Get-ConsoleText $command).Trim("`n")
        $block = "<!-- output: $command -->`n" + '```text' + "`nPS> $command`n`n$text`n" + '```' + "`n<!-- /output -->"
        if ($block -ne ($match.Value -replace '\r\n', "`n")) { $stale.Add("----- README block '$command' should read:`n$block") }
        $block
    })

if ($Check) {
    $stale
    return
}
if ($updated -ne $readme) {
    Set-Content -Path $ReadmePath -Value $updated -Encoding utf8 -NoNewline
}
Write-Host "README output blocks: $([regex]::Matches($readme, $blockPattern).Count), updated: $($stale.Count)"
