# Shared by the Pester suites: where the built module is, and small assertions.

function Get-TestModulePath {
    if ($env:HYPERVGUESTFEATURES_MODULE) { return $env:HYPERVGUESTFEATURES_MODULE }
    return (Join-Path (Split-Path $PSScriptRoot) 'out/HyperVGuestFeatures')
}

function Import-TestModule {
    Import-Module (Get-TestModulePath) -Force -Global -ErrorAction Stop
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

Export-ModuleMember -Function Get-TestModulePath, Import-TestModule, Wait-SimulatorJob
