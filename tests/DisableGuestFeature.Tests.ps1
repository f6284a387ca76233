# Disable-GuestFeature against the simulated host: integration services off by class and id, secure
# boot off only while the VM is off (template kept), dynamic memory off through Set-DynamicMemory's
# rules with virtual NUMA back on; "already off", -WhatIf and refusals make no changing provider call.
# The Disabled -> Enabled -> Disabled round trip of every switchable feature is in EnableGuestFeature.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'fswitch-off'
    $script:disable = 'HyperVGuestFeatures.Commands.DisableGuestFeatureCommand'

    function script:Reset-Counters { $null = Get-HyperVSimulator -ComputerName $lab -ResetCounters }
    function script:Get-Counters { Get-HyperVSimulator -ComputerName $lab }
    function script:Get-State([string] $VMName, [string] $Feature) {
        (Get-GuestFeature -ComputerName $lab -VMName $VMName -Name $Feature).State.ToString()
    }

    # The VM's realized settings as the simulated provider holds them.
    function script:Get-SystemSettings([string] $VMName, [string] $ComputerName = $lab) {
        Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = '$VMName'"
    }
}

Describe 'Disable-GuestFeature' {
    BeforeEach { Start-HyperVSimulator -ComputerName $lab }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

    It 'turns integration services off on several VMs, one call per VM, and -PassThru shows them Disabled' {
        Reset-Counters
        $rows = Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name 'Integrated shutdown', 'KVP exchange' -PassThru
        $rows | Should -HaveCount 4
        $rows.State | Sort-Object -Unique | Should -Be 'Disabled'
        (Get-Counters).ChangeCallCount | Should -Be 2
        (Get-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web).DisabledComponents | Should -Contain 'Shutdown'
        (Get-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db).DisabledComponents | Should -Contain 'Key-Value Pair Exchange'
    }

    It 'turns Time synchronization off when Accurate Time is named, since it is that service' {
        Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Windows Server 2016 Accurate Time'
        Get-State ubuntu-web 'Time synchronization' | Should -Be 'Disabled'
        Get-State ubuntu-web 'Windows Server 2016 Accurate Time' | Should -Be 'Disabled'
    }

    It 'warns and makes no call for a feature already off' {
        Reset-Counters
        Disable-GuestFeature -ComputerName $lab -VMName alma-noguestsvc, debian-build -Name file-copy, dm-hot-add -WhatIf -WarningVariable warn -WarningAction SilentlyContinue
        $warn.Message | Sort-Object | Should -Be @(
            "Already off for 'alma-noguestsvc' on '$lab', so nothing was changed: 'Dynamic Memory - Hot-Add'."
            "Already off for 'alma-noguestsvc' on '$lab', so nothing was changed: 'File copy from host to guest'."
            "Already off for 'debian-build' on '$lab', so nothing was changed: 'Dynamic Memory - Hot-Add'."
        ) -Because 'file copy is still on on debian-build'
        (Get-Counters).ChangeCallCount | Should -Be 0
    }

    It 'refuses to switch secure boot off while the VM runs, then switches it off and keeps the template' {
        Reset-Counters
        Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Secure boot' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be "SecureBootChangeWhileRunning,$disable"
        (Get-Counters).ChangeCallCount | Should -Be 0
        Set-HyperVSimulatorVM -ComputerName $lab -VMName ubuntu-web -State Off
        Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Secure boot'
        Get-State ubuntu-web 'Secure boot' | Should -Be 'Disabled'
        [guid](Get-SystemSettings ubuntu-web).SecureBootTemplateId | Should -Be ([guid]'272E7447-90A4-4563-A4B9-8E4AB00526CE')
    }

    It 'switches dynamic memory off with Set-DynamicMemory''s rules, and turns virtual NUMA back on' {
        Reset-Counters
        Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name dm-hot-add -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be "DynamicMemoryChangeWhileRunning,$disable"
        (Get-Counters).ChangeCallCount | Should -Be 0
        Disable-GuestFeature -ComputerName $lab -VMName suse-off -Name dm-ballooning
        (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeFalse
        (Get-SystemSettings suse-off).VirtualNumaEnabled | Should -BeTrue
    }

    It 'makes no provider call under -WhatIf' {
        Set-HyperVSimulatorVM -ComputerName $lab -VMName suse-off, ubuntu-web -State Off
        Reset-Counters
        Disable-GuestFeature -ComputerName $lab -VMName * -Name heartbeat, secure-boot, dm-hot-add -WhatIf -WarningAction SilentlyContinue -ErrorVariable err -ErrorAction SilentlyContinue
        $err.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be @("DynamicMemoryChangeWhileRunning,$disable", "SecureBootChangeWhileRunning,$disable") -Because 'the running VMs are refused even under -WhatIf'
        (Get-Counters).ChangeCallCount | Should -Be 0
        (Get-Counters).JobCount | Should -Be 0
        Get-State ubuntu-web heartbeat | Should -Not -Be 'Disabled'
        Get-State suse-off secure-boot | Should -Be 'Enabled'
    }

    It 'refuses a feature the host cannot switch, changing nothing' {
        Reset-Counters
        Disable-GuestFeature -ComputerName $lab -VMName ubuntu-web -Name 'Live Migration' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be "FeatureNotSwitchable,$disable"
        $err[0].Exception.Message | Should -BeLike '*a setting of the host, not of a VM*'
        (Get-Counters).ChangeCallCount | Should -Be 0
    }

    It 'takes Get-GuestFeature rows and switches each on its own VM' {
        Get-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Name heartbeat | Disable-GuestFeature
        Get-State ubuntu-web heartbeat | Should -Be 'Disabled'
        Get-State rhel-db heartbeat | Should -Be 'Disabled'
        Get-State debian-build heartbeat | Should -Be 'Enabled'
    }
}
