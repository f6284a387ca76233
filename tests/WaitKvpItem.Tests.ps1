# Wait-KvpItem against the simulated host, with the simulator acting as the guest
# (Set-HyperVSimulatorVM -GuestItem/-IntrinsicItem): waits satisfied by a later change, timeouts,
# Ctrl+C, progress, one query per host per round.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:h1 = 'wait-1'
    $script:h2 = 'wait-2'
    $script:big = 'wait-big'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.WaitKvpItemCommand'
    Start-HyperVSimulator -ComputerName $h1, $h2
    Start-HyperVSimulator -ComputerName $big -VMCount 60

    function script:Get-Queries([string] $ComputerName) { (Get-HyperVSimulator -ComputerName $ComputerName).QueryCount }
    function script:Reset-Counters { Get-HyperVSimulator -ComputerName $h1, $h2, $big -ResetCounters | Out-Null }

    # Acts as the guest from another runspace after a delay, while this one waits: simulated hosts belong
    # to the process, so Set-HyperVSimulatorVM -GuestItem there changes the host this runspace waits on.
    function script:Start-DelayedGuestItem([string] $ComputerName, [string] $VMName, [string] $Key, [string] $Value, [int] $DelayMs) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $ComputerName, $VMName, $Key, $Value, $DelayMs)
                $clock = [Diagnostics.Stopwatch]::StartNew()
                Import-Module $ModulePath
                Start-Sleep -Milliseconds ([Math]::Max(0, $DelayMs - $clock.ElapsedMilliseconds))
                Set-HyperVSimulatorVM -ComputerName $ComputerName -VMName $VMName -GuestItem @{ $Key = $Value }
            }).AddArgument((Get-TestModulePath)).AddArgument($ComputerName).AddArgument($VMName).AddArgument($Key).AddArgument($Value).AddArgument($DelayMs)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    # A wait in its own runspace (its own simulator), for Ctrl+C and progress.
    function script:Start-BackgroundWait([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; `$ProgressPreference = 'Continue'; $Script")
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $h1, $h2, $big
}

Describe 'Set-HyperVSimulatorVM -GuestItem/-IntrinsicItem (the simulator acting as the guest)' {
    It 'publishes guest items that Get-KvpItem reads as Source Guest, and removes them with $null' {
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -GuestItem @{ Role = 'db'; Ready = 1 }
        $items = Get-KvpItem -ComputerName $h2 -VMName rhel-db -Source Guest -Name Role, Ready
        $items | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value } | Sort-Object | Should -Be @('Ready=1', 'Role=db')
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -GuestItem @{ Role = $null; Ready = $null }
        Get-KvpItem -ComputerName $h2 -VMName rhel-db -Source Guest -Name Role, Ready | Should -BeNullOrEmpty
    }

    It 'changes intrinsic items' {
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -IntrinsicItem @{ NetworkAddressIPv4 = '10.9.8.7' }
        (Get-KvpItem -ComputerName $h2 -VMName rhel-db -Source Intrinsic -Name NetworkAddressIPv4).Value | Should -Be '10.9.8.7'
    }

    It 'shows guest items only while the VM runs with Key-Value Pair Exchange enabled, as a real host does' {
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName suse-off -GuestItem @{ Booted = 'yes' }
        Get-KvpItem -ComputerName $h2 -VMName suse-off -Source Guest -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName suse-off -State Running
        (Get-KvpItem -ComputerName $h2 -VMName suse-off -Source Guest -Name Booted).Value | Should -Be 'yes'
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName suse-off -DisableComponent 'Key-Value Pair Exchange'
        Get-KvpItem -ComputerName $h2 -VMName suse-off -Source Guest -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName suse-off -EnableComponent 'Key-Value Pair Exchange' -State Off
    }

    It 'changes nothing under -WhatIf, and refuses an empty key before any change' {
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -GuestItem @{ Never = 'x' } -WhatIf
        Get-KvpItem -ComputerName $h2 -VMName rhel-db -Source Guest -Name Never | Should -BeNullOrEmpty
        { Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -State Paused -GuestItem @{ '' = 'x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'SimulatorGuestItemKeyEmpty,HyperVGuestFeatures.Commands.SetHyperVSimulatorVMCommand'
        (Get-KvpItem -ComputerName $h2 -VMName rhel-db -Source Intrinsic -Name OSName) | Should -HaveCount 1   # still running
    }
}

Describe 'Wait-KvpItem' {
    BeforeEach {
        Clear-HyperVSimulatorFault -ComputerName $h1, $h2
        Reset-Counters
    }

    It 'returns at once when every VM already reports the key, with -PassThru the items' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $items = Wait-KvpItem -ComputerName $h1 -VMName ubuntu-web -Name ProvisioningState -Value 'Succ*' -PassThru
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        $items | Should -HaveCount 1
        $items[0] | Should -BeOfType ([HyperVGuestFeatures.KvpItem])
        '{0}:{1}:{2}={3}' -f $items[0].VMName, $items[0].Source, $items[0].Name, $items[0].Value | Should -Be 'ubuntu-web:Guest:ProvisioningState=Succeeded'
        Get-Queries $h1 | Should -Be 2   # the VM lookup and one read
        Wait-KvpItem -ComputerName $h1 -VMName ubuntu-web -Name ProvisioningState | Should -BeNullOrEmpty   # no -PassThru: no output
    }

    It 'waits for intrinsic and host items with -Source' {
        (Wait-KvpItem -ComputerName $h1 -VMName rhel-db -Name NetworkAddressIPv4 -Source Intrinsic -Value '*192.168.20.31*' -PassThru -Timeout 5).Source | Should -Be 'Intrinsic'
        Set-KvpItem -ComputerName $h1 -VMName suse-off -Name Owner -Value ops
        (Wait-KvpItem -ComputerName $h1 -VMName suse-off -Name Owner -Source Host -PassThru -Timeout 5).Value | Should -Be 'ops'
        { Wait-KvpItem -ComputerName $h1 -VMName rhel-db -Name x -Source HostOnly } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.WaitKvpItemCommand'
    }

    It 'is satisfied by a guest that publishes the key later (<Name>)' -ForEach @(
        @{ Name = 'any value'; Pattern = $null }
        @{ Name = 'a value pattern'; Pattern = 'tr*' }
    ) {
        Set-HyperVSimulatorVM -ComputerName $h1 -VMName debian-build -GuestItem @{ Provisioned = $null }
        $guest = Start-DelayedGuestItem -ComputerName $h1 -VMName debian-build -Key Provisioned -Value 'true' -DelayMs 800
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $parameters = @{ ComputerName = $h1; VMName = 'debian-build'; Name = 'Provisioned'; Timeout = 20; PassThru = $true }
            if ($Pattern) { $parameters.Value = $Pattern }
            $items = Wait-KvpItem @parameters
            $elapsed = $clock.Elapsed.TotalSeconds
        }
        finally { $guest.PowerShell.EndInvoke($guest.Handle); $guest.PowerShell.Dispose() }
        $elapsed | Should -BeGreaterThan 0.7
        $elapsed | Should -BeLessThan 5
        $items | Should -HaveCount 1
        '{0}:{1}={2}' -f $items[0].VMName, $items[0].Name, $items[0].Value | Should -Be 'debian-build:Provisioned=true'
        Set-HyperVSimulatorVM -ComputerName $h1 -VMName debian-build -GuestItem @{ Provisioned = $null }
    }

    It 'waits until the value matches -Value, not just until the key exists' {
        Set-HyperVSimulatorVM -ComputerName $h1 -VMName rhel-db -GuestItem @{ Phase = 'installing' }
        $guest = Start-DelayedGuestItem -ComputerName $h1 -VMName rhel-db -Key Phase -Value 'done' -DelayMs 600
        try { $item = Wait-KvpItem -ComputerName $h1 -VMName rhel-db -Name Phase -Value 'DONE' -Timeout 20 -PassThru }
        finally { $guest.PowerShell.EndInvoke($guest.Handle); $guest.PowerShell.Dispose() }
        $item.Value | Should -Be 'done'
    }

    It 'writes a KvpWaitTimeout error per VM at -Timeout, naming what was last seen' {
        Set-HyperVSimulatorVM -ComputerName $h1 -VMName rhel-db -GuestItem @{ Phase = 'installing' }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $out = Wait-KvpItem -ComputerName $h1 -VMName rhel-db, suse-off -Name Phase, Ready -Value 'done' -Timeout 1 -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        $elapsed = $clock.Elapsed.TotalSeconds
        $out | Should -BeNullOrEmpty
        $elapsed | Should -BeGreaterOrEqual 1
        $elapsed | Should -BeLessThan 3
        $errors | Should -HaveCount 2
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "KvpWaitTimeout,$cmdlet"
            $_.CategoryInfo.Category | Should -Be 'OperationTimeout'
        }
        $rhel = $errors | Where-Object TargetObject -eq 'rhel-db'
        $rhel.Exception.Message | Should -Match "within 1 s\. Last seen: Phase = 'installing' \(not like 'done'\); Ready: not reported\."
        $rhel.ErrorDetails.RecommendedAction | Should -Match "Get-KvpItem -VMName 'rhel-db' -ComputerName '$h1' -Source Guest"
        # A VM that is off can't report guest items: the error says so.
        ($errors | Where-Object TargetObject -eq 'suse-off').Exception.Message | Should -Match 'Phase: not reported; Ready: not reported\. .*it is Off'
    }

    It 'checks once with -Timeout 0' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Wait-KvpItem -ComputerName $h1 -VMName rhel-db -Name Never -Timeout 0 -ErrorVariable errors -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
        $errors[0].FullyQualifiedErrorId | Should -Be "KvpWaitTimeout,$cmdlet"
    }

    It 'polls with one query per host per round, whatever the number of VMs' {
        $null = Wait-KvpItem -ComputerName $big -Name Never -Timeout 2 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 60
        # 1 lookup + a round at 0, 0.25, 0.63, 1.19 and 2 s (the pause grows by half) + 1 lookup for the reasons.
        $queries = Get-Queries $big
        $queries | Should -BeGreaterOrEqual 4
        $queries | Should -BeLessOrEqual 8
    }

    It 'reports a VM that is not found and still waits for the others' {
        $items = Wait-KvpItem -ComputerName $h1 -VMName no-such-vm, ubuntu-web -Name ProvisioningState -PassThru -Timeout 5 -ErrorVariable errors -ErrorAction SilentlyContinue
        $items.VMName | Should -Be 'ubuntu-web'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be "VMNotFound,$cmdlet"
    }

    It 'reports a host that cannot be reached and still waits on the others' {
        Add-HyperVSimulatorFault -ComputerName $h2 -Disconnect
        $items = Wait-KvpItem -ComputerName $h1, $h2 -VMName ubuntu-web -Name ProvisioningState -PassThru -Timeout 5 -ErrorVariable errors -ErrorAction SilentlyContinue
        $items.ComputerName | Should -Be $h1
        $errors.FullyQualifiedErrorId | Should -Be "HostUnreachable,$cmdlet"
    }

    It 'binds Get-VM objects from the pipeline without taking their Name as a key' {
        $vms = 'ubuntu-web' | ForEach-Object { [pscustomobject]@{ Name = $_; VMName = $_; ComputerName = $h1 } }
        ($vms | Wait-KvpItem -Name ProvisioningState -PassThru -Timeout 5).VMName | Should -Be 'ubuntu-web'
    }

    It 'stops at once on Ctrl+C between rounds' {
        $wait = Start-BackgroundWait "Start-HyperVSimulator -ComputerName ctrlc; Wait-KvpItem -ComputerName ctrlc -Name Never; 'finished'"
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($wait.PowerShell.Streams.Progress.Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $wait.PowerShell.Streams.Progress.Count | Should -BeGreaterThan 2 -Because 'the wait has done a round'
            Start-Sleep -Milliseconds 700
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $wait.PowerShell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $wait.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $wait.PowerShell.Dispose() }
    }

    It 'stops at once on Ctrl+C during a slow query' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Start-HyperVSimulator -ComputerName slow -Latency '00:00:05'; 'started'; Wait-KvpItem -ComputerName slow -Name Never")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($output.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 500   # the VM lookup is now in flight, for 5 s
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
    }

    It 'shows progress overall and per host' {
        $wait = Start-BackgroundWait "Start-HyperVSimulator -ComputerName p1, p2; Wait-KvpItem -ComputerName p1, p2 -VMName ubuntu-web, rhel-db -Name ProvisioningState -Timeout 1 -ErrorAction SilentlyContinue"
        try { $null = $wait.PowerShell.EndInvoke($wait.Handle) }
        finally { $progress = @($wait.PowerShell.Streams.Progress); $wait.PowerShell.Dispose() }
        $overall = $progress | Where-Object ActivityId -eq 1
        $overall | Should -Not -BeNullOrEmpty
        $overall[0].Activity | Should -Be 'Waiting for Guest KVP item(s): ProvisioningState'
        $overall[0].StatusDescription | Should -Match '^2 of 4 VM\(s\) ready after'
        $overall[-1].RecordType | Should -Be 'Completed'
        $hosts = $progress | Where-Object ParentActivityId -eq 1
        ($hosts.Activity | Sort-Object -Unique) | Should -Be @('p1', 'p2')
        $hosts[0].StatusDescription | Should -Be '1 of 2 VM(s) ready; waiting for rhel-db'
    }
}
