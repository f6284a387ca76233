# Get-KvpItem against the simulated host: sources, filters, round trips, errors, pipeline, multi-host.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:h1 = 'kvp-get-1'
    $script:h2 = 'kvp-get-2'
    $script:big = 'kvp-get-big'
    Start-HyperVSimulator -ComputerName $h1, $h2
    Start-HyperVSimulator -ComputerName $big -VMCount 60
    function Get-Queries([string] $ComputerName) { (Get-HyperVSimulator -ComputerName $ComputerName).QueryCount }
    function Reset-Counters([string] $ComputerName) { $null = Get-HyperVSimulator -ComputerName $ComputerName -ResetCounters }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $h1, $h2, $big
}

Describe 'Get-KvpItem' {
    It 'returns every source of a running VM by default, typed' {
        $items = Get-KvpItem -ComputerName $h1 -VMName ubuntu-web
        $items[0] | Should -BeOfType ([HyperVGuestFeatures.KvpItem])
        ($items | Where-Object Source -eq Host | Where-Object Name -eq Environment).Value | Should -Be 'Production'
        ($items | Where-Object Source -eq Guest | Where-Object Name -eq ProvisioningState).Value | Should -Be 'Succeeded'
        ($items | Where-Object Source -eq Intrinsic | Where-Object Name -eq OSName).Value | Should -Be 'Ubuntu'
        $items | ForEach-Object {
            $_.ComputerName | Should -Be $h1
            $_.VMName | Should -Be 'ubuntu-web'
            $_.VMId | Should -Not -Be ([guid]::Empty)
        }
    }

    It 'gives the guest OS, IP addresses and FQDN of every running VM from the intrinsic items' {
        $os = Get-KvpItem -ComputerName $h1 -Source Intrinsic -Name OSName
        $os.VMName | Sort-Object | Should -Be @('alma-noguestsvc', 'centos-hung', 'debian-build', 'freebsd-gw', 'rhel-db', 'ubuntu-web')
        (Get-KvpItem -ComputerName $h1 -VMName rhel-db -Source Intrinsic -Name NetworkAddressIPv4).Value -split ';' | Should -Contain '192.168.20.31'
        Get-KvpItem -ComputerName $h1 -VMName freebsd-gw -Source Intrinsic -Name FullyQualifiedDomainName | Should -HaveCount 1
    }

    It 'filters key names with wildcards, ignoring case' {
        $items = Get-KvpItem -ComputerName $h1 -VMName ubuntu-web -Name 'networkaddress*'
        $items.Name | Should -Be @('NetworkAddressIPv4', 'NetworkAddressIPv6')
    }

    It 'takes a key without wildcards exactly: -Name role finds neither Role nor ROLE' {
        # A hashtable's keys ignore case, so the three keys are written one by one.
        'Role=a', 'ROLE=b', 'role=c' | ForEach-Object { $k, $v = $_ -split '='; Set-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name $k -Value $v }
        try {
            (Get-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name role).Value | Should -Be 'c'
            (Get-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name ROLE).Value | Should -Be 'b'
            Get-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name osname | Should -BeNullOrEmpty
            (Get-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name r?le).Value | Sort-Object | Should -Be @('a', 'b', 'c')
        }
        finally {
            Remove-KvpItem -ComputerName $h2 -VMName ubuntu-web -Name Role, ROLE, role
        }
    }

    It 'takes the key name at position 1' {
        (Get-KvpItem ubuntu-web OSName -ComputerName $h1).Value | Should -Be 'Ubuntu'
    }

    It 'reads host items of a VM that is off, and explains the missing guest items when they are asked for' {
        Set-KvpItem -ComputerName $h1 -VMName suse-off -Name Role -Value batch
        Set-KvpItem -ComputerName $h1 -VMName suse-off -Name Owner -Value ops -Source HostOnly
        $items = Get-KvpItem -ComputerName $h1 -VMName suse-off -WarningVariable w
        $items | ForEach-Object { '{0}:{1}={2}' -f $_.Source, $_.Name, $_.Value } | Should -Be @('Host:Role=batch', 'HostOnly:Owner=ops')
        $w | Should -BeNullOrEmpty   # guest items were not asked for: the reason is only verbose
        Get-KvpItem -ComputerName $h1 -VMName suse-off -Source Intrinsic -WarningVariable w -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$w" | Should -Match "suse-off.*it is Off"
    }

    It 'says the Data Exchange service is disabled when that is why guest items are missing' {
        Set-HyperVSimulatorVM -ComputerName $h2 -VMName debian-build -DisableComponent 'Key-Value Pair Exchange'
        try {
            Get-KvpItem -ComputerName $h2 -VMName debian-build -Source Guest, Intrinsic -WarningVariable w -WarningAction SilentlyContinue | Should -BeNullOrEmpty
            "$w" | Should -Match "Enable-GuestFeature -VMName 'debian-build' -ComputerName '$h2' -Name 'KVP exchange'"
        }
        finally { Set-HyperVSimulatorVM -ComputerName $h2 -VMName debian-build -EnableComponent 'Key-Value Pair Exchange' }
    }

    It 'selects a VM by -VMId' {
        $id = (Get-KvpItem -ComputerName $h1 -VMName rhel-db -Name OSName).VMId
        (Get-KvpItem -ComputerName $h1 -VMId $id -Name OSName).VMName | Should -Be 'rhel-db'
    }

    It 'queries each class once per host, whatever the number of VMs' {
        Reset-Counters $h1
        $null = Get-KvpItem -ComputerName $h1
        $small = Get-Queries $h1
        Reset-Counters $big
        $items = Get-KvpItem -ComputerName $big
        ($items | Where-Object Name -eq OSName) | Should -HaveCount 60
        Get-Queries $big | Should -Be $small
        $small | Should -Be 3   # VM lookup, Data Exchange settings, Data Exchange components
    }

    It 'writes VMNotFound for a name without wildcards that matches no VM, and goes on with the others' {
        $items = Get-KvpItem -ComputerName $h1 -VMName ghost, ubuntu-web -Name OSName -ErrorVariable err -ErrorAction SilentlyContinue
        $items.VMName | Should -Be 'ubuntu-web'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'VMNotFound,HyperVGuestFeatures.Commands.GetKvpItemCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'ghost'
    }

    It 'returns nothing, silently, for wildcards that match nothing' {
        Get-KvpItem -ComputerName $h1 -VMName 'zz*' -ErrorVariable err | Should -BeNullOrEmpty
        Get-KvpItem -ComputerName $h1 -VMName ubuntu-web -Name 'zz*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }

    It 'rejects a source that does not exist at binding time' {
        { Get-KvpItem -ComputerName $h1 -Source Pool3 } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,HyperVGuestFeatures.Commands.GetKvpItemCommand'
    }

    It 'takes Get-GuestFeature output from the pipeline' {
        $items = Get-GuestFeature -ComputerName $h1 -VMName rhel-db -Name Heartbeat | Get-KvpItem -Source Intrinsic -Name OSName
        $items.VMName | Should -Be 'rhel-db'
        $items.ComputerName | Should -Be $h1
    }

    It 'takes Get-VM-like objects whose Name and Id bind to nothing else' {
        $vm = [pscustomobject]@{ VMName = 'ubuntu-web'; Name = 'OSName'; Id = [guid]::NewGuid(); ComputerName = $h1 }
        $items = $vm | Get-KvpItem
        ($items.Name | Sort-Object -Unique).Count | Should -BeGreaterThan 1
        $items.VMName | Sort-Object -Unique | Should -Be 'ubuntu-web'
    }

    It 'reads several hosts in one call' {
        $items = Get-KvpItem -ComputerName $h1, $h2 -VMName ubuntu-web -Source Intrinsic -Name OSName
        $items.ComputerName | Should -Be @($h1, $h2)
    }

    It 'reports a host that fails and still reads the others' {
        $items = Get-KvpItem -ComputerName 'kvp-get-no-such-host', $h1 -VMName ubuntu-web -Name OSName -ErrorVariable err -ErrorAction SilentlyContinue
        $items.ComputerName | Should -Be $h1
        $err | Should -HaveCount 1
        $err[0].TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'shows a table with the VM first, and one grouped by VM with -View ByVM' {
        $items = Get-KvpItem -ComputerName $h1 -VMName ubuntu-web, rhel-db -Source Intrinsic -Name OSName, OSMajorVersion
        $items | Out-String -Width 200 | Should -Match 'rhel-db\s+Intrinsic\s+OSMajorVersion\s+9\.2'
        $text = $items | Format-Table -View ByVM | Out-String -Width 200
        $text | Should -Match "VM: rhel-db on $h1"
        $text | Should -Match "VM: ubuntu-web on $h1"
        $text | Should -Match 'Intrinsic\s+OSMajorVersion\s+9\.2'
    }

    It 'completes key names from the host' {
        $line = "Get-KvpItem -ComputerName $h1 -VMName ubuntu-web -Name OSN"
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'OSName'
    }
}
