# Issue 12 item 4: every table view of the format file, rendered as a user sees it, fits a 120-column
# console and stays readable in an 80-column one: no line longer than the width, every visible header
# whole (a column squeezed below its label prints its header a letter per line), the columns that
# matter visible at 80. A console writes one column less than its width (PowerShell keeps the last
# one free), so each view is rendered at 79 and 119 as well as 80 and 120.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $formatFile = Join-Path (Get-TestModulePath) 'HyperVGuestFeatures.format.ps1xml'
    $script:tableViews = foreach ($view in ([xml] (Get-Content $formatFile -Raw)).Configuration.ViewDefinitions.View) {
        if ($view.TableControl) {
            @{
                Type   = $view.ViewSelectedBy.TypeName
                View   = $view.Name
                Labels = @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object Label)
            }
        }
    }
    $script:renderings = foreach ($view in $tableViews) {
        foreach ($width in 79, 80, 119, 120) { $view + @{ Width = $width } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:hostA = 'fmt-hv01'
    $script:hostB = 'fmt-hv02.lab.contoso.com'
    Start-HyperVSimulator -ComputerName $hostA, $hostB
    $source = Join-Path $TestDrive 'app.conf'
    Set-Content -Path $source -Value 'listen 8080'

    # What a user pipes to the screen, per output type: several VMs on two hosts, long names included.
    $script:samples = @{
        'HyperVGuestFeatures.GuestFeatureInfo'       = @(Get-GuestFeature -ListAvailable)
        'HyperVGuestFeatures.GuestFeatureStatus'     = @(Get-GuestFeature -ComputerName $hostA, $hostB)
        'HyperVGuestFeatures.HyperVSimulatorInfo'    = @(Get-HyperVSimulator -ComputerName 'fmt-*')
        'HyperVGuestFeatures.HyperVSimulatorVMInfo'  = @(Set-HyperVSimulatorVM -ComputerName $hostA -VMName '*' -DisableComponent VSS -PassThru)
        'HyperVGuestFeatures.DynamicMemoryInfo'      = @(Get-DynamicMemory -ComputerName $hostA, $hostB)
        'HyperVGuestFeatures.KvpItem'                = @(Get-KvpItem -ComputerName $hostA, $hostB -WarningAction SilentlyContinue)
        'HyperVGuestFeatures.NmiResult'              = @(Send-VMNmi -ComputerName $hostA, $hostB -VMName centos-hung -Force -PassThru)
        'HyperVGuestFeatures.GuestFileCopyResult'    = @(Copy-GuestFile -ComputerName $hostA -VMName ubuntu-web, rhel-db -SourcePath $source -DestinationPath /etc/app/ -CreateFullPath -Force -PassThru)
        'HyperVGuestFeatures.GuestFeatureTestResult' = @(Test-GuestFeature -ComputerName $hostA, $hostB -Name Heartbeat, 'Secure boot')
    }

    # The columns a user needs at 80 columns; the others may be left out there (never cut).
    $script:neededAt80 = @{
        'HyperVGuestFeatures.GuestFeatureInfo'       = 'Feature', 'Description'
        'HyperVGuestFeatures.GuestFeatureStatus'     = 'VMName', 'Feature', 'State', 'GuestSupport'
        'ByVM/HyperVGuestFeatures.GuestFeatureStatus' = 'Feature', 'State', 'Detail'
        'HyperVGuestFeatures.HyperVSimulatorInfo'    = 'ComputerName', 'Scenario', 'VMCount', 'QueryCount', 'MethodCallCount'
        'HyperVGuestFeatures.HyperVSimulatorVMInfo'  = 'ComputerName', 'VMName', 'State', 'DisabledComponents'
        'HyperVGuestFeatures.DynamicMemoryInfo'      = 'VMName', 'State', 'Dynamic', 'Startup(M)', 'Minimum(M)', 'Maximum(M)', 'Assigned(M)'
        'HyperVGuestFeatures.KvpItem'                = 'VMName', 'Source', 'Name', 'Value'
        'ByVM/HyperVGuestFeatures.KvpItem'           = 'Source', 'Name', 'Value'
        'HyperVGuestFeatures.NmiResult'              = 'VMName', 'SentAt', 'Hint'
        'HyperVGuestFeatures.GuestFileCopyResult'    = 'VMName', 'Source', 'Destination'
        'HyperVGuestFeatures.GuestFeatureTestResult' = 'VMName', 'Passed', 'Failures'
    }

    function Get-Rendering([string] $Type, [string] $View, [int] $Width) {
        $samples[$Type] | Format-Table -View $View | Out-String -Width $Width
    }

    # The header of each table in the text: its labels as they stand above the dash runs, with the
    # width each column got (from one dash run to the next).
    function Get-TableHeader([string] $Text, [int] $Width) {
        $lines = $Text -split '\r?\n'
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^-+( +-+)*\s*$') { continue }
            $runs = [regex]::Matches($lines[$i], '-+')
            for ($k = 0; $k -lt $runs.Count; $k++) {
                $start = $runs[$k].Index
                $end = if ($k + 1 -lt $runs.Count) { $runs[$k + 1].Index - 1 } else { $Width }
                $label = if ($lines[$i - 1].Length -gt $start) { $lines[$i - 1].Substring($start, [Math]::Min($end, $lines[$i - 1].Length) - $start).Trim() } else { '' }
                [pscustomobject]@{ Table = $i; Label = $label; Width = $end - $start }
            }
        }
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $hostA, $hostB -ErrorAction SilentlyContinue
}

Describe 'Table view <View> of <Type> at <Width> columns' -ForEach $renderings {
    BeforeAll {
        $script:text = Get-Rendering $Type $View $Width
        $script:header = @(Get-TableHeader $text $Width)
        $script:key = if ($View -eq $Type) { $Type } else { "$View/$Type" }
    }

    It 'has sample output to render' {
        $samples[$Type].Count | Should -BeGreaterThan 1
        $header | Should -Not -BeNullOrEmpty
    }

    It 'writes no line longer than the width' {
        $long = $text -split '\r?\n' | Where-Object { $_.Length -gt $Width }
        $long | Should -BeNullOrEmpty
    }

    It 'shows every visible header whole, in order, over a column at least as wide' {
        foreach ($column in $header) {
            $Labels | Should -Contain $column.Label -Because "a squeezed column breaks its label ('$($column.Label)')"
            $column.Width | Should -BeGreaterOrEqual $column.Label.Length
        }
        $shown = @($header | Where-Object Table -EQ $header[0].Table | ForEach-Object Label)
        $shown | Should -Be @($Labels | Where-Object { $_ -in $shown })
    }

    It 'shows the columns that matter at this width' {
        $shown = @($header | ForEach-Object Label)
        $needed = if ($Width -ge 119) { $Labels } else { $neededAt80[$key] }
        $needed | Should -Not -BeNullOrEmpty -Because "every table view says what it shows at 80 columns ($key)"
        foreach ($label in $needed) { $shown | Should -Contain $label }
    }
}

Describe 'Rows for many VMs' {
    It 'are one table without a header per VM for one feature across many VMs' {
        $rows = Get-GuestFeature -ComputerName $hostA, $hostB -Name 'Secure boot'
        $text = $rows | Out-String -Width 120
        ($text -split '\r?\n' | Where-Object { $_ -match '^-+ ' }).Count | Should -Be 1
        $text | Should -Not -Match '(?m)^\s*VM: '
        foreach ($row in $rows) { $text | Should -Match ([regex]::Escape($row.VMName)) }
    }

    It 'are grouped per VM and host by the ByVM view' {
        $text = Get-GuestFeature -ComputerName $hostA -VMName ubuntu-web, rhel-db | Format-Table -View ByVM | Out-String -Width 120
        ([regex]::Matches($text, '(?m)^\s*VM: ')).Count | Should -Be 2
        $text | Should -Match "VM: rhel-db on $hostA"
    }

    It 'are one table without a header per VM for one KVP key across many VMs' {
        $text = Get-KvpItem -ComputerName $hostA -Source Intrinsic -Name OSName -WarningAction SilentlyContinue | Out-String -Width 80
        ($text -split '\r?\n' | Where-Object { $_ -match '^-+ ' }).Count | Should -Be 1
        $text | Should -Not -Match '(?m)^\s*VM: '
    }
}
