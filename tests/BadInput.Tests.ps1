# Bad values given to any cmdlet (issue 10 items 8 and 10): one bad -VMName, key or feature name is an
# error record for that value, and every other value of the same call is still reported; a blank
# -ComputerName is refused instead of meaning the local computer.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:cn = 'bad-input-1'
    $script:source = Join-Path $TestDrive 'hello.txt'
    Set-Content -Path $source -Value 'hello' -NoNewline

    # Every cmdlet that selects VMs, called for two names: the bad one and a good one.
    $script:calls = @{
        'Get-GuestFeature'  = { param($names) Get-GuestFeature -ComputerName $cn -VMName $names -Name Heartbeat }
        'Get-DynamicMemory' = { param($names) Get-DynamicMemory -ComputerName $cn -VMName $names }
        'Set-DynamicMemory' = { param($names) Set-DynamicMemory -ComputerName $cn -VMName $names -Priority 60 -PassThru }
        'Get-KvpItem'       = { param($names) Get-KvpItem -ComputerName $cn -VMName $names -Name Environment }
        'Set-KvpItem'       = { param($names) Set-KvpItem -ComputerName $cn -VMName $names -Name Role -Value x -PassThru }
        'Remove-KvpItem'    = { param($names) Remove-KvpItem -ComputerName $cn -VMName $names -Name Environment -PassThru }
        'Send-VMNmi'        = { param($names) Send-VMNmi -ComputerName $cn -VMName $names -Force -PassThru }
        'Copy-GuestFile'    = { param($names) Copy-GuestFile -ComputerName $cn -VMName $names -SourcePath $source -DestinationPath /tmp/ -Force -PassThru }
        'Test-GuestFeature' = { param($names) Test-GuestFeature -ComputerName $cn -VMName $names -Name Heartbeat }
        'Wait-KvpItem'      = { param($names) Wait-KvpItem -ComputerName $cn -VMName $names -Name OSName -Source Intrinsic -Timeout 10 -PassThru }
    }

    function Invoke-Case([string] $Command, [string] $Bad) {
        $ErrorActionPreference = 'Continue'
        $all = & $calls[$Command] @($Bad, 'ubuntu-web') 2>&1
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }
}

Describe 'A bad -VMName is an error for that name only' {
    BeforeEach {
        Start-HyperVSimulator -ComputerName $cn
    }

    AfterEach {
        Stop-HyperVSimulator -ComputerName $cn
    }

    It '<Command> reports <Case> as <ErrorId> and still works on the other VM' -ForEach @(
        foreach ($command in 'Get-GuestFeature', 'Get-DynamicMemory', 'Set-DynamicMemory', 'Get-KvpItem', 'Set-KvpItem', 'Remove-KvpItem', 'Send-VMNmi', 'Copy-GuestFile', 'Test-GuestFeature', 'Wait-KvpItem') {
            @{ Command = $command; Case = 'an unclosed ['; Bad = 'ubuntu['; ErrorId = 'InvalidWildcardPattern'; Category = 'InvalidArgument' }
            @{ Command = $command; Case = 'a NUL'; Bad = "ubuntu{NUL}web"; ErrorId = 'VMNameInvalid'; Category = 'InvalidArgument' }
            @{ Command = $command; Case = 'a control character'; Bad = "ubuntu{SOH}web"; ErrorId = 'VMNotFound'; Category = 'ObjectNotFound' }
        }
    ) {
        # Control characters are spelled {NUL} and {SOH} here: the test report's XML cannot hold them.
        $Bad = $Bad.Replace('{NUL}', [string][char]0).Replace('{SOH}', [string][char]1)
        $result = Invoke-Case $Command $Bad
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $result.Errors[0].CategoryInfo.Category | Should -Be $Category
        $result.Errors[0].TargetObject | Should -BeExactly $Bad
        $result.Errors[0].Exception.Message | Should -Not -Match '[\x00-\x08]'   # control characters are shown escaped
        $result.Output | Should -Not -BeNullOrEmpty
        $result.Output | ForEach-Object { $_.VMName | Should -Be 'ubuntu-web' }
    }

    It 'says how to match [ literally' {
        $result = Invoke-Case 'Get-DynamicMemory' 'web[1'
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("'web``[1'"))
    }

    It 'makes no query for a call whose only name is bad' {
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        Get-DynamicMemory -ComputerName $cn -VMName 'ubuntu[' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWildcardPattern,*'
        (Get-HyperVSimulator -ComputerName $cn).QueryCount | Should -Be 0
    }
}

Describe 'A bad key or feature name is an error for that name only' {
    BeforeAll {
        Start-HyperVSimulator -ComputerName $cn
    }

    AfterAll {
        Stop-HyperVSimulator -ComputerName $cn
    }

    It 'Get-GuestFeature -Name Heart[ reports the pattern and still gives Heartbeat' {
        $rows = Get-GuestFeature -ComputerName $cn -VMName ubuntu-web -Name 'Heart[', Heartbeat -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWildcardPattern,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
        $err[0].TargetObject | Should -Be 'Heart['
        $rows.Feature | Should -Be 'Heartbeat'
    }

    It 'Get-GuestFeature with only invalid patterns reports them and no feature (not every feature)' {
        $rows = Get-GuestFeature -ComputerName $cn -VMName ubuntu-web -Name 'Heart[' -Category 'Core[' -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 2
        $rows | Should -BeNullOrEmpty
        Get-GuestFeature -ListAvailable -Name 'Heart[' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Test-GuestFeature -Name Heart[ reports the pattern, still tests Heartbeat, and -Quiet fails the gate' {
        $results = Test-GuestFeature -ComputerName $cn -VMName ubuntu-web -Name 'Heart[', Heartbeat -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWildcardPattern,HyperVGuestFeatures.Commands.TestGuestFeatureCommand'
        $results.VMName | Should -Be 'ubuntu-web'
        Test-GuestFeature -ComputerName $cn -VMName ubuntu-web -Name 'Heart[', Heartbeat -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'Wait-KvpItem with a key or value that is not a pattern reports it and does not wait' {
        $started = Get-Date
        Wait-KvpItem -ComputerName $cn -VMName ubuntu-web -Name 'OS[' -Source Intrinsic -Timeout 30 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWildcardPattern,HyperVGuestFeatures.Commands.WaitKvpItemCommand'
        Wait-KvpItem -ComputerName $cn -VMName ubuntu-web -Name OSName -Value 'Ubu[' -Source Intrinsic -Timeout 30 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].TargetObject | Should -Be 'Ubu['
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 10
    }

    It 'Get-KvpItem -Name OS[ reports the pattern and still gives OSName' {
        $items = Get-KvpItem -ComputerName $cn -VMName ubuntu-web -Name 'OS[', OSName -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWildcardPattern,HyperVGuestFeatures.Commands.GetKvpItemCommand'
        $items.Name | Should -Be 'OSName'
        Get-KvpItem -ComputerName $cn -VMName ubuntu-web -Name 'OS[' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Remove-KvpItem -Name Env[ reports the pattern, removes nothing for it and still removes the others' {
        Set-KvpItem -ComputerName $cn -VMName ubuntu-web -Name Tmp -Value x
        Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name 'Env[', Tmp -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'InvalidWildcardPattern,HyperVGuestFeatures.Commands.RemoveKvpItemCommand'
        (Get-KvpItem -ComputerName $cn -VMName ubuntu-web -Source Host).Name | Should -Be 'Environment'
    }

    It 'Set-HyperVSimulatorVM and Get-HyperVSimulator report a bad pattern and go on' {
        Set-HyperVSimulatorVM -ComputerName $cn -VMName 'x[', suse-off -State Saved -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWildcardPattern,*'
        (Get-DynamicMemory -ComputerName $cn -VMName suse-off).VMState | Should -Be 'Saved'
        $hosts = Get-HyperVSimulator -ComputerName 'bad[', $cn -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWildcardPattern,*'
        $hosts.ComputerName | Should -Be $cn
    }
}

Describe 'A blank -ComputerName is refused, never taken as the local computer' {
    BeforeAll {
        # A simulated local computer: if a blank name fell back to it, the calls below would reach it.
        Start-HyperVSimulator
        Start-HyperVSimulator -ComputerName $cn
    }

    AfterAll {
        Stop-HyperVSimulator
        Stop-HyperVSimulator -ComputerName $cn
    }

    It 'every cmdlet with -ComputerName validates it' {
        $commands = Get-Command -Module HyperVGuestFeatures | Where-Object { $_.Parameters.ContainsKey('ComputerName') }
        $commands | Should -Not -BeNullOrEmpty
        foreach ($command in $commands) {
            $attributes = $command.Parameters['ComputerName'].Attributes
            ($attributes | Where-Object { $_.GetType().FullName -eq 'HyperVGuestFeatures.Commands.ValidateComputerNameAttribute' }) |
                Should -Not -BeNullOrEmpty -Because "$($command.Name) -ComputerName must refuse a blank name"
        }
    }

    It '<Command> -ComputerName "<Name>" fails binding and changes nothing' -ForEach @(
        foreach ($name in '   ', "`t") {
            @{ Command = 'Get-DynamicMemory'; Name = $name; Call = { param($n) Get-DynamicMemory -ComputerName $n } }
            @{ Command = 'Set-KvpItem'; Name = $name; Call = { param($n) Set-KvpItem -ComputerName $n -VMName ubuntu-web -Name Role -Value x } }
            @{ Command = 'Send-VMNmi'; Name = $name; Call = { param($n) Send-VMNmi -ComputerName $n -VMName ubuntu-web -Force } }
            @{ Command = 'Start-HyperVSimulator'; Name = $name; Call = { param($n) Start-HyperVSimulator -ComputerName $n } }
            @{ Command = 'Get-HyperVSimulator'; Name = $name; Call = { param($n) Get-HyperVSimulator -ComputerName $n } }
            @{ Command = 'Set-HyperVSimulatorVM'; Name = $name; Call = { param($n) Set-HyperVSimulatorVM -ComputerName $n -VMName suse-off -State Running } }
        }
    ) {
        $null = Get-HyperVSimulator -ComputerName localhost -ResetCounters
        { & $Call $Name } | Should -Throw -ErrorId "ParameterArgumentValidationError,*"
        $local = Get-HyperVSimulator -ComputerName localhost
        $local.MethodCallCount + $local.QueryCount | Should -Be 0
        (Get-DynamicMemory -VMName suse-off).VMState | Should -Be 'Off'
    }

    It 'a CSV row with a blank host fails alone; the other rows run' {
        # ConvertFrom-Csv trims an empty cell to '' (already refused); a padded value from elsewhere is not trimmed.
        $rows = [pscustomobject]@{ ComputerName = '   '; VMName = 'ubuntu-web' }, [pscustomobject]@{ ComputerName = $cn; VMName = 'rhel-db' }
        $ErrorActionPreference = 'Continue'
        $all = $rows | Set-KvpItem -Name Role -Value csv -PassThru 2>&1
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $errors[0].Exception.Message | Should -Match 'blank host name'
        ($all | Where-Object { $_ -is [HyperVGuestFeatures.KvpItem] }).ComputerName | Should -Be $cn
        Get-KvpItem -VMName ubuntu-web -Name Role | Should -BeNullOrEmpty
    }
}

Describe 'Suggested commands run as printed, whatever the VM is called' {
    BeforeAll {
        # Names PowerShell would cut short or match wrongly if pasted unescaped: quotes (also the
        # typographic ones PowerShell takes as quotes), wildcard characters, a backtick; plus decoys
        # that an unescaped pattern would select instead.
        $script:odd = @(
            "it's", "it$([char]0x2019)s", "$([char]0x2018)quoted$([char]0x2019)", 'web[1]', 'a*b', 'back`tick'
        )
        $decoys = 'web1', 'aXb', 'ab'
        $fixture = Join-Path $TestDrive 'odd.json'
        @{ vms = @($odd + $decoys | ForEach-Object { @{ name = $_; state = 'Off'; kvp = @{ host = @{ Marker = $_ } } } }) } |
            ConvertTo-Json -Depth 6 | Set-Content -Path $fixture -Encoding utf8
        Start-HyperVSimulator -ComputerName "odd'host" -Path $fixture
        $script:ids = @{}
        Get-DynamicMemory -ComputerName "odd'host" | ForEach-Object { $ids[$_.VMName] = $_.VMId }
    }

    AfterAll {
        Stop-HyperVSimulator -ComputerName "odd'host"
    }

    It 'the Get-KvpItem a KvpItemNotFound error suggests reads exactly VM <_>' -ForEach @(
        "it's", "it$([char]0x2019)s", "$([char]0x2018)quoted$([char]0x2019)", 'web[1]', 'a*b', 'back`tick'
    ) {
        $name = $_
        Remove-KvpItem -ComputerName "odd'host" -VMId $ids[$name] -Name Missing -ErrorAction SilentlyContinue -ErrorVariable err
        $action = $err[0].ErrorDetails.RecommendedAction
        $action | Should -Match 'Get-KvpItem -VMName'
        $command = [regex]::Match($action, "Get-KvpItem -VMName '.*?' -ComputerName '.*?' -Source \w+").Value
        $command | Should -Not -BeNullOrEmpty

        $items = @(Invoke-Expression $command)
        $items | Should -HaveCount 1
        $items[0].VMName | Should -BeExactly $name
        $items[0].Value | Should -BeExactly $name
    }
}
