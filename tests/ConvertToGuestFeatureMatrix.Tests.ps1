# ConvertTo-GuestFeatureMatrix: Get-GuestFeature rows in, one VM x feature row per VM out.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:h1 = 'matrix-1'
    $script:h2 = 'matrix-2'
    Start-HyperVSimulator -ComputerName $h1, $h2
    $script:catalog = (Get-GuestFeature -ListAvailable).Feature
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $h1, $h2
}

Describe 'ConvertTo-GuestFeatureMatrix' {
    It 'writes one object per VM: ComputerName, VMName, then every feature in catalog order with its State' {
        $rows = Get-GuestFeature -ComputerName $h1
        $matrix = $rows | ConvertTo-GuestFeatureMatrix
        $matrix | Should -HaveCount 7
        $matrix[0].PSObject.Properties.Name | Should -Be (@('ComputerName', 'VMName') + $catalog)
        $debian = $matrix | Where-Object VMName -eq 'debian-build'
        $debian.ComputerName | Should -Be $h1
        $debian.'Secure boot' | Should -Be 'Degraded'
        $debian.'Secure boot' | Should -BeOfType ([HyperVGuestFeatures.FeatureState])
        foreach ($row in $rows | Where-Object VMName -eq 'centos-hung') {
            ($matrix | Where-Object VMName -eq 'centos-hung').($row.Feature) | Should -Be $row.State
        }
    }

    It 'keeps catalog order and VM order whatever order the rows come in' {
        $matrix = Get-GuestFeature -ComputerName $h1 -VMName rhel-db, alma-noguestsvc -Category Core |
            Sort-Object VMName, Feature -Descending | ConvertTo-GuestFeatureMatrix
        $matrix.VMName | Should -Be @('rhel-db', 'alma-noguestsvc')   # first seen after the sort
        $core = (Get-GuestFeature -ListAvailable -Category Core).Feature
        $matrix[0].PSObject.Properties.Name | Should -Be (@('ComputerName', 'VMName') + $core)
    }

    It 'keeps VMs of the same name on different hosts apart' {
        $matrix = Get-GuestFeature -ComputerName $h1, $h2 -VMName ubuntu-web -Name Heartbeat | ConvertTo-GuestFeatureMatrix
        $matrix | Should -HaveCount 2
        # Get-GuestFeature interleaves hosts as their rows are ready; the matrix keeps the input's order.
        @($matrix.ComputerName | Sort-Object) | Should -Be @(@($h1, $h2) | Sort-Object)
    }

    It 'gives every row every column, $null where a VM has no row for a feature' {
        $rows = @(Get-GuestFeature -ComputerName $h1 -VMName rhel-db -Name Heartbeat, 'Secure boot') + @(Get-GuestFeature -ComputerName $h1 -VMName suse-off -Name Heartbeat)
        $matrix = $rows | ConvertTo-GuestFeatureMatrix
        $matrix[1].PSObject.Properties.Name | Should -Be @('ComputerName', 'VMName', 'Heartbeat', 'Secure boot')
        $matrix[1].'Secure boot' | Should -BeNullOrEmpty
        $matrix[1].Heartbeat | Should -Be 'NotObservable'
    }

    It 'exports as a CSV grid and shows as a table' {
        $csv = Join-Path $TestDrive 'matrix.csv'
        Get-GuestFeature -ComputerName $h1 -Category Generation2 | ConvertTo-GuestFeatureMatrix | Export-Csv -Path $csv -NoTypeInformation
        $lines = Get-Content $csv
        $lines[0] | Should -Be '"ComputerName","VMName","Boot using UEFI","Secure boot"'
        $lines | Should -Contain ('"{0}","debian-build","Enabled","Degraded"' -f $h1)
        $lines | Should -HaveCount 8
        $table = Get-GuestFeature -ComputerName $h1 -Category Generation2 | ConvertTo-GuestFeatureMatrix | Format-Table | Out-String -Width 200
        $table | Should -Match 'ComputerName\s+VMName\s+Boot using UEFI\s+Secure boot'
        $table | Should -Match 'freebsd-gw\s+NotSupported\s+NotSupported'
    }

    It 'takes the rows as -InputObject, and refuses other objects' {
        (ConvertTo-GuestFeatureMatrix -InputObject (Get-GuestFeature -ComputerName $h1 -VMName rhel-db -Name Heartbeat)).Heartbeat | Should -Be 'Enabled'
        { [pscustomobject]@{ VMName = 'x' } | ConvertTo-GuestFeatureMatrix -ErrorAction Stop } |
            Should -Throw -ErrorId 'InputObjectNotBound,HyperVGuestFeatures.Commands.ConvertToGuestFeatureMatrixCommand'
    }

    It 'writes nothing for no input' {
        @() | ConvertTo-GuestFeatureMatrix | Should -BeNullOrEmpty
    }
}
