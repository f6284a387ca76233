# Enable-GuestFeature (and Disable-GuestFeature in the round trip) against the simulated host: every
# switchable feature of the default lab goes Disabled -> Enabled -> Disabled as Get-GuestFeature reports
# it; secure boot is refused while the VM runs and fixed once it is off; features the host cannot
# switch, -WhatIf, refusals and "already as asked" make no changing provider call.
BeforeDiscovery {
    # Each switchable feature, on a default-lab VM where Get-GuestFeature can see it both ways: the
    # integration services on a running VM whose guest answers, secure boot and dynamic memory on the
    # Generation 2 VM that is off.
    $script:roundTrips = @(
        @{ Feature = 'Integrated shutdown'; VM = 'ubuntu-web' }
        @{ Feature = 'Time synchronization'; VM = 'ubuntu-web' }
        @{ Feature = 'Windows Server 2016 Accurate Time'; VM = 'rhel-db' }
        @{ Feature = 'Heartbeat'; VM = 'ubuntu-web' }
        @{ Feature = 'KVP exchange'; VM = 'rhel-db' }
        @{ Feature = 'Live virtual machine backup'; VM = 'ubuntu-web' }
        @{ Feature = 'File copy from host to guest'; VM = 'rhel-db' }
        @{ Feature = 'Secure boot'; VM = 'suse-off' }
        @{ Feature = 'Dynamic Memory - Hot-Add'; VM = 'suse-off' }
        @{ Feature = 'Dynamic Memory - Ballooning'; VM = 'suse-off' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'fswitch-a'
    $script:other = 'fswitch-b'
    $script:enable = 'HyperVGuestFeatures.Commands.EnableGuestFeatureCommand'

    function script:Reset-Counters([string[]] $ComputerName = $lab) { $null = Get-HyperVSimulator -ComputerName $ComputerName -ResetCounters }
    function script:Get-Counters([string] $ComputerName = $lab) { Get-HyperVSimulator -ComputerName $ComputerName }
    function script:Get-State([string] $VMName, [string] $Feature, [string] $ComputerName = $lab) {
        (Get-GuestFeature -ComputerName $ComputerName -VMName $VMName -Name $Feature).State.ToString()
    }

    # Secure boot as the simulated provider holds it (the VM's realized settings).
    function script:Get-SecureBoot([string] $VMName, [string] $ComputerName = $lab) {
        $settings = Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = '$VMName'"
        [pscustomobject]@{ Enabled = $settings.SecureBootEnabled; Template = [guid]$settings.SecureBootTemplateId }
    }

    # The ShouldProcess texts of a call, from -Verbose ("Performing the operation ... on target ...").
    # ShouldProcess writes that text only for an explicit -Verbose, not for $VerbosePreference.
    function script:Get-Operation([scriptblock] $Call) {
        $PSDefaultParameterValues = @{ 'Enable-GuestFeature:Verbose' = $true; 'Disable-GuestFeature:Verbose' = $true }
        & $Call 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Performing the operation*' } | ForEach-Object Message
    }

    # The "What if:" lines a call writes to the host (they reach no stream), through a transcript.
    function script:Get-WhatIf([scriptblock] $Call) {
        $path = Join-Path $TestDrive ("whatif-{0}.txt" -f [guid]::NewGuid())
        $null = Start-Transcript -Path $path
        try { & $Call | Out-Null }
        finally { $null = Stop-Transcript }
        Select-String -Path $path -Pattern '^What if: ' | ForEach-Object Line
    }
}

Describe 'Enable-GuestFeature' {
    BeforeEach { Start-HyperVSimulator -ComputerName $lab, $other }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab, $other -ErrorAction SilentlyContinue }

    Context 'every switchable feature of the default lab' {
        It '<Feature> on <VM> goes Disabled -> Enabled -> Disabled as Get-GuestFeature reports it' -ForEach $roundTrips {
            Disable-GuestFeature -ComputerName $lab -VMName $VM -Name $Feature -WarningAction SilentlyContinue
            Get-State $VM $Feature | Should -Be 'Disabled'

            Reset-Counters
            $row = Enable-GuestFeature -ComputerName $lab -VMName $VM -Name $Feature -PassThru
            $row.Feature | Should -Be $Feature
            $row.State.ToString() | Should -Be 'Enabled'
            Get-State $VM $Feature | Should -Be 'Enabled'
            (Get-Counters).MethodCallCount | Should -BeGreaterThan 0

            $row = Disable-GuestFeature -ComputerName $lab -VMName $VM -Name $Feature -PassThru
            $row.State.ToString() | Should -Be 'Disabled'
            Get-State $VM $Feature | Should -Be 'Disabled'
        }

        It 'offers exactly these features to switch' {
            $switchable = (Get-GuestFeature -ListAvailable | Where-Object Switchable).Feature
            ($switchable | Sort-Object) | Should -Be ($roundTrips.Feature | Sort-Object)
        }
    }

    Context 'integration services' {
        It 'switches one service by its class and id, with one ModifyResourceSettings call per VM' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web, rhel-db -DisableComponent Heartbeat, VSS
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name heartbeat, live-backup
            $counters = Get-Counters
            $counters.ChangeCallCount | Should -Be 2
            $counters.JobCount | Should -Be 2
            (Get-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name heartbeat, live-backup).State | Should -Not -Contain 'Disabled'
        }

        It 'turns on the file copy service of alma-noguestsvc, so Copy-GuestFile works there' {
            Get-State alma-noguestsvc 'File copy from host to guest' | Should -Be 'Disabled'
            Enable-GuestFeature -ComputerName $lab -VMName alma-noguestsvc -Name 'Guest Service Interface'
            Get-State alma-noguestsvc file-copy | Should -Be 'Enabled'
            $source = Join-Path $TestDrive 'motd'
            Set-Content -Path $source -Value 'hello'
            Copy-GuestFile -ComputerName $lab -VMName alma-noguestsvc -SourcePath $source -DestinationPath /tmp/motd
            (Get-HyperVSimulatorVM -ComputerName $lab -VMName alma-noguestsvc).GuestFiles.Path | Should -Contain '/tmp/motd'
        }

        It 'treats Time synchronization and Accurate Time as one service, switched once' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web -DisableComponent 'Time Synchronization'
            Reset-Counters
            $operations = Get-Operation { Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name time-sync, accurate-time -Confirm:$false }
            $operations | Should -HaveCount 1
            $operations | Should -BeLike "*'Time synchronization', 'Windows Server 2016 Accurate Time': Disabled -> Enabled*"
            (Get-Counters).ChangeCallCount | Should -Be 1
        }

        It 'switches a service of a VM that is off' {
            Disable-GuestFeature -ComputerName $lab -VMName suse-off -Name kvp
            Get-State suse-off kvp | Should -Be 'Disabled'
            Enable-GuestFeature -ComputerName $lab -VMName suse-off -Name kvp
            Get-State suse-off kvp | Should -Be 'NotObservable'
        }
    }

    Context 'secure boot' {
        It 'is refused on debian-build while it runs, and fixed (Degraded -> Enabled) once it is off' {
            Get-State debian-build 'Secure boot' | Should -Be 'Degraded'
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName debian-build -Name 'Secure boot' -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "SecureBootChangeWhileRunning,$enable"
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[0].TargetObject | Should -Be 'debian-build'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike "*Stop-VM -Name 'debian-build' -ComputerName '$lab'*"
            (Get-Counters).ChangeCallCount | Should -Be 0
            Get-State debian-build 'Secure boot' | Should -Be 'Degraded'

            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
            $operations = Get-Operation { Get-GuestFeature -ComputerName $lab -VMName debian-build -Name 'Secure boot' | Enable-GuestFeature -Confirm:$false }
            $operations | Should -BeLike "*'Secure boot': Degraded -> Enabled (SecureBootEnabled True -> True, template Microsoft Windows -> Microsoft UEFI Certificate Authority)*"
            Get-State debian-build 'Secure boot' | Should -Be 'Enabled'
            (Get-SecureBoot debian-build).Template | Should -Be ([guid]'272E7447-90A4-4563-A4B9-8E4AB00526CE')
        }

        It 'is refused on a Generation 1 VM' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName freebsd-gw -State Off
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName freebsd-gw -Name secure-boot -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "SecureBootNeedsGeneration2,$enable"
            (Get-Counters).ChangeCallCount | Should -Be 0
        }

        It 'is refused by the provider when the VM started after the lookup, as the same error' {
            # Jobs of 3 s: another runspace starts the VM once the secure boot job exists, before it ends.
            $slow = 'fswitch-slow'
            Start-HyperVSimulator -ComputerName $slow -JobDuration 00:00:03
            try {
                Set-HyperVSimulatorVM -ComputerName $slow -VMName debian-build -State Off
                $ready = [hashtable]::Synchronized(@{})
                $job = Start-ThreadJob {
                    param($cn, $ready, $modulePath)
                    Import-Module $modulePath
                    $ready.Value = $true
                    $deadline = [datetime]::UtcNow.AddSeconds(20)
                    while ((Get-HyperVSimulator -ComputerName $cn).JobCount -eq 0 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
                    Set-HyperVSimulatorVM -ComputerName $cn -VMName debian-build -State Running
                } -ArgumentList $slow, $ready, (Get-TestModulePath)
                while (-not $ready.Value -and $job.State -eq 'Running') { Start-Sleep -Milliseconds 10 }
                try {
                    Enable-GuestFeature -ComputerName $slow -VMName debian-build -Name secure-boot -ErrorVariable err -ErrorAction SilentlyContinue
                }
                finally { $job | Wait-Job | Remove-Job }
                $err[0].FullyQualifiedErrorId | Should -Be "SecureBootChangeWhileRunning,$enable"
                $err[0].Exception.ProviderCode | Should -Be 32775
                (Get-SecureBoot debian-build $slow).Template | Should -Be ([guid]'1734C6E8-3154-4DDA-BA5F-A874CC483422')
            }
            finally { Stop-HyperVSimulator -ComputerName $slow }
        }

        It 'is refused on a host older than Windows Server 2016, once for the host' {
            Start-HyperVSimulator -ComputerName fswitch-old -Scenario WS2012R2
            try {
                Set-HyperVSimulatorVM -ComputerName fswitch-old -VMName ubuntu-web -State Off
                Enable-GuestFeature -ComputerName fswitch-old -VMName ubuntu-web, suse-off -Name secure-boot -ErrorVariable err -ErrorAction SilentlyContinue
                $err | Should -HaveCount 1
                $err[0].FullyQualifiedErrorId | Should -Be "FeatureNotSupportedByHost,$enable"
                $err[0].TargetObject | Should -Be 'fswitch-old'
                (Get-HyperVSimulator -ComputerName fswitch-old).ChangeCallCount | Should -Be 0
            }
            finally { Stop-HyperVSimulator -ComputerName fswitch-old }
        }
    }

    Context 'dynamic memory' {
        It 'follows Set-DynamicMemory''s rules: refused while the VM runs, with its error and no call' {
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName debian-build -Name 'Dynamic Memory - Hot-Add' -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "DynamicMemoryChangeWhileRunning,$enable"
            (Get-Counters).ChangeCallCount | Should -Be 0
        }

        It 'turns virtual NUMA off first, as Set-DynamicMemory does, and names the feature in ShouldProcess' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
            $operations = Get-Operation { Enable-GuestFeature -ComputerName $lab -VMName debian-build -Name dm-ballooning -Confirm:$false }
            $operations | Should -BeLike "*'Dynamic Memory - Ballooning': Disabled -> Enabled; Set dynamic memory: DynamicMemoryEnabled False -> True; turn virtual NUMA off first*"
            (Get-DynamicMemory -ComputerName $lab -VMName debian-build).DynamicMemoryEnabled | Should -BeTrue
            (Get-HyperVSimulatorInstance -ComputerName $lab -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = 'debian-build'").VirtualNumaEnabled | Should -BeFalse
        }
    }

    Context 'what it does not change' {
        It 'refuses a feature the host cannot switch with why and what instead, once, changing nothing' {
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name 'Jumbo frames', 'TRIM support' -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 2
            $err.FullyQualifiedErrorId | Should -Be @("FeatureNotSwitchable,$enable", "FeatureNotSwitchable,$enable")
            $err[0].TargetObject | Should -Be 'Jumbo frames'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*MTU is configured inside the guest*'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*inside each guest*'
            $counters = Get-Counters
            $counters.ChangeCallCount | Should -Be 0
            $counters.QueryCount | Should -Be 0
        }

        It 'still switches the switchable features named beside one it cannot switch' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web -DisableComponent Heartbeat
            Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'VLAN tagging and trunking', Heartbeat -ErrorVariable err -ErrorAction SilentlyContinue
            $err.FullyQualifiedErrorId | Should -Be "FeatureNotSwitchable,$enable"
            Get-State ubuntu-web Heartbeat | Should -Be 'Enabled'
        }

        It 'warns and makes no call for what is already as asked, even when it is Degraded for another reason' {
            Reset-Counters
            Enable-GuestFeature -ComputerName $lab -VMName centos-hung -Name Heartbeat -WarningVariable warn -WarningAction SilentlyContinue
            $warn | Should -HaveCount 1
            $warn[0].Message | Should -BeLike "*Already switched on for 'centos-hung'*Degraded: Heartbeat lost*"
            (Get-Counters).ChangeCallCount | Should -Be 0
        }

        It 'makes no provider call under -WhatIf, and says old -> new per VM' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web, rhel-db -DisableComponent 'Key-Value Pair Exchange'
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
            Disable-GuestFeature -ComputerName $lab -VMName suse-off -Name dm-hot-add
            Reset-Counters
            $whatIf = Get-WhatIf { Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db, debian-build, suse-off -Name kvp, secure-boot, dm-hot-add -WhatIf -WarningAction SilentlyContinue }
            $counters = Get-Counters
            $counters.ChangeCallCount | Should -Be 0
            $counters.JobCount | Should -Be 0
            Get-State ubuntu-web kvp | Should -Be 'Disabled'
            Get-State debian-build secure-boot | Should -Be 'Degraded'
            Get-State suse-off dm-hot-add | Should -Be 'Disabled'
            $whatIf | Should -Contain "What if: Performing the operation ""Enable 'KVP exchange': Disabled -> Enabled (EnabledState of the Key-Value Pair Exchange integration service 3 -> 2)"" on target ""VM 'ubuntu-web' on host '$lab'""."
            $whatIf | Should -Contain "What if: Performing the operation ""Enable 'KVP exchange': Disabled -> Enabled (EnabledState of the Key-Value Pair Exchange integration service 3 -> 2)"" on target ""VM 'rhel-db' on host '$lab'""."
            $whatIf | Should -Contain "What if: Performing the operation ""Enable 'Secure boot': Degraded -> Enabled (SecureBootEnabled True -> True, template Microsoft Windows -> Microsoft UEFI Certificate Authority)"" on target ""VM 'debian-build' on host '$lab'""."
            $whatIf | Where-Object { $_ -like "*'Dynamic Memory - Hot-Add': Disabled -> Enabled; Set dynamic memory: DynamicMemoryEnabled False -> True*" } | Should -HaveCount 2 -Because 'debian-build and suse-off are off with static memory'
            $whatIf | Should -HaveCount 5 -Because 'what is already as asked (KVP on debian-build and suse-off, secure boot on suse-off) is not described'
        }

        It 'asks once per VM and feature, and a declined VM stays as it was' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web, rhel-db -DisableComponent Heartbeat
            $operations = Get-Operation { Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name Heartbeat -Confirm:$false }
            $operations | Should -HaveCount 2
            $operations[0] | Should -BeLike "*Enable 'Heartbeat': Disabled -> Enabled (EnabledState of the Heartbeat integration service 3 -> 2)* on target *VM 'rhel-db' on host '$lab'*"
        }

        It 'requires a VM selection rather than switching every VM' {
            { Enable-GuestFeature -ComputerName $lab -Name heartbeat } | Should -Throw -ErrorId "VMSelectionRequired,$enable"
        }

        It 'refuses an unknown feature name when binding' {
            { Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Warp drive' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }

        It 'warns about a pattern that matches no switchable feature' {
            Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Jumbo*' -WarningVariable warn -WarningAction SilentlyContinue
            $warn[0].Message | Should -BeLike "*'Jumbo*' matches no feature the host can switch*"
        }

        It 'reports an unknown VM and goes on with the others' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -DisableComponent Heartbeat
            Enable-GuestFeature -ComputerName $lab -VMName ghost, rhel-db -Name Heartbeat -ErrorVariable err -ErrorAction SilentlyContinue
            $err.FullyQualifiedErrorId | Should -Be "VMNotFound,$enable"
            Get-State rhel-db Heartbeat | Should -Be 'Enabled'
        }

        It 'says the outcome is unknown, not "cannot connect", when the connection goes while the job is polled' {
            # Issue 10 item 6.
            Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -DisableComponent Heartbeat
            Add-HyperVSimulatorFault -ComputerName $lab -Method GetInstance -Disconnect -Count 1
            Enable-GuestFeature -ComputerName $lab -VMName rhel-db -Name Heartbeat -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobOutcomeUnknown,$enable"
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike "*Get-GuestFeature -VMName 'rhel-db' -ComputerName '$lab'*"
            Wait-SimulatorJob $lab $err[0].Exception.Data['JobId'] | Should -Be 7
            Get-State rhel-db Heartbeat | Should -Be 'Enabled'
        }

        It 'reports a provider refusal for its VM and goes on with the others' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web, rhel-db -DisableComponent Heartbeat
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method ModifyResourceSettings -ReturnCode 32769
            Enable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name Heartbeat -ErrorVariable err -ErrorAction SilentlyContinue
            $err.FullyQualifiedErrorId | Should -Be "AccessDenied,$enable"
            Get-State ubuntu-web Heartbeat | Should -Be 'Disabled'
            Get-State rhel-db Heartbeat | Should -Be 'Enabled'
        }
    }

    Context 'pipeline and hosts' {
        It 'takes Get-GuestFeature rows: the report -> fix loop' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
            $fixed = Get-GuestFeature -ComputerName $lab | Where-Object State -eq Degraded |
                Enable-GuestFeature -PassThru -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
            ($fixed | Where-Object Feature -eq 'Secure boot').State.ToString() | Should -Be 'Enabled'
            ($fixed | Where-Object Feature -eq 'Secure boot').VMName | Should -Be 'debian-build'
            $err.FullyQualifiedErrorId | Should -Be "FeatureNotSwitchable,$enable" -Because 'VHDX resize is Degraded on two VMs but reported once'
            $warn.Message | Should -BeLike "*Already switched on for 'centos-hung'*"
            Get-GuestFeature -ComputerName $lab -VMName debian-build -Name secure-boot | ForEach-Object State | Should -Be 'Enabled'
        }

        It 'runs the fix a row''s Detail suggests, as printed, and the row turns Enabled' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
            $rows = @(Get-GuestFeature -ComputerName $lab | Where-Object Detail -like '*Enable-GuestFeature *')
            $rows.Feature | Sort-Object | Should -Be @('File copy from host to guest', 'Secure boot')
            foreach ($row in $rows) {
                # The command runs from "Enable-GuestFeature" to the end of its last quoted argument.
                $command = [regex]::Match($row.Detail, "Enable-GuestFeature .*'").Value
                Invoke-Expression "$command -Confirm:`$false"
                Get-State $row.VMName $row.Feature | Should -Be 'Enabled' -Because $command
            }
        }

        It 'switches each piped row on its own host, the same VM name on two hosts' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -DisableComponent Heartbeat
            Set-HyperVSimulatorVM -ComputerName $other -VMName rhel-db -DisableComponent VSS
            Get-GuestFeature -ComputerName $lab, $other -VMName rhel-db -Name heartbeat, live-backup | Where-Object State -eq Disabled | Enable-GuestFeature
            Get-State rhel-db Heartbeat $lab | Should -Be 'Enabled'
            Get-State rhel-db live-backup $other | Should -Be 'Enabled'
        }

        It 'binds a piped Get-VM-like object''s VMName, never its Name, with -Name typed' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -DisableComponent Heartbeat
            [pscustomobject]@{ Name = 'rhel-db'; VMName = 'rhel-db'; ComputerName = $lab } | Enable-GuestFeature -Name Heartbeat
            Get-State rhel-db Heartbeat | Should -Be 'Enabled'
        }

        It 'reads each host once, whatever the number of VMs' {
            Start-HyperVSimulator -ComputerName fswitch-big -VMCount 40
            try {
                $null = Get-HyperVSimulator -ComputerName fswitch-big -ResetCounters
                Enable-GuestFeature -ComputerName fswitch-big -VMName * -Name heartbeat -WarningAction SilentlyContinue
                $few = (Get-HyperVSimulator -ComputerName fswitch-big).QueryCount
                Start-HyperVSimulator -ComputerName fswitch-big -VMCount 4 -WarningAction SilentlyContinue
                $null = Get-HyperVSimulator -ComputerName fswitch-big -ResetCounters
                Enable-GuestFeature -ComputerName fswitch-big -VMName * -Name heartbeat -WarningAction SilentlyContinue
                (Get-HyperVSimulator -ComputerName fswitch-big).QueryCount | Should -Be $few
            }
            finally { Stop-HyperVSimulator -ComputerName fswitch-big }
        }
    }
}
