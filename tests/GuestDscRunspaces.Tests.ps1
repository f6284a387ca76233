# Simulated hosts belong to the process, not to the runspace that started them: DSC engines run
# resources in runspaces of their own (PSDesiredStateConfiguration 2.0 per Invoke-DscResource, the
# DSC v3 PowerShell adapter per operation), and so do ForEach-Object -Parallel and thread jobs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:cn = 'rs-lab'

    # Runs a script in a new runspace of this process that imports the module, as an engine would.
    function Invoke-InNewRunspace([scriptblock] $Script, [object[]] $Arguments = @()) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath' -ErrorAction Stop").AddStatement().AddScript($Script.ToString())
            foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
            $output = $ps.Invoke()
            [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error) }
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Simulated hosts across runspaces' {
    BeforeEach { Start-HyperVSimulator -ComputerName $cn }
    AfterEach { Stop-HyperVSimulator -ComputerName $cn -ErrorAction SilentlyContinue }

    It 'answers cmdlets run in another runspace, with the same host and counters' {
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        $result = Invoke-InNewRunspace { param($cn) (Get-GuestFeature -ComputerName $cn -VMName ubuntu-web -Name Heartbeat).State.ToString() } $cn
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Be 'Enabled'
        (Get-HyperVSimulator -ComputerName $cn).QueryCount | Should -BeGreaterThan 0
    }

    It 'shows a change made in another runspace here' {
        $result = Invoke-InNewRunspace { param($cn) Set-KvpItem -ComputerName $cn -VMName rhel-db -Name Owner -Value team-b } $cn
        $result.Errors | Should -BeNullOrEmpty
        (Get-KvpItem -ComputerName $cn -VMName rhel-db -Name Owner -Source Host).Value | Should -Be 'team-b'
    }

    It 'is listed and stopped from another runspace, and is then gone here too' {
        $result = Invoke-InNewRunspace { param($cn) (Get-HyperVSimulator -ComputerName $cn).ComputerName; Stop-HyperVSimulator -ComputerName $cn } $cn
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Be $cn
        { Get-HyperVSimulator -ComputerName $cn -ErrorAction Stop } | Should -Throw -ErrorId 'SimulatorNotFound,*'
    }

    It 'answers ForEach-Object -Parallel' {
        $states = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:modulePath
            (Get-DynamicMemory -ComputerName $using:cn -VMName rhel-db).StartupBytes
        }
        $states | Should -Be @(4GB, 4GB, 4GB)
    }
}
