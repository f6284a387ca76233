# Get-GuestFeature against the simulated lab: the report an admin reads, per VM and feature.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule

    function Get-Row([object[]] $Rows, [string] $VM, [string] $Feature) {
        $row = $Rows | Where-Object { $_.VMName -eq $VM -and ($_.Feature -eq $Feature -or $_.FeatureId -eq $Feature) }
        if (@($row).Count -ne 1) { throw "Expected one row for $VM / $Feature, got $(@($row).Count)" }
        $row
    }
}

Describe 'Get-GuestFeature on the default lab' {
    BeforeAll {
        Start-HyperVSimulator -ComputerName lab1
        $script:rows = Get-GuestFeature -ComputerName lab1
    }
    AfterAll { Stop-HyperVSimulator -ComputerName lab1 }

    It 'reports all 35 features for each of the seven VMs' {
        $rows | Should -HaveCount (7 * 35)
        ($rows.VMName | Sort-Object -Unique) | Should -Be @('alma-noguestsvc', 'centos-hung', 'debian-build', 'freebsd-gw', 'rhel-db', 'suse-off', 'ubuntu-web')
        $rows | ForEach-Object { $_.ComputerName | Should -Be 'lab1' }
        $rows[0] | Should -BeOfType ([HyperVGuestFeatures.GuestFeatureStatus])
    }

    It '<VM> / <Feature> is <State>' -ForEach @(
        @{ VM = 'ubuntu-web'; Feature = 'secure-boot'; State = 'Enabled' }
        @{ VM = 'rhel-db'; Feature = 'secure-boot'; State = 'Enabled' }
        @{ VM = 'debian-build'; Feature = 'secure-boot'; State = 'Degraded'; Detail = 'Microsoft Windows template.*Enable-GuestFeature .*-Name ''Secure boot''.*Microsoft UEFI Certificate Authority template' }
        @{ VM = 'freebsd-gw'; Feature = 'secure-boot'; State = 'NotSupported'; Detail = 'Generation 1' }
        @{ VM = 'freebsd-gw'; Feature = 'uefi-boot'; State = 'NotSupported' }
        @{ VM = 'ubuntu-web'; Feature = 'uefi-boot'; State = 'Enabled' }
        @{ VM = 'centos-hung'; Feature = 'heartbeat'; State = 'Degraded'; Detail = '^Heartbeat lost: no response from the guest' }
        @{ VM = 'ubuntu-web'; Feature = 'heartbeat'; State = 'Enabled' }
        @{ VM = 'alma-noguestsvc'; Feature = 'file-copy'; State = 'Disabled'; Detail = "^Guest Service Interface is disabled — Enable-GuestFeature -VMName 'alma-noguestsvc' -ComputerName 'lab1' -Name 'File copy from host to guest'" }
        @{ VM = 'ubuntu-web'; Feature = 'file-copy'; State = 'Enabled' }
        @{ VM = 'suse-off'; Feature = 'heartbeat'; State = 'NotObservable'; Detail = 'enabled in the VM''s settings.*while the VM is Off' }
        @{ VM = 'suse-off'; Feature = 'kvp'; State = 'NotObservable' }
        @{ VM = 'suse-off'; Feature = 'nmi'; State = 'Disabled' }
        @{ VM = 'suse-off'; Feature = 'secure-boot'; State = 'Enabled' }
        @{ VM = 'ubuntu-web'; Feature = 'nmi'; State = 'Enabled' }
        @{ VM = 'ubuntu-web'; Feature = 'dm-hot-add'; State = 'Enabled' }
        @{ VM = 'debian-build'; Feature = 'dm-hot-add'; State = 'Disabled' }
        @{ VM = 'debian-build'; Feature = 'runtime-memory-resize'; State = 'Enabled' }
        @{ VM = 'ubuntu-web'; Feature = 'vlan'; State = 'Enabled'; Detail = 'access VLAN' }
        @{ VM = 'rhel-db'; Feature = 'vlan'; State = 'Enabled'; Detail = 'trunk' }
        @{ VM = 'rhel-db'; Feature = 'sr-iov'; State = 'Enabled' }
        @{ VM = 'ubuntu-web'; Feature = 'hv-network-device'; State = 'Enabled' }
        @{ VM = 'freebsd-gw'; Feature = 'hv-network-device'; State = 'Enabled'; Detail = 'legacy' }
        @{ VM = 'ubuntu-web'; Feature = 'kvp'; State = 'Enabled'; Detail = 'Ubuntu 22.04' }
        @{ VM = 'ubuntu-web'; Feature = 'accurate-time'; State = 'Enabled' }
        @{ VM = 'ubuntu-web'; Feature = 'dda'; State = 'Disabled' }
        @{ VM = 'ubuntu-web'; Feature = 'integrated-mouse'; State = 'NotObservable' }
        @{ VM = 'ubuntu-web'; Feature = 'jumbo-frames'; State = 'NotObservable' }
        @{ VM = 'ubuntu-web'; Feature = 'lsvmbus'; State = 'NotObservable' }
    ) {
        $row = Get-Row $rows $VM $Feature
        $row.State | Should -Be $State
        if ($Detail) { $row.Detail | Should -Match $Detail }
        $row.Detail | Should -Not -BeNullOrEmpty
    }

    It 'never reports a feature the host cannot see as Enabled' {
        $guestSide = 'integrated-mouse', 'jumbo-frames', 'vrss', 'tso-cso', 'lro', 'trim', 'scsi-wwn', 'pae', 'lsvmbus', 'hv-sockets'
        $rows | Where-Object FeatureId -in $guestSide | ForEach-Object { $_.State | Should -Be 'NotObservable' }
    }

    It 'says whether the host version supports each feature' {
        $rows | ForEach-Object { $_.HostSupported | Should -BeTrue }
        (Get-Row $rows 'ubuntu-web' 'secure-boot').HostRequirement | Should -Be 'Windows Server 2016'
    }

    It 'adds guest support from the distribution matrix when the guest reports its OS' {
        (Get-Row $rows 'ubuntu-web' 'secure-boot').GuestSupport | Should -Be 'Supported'
        (Get-Row $rows 'suse-off' 'secure-boot').GuestSupport | Should -Be 'Unknown'
        (Get-Row $rows 'alma-noguestsvc' 'kvp').GuestSupport | Should -Be 'Supported'
        (Get-Row $rows 'alma-noguestsvc' 'kvp').GuestSupportBasis | Should -Be 'Documented'
    }

    It 'filters features by -Name and -Category with wildcards' {
        $sb = Get-GuestFeature -ComputerName lab1 -VMName ubuntu-web -Name 'Secure*'
        $sb.Feature | Should -Be 'Secure boot'
        Get-GuestFeature -ComputerName lab1 -VMName ubuntu-web -Category Storage | Should -HaveCount 5
        Get-GuestFeature -ComputerName lab1 -VMName '*-web', 'rhel-*' -Category Generation2 | Should -HaveCount 4
    }

    It 'shows a table with the VM first, and one grouped by VM with -View ByVM' {
        $rows = Get-GuestFeature -ComputerName lab1 -VMName centos-hung -Name Heartbeat
        $rows | Out-String -Width 250 | Should -Match 'centos-hung\s+Heartbeat\s+Degraded'
        $text = $rows | Format-Table -View ByVM | Out-String -Width 250
        $text | Should -Match 'VM: centos-hung on lab1'
        $text | Should -Match 'Heartbeat\s+Degraded'
    }
}

Describe 'Get-GuestFeature VM selection and errors' {
    BeforeAll { Start-HyperVSimulator -ComputerName lab1 }
    AfterAll { Stop-HyperVSimulator -ComputerName lab1 }

    It 'writes VMNotFound for a name that matches nothing and still reports the others' {
        $out = Get-GuestFeature -ComputerName lab1 -VMName nope, ubuntu-web -Name Heartbeat -ErrorVariable err -ErrorAction SilentlyContinue
        $out.VMName | Should -Be 'ubuntu-web'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'nope'
    }

    It 'returns nothing, silently, for a wildcard that matches nothing' {
        Get-GuestFeature -ComputerName lab1 -VMName 'zz*' -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'treats WQL metacharacters in a name as literal text: <Name>' -ForEach @(
        @{ Name = "x' OR Name like '%" }, @{ Name = '%' }, @{ Name = 'ubuntu_web' }, @{ Name = 'a\b' }, @{ Name = 'say "hi"' }
    ) {
        $out = Get-GuestFeature -ComputerName lab1 -VMName $Name -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
    }

    It 'matches a VM whose name is full of WQL metacharacters exactly, and nothing else' {
        $fixture = Join-Path $TestDrive 'metachars.json'
        $tricky = "we'b %_\ ""x"" OR Name like '%"
        @{ base = 'Default'; vms = @(@{ name = $tricky }, @{ name = 'web x' }, @{ name = 'we_b' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName metachars -Path $fixture
        try {
            $out = Get-GuestFeature -ComputerName metachars -VMName $tricky -Name Heartbeat
            $out | Should -HaveCount 1
            $out.VMName | Should -BeExactly $tricky
            # The same characters as a wildcard-free name that differs by one character match nothing.
            Get-GuestFeature -ComputerName metachars -VMName 'we%b' -Name Heartbeat -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { Stop-HyperVSimulator -ComputerName metachars }
    }

    It 'treats a piped name as a name, not a pattern, and takes escaped wildcards literally' {
        $fixture = Join-Path $TestDrive 'wildnames.json'
        @{ base = 'Default'; vms = @(@{ name = 'db*' }, @{ name = 'db1' }, @{ name = 'web[1]' }, @{ name = 'web1' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName wildnames -Path $fixture
        try {
            $piped = [pscustomobject]@{ VMName = 'db*'; ComputerName = 'wildnames' } | Get-GuestFeature -Name Heartbeat
            $piped.VMName | Should -Be 'db*'
            (Get-GuestFeature -ComputerName wildnames -VMName 'db*' -Name Heartbeat).VMName | Sort-Object | Should -Be @('db*', 'db1')
            (Get-GuestFeature -ComputerName wildnames -VMName 'web`[1`]' -Name Heartbeat).VMName | Should -Be 'web[1]'
            ([pscustomobject]@{ VMName = 'web[1]'; ComputerName = 'wildnames' } | Get-GuestFeature -Name Heartbeat).VMName | Should -Be 'web[1]'
        }
        finally { Stop-HyperVSimulator -ComputerName wildnames }
    }

    It 'selects the union when both -VMName and -VMId are typed' {
        $id = (Get-GuestFeature -ComputerName lab1 -VMName rhel-db -Name Heartbeat).VMId
        (Get-GuestFeature -ComputerName lab1 -VMId $id -VMName ubuntu-web -Name Heartbeat).VMName | Sort-Object | Should -Be @('rhel-db', 'ubuntu-web')
    }

    It 'selects by -VMId' {
        $id = (Get-GuestFeature -ComputerName lab1 -VMName rhel-db -Name Heartbeat).VMId
        (Get-GuestFeature -ComputerName lab1 -VMId $id -Name Heartbeat).VMName | Should -Be 'rhel-db'
    }

    It 'takes VMs from the pipeline by property name without binding Name to the feature filter' {
        $vm = [pscustomobject]@{ VMName = 'ubuntu-web'; Name = 'ubuntu-web'; ComputerName = 'lab1'; Id = [guid]::NewGuid() }
        $out = $vm | Get-GuestFeature
        $out | Should -HaveCount 35
        $out.VMName | Sort-Object -Unique | Should -Be 'ubuntu-web'
    }

    It 'takes its own output from the pipeline' {
        $out = Get-GuestFeature -ComputerName lab1 -VMName freebsd-gw -Name Heartbeat | Get-GuestFeature -Name 'Secure boot'
        $out.VMName | Should -Be 'freebsd-gw'
        $out.State | Should -Be 'NotSupported'
    }

    It 'completes -VMName from the host' {
        $line = 'Get-GuestFeature -ComputerName lab1 -VMName ub'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'ubuntu-web'
    }

    It 'explains what it does on -Verbose' {
        $verbose = Get-GuestFeature -ComputerName lab1 -VMName ubuntu-web -Name Heartbeat -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'lab1'
    }

    It 'refuses host parameters with -ListAvailable' {
        { Get-GuestFeature -ListAvailable -ComputerName lab1 } | Should -Throw -ErrorId 'ListAvailableTakesNoHost,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
    }
}

Describe 'Get-GuestFeature across hosts' {
    AfterEach { Stop-HyperVSimulator -ComputerName hv1, hv2, old -ErrorAction SilentlyContinue }

    It 'returns rows from two hosts in one call, each with its ComputerName' {
        Start-HyperVSimulator -ComputerName hv1, hv2
        $out = Get-GuestFeature -ComputerName hv1, hv2 -VMName ubuntu-web
        $out | Should -HaveCount 70
        ($out.ComputerName | Sort-Object -Unique) | Should -Be @('hv1', 'hv2')
    }

    It 'reports an unreachable host as one error and goes on with the others' {
        Start-HyperVSimulator -ComputerName hv1, hv2
        Add-HyperVSimulatorFault -ComputerName hv1 -Disconnect
        $out = Get-GuestFeature -ComputerName hv1, hv2 -VMName ubuntu-web -ErrorVariable err -ErrorAction SilentlyContinue
        ($out.ComputerName | Sort-Object -Unique) | Should -Be 'hv2'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HostUnreachable,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'reports Accurate Time and Linux secure boot as NotSupported on a WS2012R2 host' {
        Start-HyperVSimulator -ComputerName old -Scenario WS2012R2
        $out = Get-GuestFeature -ComputerName old -Name accurate-time, secure-boot
        $out | Where-Object FeatureId -eq 'accurate-time' | ForEach-Object {
            $_.State | Should -Be 'NotSupported'
            $_.HostSupported | Should -BeFalse
            $_.Detail | Should -Match 'Windows Server 2016'
        }
        $out | Where-Object FeatureId -eq 'secure-boot' | ForEach-Object { $_.State | Should -Be 'NotSupported' }
    }

    It 'says what an older host cannot show instead of a wrong Disabled (WS2012R2 has no display class, WS2016 no high MMIO gap)' {
        Start-HyperVSimulator -ComputerName old -Scenario WS2012R2
        Start-HyperVSimulator -ComputerName hv1 -Scenario WS2016
        $video = Get-GuestFeature -ComputerName old -VMName ubuntu-web -Name hv-video
        $video.State | Should -Be 'NotObservable'
        $video.Detail | Should -Match 'Msvm_SyntheticDisplayControllerSettingData'
        $mmio = Get-GuestFeature -ComputerName hv1 -VMName ubuntu-web -Name mmio-gap
        $mmio.State | Should -Be 'Enabled'
        $mmio.Detail | Should -Match 'Low MMIO gap 128 MB, the high MMIO gap is not reported by this host'
        (Get-GuestFeature -ComputerName hv1 -VMName ubuntu-web -Name hv-video).State | Should -Be 'Enabled'
    }

    It 'makes the same number of round trips for 10 and 200 VMs' {
        Start-HyperVSimulator -ComputerName hv1 -VMCount 10
        Start-HyperVSimulator -ComputerName hv2 -VMCount 200
        $null = Get-HyperVSimulator -ComputerName hv1, hv2 -ResetCounters
        Get-GuestFeature -ComputerName hv1 | Should -HaveCount (10 * 35)
        Get-GuestFeature -ComputerName hv2 | Should -HaveCount (200 * 35)
        $small, $large = Get-HyperVSimulator -ComputerName hv1, hv2
        $small.QueryCount | Should -BeGreaterThan 0
        $large.QueryCount | Should -Be $small.QueryCount
        # The runtime summaries: one GetSummaryInformation call per host, whatever the VM count; it starts no job.
        $large.MethodCallCount | Should -Be 1
        $small.MethodCallCount | Should -Be 1
        $large.JobCount | Should -Be 0
        # 28 before the summaries came from the method: the VM lookup and 27 queries; now the summary query is replaced
        # by the service lookup, plus the call.
        ($large.QueryCount + $large.MethodCallCount) | Should -Be 29
    }
}

Describe 'Get-GuestFeature streams its rows' {
    AfterEach { Stop-HyperVSimulator -ComputerName (Get-HyperVSimulator | Where-Object ComputerName -like 'st*').ComputerName -ErrorAction SilentlyContinue }

    It 'writes the first rows while a slower host given first is still being read' {
        Start-HyperVSimulator -ComputerName stslow -VMCount 2 -Latency '00:00:00.250'
        Start-HyperVSimulator -ComputerName stfast -VMCount 2
        $null = Get-HyperVSimulator -ComputerName stslow -ResetCounters
        $script:slowTripsAtFirstRow = $null
        $rows = Get-GuestFeature -ComputerName stslow, stfast | ForEach-Object {
            if ($null -eq $script:slowTripsAtFirstRow) {
                $script:firstFrom = $_.ComputerName
                $script:slowTripsAtFirstRow = (Get-HyperVSimulator -ComputerName stslow).QueryCount
            }
            $_
        }
        $script:firstFrom | Should -Be 'stfast'
        $script:slowTripsAtFirstRow | Should -BeLessThan 28   # the slow host had not finished reading
        $rows | Should -HaveCount (2 * 2 * 35)
    }

    It 'stops the hosts still working when the pipeline has what it wants' {
        Start-HyperVSimulator -ComputerName stslow -VMCount 2 -Latency '00:00:00.200'
        Start-HyperVSimulator -ComputerName stfast -VMCount 2
        $null = Get-HyperVSimulator -ComputerName stslow -ResetCounters
        $first = Get-GuestFeature -ComputerName stslow, stfast | Select-Object -First 1
        $first.ComputerName | Should -Be 'stfast'
        $trips = (Get-HyperVSimulator -ComputerName stslow).QueryCount
        Start-Sleep -Milliseconds 500
        (Get-HyperVSimulator -ComputerName stslow).QueryCount | Should -Be $trips   # nothing more was asked of it
        $trips | Should -BeLessThan 28
    }

    It 'keeps each host''s VMs in name order, each VM''s rows together and in catalog order' {
        Start-HyperVSimulator -ComputerName st1, st2, st3 -VMCount 12
        $rows = Get-GuestFeature -ComputerName st1, st2, st3
        $rows | Should -HaveCount (3 * 12 * 35)
        $catalog = (Get-GuestFeature -ListAvailable).Id
        foreach ($hostName in 'st1', 'st2', 'st3') {
            $own = @($rows | Where-Object ComputerName -eq $hostName)
            $vmOrder = @($own.VMName | Select-Object -Unique)
            $vmOrder | Should -Be @($vmOrder | Sort-Object)
            for ($i = 0; $i -lt $own.Count; $i += 35) {
                @($own[$i..($i + 34)].VMName | Select-Object -Unique) | Should -HaveCount 1
                $own[$i..($i + 34)].FeatureId | Should -Be $catalog
            }
        }
        # Hosts may interleave, but only between VMs: a VM's 35 rows are never split.
        $blocks = 0
        for ($i = 0; $i -lt $rows.Count; $i++) {
            if ($i -eq 0 -or $rows[$i].VMName -ne $rows[$i - 1].VMName -or $rows[$i].ComputerName -ne $rows[$i - 1].ComputerName) { $blocks++ }
        }
        $blocks | Should -Be (3 * 12)
    }

    It 'reports every row of 64 hosts, with one VM lookup and the same round trips per host' {
        $names = 1..64 | ForEach-Object { 'st{0:D2}' -f $_ }
        Start-HyperVSimulator -ComputerName $names -VMCount 3
        $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
        $rows = Get-GuestFeature -ComputerName $names
        $rows | Should -HaveCount (64 * 3 * 35)
        @($rows | ForEach-Object { "$($_.ComputerName)/$($_.VMName)/$($_.FeatureId)" } | Sort-Object -Unique) | Should -HaveCount (64 * 3 * 35)
        Get-HyperVSimulator -ComputerName $names | ForEach-Object { ($_.QueryCount + $_.MethodCallCount) | Should -Be 29 }
    }

    It 'writes a host''s VM lookup errors before its rows' {
        Start-HyperVSimulator -ComputerName st1, st2
        $out = Get-GuestFeature -ComputerName st1, st2 -VMName ubuntu-web, nosuchvm -ErrorAction Continue 2>&1
        foreach ($hostName in 'st1', 'st2') {
            $own = @($out | Where-Object { ($_ -is [System.Management.Automation.ErrorRecord] -and $_.TargetObject.ComputerName -eq $hostName) -or $_.ComputerName -eq $hostName })
            $own | Should -HaveCount 36
            $own[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $own[0].FullyQualifiedErrorId | Should -BeLike 'VMNotFound,*'
        }
    }
}
