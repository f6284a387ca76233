# Issue 12 item 6 (completion part): what Tab inserts binds back to the very VM or key it offered, and the
# values come from the host the command being typed would reach (-CimSession, -ComputerName with -Credential).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = 'complete-lab'
    $fixture = Join-Path $TestDrive 'wildnames.json'
    @{
        base = 'Default'
        vms  = @(
            @{ name = 'web[1]'; state = 'Running'; kvp = @{ host = @{ 'rack[2]' = 'a'; 'rack2' = 'b' } } }
            @{ name = 'web1'; state = 'Running' }
        )
    } | ConvertTo-Json -Depth 6 | Set-Content $fixture
    Start-HyperVSimulator -ComputerName $lab -Path $fixture
    # The local computer's simulated host: what a completion must not offer for another host's session.
    Start-HyperVSimulator -WarningAction SilentlyContinue

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

AfterAll {
    Stop-HyperVSimulator -ComputerName $lab, localhost -ErrorAction SilentlyContinue
    Remove-Variable -Scope Global -Name completionCredential -ErrorAction SilentlyContinue
}

Describe 'Completed VM names' {
    It 'escape wildcard characters where -VMName takes wildcards, so that they select that VM alone (<Command>)' -ForEach @(
        @{ Command = 'Get-GuestFeature'; Rest = '-Name Heartbeat' }
        @{ Command = 'Get-DynamicMemory'; Rest = '' }
        @{ Command = 'Get-KvpItem'; Rest = '-Source Host' }
    ) {
        $prefix = "$Command -ComputerName $lab $Rest -VMName "
        $offered = Get-Completion ($prefix + 'web')
        $offered | Should -Be @('web1', "'web``[1``]'")

        $rows = Invoke-Expression ($prefix + $offered[1])
        $rows | Should -Not -BeNullOrEmpty
        $rows.VMName | Sort-Object -Unique | Should -Be 'web[1]'
    }

    It 'complete an unescaped bracket typed as the start of a name' {
        Get-Completion "Get-GuestFeature -ComputerName $lab -VMName web[" | Should -Be @("'web``[1``]'")
    }

    It 'stay literal where -VMName is literal (Add-HyperVSimulatorFault)' {
        $offered = Get-Completion "Add-HyperVSimulatorFault -ComputerName $lab -VMName web"
        $offered | Should -Be @('web1', "'web[1]'")
        try {
            $fault = Invoke-Expression "Add-HyperVSimulatorFault -ComputerName $lab -ReturnCode 32768 -Count 1 -PassThru -VMName $($offered[1])"
            $fault.VMName | Should -Be 'web[1]'
        }
        finally { Clear-HyperVSimulatorFault -ComputerName $lab }
    }
}

Describe 'Completed KVP key names' {
    It 'are escaped for Remove-KvpItem -Name (wildcards): the completed key removes that key alone' {
        $prefix = "Remove-KvpItem -ComputerName $lab -VMName 'web``[1``]' -Name "
        $offered = Get-Completion ($prefix + 'rack')
        $offered | Should -Be @('rack2', "'rack``[2``]'")

        Invoke-Expression ($prefix + $offered[1] + ' -Confirm:$false')
        (Get-KvpItem -ComputerName $lab -VMName 'web`[1`]' -Source Host).Name | Should -Be 'rack2'
    }

    It 'stay literal for Set-KvpItem -Name, whose key is taken as typed' {
        Set-KvpItem -ComputerName $lab -VMName web1 -Name 'slot[3]' -Value 'x'
        $prefix = "Set-KvpItem -ComputerName $lab -VMName web1 -Name "
        $offered = @(Get-Completion ($prefix + 'slot'))
        $offered | Should -Be @("'slot[3]'")

        Invoke-Expression ($prefix + $offered[0] + " -Value 'y'")
        $items = Get-KvpItem -ComputerName $lab -VMName web1 -Source Host
        $items.Name | Should -Be 'slot[3]'
        $items.Value | Should -Be 'y'
    }
}

Describe 'The host a completion reads' {
    It 'is this computer by default' {
        Get-Completion 'Get-GuestFeature -VMName ubuntu' | Should -Be 'ubuntu-web'
    }

    It 'is the -CimSession''s host, not this computer, when a session is given' {
        # The session's host can't be read here (no CIM transport on this platform, or no such session):
        # no names, rather than this computer's.
        Get-Completion 'Get-GuestFeature -CimSession nosuchsession -VMName ubuntu' | Should -BeNullOrEmpty
        Get-Completion "Get-KvpItem -CimSession nosuchsession -VMName ubuntu-web -Name Env" | Should -BeNullOrEmpty
    }

    It 'is read with -Credential when it is a credential' {
        $global:completionCredential = [pscredential]::new('LAB\admin', (ConvertTo-SecureString 'not-used' -AsPlainText -Force))
        Get-Completion "Get-GuestFeature -ComputerName $lab -Credential `$global:completionCredential -VMName web1" | Should -Be 'web1'
    }

    It 'is not read as someone else when -Credential is a bare user name (the command would ask for the password)' {
        Get-Completion "Get-GuestFeature -ComputerName $lab -Credential LAB\admin -VMName web1" | Should -BeNullOrEmpty
        Get-Completion "Get-KvpItem -ComputerName $lab -Credential LAB\admin -VMName web1 -Name slot" | Should -BeNullOrEmpty
    }
}
