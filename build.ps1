#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages HyperVGuestFeatures.
.DESCRIPTION
    A thin layer over dotnet. Every task builds first, so each README command works on a fresh clone:
      Build    (default) compile the module and lay it out in out/HyperVGuestFeatures/
      Docs     compile docs/en-US markdown help to MAML into the module folder, and capture the README's output blocks
      Test     xunit + every tests/*.Tests.ps1 (Pester 5, separate pwsh process); ends with 'N passed, N failed'
      Demo     a tour of the cmdlets against the built-in simulated Hyper-V host
      Bench    round trips and wall time per host for 10/100/1000 VMs and 1/8/32 hosts, and the fleet report
               (64 x 125 and 1 x 1000 VMs: first row, rows/s, CPU, memory) -> out/bench/results.json
      Package  the module folder as a PowerShell Gallery package, out/HyperVGuestFeatures.<version>.nupkg (PSResourceGet)
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
    # The module folder holds our dll only: no MMI, no SMA, no deps.json (both PowerShells bring their own
    # System.Management.Automation and MMI; a shipped copy would never be the one loaded).
    Copy-Item (Join-Path $bin "$moduleName.dll") $moduleDir
    Write-BuiltManifest (Join-Path $moduleDir "$moduleName.psd1")
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir
    # The root module: imports the dll and declares the class-based DSC resources (RootModule in the psd1).
    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.psm1") $moduleDir
    Copy-Item (Join-Path $root "src/$moduleName/$moduleName.format.ps1xml") $moduleDir
    Invoke-Docs
}

# The release notes of a version: its section of CHANGELOG.md (Keep a Changelog: '## [x.y.z] - date' up to the
# next '## [' heading or the link references), without the heading.
function Get-ReleaseNotes([string] $Version) {
    $lines = Get-Content (Join-Path $root 'CHANGELOG.md') -Encoding utf8
    $start = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l -match "^## \[$([regex]::Escape($Version))\]" })
    if ($start -lt 0) { throw "CHANGELOG.md has no '## [$Version] - <date>' section for ModuleVersion $Version; cut the release there first." }
    $body = foreach ($line in $lines[($start + 1)..($lines.Count - 1)]) {
        if ($line -match '^## \[' -or $line -match '^\[[^\]]+\]:\s') { break }
        $line
    }
    $notes = ($body -join "`n").Trim()
    if (-not $notes) { throw "The CHANGELOG.md section of $Version is empty." }
    return $notes
}

# The manifest the module folder and the package carry: the source manifest, with what galleries read added by
# the build so that it can't drift from the exports: Find-PSResource -CommandName / -DscResourceName search the
# PSCommand_<name> / PSDscResource_<name> tags, and for a folder repository it reads them from PSData.Tags of the
# packaged .psd1, not from the .nuspec. The release notes are this version's CHANGELOG.md section.
function Write-BuiltManifest([string] $Destination) {
    $data = $manifest.PrivateData.PSData
    $tags = @($data.Tags) + 'PSIncludes_Cmdlet' +
        @($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" }) +
        @(if ($manifest.DscResourcesToExport) { 'PSIncludes_DscResource' }) +
        @($manifest.DscResourcesToExport | ForEach-Object { "PSDscResource_$_" })
    $tags = @($tags | Select-Object -Unique)
    $notes = (Get-ReleaseNotes $manifest.ModuleVersion) + "`n`nFull history: $($data.ProjectUri)/blob/main/CHANGELOG.md"
    $quote = { param([string] $Value) "'" + $Value.Replace("'", "''") + "'" }

    $text = Get-Content (Join-Path $root "$moduleName.psd1") -Raw -Encoding utf8
    $tagPattern = '(?m)^(\s*Tags\s*=\s*)@\([^)]*\)'
    $notesPattern = "(?m)^(\s*ReleaseNotes\s*=\s*)'(?:[^']|'')*'"
    foreach ($pattern in $tagPattern, $notesPattern) {
        if ($text -notmatch $pattern) { throw "$moduleName.psd1: PSData needs a one-line Tags = @(...) and a ReleaseNotes = '...' for the build to fill." }
    }
    $text = [regex]::Replace($text, $tagPattern, { param($m) $m.Groups[1].Value + '@(' + (($tags | ForEach-Object { & $quote $_ }) -join ', ') + ')' })
    $text = [regex]::Replace($text, $notesPattern, { param($m) $m.Groups[1].Value + (& $quote $notes) })
    # UTF-8 with BOM: the notes are not ASCII, and Windows PowerShell 5.1 reads a BOM-less .psd1 as ANSI.
    Set-Content -Path $Destination -Value $text -Encoding utf8BOM -NoNewline

    $built = Import-PowerShellDataFile $Destination
    if ((@($built.PrivateData.PSData.Tags) -join ' ') -ne ($tags -join ' ') -or $built.PrivateData.PSData.ReleaseNotes -ne $notes) {
        throw "The built manifest $Destination does not read back as written."
    }
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

# The package, made by PSResourceGet as Publish-PSResource makes it for the PowerShell Gallery (build/New-ModulePackage.ps1).
function Invoke-Package {
    Get-ChildItem $out -Filter "$moduleName.*.nupkg" | Remove-Item
    $package = & (Join-Path $root 'build/New-ModulePackage.ps1') -ModulePath $moduleDir -DestinationPath $out
    Write-Host "Package: $($package.FullName)"
}

Invoke-Build
switch ($Task) {
    'Build' { }
    'Docs' { exit (Invoke-FreshPwsh (Join-Path $root 'build/Update-ReadmeOutput.ps1') @('-ModulePath', $moduleDir, '-ReadmePath', (Join-Path $root 'README.md'))) }
    'Test' { Invoke-Test }
    'Demo' { exit (Invoke-FreshPwsh (Join-Path $root 'build/Demo.ps1') @('-ModulePath', $moduleDir)) }
    'Bench' { exit (Invoke-FreshPwsh (Join-Path $root 'bench/Invoke-Benchmark.ps1') @('-ModulePath', $moduleDir, '-OutputPath', (Join-Path $out 'bench'))) }
    'Package' { Invoke-Package }
}
