# Remove-KvpItem against the simulated host: exact names and wildcards, KvpItemNotFound, -WhatIf,
# provider refusals, pipeline input and several hosts.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:cn = 'kvp-remove-1'
    $script:cn2 = 'kvp-remove-2'
    $script:fqid = ',HyperVGuestFeatures.Commands.RemoveKvpItemCommand'
    function Get-Calls([string] $ComputerName = $cn) { (Get-HyperVSimulator -ComputerName $ComputerName).MethodCallCount }
    function Reset-Counters([string] $ComputerName = $cn) { $null = Get-HyperVSimulator -ComputerName $ComputerName -ResetCounters }
    function Get-HostKeys([string] $VMName, [string] $Source = 'Host', [string] $ComputerName = $cn) {
        @(Get-KvpItem -ComputerName $ComputerName -VMName $VMName -Source $Source).Name
    }
}

Describe 'Remove-KvpItem' {
    BeforeEach {
        Start-HyperVSimulator -ComputerName $cn, $cn2
        foreach ($h in $cn, $cn2) {
            Set-KvpItem -ComputerName $h -VMName ubuntu-web, rhel-db -Item ([ordered]@{ Tmp1 = 'a'; Tmp2 = 'b'; Keep = 'k' })
            Set-KvpItem -ComputerName $h -VMName rhel-db -Name Owner -Value dba -Source HostOnly
        }
        Reset-Counters
    }

    AfterEach {
        Stop-HyperVSimulator -ComputerName $cn, $cn2
    }

    Context 'Remove-KvpItem' {
        It 'removes a key and returns what it removed with -PassThru' {
            $removed = Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name Tmp1 -PassThru
            $removed | Should -BeOfType ([HyperVGuestFeatures.KvpItem])
            $removed.Value | Should -Be 'a'
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Tmp1'
            Get-HostKeys ubuntu-web | Should -Contain 'Tmp2'
            Get-Calls | Should -Be 1
        }

        It 'takes the positional form VMName Name' {
            Remove-KvpItem ubuntu-web Keep -ComputerName $cn
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Keep'
        }

        It 'removes every match of a wildcard in one call per VM' {
            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web, rhel-db -Name tmp*
            Get-Calls | Should -Be 2
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Tmp1'
            Get-HostKeys rhel-db | Should -Not -Contain 'Tmp2'
            Get-HostKeys rhel-db | Should -Contain 'Keep'
        }

        It 'removes nothing, silently, for a wildcard that matches nothing' {
            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name 'zz*' -ErrorVariable err
            $err | Should -BeNullOrEmpty
            Get-Calls | Should -Be 0
        }

        It 'writes KvpItemNotFound for a missing exact key, targets the VM, and still removes the others' {
            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name Ghost, Tmp1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "KvpItemNotFound$fqid"
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be 'ubuntu-web'
            $err[0].Exception.Message | Should -Match "'Ghost'"
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Tmp1'
        }

        It 'takes an exact key exactly: -Name role removes neither Role nor ROLE' {
            Set-KvpItem -ComputerName $cn -VMName ubuntu-web -Name Role -Value a
            Set-KvpItem -ComputerName $cn -VMName ubuntu-web -Name ROLE -Value b
            Reset-Counters
            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name role -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "KvpItemNotFound$fqid"
            $err[0].ErrorDetails.RecommendedAction | Should -Match "case-sensitive.*'Role', 'ROLE'"
            Get-Calls | Should -Be 0
            (Get-HostKeys ubuntu-web) -ccontains 'Role' | Should -BeTrue
            (Get-HostKeys ubuntu-web) -ccontains 'ROLE' | Should -BeTrue

            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name ROLE
            (Get-HostKeys ubuntu-web) -ccontains 'Role' | Should -BeTrue
            (Get-HostKeys ubuntu-web) -ccontains 'ROLE' | Should -BeFalse
        }

        It 'removes host-only items from their own pool' {
            Remove-KvpItem -ComputerName $cn -VMName rhel-db -Name Owner -Source HostOnly
            Get-HostKeys rhel-db HostOnly | Should -Not -Contain 'Owner'
            Remove-KvpItem -ComputerName $cn -VMName rhel-db -Name Owner -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "KvpItemNotFound$fqid"   # not a Host item
        }

        It 'changes nothing under -WhatIf' {
            Remove-KvpItem -ComputerName $cn -VMName ubuntu-web, rhel-db -Name Tmp1, Keep -WhatIf
            Get-Calls | Should -Be 0
            Get-HostKeys rhel-db | Should -Contain 'Keep'
        }

        It 'removes exactly the items Get-KvpItem pipes in, each on its own VM, keys taken literally' {
            Set-KvpItem -ComputerName $cn -VMName ubuntu-web -Item @{ 'Tmp*' = 'star'; TmpA = 'a' }
            Set-KvpItem -ComputerName $cn -VMName rhel-db -Name TmpB -Value b
            $removed = Get-KvpItem -ComputerName $cn -VMName ubuntu-web, rhel-db -Source Host -Name 'Tmp`*', TmpB | Remove-KvpItem -PassThru
            ($removed.Name | Sort-Object) | Should -Be @('Tmp*', 'TmpB')
            Get-HostKeys ubuntu-web | Should -Contain 'TmpA'
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Tmp*'
            Get-HostKeys rhel-db | Should -Not -Contain 'TmpB'
        }

        It 'needs a VM to be named' {
            { Remove-KvpItem -ComputerName $cn -Name Tmp1 } | Should -Throw -ErrorId "VMSelectionRequired$fqid"
            Get-Calls | Should -Be 0
        }

        It 'reports a failed job as CimJobFailed and still removes from the other VMs' {
            Add-HyperVSimulatorFault -ComputerName $cn -VMName rhel-db -Method RemoveKvpItems -JobErrorCode 32768 -JobErrorDescription 'Removal failed.'
            Remove-KvpItem -ComputerName $cn -VMName rhel-db, ubuntu-web -Name Keep -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -Be "CimJobFailed$fqid"
            $err[0].TargetObject | Should -Be 'rhel-db'
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Keep'
            Get-HostKeys rhel-db | Should -Contain 'Keep'
        }

        It 'writes VMNotFound for an unknown VM' {
            Remove-KvpItem -ComputerName $cn -VMName ghost -Name Tmp1 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "VMNotFound$fqid"
            $err[0].TargetObject | Should -Be 'ghost'
        }

        It 'takes Get-KvpItem output from the pipeline (VM binds, -Name still says what to remove)' {
            Get-KvpItem -ComputerName $cn -VMName rhel-db -Name Tmp1 | Remove-KvpItem -Name Tmp2
            Get-HostKeys rhel-db | Should -Not -Contain 'Tmp2'
            Get-HostKeys rhel-db | Should -Contain 'Tmp1'
        }

        It 'takes Get-VM-like objects whose Name and Id do not bind to -Name' {
            [pscustomobject]@{ VMName = 'ubuntu-web'; Name = 'Keep'; Id = [guid]::NewGuid(); ComputerName = $cn } |
                Remove-KvpItem -Name Tmp2
            Get-HostKeys ubuntu-web | Should -Not -Contain 'Tmp2'
            Get-HostKeys ubuntu-web | Should -Contain 'Keep'
        }

        It 'selects VMs by -VMId' {
            $id = (Get-KvpItem -ComputerName $cn -VMName rhel-db -Name Keep).VMId
            Remove-KvpItem -ComputerName $cn -VMId $id -Name Keep
            Get-HostKeys rhel-db | Should -Not -Contain 'Keep'
        }

        It 'removes on several hosts in one call' {
            $removed = Remove-KvpItem -ComputerName $cn, $cn2 -VMName ubuntu-web -Name Keep -PassThru
            $removed.ComputerName | Should -Be @($cn, $cn2)
            Get-HostKeys ubuntu-web -ComputerName $cn2 | Should -Not -Contain 'Keep'
        }

        It 'completes key names from the VM''s host items' {
            $line = "Remove-KvpItem -ComputerName $cn -VMName ubuntu-web -Name Tm"
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be @('Tmp1', 'Tmp2')
        }
    }
}
