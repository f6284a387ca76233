# Send-VMNmi against the simulated host: state checks before any call, ShouldProcess, errors, pipeline, hosts.
BeforeAll {
    # Runs one call in a runspace with no host to answer a prompt, on a simulated host PromptLab of its own:
    # 'sent' or 'not sent' (the call stopped), then the provider method calls made.
    function script:Invoke-Unanswered([string] $Call) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($ModulePath, $Call)
                Import-Module $ModulePath
                Start-HyperVSimulator -ComputerName PromptLab
                try { & ([scriptblock]::Create($Call)); 'sent' } catch { 'not sent' }
                (Get-HyperVSimulator -ComputerName PromptLab).MethodCallCount
            }).AddArgument((Get-TestModulePath)).AddArgument($Call)
            $ps.Invoke()
        }
        finally {
            $ps.Dispose()
        }
    }

    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'NmiLab1'
    $script:lab2 = 'NmiLab2'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.SendVMNmiCommand'
    Start-HyperVSimulator -ComputerName $lab, $lab2

    function script:Get-Counters([string] $ComputerName = $lab) {
        Get-HyperVSimulator -ComputerName $ComputerName
    }

    function script:Reset-Counters {
        Get-HyperVSimulator -ComputerName $lab, $lab2 -ResetCounters | Out-Null
    }

    function script:Get-NmiCount([string] $VMName, [string] $ComputerName = $lab) {
        (Get-HyperVSimulatorVM -ComputerName $ComputerName -VMName $VMName).NmiCount
    }

    function script:Invoke-Nmi([hashtable] $Parameters) {
        $errors = $null
        $output = Send-VMNmi @Parameters -ErrorAction SilentlyContinue -ErrorVariable errors
        [pscustomobject]@{ Output = @($output); Errors = @($errors) }
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $lab, $lab2
}

Describe 'Send-VMNmi' {
    BeforeEach {
        Clear-HyperVSimulatorFault -ComputerName $lab
        Reset-Counters
    }

    Context 'a VM that is not running' {
        AfterEach {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Running
        }

        It 'refuses a VM that is <State> with VMNotRunning and makes no provider call' -ForEach @(
            @{ State = 'Off' }, @{ State = 'Saved' }, @{ State = 'Paused' }
        ) {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State $State
            Reset-Counters

            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'debian-build'; Force = $true; PassThru = $true }

            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotRunning,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $result.Errors[0].TargetObject | Should -Be 'debian-build'
            $result.Errors[0].Exception.Message | Should -Match $State
            $fix = if ($State -eq 'Paused') { "Resume-VM -Name 'debian-build'" } else { "Start-VM -Name 'debian-build'" }
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match $fix
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'refuses the scenario''s turned-off VM' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'suse-off'; Force = $true }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotRunning,$cmdlet"
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'maps the provider''s own invalid-state refusal (32775) to VMNotRunning' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32775 -Count 1
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web'; Force = $true }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotRunning,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $result.Errors[0].Exception.Message | Should -Match '32775'
        }
    }

    Context 'a running VM' {
        It 'injects the NMI, waits for the job and returns what was sent with -PassThru' {
            $before = Get-Date
            $nmis = Get-NmiCount ubuntu-web
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web'; Force = $true; PassThru = $true }

            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $sent = $result.Output[0]
            $sent | Should -BeOfType ([HyperVGuestFeatures.NmiResult])
            $sent.VMName | Should -Be 'ubuntu-web'
            $sent.ComputerName | Should -Be $lab
            $sent.VMId | Should -Not -Be ([guid]::Empty)
            $sent.SentAt | Should -BeGreaterOrEqual $before.AddSeconds(-1)
            $sent.Hint | Should -Match '/proc/interrupts'
            $sent.Hint | Should -Match 'kernel.unknown_nmi_panic'
            $counters = Get-Counters
            $counters.MethodCallCount | Should -Be 1
            $counters.JobCount | Should -Be 1
            Get-NmiCount ubuntu-web | Should -Be ($nmis + 1)
        }

        It 'returns nothing without -PassThru' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'rhel-db'; Force = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
            (Get-Counters).MethodCallCount | Should -Be 1
        }

        It 'takes -VMId' {
            $id = (Get-GuestFeature -ComputerName $lab -VMName rhel-db -Name Heartbeat).VMId
            Reset-Counters
            $result = Invoke-Nmi @{ ComputerName = $lab; VMId = $id; Force = $true; PassThru = $true }
            $result.Output.VMName | Should -Be 'rhel-db'
            $result.Output.VMId | Should -Be $id
        }

        It 'takes wildcards and skips the VMs that are not running, with an error for each' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = '*'; Force = $true; PassThru = $true }
            $result.Output.VMName | Should -Not -Contain 'suse-off'
            $result.Output.VMName | Should -Contain 'ubuntu-web'
            $result.Errors.TargetObject | Should -Contain 'suse-off'
            (Get-Counters).MethodCallCount | Should -Be $result.Output.Count
        }
    }

    Context 'ShouldProcess' {
        It 'has ConfirmImpact High, so it asks by default' {
            $attribute = (Get-Command Send-VMNmi).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.ConfirmImpact | Should -Be 'High'
            $attribute.SupportsShouldProcess | Should -BeTrue
        }

        It 'asks before sending when neither -Force nor -Confirm:$false is given' {
            # A runspace without an interactive host cannot answer the prompt: the NMI must not be sent.
            $sent, $calls = Invoke-Unanswered "`$ConfirmPreference = 'High'; Send-VMNmi -ComputerName PromptLab -VMName ubuntu-web -ErrorAction Stop"
            $sent | Should -Be 'not sent'
            $calls | Should -Be 0
        }

        It 'does not let -Force override an explicit -Confirm' {
            # No interactive host here to answer: an NMI asked about must not be sent.
            $sent, $calls = Invoke-Unanswered 'Send-VMNmi -ComputerName PromptLab -VMName ubuntu-web -Force -Confirm -ErrorAction Stop'
            $sent | Should -Be 'not sent'
            $calls | Should -Be 0
        }

        It 'says "Performing the operation" under -Verbose with -Force too' {
            $verbose = Send-VMNmi -ComputerName $lab -VMName ubuntu-web -Force -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -match '^Performing the operation ".*" on target ".*ubuntu-web.*"') | Should -Not -BeNullOrEmpty
        }

        It 'sends with -Confirm:$false' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web'; Confirm = $false; PassThru = $true }
            $result.Output | Should -HaveCount 1
            (Get-Counters).MethodCallCount | Should -Be 1
        }

        It 'only describes under -WhatIf, even with -Force' {
            $nmis = Get-NmiCount ubuntu-web
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web', 'rhel-db'; Force = $true; WhatIf = $true; PassThru = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
            $counters = Get-Counters
            $counters.MethodCallCount | Should -Be 0
            $counters.JobCount | Should -Be 0
            Get-NmiCount ubuntu-web | Should -Be $nmis
        }

        It 'still reports a VM that is not running under -WhatIf' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'suse-off'; WhatIf = $true }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotRunning,$cmdlet"
        }
    }

    Context 'errors' {
        It 'requires a VM selection rather than interrupting every VM' {
            { Send-VMNmi -ComputerName $lab -Force } | Should -Throw -ErrorId "VMSelectionRequired,$cmdlet"
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'writes one HostUnreachable per lost host, not one per VM, and the other host still gets its NMIs' {
            Add-HyperVSimulatorFault -ComputerName $lab2 -Method InjectNonMaskableInterrupt -Disconnect
            try {
                $result = Invoke-Nmi @{ ComputerName = $lab, $lab2; VMName = 'ubuntu-web', 'rhel-db', 'debian-build'; Force = $true; PassThru = $true }
                $unreachable = @($result.Errors | Where-Object { $_.FullyQualifiedErrorId -eq "HostUnreachable,$cmdlet" })
                $unreachable | Should -HaveCount 1
                $unreachable[0].TargetObject | Should -Be $lab2
                $unreachable[0].CategoryInfo.Category | Should -Be 'ConnectionError'
                ($result.Output | Where-Object ComputerName -eq $lab) | Should -HaveCount 3
            }
            finally {
                Clear-HyperVSimulatorFault -ComputerName $lab2
            }
        }

        It 'says the outcome is unknown, with the job, when the connection goes while the job is polled (no "cannot connect")' {
            # Issue 10 item 6: the NMI was injected; reading it as "nothing happened" invites a second NMI.
            $nmis = Get-NmiCount rhel-db
            # VMs go in name order: rhel-db's job is the first one polled.
            Add-HyperVSimulatorFault -ComputerName $lab -Method GetInstance -Disconnect -Count 1
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web', 'rhel-db'; Force = $true; PassThru = $true }
            $result.Errors | Should -HaveCount 1
            $unknown = $result.Errors[0]
            $unknown.FullyQualifiedErrorId | Should -Be "CimJobOutcomeUnknown,$cmdlet"
            $unknown.CategoryInfo.Category | Should -Be 'ConnectionError'
            $unknown.TargetObject | Should -Be 'rhel-db'
            $job = $unknown.Exception.Data['JobId']
            $job | Should -Not -BeNullOrEmpty
            $unknown.Exception.Message | Should -BeLike "*InjectNonMaskableInterrupt*job $job*may or may not have been made*"
            $unknown.ErrorDetails.RecommendedAction | Should -BeLike '*/proc/interrupts*do not send another NMI*'
            $unknown.ErrorDetails.RecommendedAction | Should -BeLike "*InstanceID='$job'*"
            Wait-SimulatorJob $lab $job | Should -Be 7
            Get-NmiCount rhel-db | Should -Be ($nmis + 1) -Because 'the NMI was sent: only the connection that would have said so went'
            $result.Output.VMName | Should -Be @('ubuntu-web') -Because 'the other VM still gets its NMI'
        }

        It 'names the host of a VM error in a multi-host run' {
            Add-HyperVSimulatorFault -ComputerName $lab2 -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32768
            try {
                $result = Invoke-Nmi @{ ComputerName = $lab, $lab2; VMName = 'ubuntu-web'; Force = $true }
                $result.Errors | Should -HaveCount 1
                $result.Errors[0].Exception.Message | Should -BeLike "Host '$lab2':*ubuntu-web*"
                $result.Errors[0].TargetObject | Should -Be 'ubuntu-web'
                $result.Errors[0].TargetObject.ComputerName | Should -Be $lab2
            }
            finally {
                Clear-HyperVSimulatorFault -ComputerName $lab2
            }
        }

        It 'stops cleanly under -ErrorAction Stop while other hosts are still working' {
            # The pipeline thread stops writing early; the host workers must stop too (this used to crash pwsh).
            { Send-VMNmi -ComputerName $lab, $lab2 -VMName suse-off, ubuntu-web -Force -ErrorAction Stop } |
                Should -Throw -ErrorId "VMNotRunning,$cmdlet"
            Send-VMNmi -ComputerName $lab -VMName ubuntu-web -Force -PassThru | Should -HaveCount 1
        }

        It 'writes VMNotFound for a name that matches nothing' {
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'no-such-vm'; Force = $true }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotFound,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $result.Errors[0].TargetObject | Should -Be 'no-such-vm'
        }

        It 'writes AccessDenied when the provider returns 32769' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32769
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web'; Force = $true; PassThru = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "AccessDenied,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $result.Errors[0].TargetObject | Should -Be 'ubuntu-web'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Hyper-V Administrators'
        }

        It 'writes CimJobFailed with the provider''s text when the job fails' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method InjectNonMaskableInterrupt -JobErrorCode 32768 -JobErrorDescription 'The interrupt could not be delivered.'
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web'; Force = $true }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$cmdlet"
            $result.Errors[0].Exception.Message | Should -Match 'The interrupt could not be delivered'
        }

        It 'goes on with the other VMs when one fails' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32768
            $result = Invoke-Nmi @{ ComputerName = $lab; VMName = 'ubuntu-web', 'suse-off', 'rhel-db'; Force = $true; PassThru = $true }
            $result.Output.VMName | Should -Be @('rhel-db')
            $result.Errors | Should -HaveCount 2
            $result.Errors.TargetObject | Should -Contain 'ubuntu-web'
            $result.Errors.TargetObject | Should -Contain 'suse-off'
        }
    }

    Context 'pipeline and hosts' {
        It 'takes Get-GuestFeature output (one NMI per VM, however many rows)' {
            $rows = Get-GuestFeature -ComputerName $lab -VMName ubuntu-web -Category Core
            $rows.Count | Should -BeGreaterThan 1
            Reset-Counters
            $result = $rows | Send-VMNmi -Force -PassThru
            $result | Should -HaveCount 1
            $result.VMName | Should -Be 'ubuntu-web'
            (Get-Counters).MethodCallCount | Should -Be 1
        }

        It 'binds VMName and ComputerName of a Get-VM-like object, not its Name and Id' {
            $vm = [pscustomobject]@{ VMName = 'rhel-db'; Name = 'rhel-db'; Id = [guid]::NewGuid(); ComputerName = $lab }
            $result = $vm | Send-VMNmi -Force -PassThru
            $result.VMName | Should -Be 'rhel-db'
            $result.ComputerName | Should -Be $lab
        }

        It 'works on several hosts at once' {
            $result = Send-VMNmi -ComputerName $lab, $lab2 -VMName ubuntu-web -Force -PassThru
            $result | Should -HaveCount 2
            ($result.ComputerName | Sort-Object) | Should -Be (@($lab, $lab2) | Sort-Object)
            (Get-Counters $lab).MethodCallCount | Should -Be 1
            (Get-Counters $lab2).MethodCallCount | Should -Be 1
        }

        It 'writes a verbose message before the call, naming VM and host' {
            $verbose = Send-VMNmi -ComputerName $lab -VMName ubuntu-web -Force -Verbose 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Contain "Injecting a non-maskable interrupt into VM 'ubuntu-web' on host '$lab' (Msvm_ComputerSystem.InjectNonMaskableInterrupt)"
        }
    }
}
