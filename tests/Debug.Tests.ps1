# -Debug shows what goes to the provider (WQL, methods, parameters without KVP values, return codes, job ids), one
# message per round trip and its answer, and never prompts: not for each debug, verbose or warning message, and not
# under pwsh -NonInteractive, where a prompt would fail the whole command.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'DebugLab'
    Start-HyperVSimulator -ComputerName $lab

    # The debug messages a command writes (its debug stream), as text. The commands here also say -Verbose:$false:
    # -Debug alone shows the verbose messages too (see the last Describe), which would only clutter this output.
    function script:Get-DebugText([scriptblock] $Command) {
        @(& $Command 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
    }

    # Runs a script in a new pwsh started with -NonInteractive, with the module and a simulated host; returns its
    # console output. Throws when the process fails, as it would if a prompt were attempted.
    function script:Invoke-NonInteractive([string] $Script) {
        # The host's colours are taken out, to match the lines as text.
        Invoke-FreshPwsh "Import-Module '$(Get-TestModulePath)'; Start-HyperVSimulator -ComputerName NoPrompt; $Script; 'finished'" |
            ForEach-Object { $_ -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue
}

Describe '-Debug: what goes to the provider' {
    It 'shows every round trip once: its WQL or method, then its answer' {
        $null = Get-HyperVSimulator -ComputerName $lab -ResetCounters
        $messages = Get-DebugText { Get-GuestFeature -ComputerName $lab -VMName rhel-db -Name Heartbeat, 'Secure boot' -Debug -Verbose:$false }
        $counters = Get-HyperVSimulator -ComputerName $lab
        $calls = @($messages | Where-Object { $_ -match "^CIM call \d+ to '$lab': " })
        $calls.Count | Should -Be ($counters.QueryCount + $counters.MethodCallCount)
        @($messages | Where-Object { $_ -match "^CIM call \d+ from '$lab': .* \(\d+ ms\)$" }).Count | Should -Be $calls.Count
        $messages | Should -Contain "CIM call 1 to '$lab': query SELECT * FROM Msvm_ComputerSystem WHERE Description = 'Microsoft Virtual Machine' AND ElementName = 'rhel-db' (root\virtualization\v2)"
    }

    It 'shows a method with its parameters, its return code and its job, and a KVP value by its size only' {
        $secret = 'S3cret-Provisioning-Token'
        $messages = Get-DebugText { Set-KvpItem -ComputerName $lab -VMName ubuntu-web -Name token -Value $secret -Debug -Verbose:$false -Confirm:$false }
        $call = @($messages | Where-Object { $_ -like '*AddKvpItems on Msvm_VirtualSystemManagementService*' })
        $call | Should -HaveCount 1
        $call[0] | Should -Match ([regex]::Escape("DataItems = [Msvm_KvpExchangeDataItem { Name = token, Data = <$($secret.Length) characters>, Source = 0 }]"))
        $call[0] | Should -BeLike '*TargetSystem = Msvm_ComputerSystem.CreationClassName="Msvm_ComputerSystem",Name="*'
        $messages -join "`n" | Should -Not -Match $secret
        $messages | Where-Object { $_ -match 'returned 4096 \(Method Parameters Checked - Job Started\), job [0-9A-F-]{36} ' } | Should -HaveCount 1
        $messages | Where-Object { $_ -match 'Msvm_ConcreteJob, JobState 7 \(Completed\), ErrorCode 0' } | Should -Not -BeNullOrEmpty
    }

    It 'shows a refused call and a failed round trip' {
        Add-HyperVSimulatorFault -ComputerName $lab -VMName rhel-db -Method InjectNonMaskableInterrupt -ReturnCode 32769 -Count 1
        $messages = Get-DebugText { Send-VMNmi -ComputerName $lab -VMName rhel-db -Force -Debug -Verbose:$false -ErrorAction SilentlyContinue }
        $messages | Where-Object { $_ -match 'InjectNonMaskableInterrupt on Msvm_ComputerSystem' } | Should -HaveCount 1
        $messages | Where-Object { $_ -match 'returned 32769 \(Access Denied\)' } | Should -HaveCount 1

        Add-HyperVSimulatorFault -ComputerName $lab -Method Query -Disconnect -Count 1
        $messages = Get-DebugText { Get-KvpItem -ComputerName $lab -VMName rhel-db -Debug -Verbose:$false -ErrorAction SilentlyContinue }
        $messages | Where-Object { $_ -match "^CIM call 1 from '$lab': failed after \d+ ms: " } | Should -HaveCount 1
    }

    It 'traces the simulator''s own queries and Wait-KvpItem''s reads too' {
        Get-DebugText { Get-HyperVSimulatorInstance -ComputerName $lab -ClassName Msvm_ComputerSystem -Debug -Verbose:$false } |
            Should -Contain "CIM call 1 to '$lab': query SELECT * FROM Msvm_ComputerSystem (root\virtualization\v2)"
        Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -GuestItem @{ Ready = 'yes' }
        Get-DebugText { Wait-KvpItem -ComputerName $lab -VMName rhel-db -Name Ready -Timeout 5 -Debug -Verbose:$false } |
            Where-Object { $_ -like '*query SELECT * FROM Msvm_KvpExchangeComponent*' } | Should -Not -BeNullOrEmpty
    }

    It 'writes nothing and traces nothing without -Debug, or with -Debug:$false' {
        Get-DebugText { Get-DynamicMemory -ComputerName $lab -VMName rhel-db } | Should -BeNullOrEmpty
        Get-DebugText { Get-DynamicMemory -ComputerName $lab -VMName rhel-db -Debug:$false } | Should -BeNullOrEmpty
    }

    It 'follows $DebugPreference when -Debug is not given' {
        $DebugPreference = 'Continue'
        Get-DebugText { Get-DynamicMemory -ComputerName $lab -VMName rhel-db } | Should -Not -BeNullOrEmpty
    }
}

Describe '-Debug never prompts' {
    It 'runs every kind of command with -Debug under pwsh -NonInteractive, showing the debug and verbose messages' {
        # -Debug makes the verbose and warning preferences Inquire; the messages are shown as Continue shows them.
        $output = Invoke-NonInteractive @'
Get-GuestFeature -ComputerName NoPrompt -VMName ubuntu-web -Name Heartbeat -Debug | Out-Null
Get-DynamicMemory -ComputerName NoPrompt -VMName rhel-db -Debug | Out-Null
Set-DynamicMemory -ComputerName NoPrompt -VMName debian-build -StartupBytes 4000MB -Debug -Confirm:$false
Set-KvpItem -ComputerName NoPrompt -VMName ubuntu-web -Name role -Value web -Debug -Confirm:$false
Send-VMNmi -ComputerName NoPrompt -VMName rhel-db -Force -Debug | Out-Null
Get-HyperVSimulatorInstance -ComputerName NoPrompt -ClassName Msvm_ComputerSystem -Debug | Out-Null
'@
        $output[-1] | Should -Be 'finished'
        $output | Where-Object { $_ -match "^DEBUG: CIM call \d+ to 'NoPrompt': " } | Should -Not -BeNullOrEmpty
        $output | Where-Object { $_ -match "^VERBOSE: Looking up VMs on host 'NoPrompt'" } | Should -Not -BeNullOrEmpty
        # Set-DynamicMemory's best-practice warning (4000 MB is not a multiple of 128 MB), shown without a prompt.
        $output | Where-Object { $_ -match '^WARNING: .*128' } | Should -Not -BeNullOrEmpty
        $output | Where-Object { $_ -match 'NonInteractive mode' } | Should -BeNullOrEmpty
    }

    It 'shows the messages of an Inquire preference as Continue where no one can answer: <Preference>' -ForEach @(
        @{ Preference = 'DebugPreference'; Line = "^DEBUG: CIM call 1 to 'NoPrompt': " }
        @{ Preference = 'VerbosePreference'; Line = "^VERBOSE: Looking up VMs on host 'NoPrompt'" }
        @{ Preference = 'WarningPreference'; Line = '^WARNING: .*128' }
    ) {
        $output = Invoke-NonInteractive "`$$Preference = 'Inquire'; Set-DynamicMemory -ComputerName NoPrompt -VMName debian-build -StartupBytes 4000MB -Confirm:`$false"
        $output[-1] | Should -Be 'finished'
        $output | Where-Object { $_ -match $Line } | Should -Not -BeNullOrEmpty
    }
}
