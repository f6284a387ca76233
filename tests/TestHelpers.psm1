# Shared by the Pester suites: where the built module is, and small assertions.

function Get-TestModulePath {
    if ($env:HYPERVGUESTFEATURES_MODULE) { return $env:HYPERVGUESTFEATURES_MODULE }
    return (Join-Path (Split-Path $PSScriptRoot) 'out/HyperVGuestFeatures')
}

function Import-TestModule {
    Import-Module (Get-TestModulePath) -Force -Global -ErrorAction Stop
}

# Runs a script in a new PowerShell process (the one running the tests: pwsh, or `dotnet pwsh.dll` as the
# .NET tool) and returns its output lines; throws with that output when it exits non-zero. For what one
# process can't show: a module imported by name from where it was installed, a binary module loaded afresh.
function Invoke-FreshPwsh([Parameter(Mandatory)] [string] $Script) {
    $process = [Environment]::ProcessPath
    $arguments = [Collections.Generic.List[string]]::new()
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $arguments.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ErrorActionPreference = 'Stop'`n" + $Script))
    $arguments.AddRange([string[]] @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded))
    $output = & $process $arguments 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh exited with $LASTEXITCODE`n$($output -join "`n")" }
    return $output
}

# Waits until a simulated job has ended (JobState 7 or above), reading it as an unknown outcome's
# recommended action says; returns its JobState. For the job of a CimJobOutcomeUnknown error.
function Wait-SimulatorJob([string] $ComputerName, [string] $JobId, [int] $TimeoutSec = 10) {
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $job = Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName CIM_ConcreteJob -Filter "InstanceID='$JobId'"
        if ($job.JobState -ge 7) { return $job.JobState }
        Start-Sleep -Milliseconds 20
    } while ([datetime]::UtcNow -lt $deadline)
    throw "Job $JobId on $ComputerName did not end within $TimeoutSec s."
}

# The third-party programs the DSC tests run when present: ../shared/tools beside the checkout, or the folder
# HYPERVGUESTFEATURES_DSC_TOOLS names.
function Get-DscToolsPath {
    if ($env:HYPERVGUESTFEATURES_DSC_TOOLS) { return $env:HYPERVGUESTFEATURES_DSC_TOOLS }
    Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'shared/tools'
}

Export-ModuleMember -Function Get-TestModulePath, Import-TestModule, Invoke-FreshPwsh, Wait-SimulatorJob, Get-DscToolsPath
