# Export-GuestFeatureReport: one self-contained HTML file, from the pipeline or its own probe; Out-File's
# rules for the file. The HTML itself is parsed with AngleSharp and rendered in Chromium by the xunit tests
# (tests/HyperVGuestFeatures.Tests/Reporting).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:h1 = 'report-1'
    $script:h2 = 'report-2'
    $script:hostile = 'report-hostile'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.ExportGuestFeatureReportCommand'
    $script:evilVm = "<script>alert('vm')</script>$([char]0x2028)</script><!--"
    Start-HyperVSimulator -ComputerName $h1, $h2
    $fixture = Join-Path $TestDrive 'hostile.json'
    @{ base = 'Default'; vms = @(@{ name = $evilVm; os = @{ name = '</script><img src=x onerror=alert(1)>'; version = '1' } }) } | ConvertTo-Json -Depth 5 | Set-Content $fixture
    Start-HyperVSimulator -ComputerName $hostile -Path $fixture

    # The data block of a report, as the page's script reads it.
    function script:Read-ReportData([string] $Path) {
        $html = Get-Content -Raw -LiteralPath $Path
        $match = [regex]::Match($html, '<script type="application/json" id="report-data">(.*?)</script>', 'Singleline')
        $match.Success | Should -BeTrue
        $match.Groups[1].Value | ConvertFrom-Json
    }
    function script:Reset-Counters { Get-HyperVSimulator -ComputerName $h1, $h2 -ResetCounters | Out-Null }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $h1, $h2, $hostile
}

Describe 'Export-GuestFeatureReport' {
    BeforeEach {
        Clear-HyperVSimulatorFault -ComputerName $h1, $h2
        Reset-Counters
        $script:path = Join-Path $TestDrive ("report-{0}.html" -f [guid]::NewGuid())
    }

    It 'writes one HTML file with every VM and feature from piped Get-GuestFeature rows' {
        $rows = Get-GuestFeature -ComputerName $h1, $h2
        $file = $rows | Export-GuestFeatureReport -Path $path -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $path
        $data = Read-ReportData $path
        $data.vms | Should -HaveCount 14
        ($data.vms | ForEach-Object { $data.hosts[$_[0]] + '/' + $_[1] } | Sort-Object) | Should -Be ($rows | ForEach-Object { $_.ComputerName + '/' + $_.VMName } | Sort-Object -Unique)
        $data.features | ForEach-Object { $_[0] } | Should -Be (Get-GuestFeature -ListAvailable).Feature
        $html = Get-Content -Raw $path
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Not -Match '<(link|img|iframe)\b|\bsrc=|\bhref=|@import|url\('
    }

    It 'probes the selected VMs itself, with the round trips of Get-GuestFeature and nothing changed' {
        $null = Get-GuestFeature -ComputerName $h1 -VMName ubuntu-web, debian-build
        $probe = (Get-HyperVSimulator -ComputerName $h1).QueryCount
        Reset-Counters
        Export-GuestFeatureReport -ComputerName $h1 -VMName ubuntu-web, debian-build -Path $path
        $counters = Get-HyperVSimulator -ComputerName $h1
        $counters.QueryCount | Should -Be $probe
        $counters.MethodCallCount | Should -Be 0
        ((Read-ReportData $path).vms | ForEach-Object { $_[1] }) | Should -Be @('debian-build', 'ubuntu-web')
    }

    It 'takes Get-VM objects from the pipeline' {
        [pscustomobject]@{ Name = 'rhel-db'; VMName = 'rhel-db'; ComputerName = $h1 } | Export-GuestFeatureReport -Path $path
        ((Read-ReportData $path).vms | ForEach-Object { $_[1] }) | Should -Be 'rhel-db'
    }

    It 'lists a host that failed and a VM that was not found in the report, and writes their errors' {
        Add-HyperVSimulatorFault -ComputerName $h2 -Disconnect
        Export-GuestFeatureReport -ComputerName $h1, $h2 -VMName ubuntu-web, nope -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.FullyQualifiedErrorId | Sort-Object | Should -Be @("HostUnreachable,$cmdlet", "VMNotFound,$cmdlet")
        $html = Get-Content -Raw $path
        $html | Should -Match "<h2>Not in this report</h2>"
        $html | Should -Match "<td>$h2</td><td>[^<]*unavailable"
        $html | Should -Match "<td>${h1}: nope</td>"
        ((Read-ReportData $path).vms | ForEach-Object { $_[1] }) | Should -Be 'ubuntu-web'
    }

    It 'keeps hostile VM names and KVP text out of the markup' {
        Export-GuestFeatureReport -ComputerName $hostile -Path $path
        $html = Get-Content -Raw $path
        $html | Should -Not -Match '<script>alert|<img|<!--'
        $html.Contains([string][char]0x2028) | Should -BeFalse
        ([regex]::Matches($html, '<script\b')).Count | Should -Be 2
        $data = Read-ReportData $path
        ($data.vms | ForEach-Object { $_[1] }) | Should -Contain $evilVm
        ($data.text | Where-Object { $_ -like '*</script><img src=x onerror=alert(1)>*' }) | Should -Not -BeNullOrEmpty
    }

    Context 'the file, as Out-File treats it' {
        It 'changes nothing and reads nothing under -WhatIf' {
            Export-GuestFeatureReport -ComputerName $h1 -Path $path -WhatIf
            Test-Path $path | Should -BeFalse
            (Get-HyperVSimulator -ComputerName $h1).QueryCount | Should -Be 0
        }

        It 'replaces an existing file, keeps it with -NoClobber' {
            Set-Content -Path $path -Value 'old'
            Export-GuestFeatureReport -ComputerName $h1 -VMName rhel-db -Path $path
            Get-Content -Raw $path | Should -Match '<!DOCTYPE html>'
            Set-Content -Path $path -Value 'old'
            { Export-GuestFeatureReport -ComputerName $h1 -VMName rhel-db -Path $path -NoClobber -ErrorAction Stop } | Should -Throw -ErrorId "ReportFileExists,$cmdlet"
            Get-Content $path | Should -Be 'old'
            (Get-HyperVSimulator -ComputerName $h1).QueryCount | Should -BeGreaterThan 0 -Because 'the first export probed'
            $error[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $error[0].ErrorDetails.RecommendedAction | Should -Match 'NoClobber'
        }

        It 'refuses a read-only file unless -Force' {
            Set-Content -Path $path -Value 'old'
            (Get-Item $path).IsReadOnly = $true
            try {
                Reset-Counters
                { Export-GuestFeatureReport -ComputerName $h1 -Path $path -ErrorAction Stop } | Should -Throw -ErrorId "ReportFileReadOnly,$cmdlet"
                (Get-HyperVSimulator -ComputerName $h1).QueryCount | Should -Be 0 -Because 'the file is checked before the probe'
                Get-Content $path | Should -Be 'old'
                Export-GuestFeatureReport -ComputerName $h1 -Path $path -Force
                Get-Content -Raw $path | Should -Match '<!DOCTYPE html>'
            }
            finally { (Get-Item $path).IsReadOnly = $false }
        }

        It 'resolves a relative path against the current location' {
            Push-Location $TestDrive
            try {
                $file = Export-GuestFeatureReport -ComputerName $h1 -VMName rhel-db -Path 'relative.html' -PassThru
                $file.FullName | Should -Be (Join-Path $TestDrive 'relative.html')
            }
            finally { Pop-Location }
        }

        It 'refuses <Case> with <ErrorId>' -ForEach @(
            @{ Case = 'a missing directory'; Target = { Join-Path $TestDrive 'no/such/dir/r.html' }; ErrorId = 'ReportDirectoryNotFound' }
            @{ Case = 'a directory'; Target = { $TestDrive }; ErrorId = 'ReportPathIsDirectory' }
            @{ Case = 'a path of another provider'; Target = { 'Variable:/report' }; ErrorId = 'ReportPathNotFileSystem' }
        ) {
            { Export-GuestFeatureReport -ComputerName $h1 -Path (& $Target) -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$cmdlet"
            (Get-HyperVSimulator -ComputerName $h1).QueryCount | Should -Be 0
        }
    }

    It 'refuses piped rows together with hosts to probe' {
        { Get-GuestFeature -ComputerName $h1 -VMName rhel-db | Export-GuestFeatureReport -Path $path -ComputerName $h2 -ErrorAction Stop } |
            Should -Throw -ErrorId "ReportInputAndHost,$cmdlet"
        Test-Path $path | Should -BeFalse
    }

    It 'stays small for a fleet: 1,000 VMs in a few hundred KB' {
        Start-HyperVSimulator -ComputerName report-big -VMCount 1000
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $file = Export-GuestFeatureReport -ComputerName report-big -Path $path -PassThru
            Write-Host ("    1,000 VMs x 35 features: {0:N0} KB in {1:N1} s (probe included)" -f ($file.Length / 1KB), $clock.Elapsed.TotalSeconds)
            $file.Length | Should -BeLessThan 300KB
            (Read-ReportData $path).vms | Should -HaveCount 1000
        }
        finally { Stop-HyperVSimulator -ComputerName report-big }
    }
}
