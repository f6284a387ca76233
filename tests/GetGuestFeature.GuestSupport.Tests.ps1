# Get-GuestFeature's GuestSupport on the default lab: what Microsoft's pages say for each guest, by which rule.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    function Get-Row([object[]] $Rows, [string] $VM, [string] $Feature) {
        $row = $Rows | Where-Object { $_.VMName -eq $VM -and $_.FeatureId -eq $Feature }
        if (@($row).Count -ne 1) { throw "Expected one row for $VM / $Feature, got $(@($row).Count)" }
        $row
    }

    # GuestSupport of the 35 features in catalog order: S Supported, N NotSupported, ? Unknown.
    function ConvertTo-SupportLine([object[]] $Rows) {
        -join ($Rows | ForEach-Object {
                switch ($_.GuestSupport) { 'Supported' { 'S' } 'NotSupported' { 'N' } default { '?' } }
            })
    }
}

Describe 'Guest support of the seven lab guests' {
    BeforeAll {
        Start-HyperVSimulator -ComputerName gslab
        $script:rows = Get-GuestFeature -ComputerName gslab
        $script:catalog = (Get-GuestFeature -ListAvailable).Id
    }
    AfterAll { Stop-HyperVSimulator -ComputerName gslab }

    It 'answers at least one feature for every guest that reports its OS' {
        foreach ($vm in 'ubuntu-web', 'rhel-db', 'debian-build', 'freebsd-gw', 'alma-noguestsvc', 'centos-hung') {
            $answered = @($rows | Where-Object { $_.VMName -eq $vm -and $_.GuestSupport -ne 'Unknown' })
            $answered.Count | Should -BeGreaterThan 30 -Because "$vm reports its OS"
        }
    }

    It 'has a basis exactly when it has an answer, on every row' {
        $rows | ForEach-Object {
            ($_.GuestSupport -eq 'Unknown') | Should -Be ($_.GuestSupportBasis -eq 'None') -Because "$($_.VMName) / $($_.FeatureId)"
            $_.GuestSupportDetail | Should -Not -BeNullOrEmpty
        }
    }

    Context '<VM>' -ForEach @(
        @{
            VM = 'ubuntu-web'; Support = 'SSSSSSSSSSSSSS?SSSSSSSSSSSSSSSSSSSS'; Basis = 'Documented'
            Detail = '^Ubuntu 22\.04 \(Ubuntu page, column 22\.04 LTS\): '
            Expected = @(
                @{ Feature = 'kvp'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'secure-boot'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'lsvmbus'; State = 'NotObservable'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
                @{ Feature = 'dm-hot-add'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
            )
        }
        @{
            VM = 'rhel-db'; Support = 'SSSSSSSSSSSSSS?SSSSSSNSSSSSSSSSSSSS'; Basis = 'Documented'
            Detail = '^RHEL 9\.2 \(CentOS / RHEL page, column 9\.x\): '
            Expected = @(
                @{ Feature = 'sr-iov'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'vlan'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'pae'; State = 'NotObservable'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
                @{ Feature = 'secure-boot'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
            )
        }
        @{
            # Debian's page stops at 11; the generation page lists 12.x (Bookworm).
            VM = 'debian-build'; Support = 'SSSSSSSSSSSNSS?SSNSSSSSSSSSSSSNSSSS'; Basis = 'NewerThanDocumented'
            Detail = "^Debian 12 \(Debian page, newest column 11 \(Bullseye\): the page predates this release; Microsoft's VM generation page lists Debian 12\.x \(Bookworm\) as a supported guest\): "
            Expected = @(
                @{ Feature = 'secure-boot'; State = 'Degraded'; GuestSupport = 'Supported'; GuestSupportBasis = 'NewerThanDocumented' }
                @{ Feature = 'static-ip-injection'; State = 'Enabled'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'NewerThanDocumented' }
                @{ Feature = 'virtual-fc'; State = 'Disabled'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'NewerThanDocumented' }
                @{ Feature = 'runtime-memory-resize'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'NewerThanDocumented' }
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
            )
        }
        @{
            # hv_kvp_daemon on FreeBSD sends 13.2 (uname -r cut at '-'), not 13.2-RELEASE.
            VM = 'freebsd-gw'; Support = 'SSSSSSSSSSSSSSSSSNSSNNSNNNNSSNNNSSN'; Basis = 'Documented'
            Detail = '^FreeBSD 13\.2 \(FreeBSD page, column 13\.0-13\.5\): '
            Expected = @(
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'file-copy'; State = 'Enabled'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'secure-boot'; State = 'NotSupported'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'dm-hot-add'; State = 'Disabled'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'kvp'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
            )
        }
        @{
            # Off: no intrinsic KVP items, so nothing to look up (it is answered once it runs, below).
            VM = 'suse-off'; Support = '???????????????????????????????????'; Basis = 'None'
            Detail = '^guest did not report its OS: the VM is Off, and KVP intrinsic items exist only while it runs$'
            Expected = @(
                @{ Feature = 'heartbeat'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
                @{ Feature = 'secure-boot'; State = 'Enabled'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
                @{ Feature = 'nmi'; State = 'Disabled'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
                @{ Feature = 'dm-hot-add'; State = 'Enabled'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
            )
        }
        @{
            # AlmaLinux rebuilds RHEL 9.3: the CentOS / RHEL page's 9.x column.
            VM = 'alma-noguestsvc'; Support = 'SSSSSSSSSSSSSS?SSSSSSNSSSSSSSSSSSSS'; Basis = 'Documented'
            Detail = '^AlmaLinux 9\.3 \(CentOS / RHEL page, column 9\.x, as the RHEL release it rebuilds\): '
            Expected = @(
                @{ Feature = 'file-copy'; State = 'Disabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'kvp'; State = 'Enabled'; GuestSupport = 'Supported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'pae'; State = 'NotObservable'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'Documented' }
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
            )
        }
        @{
            # CentOS 7 reports VERSION_ID 7 only; kernel 3.10.0-1160.el7 is the 7.9 GA kernel.
            VM = 'centos-hung'; Support = 'SSSSSSSSSSSSSS?SSSSSSNSSSNSSSSNNSSS'; Basis = 'InferredMinor'
            Detail = '^CentOS 7 \(CentOS / RHEL page, column 7\.6-7\.9 \[Built in\]: release 7\.9 by kernel 3\.10\.0-1160\.el7\.x86_64, whose build 1160 is at or above the 7\.9 GA build 1160\): '
            Expected = @(
                @{ Feature = 'heartbeat'; State = 'Degraded'; GuestSupport = 'Supported'; GuestSupportBasis = 'InferredMinor' }
                @{ Feature = 'scsi-wwn'; State = 'NotObservable'; GuestSupport = 'Supported'; GuestSupportBasis = 'InferredMinor' }
                @{ Feature = 'lsvmbus'; State = 'NotObservable'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'InferredMinor' }
                @{ Feature = 'runtime-memory-resize'; State = 'Enabled'; GuestSupport = 'NotSupported'; GuestSupportBasis = 'InferredMinor' }
                @{ Feature = 'uefi-boot'; State = 'NotSupported'; GuestSupport = 'Supported'; GuestSupportBasis = 'InferredMinor' }
                @{ Feature = 'lro'; State = 'NotObservable'; GuestSupport = 'Unknown'; GuestSupportBasis = 'None' }
            )
        }
    ) {
        It 'has the GuestSupport of the page for all 35 features' {
            $vmRows = @($rows | Where-Object VMName -eq $VM)
            $vmRows.FeatureId | Should -Be $catalog
            ConvertTo-SupportLine $vmRows | Should -BeExactly $Support
        }

        It 'answers by one rule and says so in the detail' {
            $answered = @($rows | Where-Object { $_.VMName -eq $VM -and ($_.GuestSupport -ne 'Unknown' -or $Basis -eq 'None') })
            $answered | ForEach-Object {
                $_.GuestSupportBasis | Should -Be $Basis
                $_.GuestSupportDetail | Should -Match $Detail
            }
        }

        It '<Feature>: <State>, <GuestSupport> (<GuestSupportBasis>)' -ForEach $Expected {
            $row = Get-Row $rows $VM $Feature
            $row.State | Should -Be $State
            $row.GuestSupport | Should -Be $GuestSupport
            $row.GuestSupportBasis | Should -Be $GuestSupportBasis
        }
    }

    It 'says why LRO is Unknown on a Linux guest: no Linux page has the row' {
        (Get-Row $rows 'centos-hung' 'lro').GuestSupportDetail | Should -BeExactly 'CentOS 7: Large Receive Offload is not documented on the CentOS / RHEL page'
    }

    It 'names the cell and its notes after the rule' {
        (Get-Row $rows 'centos-hung' 'kvp').GuestSupportDetail | Should -Match '\): supported \(note 4\)$'
        (Get-Row $rows 'debian-build' 'static-ip-injection').GuestSupportDetail | Should -Match "\): not supported \(cell '-'\); Windows Server 2022 is outside the hosts the Debian page lists"
    }

    It 'shares one detail string between the rows of guests on the same OS' {
        $a = Get-Row $rows 'rhel-db' 'kvp'
        $b = Get-Row $rows 'rhel-db' 'nmi'
        [object]::ReferenceEquals($a.GuestSupportDetail, $b.GuestSupportDetail) | Should -BeTrue
    }

    It 'shows GuestSupportBasis between GuestSupport and GuestSupportDetail in the list view' {
        $text = Get-Row $rows 'centos-hung' 'kvp' | Format-List | Out-String -Width 400
        $text | Should -Match '(?s)GuestSupport\s+: Supported\s+GuestSupportBasis\s+: InferredMinor\s+GuestSupportDetail\s+: CentOS 7 \('
    }
}

Describe 'Guest support once a guest reports, or stops reporting, its OS' {
    BeforeEach { Start-HyperVSimulator -ComputerName gslab2 }
    AfterEach { Stop-HyperVSimulator -ComputerName gslab2 }

    It 'reads SLES 15 SP5, newer than the SUSE page, from its newest column once the VM runs' {
        Set-HyperVSimulatorVM -ComputerName gslab2 -VMName suse-off -State Running
        $suse = Get-GuestFeature -ComputerName gslab2 -VMName suse-off
        ConvertTo-SupportLine $suse | Should -BeExactly 'SSSSSSSSSSSSSS?SSSSSSNSSSSSSSSSSSSS'
        $sockets = $suse | Where-Object FeatureId -eq 'hv-sockets'
        $sockets.GuestSupport | Should -Be 'Supported'
        $sockets.GuestSupportBasis | Should -Be 'NewerThanDocumented'
        $sockets.GuestSupportDetail | Should -BeExactly "SLES 15 SP5 (SUSE page, newest column SLES 15 SP1-SP4: the page predates this release; Microsoft's VM generation page lists SUSE 15 series as a supported guest): supported"
    }

    It 'answers every guest of a generated lab and shares the verdicts of guests on the same OS' {
        Stop-HyperVSimulator -ComputerName gslab2
        Start-HyperVSimulator -ComputerName gslab2 -VMCount 14
        $all = Get-GuestFeature -ComputerName gslab2 -Name kvp
        $all | Should -HaveCount 14
        $all | ForEach-Object { $_.GuestSupport | Should -Be 'Supported' -Because $_.VMName }
        # linux-0001 and linux-0008 run the same distribution (the generator cycles through seven).
        $first = $all | Where-Object VMName -eq 'linux-0001'
        $eighth = $all | Where-Object VMName -eq 'linux-0008'
        $first.GuestSupportDetail | Should -BeExactly $eighth.GuestSupportDetail
        [object]::ReferenceEquals($first.GuestSupportDetail, $eighth.GuestSupportDetail) | Should -BeTrue
    }

    It 'stays Unknown with the reason for a running guest whose KVP items are not available' {
        Set-HyperVSimulatorVM -ComputerName gslab2 -VMName ubuntu-web -DisableComponent 'Key-Value Pair Exchange'
        $ubuntu = Get-GuestFeature -ComputerName gslab2 -VMName ubuntu-web
        $ubuntu | ForEach-Object {
            $_.GuestSupport | Should -Be 'Unknown'
            $_.GuestSupportBasis | Should -Be 'None'
            $_.GuestSupportDetail | Should -BeExactly 'guest did not report its OS (KVP intrinsic items unavailable)'
        }
    }
}
