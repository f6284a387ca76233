# Set-DynamicMemory against the simulated host: every rule refused up front (no method call), real
# changes with one call per VM, -WhatIf, idempotence, pipeline, several hosts, provider refusals.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'memset-a'
    $script:other = 'memset-b'
    $script:command = 'HyperVGuestFeatures.Commands.SetDynamicMemoryCommand'

    function script:Reset-Counters([string[]] $ComputerName = $lab) { $null = Get-HyperVSimulator -ComputerName $ComputerName -ResetCounters }
    function script:Get-MethodCalls([string] $ComputerName = $lab) { (Get-HyperVSimulator -ComputerName $ComputerName).MethodCallCount }

    function script:Get-VirtualNuma([string] $VMName, [string] $ComputerName = $lab) {
        (Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = '$VMName'").VirtualNumaEnabled
    }

    # Runs Set-DynamicMemory, expects exactly one error and no provider method call; returns the error.
    function script:Assert-Refused([hashtable] $Arguments, [string] $ErrorId, [string] $Category, [string] $Target) {
        Reset-Counters
        $out = Set-DynamicMemory -ComputerName $lab @Arguments -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$command"
        $err[0].CategoryInfo.Category | Should -Be $Category
        $err[0].TargetObject | Should -Be $Target
        Get-MethodCalls | Should -Be 0
        $err[0]
    }
}

Describe 'Set-DynamicMemory' {
    BeforeEach { Start-HyperVSimulator -ComputerName $lab, $other }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab, $other -ErrorAction SilentlyContinue }

    Context 'parameter sets' {
        It 'requires -VMName or -VMId' {
            $sets = (Get-Command Set-DynamicMemory).ParameterSets
            ($sets.Name | Sort-Object) | Should -Be @('VMId', 'VMName')
            ($sets | Where-Object Name -eq 'VMName').Parameters | Where-Object Name -eq 'VMName' | ForEach-Object IsMandatory | Should -BeTrue
            ($sets | Where-Object Name -eq 'VMId').Parameters | Where-Object Name -eq 'VMId' | ForEach-Object IsMandatory | Should -BeTrue
        }

        It 'refuses a call that gives no setting to change' {
            { Set-DynamicMemory -ComputerName $lab -VMName ubuntu-web } | Should -Throw -ErrorId 'MemoryNoSettingGiven,HyperVGuestFeatures.Commands.SetDynamicMemoryCommand'
        }

        It 'changes a VM that is off, by name, and returns the re-read settings with -PassThru' {
            Reset-Counters
            $row = Set-DynamicMemory -ComputerName $lab -VMName suse-off -StartupBytes 4GB -MinimumBytes 512MB -MaximumBytes 16GB -Buffer 30 -Priority 80 -PassThru
            $row | Should -BeOfType ([HyperVGuestFeatures.DynamicMemoryInfo])
            $row.StartupBytes | Should -Be 4GB
            $row.MinimumBytes | Should -Be 512MB
            $row.MaximumBytes | Should -Be 16GB
            $row.Buffer | Should -Be 30
            $row.Priority | Should -Be 80
            Get-MethodCalls | Should -Be 1
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).StartupBytes | Should -Be 4GB
        }

        It 'changes a VM by id' {
            $id = (Get-DynamicMemory -ComputerName $lab -VMName suse-off).VMId
            $row = Set-DynamicMemory -ComputerName $lab -VMId $id -Priority 20 -PassThru
            $row.VMName | Should -Be 'suse-off'
            $row.Priority | Should -Be 20
        }

        It 'writes nothing without -PassThru' {
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -Priority 60 | Should -BeNullOrEmpty
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).Priority | Should -Be 60
        }
    }

    Context 'dynamic memory on and off' {
        It 'turns dynamic memory off and on again while the VM is off' {
            (Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false -PassThru).DynamicMemoryEnabled | Should -BeFalse
            $row = Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 4GB -PassThru
            $row.DynamicMemoryEnabled | Should -BeTrue
            $row.MaximumBytes | Should -Be 4GB
        }

        It 'turns virtual NUMA back on after disabling dynamic memory, and off before enabling it' {
            Get-VirtualNuma suse-off | Should -BeFalse
            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false
            Get-VirtualNuma suse-off | Should -BeTrue
            Get-MethodCalls | Should -Be 2

            Reset-Counters
            $verbose = Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 4GB -Verbose 4>&1
            ($verbose | Where-Object { $_ -match 'ModifySystemSettings' -and $_ -match 'virtual NUMA off' }) | Should -Not -BeNullOrEmpty
            Get-VirtualNuma suse-off | Should -BeFalse
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeTrue
            Get-MethodCalls | Should -Be 2
        }

        It 'makes no NUMA or memory call under -WhatIf' {
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false
            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 4GB -WhatIf | Should -BeNullOrEmpty
            Get-MethodCalls | Should -Be 0
            Get-VirtualNuma suse-off | Should -BeTrue
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeFalse
        }

        It 'turns virtual NUMA back on when the memory change after it fails, so a re-run works' {
            # Issue 10 item 5: virtual NUMA stayed off, and the VM was neither as it was nor as asked.
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false
            Add-HyperVSimulatorFault -ComputerName $lab -VMName suse-off -Method ModifyResourceSettings -JobErrorCode 32773 -JobErrorDescription 'simulated refusal' -Count 1
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 4GB -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$command"
            $err[0].Exception.Message | Should -BeLike "*simulated refusal*Virtual NUMA, turned off first, was turned back on: VM 'suse-off' on host '$lab' is as it was.*"
            Get-VirtualNuma suse-off | Should -BeTrue
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeFalse

            (Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $true -MinimumBytes 1GB -MaximumBytes 4GB -PassThru).DynamicMemoryEnabled | Should -BeTrue
            Get-VirtualNuma suse-off | Should -BeFalse
        }

        It 'undoes the memory change when turning virtual NUMA back on fails, so a re-run does not say "already as asked"' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName suse-off -Method ModifySystemSettings -JobErrorCode 32768 -JobErrorDescription 'simulated NUMA failure' -Count 1
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$command"
            $err[0].Exception.Message | Should -BeLike "*ModifySystemSettings*simulated NUMA failure*The memory change, made first, was undone*"
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeTrue
            Get-VirtualNuma suse-off | Should -BeFalse

            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -DynamicMemoryEnabled $false -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            Get-MethodCalls | Should -Be 2
            Get-VirtualNuma suse-off | Should -BeTrue
        }

        It 'refuses to switch dynamic memory while the VM runs' {
            $e = Assert-Refused @{ VMName = 'ubuntu-web'; DynamicMemoryEnabled = $false } 'DynamicMemoryChangeWhileRunning' 'InvalidOperation' 'ubuntu-web'
            $e.ErrorDetails.RecommendedAction | Should -Match 'Stop-VM'
            Assert-Refused @{ VMName = 'debian-build'; DynamicMemoryEnabled = $true } 'DynamicMemoryChangeWhileRunning' 'InvalidOperation' 'debian-build'
        }

        It 'refuses buffer, minimum and maximum when dynamic memory is or would be off: <Name>' -ForEach @(
            @{ Name = 'buffer on static memory'; Arguments = @{ VMName = 'debian-build'; Buffer = 20 }; Target = 'debian-build' }
            @{ Name = 'minimum on static memory'; Arguments = @{ VMName = 'debian-build'; MinimumBytes = 512MB }; Target = 'debian-build' }
            @{ Name = 'maximum while turning it off'; Arguments = @{ VMName = 'suse-off'; DynamicMemoryEnabled = $false; MaximumBytes = 8GB }; Target = 'suse-off' }
        ) {
            Assert-Refused $Arguments 'DynamicMemoryParameterMismatch' 'InvalidArgument' $Target
        }
    }

    Context 'running VMs' {
        It 'changes minimum and maximum of a running VM with dynamic memory' {
            $row = Set-DynamicMemory -ComputerName $lab -VMName ubuntu-web -MinimumBytes 256MB -MaximumBytes 8GB -PassThru
            $row.MinimumBytes | Should -Be 256MB
            $row.MaximumBytes | Should -Be 8GB
            $row.VMState | Should -Be 'Running'
        }

        It 'refuses a new startup size while the VM runs with dynamic memory' {
            Assert-Refused @{ VMName = 'ubuntu-web'; StartupBytes = 1GB } 'StartupChangeWhileRunning' 'InvalidOperation' 'ubuntu-web'
        }

        It 'resizes a running VM with static memory on a WS2022 host' {
            (Set-DynamicMemory -ComputerName $lab -VMName debian-build -StartupBytes 6GB -PassThru).StartupBytes | Should -Be 6GB
        }

        It 'refuses a saved VM' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName suse-off -State Saved
            $e = Assert-Refused @{ VMName = 'suse-off'; Priority = 10 } 'VMStateInvalid' 'InvalidOperation' 'suse-off'
            $e.Exception.Message | Should -Match 'Saved'
        }

        It 'reports the provider''s refusal of a resize below what the guest uses as CimJobFailed' {
            Set-DynamicMemory -ComputerName $lab -VMName debian-build -StartupBytes 256MB -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$command"
            $err[0].TargetObject | Should -Be 'debian-build'
            (Get-DynamicMemory -ComputerName $lab -VMName debian-build).StartupBytes | Should -Be 4GB
        }
    }

    Context 'older hosts' {
        BeforeEach { Start-HyperVSimulator -ComputerName 'memset-2012' -Scenario WS2012R2 }
        AfterEach { Stop-HyperVSimulator -ComputerName 'memset-2012' -ErrorAction SilentlyContinue }

        It 'refuses runtime resize before Windows Server 2016' {
            $null = Get-HyperVSimulator -ComputerName 'memset-2012' -ResetCounters
            Set-DynamicMemory -ComputerName 'memset-2012' -VMName debian-build -StartupBytes 6GB -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "RuntimeResizeNotSupported,$command"
            $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
            $err[0].TargetObject | Should -Be 'debian-build'
            (Get-HyperVSimulator -ComputerName 'memset-2012').MethodCallCount | Should -Be 0
        }

        It 'only lowers the minimum and raises the maximum of a running VM before Windows Server 2016' {
            Set-DynamicMemory -ComputerName 'memset-2012' -VMName ubuntu-web -MinimumBytes 1GB -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "DynamicMemoryRangeWhileRunning,$command"
            (Set-DynamicMemory -ComputerName 'memset-2012' -VMName ubuntu-web -MinimumBytes 256MB -MaximumBytes 8GB -PassThru).MaximumBytes | Should -Be 8GB
        }
    }

    Context 'sizes' {
        It 'refuses <Name> as InvalidMemoryRange' -ForEach @(
            @{ Name = 'less than 32 MB'; Arguments = @{ VMName = 'suse-off'; StartupBytes = 16MB } }
            @{ Name = 'zero'; Arguments = @{ VMName = 'suse-off'; MinimumBytes = 0 } }
            @{ Name = 'minimum above startup'; Arguments = @{ VMName = 'suse-off'; MinimumBytes = 4GB } }
            @{ Name = 'startup above maximum'; Arguments = @{ VMName = 'suse-off'; StartupBytes = 16GB } }
            @{ Name = 'more than 240 TB'; Arguments = @{ VMName = 'suse-off'; MaximumBytes = 241TB } }
            @{ Name = 'more than 1 TB on generation 1'; Arguments = @{ VMName = 'freebsd-gw'; StartupBytes = 2TB } }
        ) {
            $target = $Arguments.VMName
            $e = Assert-Refused $Arguments 'InvalidMemoryRange' 'InvalidArgument' $target
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'refuses <Name> as MemorySizeNotAligned' -ForEach @(
            @{ Name = 'an odd number of MB'; Bytes = 1025MB }
            @{ Name = 'a part of a MB'; Bytes = 1GB + 1 }
        ) {
            Assert-Refused @{ VMName = 'suse-off'; StartupBytes = $Bytes } 'MemorySizeNotAligned' 'InvalidArgument' 'suse-off'
        }

        It 'takes 32 MB, the floor' {
            (Set-DynamicMemory -ComputerName $lab -VMName suse-off -MinimumBytes 32MB -PassThru).MinimumBytes | Should -Be 32MB
        }

        It 'warns about a size that is not a multiple of 128 MB, and applies it' {
            $row = Set-DynamicMemory -ComputerName $lab -VMName suse-off -StartupBytes 2050MB -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
            $row.StartupBytes | Should -Be 2050MB
            ($warnings -join "`n") | Should -Match 'multiple of 128 MB'
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -StartupBytes 2050MB -WarningVariable again -WarningAction SilentlyContinue
            ($again -join "`n") | Should -Not -Match 'multiple of 128 MB'
            ($again -join "`n") | Should -Match 'already as asked'
        }

        It 'rejects buffer <Buffer> and priority <Priority> when binding' -ForEach @(
            @{ Buffer = 4; Priority = 50 }, @{ Buffer = 2001; Priority = 50 }, @{ Buffer = 20; Priority = 101 }, @{ Buffer = 20; Priority = -1 }
        ) {
            { Set-DynamicMemory -ComputerName $lab -VMName suse-off -Buffer $Buffer -Priority $Priority } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,$command"
        }

        It 'takes the buffer and priority bounds' {
            $row = Set-DynamicMemory -ComputerName $lab -VMName suse-off -Buffer 2000 -Priority 0 -PassThru
            $row.Buffer | Should -Be 2000
            $row.Priority | Should -Be 0
            $row = Set-DynamicMemory -ComputerName $lab -VMName suse-off -Buffer 5 -Priority 100 -PassThru
            $row.Buffer | Should -Be 5
            $row.Priority | Should -Be 100
        }
    }

    Context 'safety' {
        It 'makes no method call and changes nothing under -WhatIf' {
            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName suse-off, ubuntu-web -MaximumBytes 12GB -WhatIf | Should -BeNullOrEmpty
            Get-MethodCalls | Should -Be 0
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off, ubuntu-web).MaximumBytes | Should -Be @(8GB, 4GB)
        }

        It 'makes no changing call when the values are already as asked, and says so' {
            Reset-Counters
            $row = Set-DynamicMemory -ComputerName $lab -VMName ubuntu-web -StartupBytes 2GB -MinimumBytes 512MB -MaximumBytes 4GB -DynamicMemoryEnabled $true -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
            # The one call is the read-only GetSummaryInformation behind -PassThru's runtime figures; no job ran.
            Get-MethodCalls | Should -Be 1
            (Get-HyperVSimulator -ComputerName $lab).JobCount | Should -Be 0
            $row.AssignedBytes | Should -Be 2GB
            ($warnings -join "`n") | Should -Match 'already as asked'
            $row.StartupBytes | Should -Be 2GB
        }

        It 'is idempotent: the second identical call changes nothing' {
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -MaximumBytes 12GB
            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -MaximumBytes 12GB -WarningAction SilentlyContinue
            Get-MethodCalls | Should -Be 0
        }

        It 'changes the other VMs when one is refused' {
            Reset-Counters
            Set-DynamicMemory -ComputerName $lab -VMName ubuntu-web, suse-off -StartupBytes 4GB -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'ubuntu-web'
            Get-MethodCalls | Should -Be 1
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).StartupBytes | Should -Be 4GB
        }

        It 'reports a failed provider job as CimJobFailed and goes on with the next VM' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName suse-off -Method ModifyResourceSettings -JobErrorCode 32768 -JobErrorDescription 'simulated failure'
            Set-DynamicMemory -ComputerName $lab -VMName suse-off, rhel-db -Priority 90 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$command"
            $err[0].TargetObject | Should -Be 'suse-off'
            $err[0].Exception.Message | Should -Match 'simulated failure'
            (Get-DynamicMemory -ComputerName $lab -VMName rhel-db).Priority | Should -Be 90
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).Priority | Should -Not -Be 90
        }

        It 'says the outcome is unknown, not "cannot connect", when the connection goes while the job is polled' {
            # Issue 10 item 6.
            Add-HyperVSimulatorFault -ComputerName $lab -Method GetInstance -Disconnect -Count 1
            Set-DynamicMemory -ComputerName $lab -VMName suse-off -Priority 70 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobOutcomeUnknown,$command"
            $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $err[0].Exception.Message | Should -BeLike '*ModifyResourceSettings*may or may not have been made*'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike "*Get-DynamicMemory -VMName 'suse-off' -ComputerName '$lab'*Msvm_ConcreteJob*"
            Wait-SimulatorJob $lab $err[0].Exception.Data['JobId'] | Should -Be 7
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).Priority | Should -Be 70
        }

        It 'writes VMNotFound for a missing name' {
            Assert-Refused @{ VMName = 'nope'; Priority = 10 } 'VMNotFound' 'ObjectNotFound' 'nope'
        }

        It 'writes a verbose message naming the VM and the host before the call' {
            $messages = Set-DynamicMemory -ComputerName $lab -VMName suse-off -Priority 40 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($messages.Message -join "`n") | Should -Match "ModifyResourceSettings.*suse-off.*$lab"
        }
    }

    Context 'pipeline and hosts' {
        It 'takes Get-DynamicMemory output' {
            Get-DynamicMemory -ComputerName $lab -VMName suse-off, rhel-db | Set-DynamicMemory -Priority 70
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off, rhel-db).Priority | Should -Be @(70, 70)
        }

        It 'takes Get-GuestFeature output, changing each VM once' {
            Reset-Counters
            Get-GuestFeature -ComputerName $lab -VMName suse-off -Category Memory | Set-DynamicMemory -Priority 65
            Get-MethodCalls | Should -Be 1
        }

        It 'takes Get-VM-like objects whose Name and Id bind to nothing else' {
            $vm = [pscustomobject]@{ VMName = 'suse-off'; Name = 'suse-off'; Id = [guid]::NewGuid(); ComputerName = $other }
            ($vm | Set-DynamicMemory -Priority 33 -PassThru).ComputerName | Should -Be $other
            (Get-DynamicMemory -ComputerName $other -VMName suse-off).Priority | Should -Be 33
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).Priority | Should -Not -Be 33
        }

        It 'changes VMs on several hosts in one call' {
            $rows = Set-DynamicMemory -ComputerName $lab, $other -VMName suse-off -MaximumBytes 10GB -PassThru
            $rows.ComputerName | Should -Be @($lab, $other)
            $rows.MaximumBytes | Should -Be @(10GB, 10GB)
        }
    }
}

Describe 'Set-DynamicMemory with an assigned device' {
    BeforeAll {
        $script:fixture = Join-Path $TestDrive 'dda.json'
        @{
            base = 'Default'
            vms  = @(@{ name = 'gpu-vm'; state = 'Off'; memory = @{ dynamic = $false; startupMB = 4096 }; assignedDevices = @('PCIROOT(0)#PCI(0300)#PCI(0000)') })
        } | ConvertTo-Json -Depth 5 | Set-Content $fixture
    }

    BeforeEach { Start-HyperVSimulator -ComputerName $lab -Path $fixture }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

    It 'refuses dynamic memory whose minimum differs from startup' {
        Assert-Refused @{ VMName = 'gpu-vm'; DynamicMemoryEnabled = $true; MinimumBytes = 1GB; MaximumBytes = 8GB } 'AssignedDeviceNeedsFixedStartup' 'InvalidArgument' 'gpu-vm'
    }

    It 'takes dynamic memory with minimum equal to startup' {
        $row = Set-DynamicMemory -ComputerName $lab -VMName gpu-vm -DynamicMemoryEnabled $true -MinimumBytes 4GB -MaximumBytes 8GB -PassThru
        $row.DynamicMemoryEnabled | Should -BeTrue
        $row.MinimumBytes | Should -Be $row.StartupBytes
        $row.HasAssignedDevice | Should -BeTrue
        Get-VirtualNuma gpu-vm | Should -BeFalse  # the fixture's static VM had virtual NUMA on by default
    }
}
