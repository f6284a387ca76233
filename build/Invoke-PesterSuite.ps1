<#
.SYNOPSIS
    Runs the Pester suites against the built module; called by build.ps1 -Task Test in its own pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $TestPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
# Test files import the module from here (tests/TestHelpers.psm1).
$env:HYPERVGUESTFEATURES_MODULE = $ModulePath

$config = New-PesterConfiguration
$config.Run.Path = if ($TestPath) { $TestPath -split ',' } else { Join-Path (Split-Path $PSScriptRoot) 'tests' }
$config.Run.PassThru = $true
$config.Output.RenderMode = 'Plaintext'
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultPath 'pester.xml'
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
exit ([int]($result.Result -ne 'Passed'))
