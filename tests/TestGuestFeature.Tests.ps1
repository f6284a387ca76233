# Test-GuestFeature against the simulated host: results per VM, -State/-GuestSupport, -Quiet, errors, round trips.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:h1 = 'gate-1'
    $script:h2 = 'gate-2'
    $script:big = 'gate-big'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.TestGuestFeatureCommand'
    Start-HyperVSimulator -ComputerName $h1, $h2
    Start-HyperVSimulator -ComputerName $big -VMCount 60
    function script:Reset-Counters { Get-HyperVSimulator -ComputerName $h1, $h2, $big -ResetCounters | Out-Null }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $h1, $h2, $big
}

Describe 'Test-GuestFeature' {
    BeforeEach { Clear-HyperVSimulatorFault -ComputerName $h1, $h2 }

    It 'writes one typed result per VM with the failing features and their Detail' {
        $results = Test-GuestFeature -ComputerName $h1 -Name Heartbeat, 'Secure boot'
        $results | Should -HaveCount 7
        $results[0] | Should -BeOfType ([HyperVGuestFeatures.GuestFeatureTestResult])
        $results | ForEach-Object { $_.ComputerName | Should -Be $h1; $_.FeatureCount | Should -Be 2 }
        ($results | Where-Object Passed).VMName | Sort-Object | Should -Be @('alma-noguestsvc', 'rhel-db', 'ubuntu-web')

        $debian = $results | Where-Object VMName -eq 'debian-build'
        $debian.Passed | Should -BeFalse
        $debian.Failures.Feature | Should -Be 'Secure boot'
        $debian.Failures[0].State | Should -Be 'Degraded'
        $debian.Failures[0].Detail | Should -Match 'Enable-GuestFeature .*-Name ''Secure boot'''
        ($results | Where-Object VMName -eq 'centos-hung').Failures.Feature | Should -Be @('Heartbeat', 'Secure boot')
    }

    It 'takes the states that pass with -State (default Enabled)' {
        (Test-GuestFeature -ComputerName $h1 -VMName suse-off -Name Heartbeat).Passed | Should -BeFalse
        (Test-GuestFeature -ComputerName $h1 -VMName suse-off -Name Heartbeat -State Enabled, NotObservable).Passed | Should -BeTrue
        (Test-GuestFeature -ComputerName $h1 -VMName freebsd-gw -Name 'Secure boot' -State NotSupported).Passed | Should -BeTrue
    }

    It 'also tests guest support with -GuestSupport' {
        # rhel-db's guest reports RHEL 9.2: Heartbeat is enabled and supported.
        (Test-GuestFeature -ComputerName $h1 -VMName rhel-db -Name Heartbeat -GuestSupport Supported).Passed | Should -BeTrue
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName rhel-db -IntrinsicItem @{ OSName = 'Plan 9' }
        $result = Test-GuestFeature -ComputerName $h2 -VMName rhel-db -Name Heartbeat -GuestSupport Supported
        $result.Passed | Should -BeFalse
        $result.Failures[0].State | Should -Be 'Enabled'
        $result.Failures[0].GuestSupport | Should -Be 'Unknown'
        (Test-GuestFeature -ComputerName $h2 -VMName rhel-db -Name Heartbeat -GuestSupport Supported, Unknown).Passed | Should -BeTrue
    }

    It 'takes feature names by id and wildcard, and refuses a name that is no feature' {
        (Test-GuestFeature -ComputerName $h1 -VMName rhel-db -Name 'heartbeat', 'time-sync').FeatureCount | Should -Be 2
        (Test-GuestFeature -ComputerName $h1 -VMName rhel-db -Name 'Dynamic Memory*').FeatureCount | Should -Be 2
        { Test-GuestFeature -ComputerName $h1 -Name 'Heartbeet' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.TestGuestFeatureCommand'
        { Test-GuestFeature -ComputerName $h1 -Name 'nothing*' } | Should -Throw -ErrorId "TestFeatureNoMatch,$cmdlet"
    }

    Context '-Quiet' {
        It 'is $true only when every VM passes' {
            Test-GuestFeature -ComputerName $h1 -VMName ubuntu-web, rhel-db -Name Heartbeat, 'Secure boot' -Quiet | Should -BeExactly $true
            $answer = Test-GuestFeature -ComputerName $h1 -Name Heartbeat -Quiet
            $answer | Should -BeOfType ([bool])
            $answer | Should -BeExactly $false
        }

        It 'is one answer for several hosts' {
            Test-GuestFeature -ComputerName $h1, $h2 -VMName ubuntu-web -Name Heartbeat -Quiet | Should -BeExactly $true
            Set-HyperVSimulatorVM -ComputerName $h2 -VMName ubuntu-web -DisableComponent Heartbeat
            try {
                $answer = @(Test-GuestFeature -ComputerName $h1, $h2 -VMName ubuntu-web -Name Heartbeat -Quiet)
                $answer | Should -HaveCount 1
                $answer[0] | Should -BeExactly $false
            }
            finally { Set-HyperVSimulatorVM -ComputerName $h2 -VMName ubuntu-web -EnableComponent Heartbeat }
        }

        It 'is $false when a VM is not found, and the error is still written' {
            $answer = Test-GuestFeature -ComputerName $h1 -VMName ubuntu-web, no-such-vm -Name Heartbeat -Quiet -ErrorVariable errors -ErrorAction SilentlyContinue
            $answer | Should -BeExactly $false
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -Be "VMNotFound,$cmdlet"
        }

        It 'is $false when a host cannot be reached, and the error is still written' {
            Add-HyperVSimulatorFault -ComputerName $h2 -Disconnect
            $answer = Test-GuestFeature -ComputerName $h1, $h2 -VMName ubuntu-web -Name Heartbeat -Quiet -ErrorVariable errors -ErrorAction SilentlyContinue
            $answer | Should -BeExactly $false
            $errors.FullyQualifiedErrorId | Should -Contain "HostUnreachable,$cmdlet"
        }

        It 'is $false with a warning when no VM was tested' {
            $answer = Test-GuestFeature -ComputerName $h1 -VMName 'nomatch*' -Name Heartbeat -Quiet -WarningVariable warnings -WarningAction SilentlyContinue
            $answer | Should -BeExactly $false
            "$warnings" | Should -Match 'nothing was tested'
        }

        It 'stops at the first error with -ErrorAction Stop' {
            { Test-GuestFeature -ComputerName $h1 -VMName no-such-vm -Name Heartbeat -Quiet -ErrorAction Stop } | Should -Throw -ErrorId "VMNotFound,$cmdlet"
        }
    }

    It 'binds Get-VM objects from the pipeline without taking their Name as a feature' {
        $vms = 'ubuntu-web', 'debian-build' | ForEach-Object { [pscustomobject]@{ Name = $_; VMName = $_; ComputerName = $h1 } }
        $results = $vms | Test-GuestFeature -Name 'Secure boot'
        $results.VMName | Should -Be @('debian-build', 'ubuntu-web')
        $results.Passed | Should -Be @($false, $true)
    }

    It 'takes Get-GuestFeature rows and VMIds from the pipeline' {
        $id = (Get-GuestFeature -ComputerName $h1 -VMName rhel-db -Name Heartbeat).VMId
        (Test-GuestFeature -ComputerName $h1 -VMId $id -Name Heartbeat).VMName | Should -Be 'rhel-db'
        $results = Get-GuestFeature -ComputerName $h1 -VMName rhel-db, centos-hung -Name Heartbeat | Test-GuestFeature -Name Heartbeat
        $results.VMName | Should -Be @('centos-hung', 'rhel-db')
    }

    It 'probes like Get-GuestFeature: the same round trips, whatever the number of VMs' {
        Reset-Counters
        $null = Get-GuestFeature -ComputerName $h1 -Name Heartbeat, 'Secure boot'
        $probe = (Get-HyperVSimulator -ComputerName $h1).QueryCount
        Reset-Counters
        $null = Test-GuestFeature -ComputerName $h1 -Name Heartbeat, 'Secure boot'
        (Get-HyperVSimulator -ComputerName $h1).QueryCount | Should -Be $probe
        $results = Test-GuestFeature -ComputerName $big -Name Heartbeat, 'Secure boot'
        $results | Should -HaveCount 60
        (Get-HyperVSimulator -ComputerName $big).QueryCount | Should -Be $probe
        (Get-HyperVSimulator -ComputerName $big).MethodCallCount | Should -Be 0
    }

    It 'shows a table with the failures' {
        $text = Test-GuestFeature -ComputerName $h1 -VMName debian-build, rhel-db -Name 'Secure boot' | Out-String -Width 200
        $text | Should -Match 'VMName\s+Passed\s+Failures\s+ComputerName'
        $text | Should -Match 'debian-build\s+False\s+Secure boot: Degraded - Secure boot uses the Microsoft Windows template'
        $text | Should -Match 'rhel-db\s+True'
    }
}
