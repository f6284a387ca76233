# The simulator cmdlets, observed as a user of the module can: through the simulator cmdlets, Get-HyperVSimulatorInstance
# (the simulated provider's instances) and the module's own cmdlets. The simulated provider's methods, refusals and
# round trips, driven through its CIM client, are the xunit suite's (Simulation/*Tests.cs).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:fixtures = Join-Path $PSScriptRoot 'fixtures'

    # The VM's Msvm_ComputerSystem as the simulated provider serves it.
    function Get-SimVM([string] $ComputerName, [string] $Name) {
        Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName Msvm_ComputerSystem -Filter "ElementName = '$Name'"
    }

    # The VM's runtime integration components (they exist only while it runs or is paused).
    function Get-SimComponents([string] $ComputerName, [string] $Name) {
        $id = (Get-SimVM $ComputerName $Name).Name
        'Msvm_ShutdownComponent', 'Msvm_TimeSyncComponent', 'Msvm_HeartbeatComponent', 'Msvm_KvpExchangeComponent', 'Msvm_VssComponent', 'Msvm_GuestServiceInterfaceComponent' |
            ForEach-Object { Get-HyperVSimulatorInstance -ComputerName $ComputerName -ClassName $_ -Filter "SystemName = '$id'" }
    }
}

Describe 'Simulated Hyper-V hosts' {
    AfterEach {
        # Every test stops the simulators it started.
        Stop-HyperVSimulator -ComputerName * -ErrorAction SilentlyContinue
    }

    Describe 'Start-HyperVSimulator' {
        It 'starts the default WS2022 lab with the seven spec VMs' {
            $sim = Start-HyperVSimulator -ComputerName SIM1 -PassThru
            $sim | Should -BeOfType ([HyperVGuestFeatures.HyperVSimulatorInfo])
            $sim.ComputerName | Should -Be 'SIM1'
            $sim.Scenario | Should -Be 'Default'
            $sim.HostVersion | Should -Be ([version]'10.0.20348')
            $sim.VMCount | Should -Be 7
            (Get-HyperVSimulatorVM -ComputerName SIM1).VMName | Should -Be @('ubuntu-web', 'rhel-db', 'debian-build', 'freebsd-gw', 'suse-off', 'alma-noguestsvc', 'centos-hung')
        }

        It 'refuses a host name with wildcard characters, which could not be addressed on its own' {
            Start-HyperVSimulator -ComputerName 'h*', SIMOK -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SimulatorHostNameInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand'
            (Get-HyperVSimulator).ComputerName | Should -Be 'SIMOK'
        }

        It 'completes host names, VM names and fault methods' {
            Start-HyperVSimulator -ComputerName SIMCOMPLETE
            $complete = { param($line) (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
            & $complete 'Get-HyperVSimulator -ComputerName SIMCOMP' | Should -Be 'SIMCOMPLETE'
            & $complete 'Set-HyperVSimulatorVM -ComputerName SIMCOMPLETE -VMName cent' | Should -Be 'centos-hung'
            & $complete 'Add-HyperVSimulatorFault -ComputerName SIMCOMPLETE -Method InjectNon' | Should -Be 'InjectNonMaskableInterrupt'
        }

        It 'defaults to the local computer, which localhost and . also name' {
            Start-HyperVSimulator
            (Get-HyperVSimulator -ComputerName localhost).ComputerName | Should -Be ([Environment]::MachineName)
            (Get-HyperVSimulator -ComputerName .).ComputerName | Should -Be ([Environment]::MachineName)
        }

        It 'starts older hosts and generated labs: <Scenario>' -ForEach @(
            @{ Scenario = 'WS2016'; Version = '10.0.14393' }
            @{ Scenario = 'WS2012R2'; Version = '6.3.9600' }
        ) {
            (Start-HyperVSimulator -ComputerName OLD -Scenario $Scenario -PassThru).HostVersion | Should -Be ([version]$Version)
        }

        It 'generates -VMCount running guests' {
            $sim = Start-HyperVSimulator -ComputerName BENCH -VMCount 50 -PassThru
            $sim.VMCount | Should -Be 50
            $sim.Scenario | Should -Be 'Generated'
        }

        It 'starts several hosts in one call' {
            Start-HyperVSimulator -ComputerName HVA, HVB
            (Get-HyperVSimulator).ComputerName | Should -Be @('HVA', 'HVB')
        }

        It 'refuses an unknown scenario, listing the valid names' {
            { Start-HyperVSimulator -ComputerName X -Scenario WS2008 } |
                Should -Throw -ErrorId 'SimulatorScenarioNotFound,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand' -ExpectedMessage '*WS2012R2*'
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }

        It 'loads a JSON fixture' {
            $sim = Start-HyperVSimulator -ComputerName FIX -Path (Join-Path $fixtures 'simulator-lab.json') -PassThru
            $sim.Scenario | Should -Be 'dda-lab'
            $sim.VMCount | Should -Be 2
        }

        It 'stops on a malformed fixture, naming the file and the property' {
            $bad = Join-Path $TestDrive 'bad.json'
            '{ "vms": [ { "name": "a", "memory": { "startupMB": "lots" } } ] }' | Set-Content $bad
            { Start-HyperVSimulator -ComputerName FIX -Path $bad } |
                Should -Throw -ErrorId 'SimulatorFixtureInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand' -ExpectedMessage '*bad.json*vms`[0`].memory.startupMB*'
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }

        It 'stops on JSON that is not well-formed' {
            $bad = Join-Path $TestDrive 'syntax.json'
            '{ "vms": [ { "name": "a" ' | Set-Content $bad
            { Start-HyperVSimulator -ComputerName FIX -Path $bad } | Should -Throw -ErrorId 'SimulatorFixtureInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand'
        }

        It 'loads a fixture saved as <Encoding>, as Windows PowerShell 5.1 and PowerShell 7 write them' -ForEach @(
            @{ Encoding = 'utf8BOM' }, @{ Encoding = 'unicode' }, @{ Encoding = 'bigendianunicode' }, @{ Encoding = 'utf32' }, @{ Encoding = 'utf8NoBOM' }
        ) {
            $file = Join-Path $TestDrive "lab-$Encoding.json"
            $name = "caf$([char]0xE9)"   # non-ASCII, so the encoding matters (and this file stays ASCII)
            "{ ""scenario"": ""enc"", ""vms"": [ { ""name"": ""$name"", ""state"": ""Off"" } ] }" | Set-Content -Path $file -Encoding $Encoding
            $sim = Start-HyperVSimulator -ComputerName FIX -Path $file -PassThru
            $sim.VMCount | Should -Be 1
            (Get-DynamicMemory -ComputerName FIX).VMName | Should -Be $name
        }

        It 'stops on an empty fixture with a clear error' {
            $empty = Join-Path $TestDrive 'empty.json'
            Set-Content -Path $empty -Value '' -NoNewline
            { Start-HyperVSimulator -ComputerName FIX -Path $empty } |
                Should -Throw -ErrorId 'SimulatorFixtureInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand' -ExpectedMessage '*empty.json*the file is empty*'
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }

        It 'stops on a fixture nested 20,000 deep instead of overflowing the stack' {
            $deep = Join-Path $TestDrive 'deep.json'
            Set-Content -Path $deep -Value (('[' * 20000) + (']' * 20000)) -NoNewline
            { Start-HyperVSimulator -ComputerName FIX -Path $deep } |
                Should -Throw -ErrorId 'SimulatorFixtureInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand' -ExpectedMessage '*nests deeper than 32 levels*'
        }

        It 'stops, starting no host, on two VMs with one id' {
            $dup = Join-Path $TestDrive 'dup.json'
            '{ "vms": [ { "name": "a", "id": "0c5e2b6e-0000-4000-8000-000000000001" }, { "name": "b", "id": "0C5E2B6E-0000-4000-8000-000000000001" } ] }' | Set-Content $dup
            { Start-HyperVSimulator -ComputerName FIX, FIX2 -Path $dup } |
                Should -Throw -ErrorId 'SimulatorFixtureInvalid,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand' -ExpectedMessage "*vms``[1``].id*already the id of VM 'a'*"
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }

        It 'takes a -Latency of 0 to 10 seconds and refuses more, starting nothing' {
            Start-HyperVSimulator -ComputerName LAT -Latency '00:00:10' -PassThru | ForEach-Object Latency | Should -Be ([timespan]'00:00:10')
            Stop-HyperVSimulator -ComputerName LAT
            { Start-HyperVSimulator -ComputerName LAT -Latency '00:00:10.001' } |
                Should -Throw -ErrorId 'SimulatorLatencyTooLarge,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand'
            { Start-HyperVSimulator -ComputerName LAT -Latency '1.00:00:00' } |
                Should -Throw -ErrorId 'SimulatorLatencyTooLarge,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand'
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }

        It 'reports a missing fixture' {
            { Start-HyperVSimulator -ComputerName FIX -Path (Join-Path $TestDrive 'none.json') } |
                Should -Throw -ErrorId 'SimulatorFixtureNotFound,HyperVGuestFeatures.Commands.StartHyperVSimulatorCommand'
        }

        It 'replaces a host started twice with a fresh lab, with a warning' {
            Start-HyperVSimulator -ComputerName TWICE
            Set-HyperVSimulatorVM -ComputerName TWICE -VMName ubuntu-web -State Off
            Start-HyperVSimulator -ComputerName TWICE -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike '*TWICE*replaced*'
            (Get-HyperVSimulator TWICE) | Should -HaveCount 1
            (Get-HyperVSimulatorVM -ComputerName TWICE -VMName ubuntu-web).State | Should -Be 'Running'
        }

        It 'starts nothing under -WhatIf' {
            Start-HyperVSimulator -ComputerName WHATIF -WhatIf
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }
    }

    Describe 'Get-HyperVSimulator' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1 -Latency '00:00:00.001'
        }

        It 'counts each query round trip, and reading the simulator itself is none' {
            $null = Get-SimVM SIM1 'rhel-db'
            (Get-HyperVSimulator SIM1).QueryCount | Should -Be 1
            $null = Get-HyperVSimulatorVM -ComputerName SIM1
            $null = Get-SimVM SIM1 'ubuntu-web'
            (Get-HyperVSimulator SIM1).QueryCount | Should -Be 2
            (Get-HyperVSimulator SIM1).MethodCallCount | Should -Be 0
        }

        It 'counts method calls and jobs, and -ResetCounters resets after reading' {
            $null = Send-VMNmi -ComputerName SIM1 -VMName rhel-db -Force
            $sim = Get-HyperVSimulator SIM1 -ResetCounters
            $sim.MethodCallCount | Should -Be 1
            $sim.JobCount | Should -Be 1
            $sim.QueryCount | Should -BeGreaterOrEqual 2
            $after = Get-HyperVSimulator SIM1
            $after.QueryCount, $after.MethodCallCount, $after.JobCount | Should -Be @(0, 0, 0)
        }

        It 'reports a host that is not running as an error' {
            { Get-HyperVSimulator -ComputerName NOPE -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorNotFound,HyperVGuestFeatures.Commands.GetHyperVSimulatorCommand'
            Get-HyperVSimulator -ComputerName NO* | Should -BeNullOrEmpty
        }

        It 'has a table view' {
            (Get-FormatData -TypeName 'HyperVGuestFeatures.HyperVSimulatorInfo').TypeNames | Should -Contain 'HyperVGuestFeatures.HyperVSimulatorInfo'
            (Get-HyperVSimulator SIM1 | Format-Table | Out-String) | Should -Match 'MethodCallCount'
        }
    }

    Describe 'Stop-HyperVSimulator' {
        It 'removes the host: commands addressed to it no longer reach a simulator' {
            Start-HyperVSimulator -ComputerName GONE
            Stop-HyperVSimulator -ComputerName GONE
            Get-HyperVSimulator | Should -BeNullOrEmpty
            { Get-HyperVSimulatorInstance -ComputerName GONE -ClassName Msvm_ComputerSystem -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorNotFound,HyperVGuestFeatures.Commands.GetHyperVSimulatorInstanceCommand'
        }

        It 'reports a name that is not running' {
            { Stop-HyperVSimulator -ComputerName NOPE -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorNotFound,HyperVGuestFeatures.Commands.StopHyperVSimulatorCommand'
        }
    }

    Describe 'Add-HyperVSimulatorFault and Clear-HyperVSimulatorFault' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1
        }

        It 'drops the next query with -Disconnect -Count 1' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Method Query -Disconnect -Count 1
            { Get-HyperVSimulatorInstance -ComputerName SIM1 -ClassName Msvm_ComputerSystem -ErrorAction Stop } |
                Should -Throw -ErrorId 'HostUnreachable,HyperVGuestFeatures.Commands.GetHyperVSimulatorInstanceCommand'
            Get-HyperVSimulatorInstance -ComputerName SIM1 -ClassName Msvm_ComputerSystem | Should -HaveCount 8
        }

        It 'returns a code from the matching method on the matching VM' {
            $fault = Add-HyperVSimulatorFault -ComputerName SIM1 -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32769 -PassThru
            $fault | Should -BeOfType ([HyperVGuestFeatures.HyperVSimulatorFault])
            Send-VMNmi -ComputerName SIM1 -VMName ubuntu-web, rhel-db -Force -PassThru -ErrorVariable err -ErrorAction SilentlyContinue |
                ForEach-Object VMName | Should -Be 'rhel-db'
            $err | Should -HaveCount 1
            $err[0].TargetObject | Should -Be 'ubuntu-web'
            $err[0].Exception.ProviderCode | Should -Be 32769
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        }

        It 'fails the job with -JobErrorCode' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Method InjectNonMaskableInterrupt -JobErrorCode 32777 -JobErrorDescription 'not today'
            Send-VMNmi -ComputerName SIM1 -VMName rhel-db -Force -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be 'CimJobFailed,HyperVGuestFeatures.Commands.SendVMNmiCommand'
            $err[0].Exception.ProviderCode | Should -Be 32777
            $err[0].Exception.Message | Should -BeLike '*not today*'
        }

        It 'disarms every fault with Clear-HyperVSimulatorFault' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Disconnect
            (Get-HyperVSimulator SIM1).FaultCount | Should -Be 1
            Clear-HyperVSimulatorFault -ComputerName SIM1
            (Get-HyperVSimulator SIM1).FaultCount | Should -Be 0
            Get-HyperVSimulatorInstance -ComputerName SIM1 -ClassName Msvm_ComputerSystem | Should -HaveCount 8
        }

        It 'refuses a return code on a query kind' {
            { Add-HyperVSimulatorFault -ComputerName SIM1 -Method GetInstance -ReturnCode 5 -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorFaultInvalid,HyperVGuestFeatures.Commands.AddHyperVSimulatorFaultCommand'
        }

        It 'needs exactly one kind of fault' {
            { Add-HyperVSimulatorFault -ComputerName SIM1 -ReturnCode 1 -Disconnect } | Should -Throw -ErrorId 'AmbiguousParameterSet,HyperVGuestFeatures.Commands.AddHyperVSimulatorFaultCommand'
        }
    }

    Describe 'Set-HyperVSimulatorVM' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1
        }

        It 'sets the power state: <State> = <EnabledState>' -ForEach @(
            @{ State = 'Off'; EnabledState = 3 }, @{ State = 'Saved'; EnabledState = 6 }, @{ State = 'Paused'; EnabledState = 9 }
        ) {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web -State $State
            (Get-SimVM SIM1 'ubuntu-web').EnabledState | Should -Be $EnabledState
            (Get-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web).State | Should -Be $State
        }

        It 'starts an off VM, whose components then appear' {
            Get-SimComponents SIM1 'suse-off' | Should -BeNullOrEmpty
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName suse-off -State Running
            Get-SimComponents SIM1 'suse-off' | Should -HaveCount 6
        }

        It 'disables and enables integration components by their Hyper-V names' {
            $info = Set-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db -DisableComponent 'Guest Service Interface', 'VSS' -PassThru
            $info | Should -BeOfType ([HyperVGuestFeatures.HyperVSimulatorVMInfo])
            $info.DisabledComponents | Should -Be @('VSS', 'Guest Service Interface')
            $setting = Get-HyperVSimulatorInstance -ComputerName SIM1 -ClassName Msvm_VssComponentSettingData | Where-Object InstanceID -like "*$($info.VMId.ToString().ToUpperInvariant())*"
            $setting.EnabledState | Should -Be 3
            (Set-HyperVSimulatorVM -ComputerName SIM1 -VMName alma-noguestsvc -EnableComponent 'Guest Service Interface' -PassThru).DisabledComponents | Should -BeNullOrEmpty
        }

        It 'makes a component report a status as the guest, which the module then reads' {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db -ComponentStatus @{ Heartbeat = 'LostCommunication' }
            $id = (Get-SimVM SIM1 'rhel-db').Name
            (Get-HyperVSimulatorInstance -ComputerName SIM1 -ClassName Msvm_HeartbeatComponent -Filter "SystemName = '$id'").OperationalStatus[0] | Should -Be 13
            (Get-GuestFeature -ComputerName SIM1 -VMName rhel-db -Name Heartbeat).State | Should -Be 'Degraded'
        }

        It 'refuses an unknown component or status in -ComponentStatus, changing nothing' -ForEach @(
            @{ Status = @{ 'Data Exchange' = 'OK' } }, @{ Status = @{ Heartbeat = 'Sleepy' } }, @{ Status = @{ Heartbeat = 12 } }
        ) {
            { Set-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db -State Off -ComponentStatus $Status } |
                Should -Throw -ErrorId 'SimulatorComponentStatusInvalid,HyperVGuestFeatures.Commands.SetHyperVSimulatorVMCommand'
            (Get-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db).State | Should -Be 'Running'
        }

        It 'takes wildcards' {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName *-web, rhel* -State Off -PassThru | ForEach-Object VMName | Should -Be @('ubuntu-web', 'rhel-db')
        }

        It 'validates component names' {
            { Set-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db -DisableComponent 'Data Exchange' } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.SetHyperVSimulatorVMCommand'
        }

        It 'reports an unknown VM' {
            { Set-HyperVSimulatorVM -ComputerName SIM1 -VMName nope -State Off -ErrorAction Stop } |
                Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.SetHyperVSimulatorVMCommand'
        }

        It 'changes nothing under -WhatIf' {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web -State Off -ComponentStatus @{ VSS = 'NoContact' } -WhatIf
            (Get-SimVM SIM1 'ubuntu-web').EnabledState | Should -Be 2
            (Get-GuestFeature -ComputerName SIM1 -VMName ubuntu-web -Name 'Live virtual machine backup').State | Should -Be 'Enabled'
        }
    }

    Describe 'Get-HyperVSimulatorVM' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1
        }

        It 'lists every VM of the host by default, and takes wildcards' {
            (Get-HyperVSimulatorVM -ComputerName SIM1) | Should -HaveCount 7
            (Get-HyperVSimulatorVM -ComputerName SIM1 -VMName *-web, rhel*).VMName | Should -Be @('ubuntu-web', 'rhel-db')
            Get-HyperVSimulatorVM -ComputerName SIM1 -VMName nothing* | Should -BeNullOrEmpty
        }

        It 'shows the NMIs the guest received and the files copied into it' {
            $source = Join-Path $TestDrive 'note.txt'
            Set-Content -Path $source -Value 'hello' -NoNewline
            $null = Send-VMNmi -ComputerName SIM1 -VMName rhel-db -Force
            Copy-GuestFile -ComputerName SIM1 -VMName rhel-db -SourcePath $source -DestinationPath /srv/notes/note.txt -CreateFullPath
            $vm = Get-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db
            $vm.NmiCount | Should -Be 1
            $file = $vm.GuestFiles | Where-Object Path -EQ '/srv/notes/note.txt'
            $file.Length | Should -Be 5
            [System.Text.Encoding]::UTF8.GetString($file.ReadAllBytes()) | Should -Be 'hello'
            $vm.GuestDirectories | Should -Contain '/srv/notes'
            (Get-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web).NmiCount | Should -Be 0
        }

        It 'reports an unknown VM and an unknown host' {
            { Get-HyperVSimulatorVM -ComputerName SIM1 -VMName nope -ErrorAction Stop } |
                Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.GetHyperVSimulatorVMCommand'
            { Get-HyperVSimulatorVM -ComputerName NOPE -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorNotFound,HyperVGuestFeatures.Commands.GetHyperVSimulatorVMCommand'
        }

        It 'makes no round trip to the simulated provider' {
            $null = Get-HyperVSimulator SIM1 -ResetCounters
            $null = Get-HyperVSimulatorVM -ComputerName SIM1
            $counters = Get-HyperVSimulator SIM1
            $counters.QueryCount, $counters.MethodCallCount | Should -Be @(0, 0)
        }
    }
}
