# Get-HyperVSimulatorInstance: the simulated provider's instances as a query of the real one returns them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:cmdlet = 'HyperVGuestFeatures.Commands.GetHyperVSimulatorInstanceCommand'
    Start-HyperVSimulator -ComputerName inst-lab
    Start-HyperVSimulator -ComputerName inst-2016 -Scenario WS2016
    Start-HyperVSimulator -ComputerName inst-2012 -Scenario WS2012R2

    # The InstanceID a Parent reference names: a WMI object path with the key's backslashes doubled.
    function script:Get-ParentId([string] $Parent) {
        if ($Parent -match 'InstanceID="(.*)"$') { return $Matches[1] -replace '\\\\', '\' }
        $Parent
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName inst-lab, inst-2016, inst-2012 -ErrorAction SilentlyContinue
}

Describe 'Get-HyperVSimulatorInstance' {
    It 'shows, on the default lab, each VM''s disks under drives under controllers' {
        $settings = Get-HyperVSimulatorInstance -ComputerName inst-lab -ClassName Msvm_ResourceAllocationSettingData
        $disks = Get-HyperVSimulatorInstance -ComputerName inst-lab -ClassName Msvm_StorageAllocationSettingData
        $disks | Should -HaveCount 8 # one per VM, and rhel-db's data disk
        foreach ($disk in $disks) {
            $disk.CimClassName | Should -Be 'Msvm_StorageAllocationSettingData'
            $disk.ResourceSubType | Should -Be 'Microsoft:Hyper-V:Virtual Hard Disk'
            $drive = $settings | Where-Object InstanceID -eq (Get-ParentId $disk.Parent)
            $drive | Should -HaveCount 1
            $drive.ResourceType | Should -Be 17
            $drive.ResourceSubType | Should -Be 'Microsoft:Hyper-V:Synthetic Disk Drive'
            $controller = $settings | Where-Object InstanceID -eq (Get-ParentId $drive.Parent)
            $controller | Should -HaveCount 1
            $controller.ResourceType | Should -BeIn 5, 6
        }

        # Every VM has its disk on a controller of its own.
        $vms = Get-HyperVSimulatorInstance -ComputerName inst-lab -ClassName Msvm_ComputerSystem -Filter "Description = 'Microsoft Virtual Machine'"
        foreach ($vm in $vms) {
            @($disks | Where-Object InstanceID -like "Microsoft:$($vm.Name)\*").Count | Should -BeGreaterOrEqual 1
        }
    }

    It 'writes the provider''s properties in its order, then CimClassName and PSComputerName' {
        $vm = Get-HyperVSimulatorInstance inst-lab Msvm_ComputerSystem -Filter "ElementName = 'ubuntu-web'"
        $vm | Should -HaveCount 1
        $names = $vm.PSObject.Properties.Name
        $names[0] | Should -Be 'CreationClassName'
        $names[-2] | Should -Be 'CimClassName'
        $names[-1] | Should -Be 'PSComputerName'
        $vm.EnabledState | Should -Be 2
        $vm.EnabledState | Should -BeOfType ([uint16])
        $vm.PSComputerName | Should -Be 'inst-lab'
        $vm.PSObject.TypeNames[0] | Should -Be 'HyperVGuestFeatures.SimulatorInstance#Msvm_ComputerSystem'
    }

    It 'shows no HighMmioGapSize on a WS2016 host, where it did not exist yet' {
        $settings = Get-HyperVSimulatorInstance -ComputerName inst-2016 -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = 'ubuntu-web'"
        $settings.PSObject.Properties.Name | Should -Contain 'LowMmioGapSize'
        $settings.PSObject.Properties.Name | Should -Not -Contain 'HighMmioGapSize'
        (Get-HyperVSimulatorInstance -ComputerName inst-lab -ClassName Msvm_VirtualSystemSettingData -Filter "ElementName = 'ubuntu-web'").HighMmioGapSize | Should -Be 512
    }

    It 'shows a WS2012R2 copy job as a CIM_ConcreteJob, not an Msvm_ConcreteJob' {
        # (That the copy method returns the job in ParentPools there is the xunit suite's MethodTests.)
        $source = Join-Path $TestDrive 'payload.txt'
        Set-Content -Path $source -Value 'payload'
        Copy-GuestFile -ComputerName inst-2012 -VMName ubuntu-web -SourcePath $source -DestinationPath /tmp/payload.txt
        $job = Get-HyperVSimulatorInstance -ComputerName inst-2012 -Query 'SELECT InstanceID, JobState FROM Msvm_CopyFileToGuestJob'
        $job | Should -HaveCount 1
        $job.CimClassName | Should -Be 'Msvm_CopyFileToGuestJob'
        $job.JobState | Should -Be 7
        Get-HyperVSimulatorInstance -ComputerName inst-2012 -ClassName Msvm_ConcreteJob | Should -BeNullOrEmpty
        (Get-HyperVSimulatorInstance -ComputerName inst-2012 -ClassName CIM_ConcreteJob).CimClassName | Should -Be 'Msvm_CopyFileToGuestJob'
    }

    It 'sends a whole query as written, projections included' {
        $rows = Get-HyperVSimulatorInstance -ComputerName inst-lab -Query "SELECT ElementName FROM Msvm_ComputerSystem WHERE Description = 'Microsoft Virtual Machine'"
        $rows | Should -HaveCount 7
        $rows[0].PSObject.Properties.Name | Should -Contain 'ElementName'
        $rows[0].PSObject.Properties.Name | Should -Not -Contain 'EnabledState'
    }

    It 'reads root\cimv2 with -Namespace' {
        (Get-HyperVSimulatorInstance -ComputerName inst-2012 -Namespace root\cimv2 -ClassName Win32_OperatingSystem).Version | Should -Be '6.3.9600'
    }

    It 'reports the provider''s refusal: <Case>' -ForEach @(
        @{ Case = 'a class the host version lacks'; Parameters = @{ ComputerName = 'inst-2012'; ClassName = 'Msvm_SyntheticDisplayControllerSettingData' }; ErrorId = 'CimInvalidClass' }
        @{ Case = 'an unknown class'; Parameters = @{ ComputerName = 'inst-lab'; ClassName = 'Msvm_Nothing' }; ErrorId = 'CimInvalidClass' }
        @{ Case = 'a malformed filter'; Parameters = @{ ComputerName = 'inst-lab'; ClassName = 'Msvm_ComputerSystem'; Filter = "Name = 'unterminated" }; ErrorId = 'CimInvalidQuery' }
        @{ Case = 'an unknown namespace'; Parameters = @{ ComputerName = 'inst-lab'; ClassName = 'Msvm_ComputerSystem'; Namespace = 'root\nothing' }; ErrorId = 'CimInvalidNamespace' }
        @{ Case = 'a host that is not simulated'; Parameters = @{ ComputerName = 'no-such-lab'; ClassName = 'Msvm_ComputerSystem' }; ErrorId = 'SimulatorNotFound' }
    ) {
        $rows = Get-HyperVSimulatorInstance @Parameters -ErrorVariable failed -ErrorAction SilentlyContinue
        $rows | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$cmdlet"
    }

    It 'refuses a class name that is not one' {
        { Get-HyperVSimulatorInstance -ComputerName inst-lab -ClassName 'Msvm_ComputerSystem WHERE 1=1' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.GetHyperVSimulatorInstanceCommand'
    }

    It 'completes class names' {
        $line = 'Get-HyperVSimulatorInstance -ClassName Msvm_StorageAll'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Msvm_StorageAllocationSettingData'
        $line = 'Get-HyperVSimulatorInstance -Namespace root\cimv2 -ClassName Win32_'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Win32_OperatingSystem'
    }
}
