#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages HyperVGuestFeatures.
.DESCRIPTION
    A thin layer over dotnet. Every task builds first, so each README command works on a fresh clone:
      Build    (default) compile the module and lay it out in out/HyperVGuestFeatures/
      Docs     compile docs/en-US markdown help to MAML into the module folder
      Test     xunit + every tests/*.Tests.ps1 (Pester 5, separate pwsh process); ends with 'N passed, N failed'
      Demo     a tour of the cmdlets against the built-in simulated Hyper-V host
      Bench    round trips and wall time per host for 10/100/1000 VMs and 1/8/32 hosts -> out/bench/results.json
      Package  a .nupkg of the module folder in out/packages-dist/
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester file filter for Test, e.g. -TestPath tests/GetGuestFeature.Tests.ps1
    [string[]] $TestPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleName = 'HyperVGuestFeatures'
$moduleDir = Join-Path $out $moduleName
$manifest = Import-PowerShellDataFile (Join-Path $root "$moduleName.psd1")
$pesterVersion = '5.7.1'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE" }
}

# Runs a script in a fresh pwsh: a loaded binary module can't be unloaded, so each run gets its own process.
function Invoke-FreshPwsh([string] $Script, [string[]] $Arguments = @()) {
    Push-Location $root
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File $Script @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally { Pop-Location }
}

function Invoke-Build {
    Write-Host "Building $moduleName $($manifest.ModuleVersion) ($Configuration)" -ForegroundColor Cyan
    $bin = Join-Path $out "bin/$moduleName"
    Invoke-Dotnet build (Join-Path $root "src/$moduleName/$moduleName.csproj") -c $Configuration -o $bin --nologo -v q
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $moduleDir, (Join-Path $moduleDir 'en-US')
    # The module folder holds our dll only: no MMI, no SMA, no deps.json (FEASIBILITY.md §3, §4).
    Copy-Item (Join-Path $bin "$moduleName.dll") $moduleDir
    Copy-Item (Join-Path $root "$moduleName.psd1") $moduleDir
    # The root module: imports the dll and declares the class-based DSC resources (RootModule in the psd1).
    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.psm1") $moduleDir
    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.format.ps1xml") $moduleDir
    Invoke-Docs
}

function Invoke-Docs {
    $compiler = Join-Path $root 'build/HelpCompiler.ps1'
    if (Test-Path $compiler) {
        & $compiler -SourcePath (Join-Path $root 'docs/en-US') -ModulePath $moduleDir -AssemblyPath (Join-Path $out "bin/$moduleName/$moduleName.dll")
    }
}

function Get-Pester {
    $psd1 = Join-Path $out "packages/pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) {
        Invoke-Dotnet restore (Join-Path $root 'build/tools.csproj') --packages (Join-Path $out 'packages') -v q "-p:PesterVersion=$pesterVersion"
    }
    return $psd1
}

function Invoke-Test {
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $results

    Write-Host 'Running xunit' -ForegroundColor Cyan
    $trx = Join-Path $results 'units.trx'
    & dotnet test (Join-Path $root 'tests/HyperVGuestFeatures.Tests/HyperVGuestFeatures.Tests.csproj') -c $Configuration --nologo -v q `
        --logger 'trx;LogFileName=units.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $unitsExit = $LASTEXITCODE
    $unitsPassed = 0; $unitsFailed = 0
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
        $unitsPassed = [int]$counters.passed
        $unitsFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout
    }
    elseif ($unitsExit -ne 0) { $unitsFailed = 1 }   # the build of the tests failed: count it

    Write-Host 'Running Pester' -ForegroundColor Cyan
    $summary = Join-Path $results 'pester-summary.json'
    $arguments = @('-PesterPath', (Get-Pester), '-ModulePath', $moduleDir, '-ResultPath', $results, '-SummaryPath', $summary)
    if ($TestPath) { $arguments += @('-TestPath', ($TestPath -join ',')) }
    $pesterExit = Invoke-FreshPwsh (Join-Path $root 'build/Invoke-PesterSuite.ps1') $arguments
    $pesterPassed = 0; $pesterFailed = 0
    if (Test-Path $summary) {
        $pester = Get-Content $summary -Raw | ConvertFrom-Json
        $pesterPassed = $pester.Passed; $pesterFailed = $pester.Failed
    }
    elseif ($pesterExit -ne 0) { $pesterFailed = 1 }

    Write-Host "xunit: $unitsPassed passed, $unitsFailed failed; Pester: $pesterPassed passed, $pesterFailed failed"
    $passed = $unitsPassed + $pesterPassed
    $failed = $unitsFailed + $pesterFailed
    if ($failed -eq 0 -and ($unitsExit -ne 0 -or $pesterExit -ne 0)) { $failed = 1 }
    Write-Host "$passed passed, $failed failed"
    exit ([int]($failed -gt 0))
}

function Invoke-Package {
    $dist = Join-Path $out 'packages-dist'
    $null = New-Item -ItemType Directory -Force -Path $dist
    $data = $manifest.PrivateData.PSData
    # MSBuild splits a -p value at ',' and ';' (the description has commas): pass them %-escaped.
    $escape = { param([string] $Value) $Value -replace '%', '%25' -replace ';', '%3B' -replace ',', '%2C' }
    # The gallery's tags for DSC resources, so Find-PSResource -DscResourceName finds the package.
    $tags = @($data.Tags) + 'PSIncludes_DscResource' + @($manifest.DscResourcesToExport | ForEach-Object { "PSDscResource_$_" })
    Invoke-Dotnet pack (Join-Path $root 'build/package.csproj') -o $dist --nologo -v q `
        "-p:ModuleDir=$moduleDir" "-p:ModuleVersion=$($manifest.ModuleVersion)" "-p:ModuleDescription=$(& $escape $manifest.Description)" `
        "-p:ModuleAuthors=$(& $escape $manifest.Author)" "-p:ModuleTags=$(& $escape ($tags -join ' '))" "-p:ModuleProjectUri=$($data.ProjectUri)"
    Get-ChildItem $dist -Filter '*.nupkg' | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

Invoke-Build
switch ($Task) {
    'Build' { }
    'Docs' { }
    'Test' { Invoke-Test }
    'Demo' { exit (Invoke-FreshPwsh (Join-Path $root 'build/Demo.ps1') @('-ModulePath', $moduleDir)) }
    'Bench' { exit (Invoke-FreshPwsh (Join-Path $root 'bench/Invoke-Benchmark.ps1') @('-ModulePath', $moduleDir, '-OutputPath', (Join-Path $out 'bench'))) }
    'Package' { Invoke-Package }
}
