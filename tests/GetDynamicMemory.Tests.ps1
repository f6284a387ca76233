# Get-DynamicMemory against the simulated host: values, runtime figures, selection, pipeline, hosts, round trips.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:hostA = 'memget-a'
    $script:hostB = 'memget-b'
    $script:command = 'HyperVGuestFeatures.Commands.GetDynamicMemoryCommand'
    Start-HyperVSimulator -ComputerName $hostA, $hostB
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $hostA, $hostB -ErrorAction SilentlyContinue
}

Describe 'Get-DynamicMemory' {
    It 'returns one typed row per VM of the host' {
        $rows = Get-DynamicMemory -ComputerName $hostA
        $rows | Should -HaveCount 7
        $rows[0] | Should -BeOfType ([HyperVGuestFeatures.DynamicMemoryInfo])
        $rows.ComputerName | Sort-Object -Unique | Should -Be $hostA
        ($rows.VMName | Sort-Object) | Should -Be @('alma-noguestsvc', 'centos-hung', 'debian-build', 'freebsd-gw', 'rhel-db', 'suse-off', 'ubuntu-web')
    }

    It 'gives a running VM with dynamic memory its settings in bytes and its runtime figures' {
        $row = Get-DynamicMemory -ComputerName $hostA -VMName ubuntu-web
        $row.VMState | Should -Be 'Running'
        $row.DynamicMemoryEnabled | Should -BeTrue
        $row.StartupBytes | Should -Be 2GB
        $row.MinimumBytes | Should -Be 512MB
        $row.MaximumBytes | Should -Be 4GB
        $row.Buffer | Should -BeGreaterOrEqual 5
        $row.Priority | Should -BeIn (0..100)
        $row.AssignedBytes | Should -Be 2GB
        # The simulated guest uses 1300 MB; demand is derived from the available share, to about 1%.
        $row.DemandBytes | Should -BeGreaterOrEqual 1300MB
        $row.DemandBytes | Should -BeLessThan 1330MB
        $row.HasAssignedDevice | Should -BeFalse
        $row.VMId | Should -Not -Be ([guid]::Empty)
    }

    It 'leaves assigned and demand empty for a VM that is off' {
        $row = Get-DynamicMemory -ComputerName $hostA -VMName suse-off
        $row.VMState | Should -Be 'Off'
        $row.StartupBytes | Should -Be 2GB
        $row.MinimumBytes | Should -Be 1GB
        $row.MaximumBytes | Should -Be 8GB
        $row.AssignedBytes | Should -BeNullOrEmpty
        $row.DemandBytes | Should -BeNullOrEmpty
    }

    It 'reports static memory as such, with no demand (MemoryAvailable is not valid without dynamic memory)' {
        $row = Get-DynamicMemory -ComputerName $hostA -VMName debian-build
        $row.DynamicMemoryEnabled | Should -BeFalse
        $row.StartupBytes | Should -Be 4GB
        $row.AssignedBytes | Should -Be 4GB
        $row.DemandBytes | Should -BeNullOrEmpty
    }

    It 'reports a demand above the assigned memory when the guest needs more (MemoryAvailable is negative)' {
        $fixture = Join-Path $TestDrive 'pressure.json'
        '{ "vms": [ { "name": "squeezed", "memory": { "dynamic": true, "startupMB": 2048, "minimumMB": 1024, "maximumMB": 8192, "assignedMB": 2048, "demandMB": 2560 } } ] }' |
            Set-Content -Path $fixture
        Start-HyperVSimulator -ComputerName 'memget-pressure' -Path $fixture
        try {
            $row = Get-DynamicMemory -ComputerName 'memget-pressure' -VMName squeezed
            $row.AssignedBytes | Should -Be 2GB
            $row.DemandBytes | Should -Be 2560MB
        }
        finally {
            Stop-HyperVSimulator -ComputerName 'memget-pressure'
        }
    }

    It 'selects by id' {
        $id = (Get-DynamicMemory -ComputerName $hostA -VMName rhel-db).VMId
        $row = Get-DynamicMemory -ComputerName $hostA -VMId $id
        $row.VMName | Should -Be 'rhel-db'
        $row.MaximumBytes | Should -Be 16GB
    }

    It 'matches wildcards, and a wildcard that matches nothing returns nothing silently' {
        (Get-DynamicMemory -ComputerName $hostA -VMName '*-web', 'rhel*').VMName | Should -Be @('rhel-db', 'ubuntu-web')
        Get-DynamicMemory -ComputerName $hostA -VMName 'zz*' -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'writes VMNotFound for a missing name and still reports the others' {
        $rows = Get-DynamicMemory -ComputerName $hostA -VMName nope, ubuntu-web -ErrorVariable err -ErrorAction SilentlyContinue
        $rows.VMName | Should -Be 'ubuntu-web'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be "VMNotFound,$command"
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'nope'
    }

    It 'takes Get-GuestFeature rows from the pipeline, one row per VM' {
        $rows = Get-GuestFeature -ComputerName $hostA -VMName ubuntu-web, suse-off -Category Memory | Get-DynamicMemory
        ($rows.VMName | Sort-Object) | Should -Be @('suse-off', 'ubuntu-web')
    }

    It 'takes Get-VM-like objects whose Name and Id bind to nothing else' {
        $vm = [pscustomobject]@{ VMName = 'rhel-db'; Name = 'rhel-db'; Id = [guid]::NewGuid(); ComputerName = $hostB }
        $row = $vm | Get-DynamicMemory
        $row.VMName | Should -Be 'rhel-db'
        $row.ComputerName | Should -Be $hostB
    }

    It 'reads several hosts in one call' {
        $rows = Get-DynamicMemory -ComputerName $hostA, $hostB -VMName ubuntu-web
        $rows | Should -HaveCount 2
        $rows.ComputerName | Should -Be @($hostA, $hostB)
    }

    It 'writes verbose messages naming the host' {
        $messages = Get-DynamicMemory -ComputerName $hostA -VMName ubuntu-web -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($messages.Message -join "`n") | Should -Match $hostA
    }

    It 'shows a table with the sizes' {
        $text = Get-DynamicMemory -ComputerName $hostA -VMName ubuntu-web | Out-String -Width 250
        # Sizes read in MB under the Hyper-V module's (M) headers; the objects keep bytes.
        $text | Should -Match 'Startup\(M\)'
        $text | Should -Match 'ubuntu-web\s+Running\s+True\s+2048\s+512\s+4096'
    }
}

Describe 'Get-DynamicMemory round trips' {
    AfterEach { Stop-HyperVSimulator -ComputerName 'memget-10', 'memget-100' -ErrorAction SilentlyContinue }

    It 'makes as many round trips for 100 VMs as for 10, with one GetSummaryInformation call for all of them' {
        Start-HyperVSimulator -ComputerName 'memget-10' -VMCount 10
        Start-HyperVSimulator -ComputerName 'memget-100' -VMCount 100
        $null = Get-HyperVSimulator -ComputerName 'memget-10', 'memget-100' -ResetCounters
        (Get-DynamicMemory -ComputerName 'memget-10') | Should -HaveCount 10
        (Get-DynamicMemory -ComputerName 'memget-100') | Should -HaveCount 100
        $small, $large = Get-HyperVSimulator -ComputerName 'memget-10', 'memget-100'
        $large.QueryCount | Should -Be $small.QueryCount
        $large.QueryCount | Should -BeLessOrEqual 4
        $large.MethodCallCount | Should -Be 1
        $small.MethodCallCount | Should -Be 1
        $large.JobCount | Should -Be 0
    }
}

Describe 'Get-DynamicMemory with an assigned device' {
    BeforeAll {
        $script:fixture = Join-Path $TestDrive 'dda.json'
        @{
            base = 'Default'
            vms  = @(@{ name = 'gpu-vm'; state = 'Off'; memory = @{ dynamic = $false; startupMB = 4096 }; assignedDevices = @('PCIROOT(0)#PCI(0300)#PCI(0000)') })
        } | ConvertTo-Json -Depth 5 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName 'memget-dda' -Path $fixture
    }

    AfterAll { Stop-HyperVSimulator -ComputerName 'memget-dda' -ErrorAction SilentlyContinue }

    It 'says so' {
        (Get-DynamicMemory -ComputerName 'memget-dda' -VMName gpu-vm).HasAssignedDevice | Should -BeTrue
        (Get-DynamicMemory -ComputerName 'memget-dda' -VMName ubuntu-web).HasAssignedDevice | Should -BeFalse
    }
}
