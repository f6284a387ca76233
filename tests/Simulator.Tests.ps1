# The simulator cmdlets, and the simulated provider driven through the public ICimClient as the domain will drive it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:ns = [HyperVGuestFeatures.Cim.CimNamespaces]::Virtualization
    $script:ct = [Threading.CancellationToken]::None
    $script:fixtures = Join-Path $PSScriptRoot 'fixtures'

    function New-MethodArgs([hashtable] $Values = @{}) {
        $arguments = [Collections.Generic.Dictionary[string, object]]::new()
        foreach ($key in $Values.Keys) { $arguments[$key] = if ($null -ne $Values[$key]) { $Values[$key].PSObject.BaseObject } }
        , $arguments
    }

    function ConvertTo-Embedded([string] $ClassName, [Collections.Specialized.OrderedDictionary] $Properties) {
        $values = [Collections.Generic.Dictionary[string, object]]::new()
        # Unwrap PSObjects (e.g. Join-Path output): the serializer takes plain .NET values only.
        foreach ($key in $Properties.Keys) { $values[$key] = if ($null -ne $Properties[$key]) { $Properties[$key].PSObject.BaseObject } }
        [HyperVGuestFeatures.Cim.CimXml]::Serialize([HyperVGuestFeatures.Cim.CimObject]::new($ClassName, $values))
    }

    function Get-SimVM($Client, [string] $Name) {
        $where = [HyperVGuestFeatures.Cim.Wql]::Equal('ElementName', $Name)
        $Client.Query($ns, [HyperVGuestFeatures.Cim.Wql]::Select('Msvm_ComputerSystem', $where), $ct)[0]
    }

    function Get-SimService($Client) {
        $Client.Query($ns, 'SELECT * FROM Msvm_VirtualSystemManagementService', $ct)[0].Path
    }

    # Polls the job every 20 ms (this suite's own waiter; the module's job waiter is tested on its own).
    function Wait-SimJob($Client, $Result) {
        $Result.ReturnValue | Should -Be 4096
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do {
            $job = $Client.GetInstance($Result.Job, $ct)
            if ($job['JobState'] -ne 4) { return $job }
            Start-Sleep -Milliseconds 20
        } while ([DateTime]::UtcNow -lt $deadline)
        $job
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
            $sim.Host.VMNames | Should -Be @('ubuntu-web', 'rhel-db', 'debian-build', 'freebsd-gw', 'suse-off', 'alma-noguestsvc', 'centos-hung')
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

        It 'replaces a host started twice, with a warning, and the old clients are cut off' {
            Start-HyperVSimulator -ComputerName TWICE
            $old = (Get-HyperVSimulator TWICE).Host.Connect()
            Start-HyperVSimulator -ComputerName TWICE -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike '*TWICE*replaced*'
            (Get-HyperVSimulator TWICE) | Should -HaveCount 1
            $failure = { $old.Query($ns, 'SELECT * FROM Msvm_ComputerSystem', $ct) } | Should -Throw -PassThru
            $failure.Exception.InnerException.ErrorId | Should -Be 'HostUnreachable'
        }

        It 'starts nothing under -WhatIf' {
            Start-HyperVSimulator -ComputerName WHATIF -WhatIf
            Get-HyperVSimulator | Should -BeNullOrEmpty
        }
    }

    Describe 'Get-HyperVSimulator' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1 -Latency '00:00:00.001'
            $script:client = (Get-HyperVSimulator SIM1).Host.Connect()
        }

        It 'counts each query, instance and association round trip' {
            $vm = Get-SimVM $client 'rhel-db'
            (Get-HyperVSimulator SIM1).QueryCount | Should -Be 1
            $null = $client.GetInstance($vm.Path, $ct)
            (Get-HyperVSimulator SIM1).QueryCount | Should -Be 2
            $null = $client.GetAssociated($vm.Path, 'Msvm_SystemDevice', 'Msvm_HeartbeatComponent', $ct)
            (Get-HyperVSimulator SIM1).QueryCount | Should -Be 3
            (Get-HyperVSimulator SIM1).MethodCallCount | Should -Be 0
        }

        It 'counts method calls and jobs, and -ResetCounters resets after reading' {
            $vm = Get-SimVM $client 'rhel-db'
            $null = Wait-SimJob $client $client.InvokeMethod($vm.Path, 'InjectNonMaskableInterrupt', (New-MethodArgs), $ct)
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
        It 'removes the host, and its clients become unreachable' {
            Start-HyperVSimulator -ComputerName GONE
            $client = (Get-HyperVSimulator GONE).Host.Connect()
            Stop-HyperVSimulator -ComputerName GONE
            Get-HyperVSimulator | Should -BeNullOrEmpty
            { $client.Query($ns, 'SELECT * FROM Msvm_ComputerSystem', $ct) } | Should -Throw
        }

        It 'reports a name that is not running' {
            { Stop-HyperVSimulator -ComputerName NOPE -ErrorAction Stop } |
                Should -Throw -ErrorId 'SimulatorNotFound,HyperVGuestFeatures.Commands.StopHyperVSimulatorCommand'
        }
    }

    Describe 'Add-HyperVSimulatorFault and Clear-HyperVSimulatorFault' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1
            $script:client = (Get-HyperVSimulator SIM1).Host.Connect()
        }

        It 'drops the next query with -Disconnect -Count 1' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Method Query -Disconnect -Count 1
            $failure = { $client.Query($ns, 'SELECT * FROM Msvm_ComputerSystem', $ct) } | Should -Throw -PassThru
            $failure.Exception.InnerException.ErrorId | Should -Be 'HostUnreachable'
            $failure.Exception.InnerException.Kind | Should -Be 'HostUnreachable'
            $client.Query($ns, 'SELECT * FROM Msvm_ComputerSystem', $ct) | Should -HaveCount 8
        }

        It 'returns a code from the matching method on the matching VM' {
            $fault = Add-HyperVSimulatorFault -ComputerName SIM1 -VMName ubuntu-web -Method InjectNonMaskableInterrupt -ReturnCode 32769 -PassThru
            $fault | Should -BeOfType ([HyperVGuestFeatures.HyperVSimulatorFault])
            $client.InvokeMethod((Get-SimVM $client 'ubuntu-web').Path, 'InjectNonMaskableInterrupt', (New-MethodArgs), $ct).ReturnValue | Should -Be 32769
            $client.InvokeMethod((Get-SimVM $client 'rhel-db').Path, 'InjectNonMaskableInterrupt', (New-MethodArgs), $ct).ReturnValue | Should -Be 4096
        }

        It 'fails the job with -JobErrorCode' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Method InjectNonMaskableInterrupt -JobErrorCode 32777 -JobErrorDescription 'not today'
            $job = Wait-SimJob $client $client.InvokeMethod((Get-SimVM $client 'rhel-db').Path, 'InjectNonMaskableInterrupt', (New-MethodArgs), $ct)
            $job['JobState'] | Should -Be 10
            $job['ErrorCode'] | Should -Be 32777
            $job['ErrorDescription'] | Should -Be 'not today'
        }

        It 'disarms every fault with Clear-HyperVSimulatorFault' {
            Add-HyperVSimulatorFault -ComputerName SIM1 -Disconnect
            (Get-HyperVSimulator SIM1).FaultCount | Should -Be 1
            Clear-HyperVSimulatorFault -ComputerName SIM1
            (Get-HyperVSimulator SIM1).FaultCount | Should -Be 0
            $client.Query($ns, 'SELECT * FROM Msvm_ComputerSystem', $ct) | Should -HaveCount 8
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
            $script:client = (Get-HyperVSimulator SIM1).Host.Connect()
        }

        It 'sets the power state: <State> = <EnabledState>' -ForEach @(
            @{ State = 'Off'; EnabledState = 3 }, @{ State = 'Saved'; EnabledState = 6 }, @{ State = 'Paused'; EnabledState = 9 }
        ) {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web -State $State
            (Get-SimVM $client 'ubuntu-web')['EnabledState'] | Should -Be $EnabledState
        }

        It 'starts an off VM, whose components then appear' {
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName suse-off -State Running
            $vm = Get-SimVM $client 'suse-off'
            $client.GetAssociated($vm.Path, 'Msvm_SystemDevice', '', $ct) | Should -HaveCount 6
        }

        It 'disables and enables integration components by their Hyper-V names' {
            $info = Set-HyperVSimulatorVM -ComputerName SIM1 -VMName rhel-db -DisableComponent 'Guest Service Interface', 'VSS' -PassThru
            $info | Should -BeOfType ([HyperVGuestFeatures.HyperVSimulatorVMInfo])
            $info.DisabledComponents | Should -Be @('VSS', 'Guest Service Interface')
            $setting = $client.Query($ns, 'SELECT * FROM Msvm_VssComponentSettingData', $ct) | Where-Object { $_['InstanceID'] -like "*$($info.VMId.ToString().ToUpperInvariant())*" }
            $setting['EnabledState'] | Should -Be 3
            (Set-HyperVSimulatorVM -ComputerName SIM1 -VMName alma-noguestsvc -EnableComponent 'Guest Service Interface' -PassThru).DisabledComponents | Should -BeNullOrEmpty
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
            Set-HyperVSimulatorVM -ComputerName SIM1 -VMName ubuntu-web -State Off -WhatIf
            (Get-SimVM $client 'ubuntu-web')['EnabledState'] | Should -Be 2
        }
    }

    Describe 'The simulated provider refuses what the real one refuses' {
        BeforeEach {
            Start-HyperVSimulator -ComputerName SIM1
            $script:client = (Get-HyperVSimulator SIM1).Host.Connect()
        }

        It 'refuses an NMI to an off VM with 32775' {
            $result = $client.InvokeMethod((Get-SimVM $client 'suse-off').Path, 'InjectNonMaskableInterrupt', (New-MethodArgs), $ct)
            $result.ReturnValue | Should -Be 32775
            $result.Job | Should -BeNullOrEmpty
        }

        It 'fails AddKvpItems on an existing key' {
            $item = ConvertTo-Embedded 'Msvm_KvpExchangeDataItem' ([ordered]@{ Name = 'Environment'; Data = 'Test'; Source = [uint16]0 })
            $arguments = New-MethodArgs @{ TargetSystem = (Get-SimVM $client 'ubuntu-web').Path; DataItems = [string[]]@($item) }
            $job = Wait-SimJob $client $client.InvokeMethod((Get-SimService $client), 'AddKvpItems', $arguments, $ct)
            $job['JobState'] | Should -Be 10
            $job['ErrorCode'] | Should -Be 32773
        }

        It 'fails a copy onto an existing guest file without overwrite' {
            $source = Join-Path $TestDrive 'payload.txt'
            'payload' | Set-Content $source
            $vm = Get-SimVM $client 'ubuntu-web'
            $gsi = $client.GetAssociated($vm.Path, 'Msvm_SystemDevice', 'Msvm_GuestServiceInterfaceComponent', $ct)[0]
            $service = $client.GetAssociated($gsi.Path, 'Msvm_RegisteredGuestService', 'Msvm_GuestFileService', $ct)[0]
            $copy = {
                $setting = ConvertTo-Embedded 'Msvm_CopyFileToGuestSettingData' ([ordered]@{ SourcePath = $source; DestinationPath = '/tmp/payload.txt'; OverwriteExisting = $false; CreateFullPath = $false })
                Wait-SimJob $client $client.InvokeMethod($service.Path, 'CopyFilesToGuest', (New-MethodArgs @{ CopyFileToGuestSettings = [string[]]@($setting) }), $ct)
            }
            (& $copy)['JobState'] | Should -Be 7
            $second = & $copy
            $second['JobState'] | Should -Be 10
            $second['ErrorCode'] | Should -Be 32768
            $second['ErrorDescription'] | Should -Be 'Failed to initiate copying files to the guest: The file exists. (0x80070050)'
        }

        It 'refuses to switch dynamic memory off on a running VM with 32775' {
            $memory = $client.Query($ns, 'SELECT * FROM Msvm_MemorySettingData', $ct) | Where-Object { $_['InstanceID'] -like "Microsoft:$((Get-SimVM $client 'ubuntu-web')['Name'])\*" }
            $setting = ConvertTo-Embedded 'Msvm_MemorySettingData' ([ordered]@{ InstanceID = $memory['InstanceID']; DynamicMemoryEnabled = $false })
            $job = Wait-SimJob $client $client.InvokeMethod((Get-SimService $client), 'ModifyResourceSettings', (New-MethodArgs @{ ResourceSettings = [string[]]@($setting) }), $ct)
            $job['JobState'] | Should -Be 10
            $job['ErrorCode'] | Should -Be 32775
        }

        It 'matches an escaped injection string against nothing but itself' {
            $where = [HyperVGuestFeatures.Cim.Wql]::Equal('ElementName', "x' OR Name like '%")
            $client.Query($ns, [HyperVGuestFeatures.Cim.Wql]::Select('Msvm_ComputerSystem', $where), $ct) | Should -BeNullOrEmpty
        }
    }
}
