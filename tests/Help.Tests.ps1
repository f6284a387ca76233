# Help conformance: every exported cmdlet has help compiled from
# docs/en-US/<cmdlet>.md, complete and in step with the cmdlet's parameters; the about topic ships.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $script:commands = foreach ($command in Get-Command -Module HyperVGuestFeatures -CommandType Cmdlet) {
        $names = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object)
        @{
            Name       = $command.Name
            Parameters = @($names | ForEach-Object { @{ Parameter = $_ } })
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:docs = Join-Path (Split-Path $PSScriptRoot) 'docs/en-US'
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters

    # The '### -Name' headings of a topic's PARAMETERS section (headings inside code blocks don't count).
    function Get-DocumentedParameter([string] $Path) {
        $inParameters = $false; $inCode = $false
        foreach ($line in Get-Content -LiteralPath $Path) {
            if ($line -match '^\s*(```|~~~)') { $inCode = -not $inCode; continue }
            if ($inCode) { continue }
            if ($line -match '^##\s+(.+?)\s*$') { $inParameters = $Matches[1] -eq 'PARAMETERS'; continue }
            if ($inParameters -and $line -match '^###\s+-(\S+)\s*$') { $Matches[1] }
        }
    }

    function Get-Text($Value) {
        (($Value | Out-String) -replace '\s+', ' ').Trim()
    }
}

Describe 'Help for <Name>' -ForEach $commands {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $source = Join-Path $docs "$Name.md"
        $parameterNames = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })
    }

    It 'has a source topic docs/en-US/<Name>.md' {
        $source | Should -Exist -Because "the build compiles cmdlet help from docs/en-US/$Name.md (see docs/en-US/README.md)"
    }

    It 'is the compiled help, not the syntax stub PowerShell generates' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
        $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($Name) + '(\s|$)')
    }

    It 'has a synopsis and a description' {
        Get-Text $help.Synopsis | Should -Not -BeNullOrEmpty
        Get-Text $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code' {
        $withCode = @($help.examples.example | Where-Object { $_.code -and $_.code.Trim() })
        $withCode.Count | Should -BeGreaterOrEqual 2
    }

    It 'documents every parameter in its source topic' {
        $documented = @(Get-DocumentedParameter $source)
        $missing = @($parameterNames | Where-Object { $documented -notcontains $_ })
        $missing | Should -BeNullOrEmpty -Because 'every parameter needs a ### -<Name> section'
    }

    It 'documents no parameter the cmdlet lacks' {
        $documented = @(Get-DocumentedParameter $source)
        $extra = @($documented | Where-Object { $parameterNames -notcontains $_ })
        $extra | Should -BeNullOrEmpty
        $compiled = @($help.parameters.parameter | ForEach-Object { $_.name })
        @($compiled | Where-Object { $parameterNames -notcontains $_ }) | Should -BeNullOrEmpty
    }

    It 'shows one SYNTAX entry per parameter set, with that set''s parameters' {
        $items = @($help.syntax.syntaxItem)
        $items.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $expected = (@($set.Parameters.Name | Where-Object { $common -notcontains $_ } | Sort-Object) -join ',')
            $shown = @($items | ForEach-Object { (@($_.parameter | ForEach-Object { $_.name }) | Sort-Object) -join ',' })
            $shown | Should -Contain $expected -Because "parameter set $($set.Name) has the parameters $expected"
        }
        $text = Get-Help $Name -Full | Out-String -Width 250
        $syntax = [regex]::Match($text, '(?ms)^SYNTAX\s*$(.*?)^\S').Groups[1].Value
        $lines = @($syntax -split "`n" | Where-Object { $_ -match ('^\s+' + [regex]::Escape($Name) + '\s') })
        $lines.Count | Should -Be $command.ParameterSets.Count
    }

    It 'describes -<Parameter> (Get-Help -Parameter)' -ForEach $Parameters {
        $parameterHelp = Get-Help $Name -Parameter $Parameter
        $parameterHelp.name | Should -Be $Parameter
        Get-Text $parameterHelp.description | Should -Not -BeNullOrEmpty
    }
}

Describe 'Help sources in docs/en-US' {
    It 'have a topic only for cmdlets the module exports' {
        $exported = @(Get-Command -Module HyperVGuestFeatures -CommandType Cmdlet | ForEach-Object Name)
        $topics = @(Get-ChildItem -LiteralPath $docs -File -Filter '*.md' |
                Where-Object { $_.Name -ne 'README.md' -and $_.Name -notlike 'about_*' } |
                ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension($_.Name) })
        @($topics | Where-Object { $exported -notcontains $_ }) | Should -BeNullOrEmpty
    }
}

Describe 'about_HyperVGuestFeatures' {
    It 'is shown by Get-Help' {
        $text = Get-Help about_HyperVGuestFeatures | Out-String
        $text | Should -Match 'about_HyperVGuestFeatures'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'NotObservable'
    }

    It 'ships beside the MAML help' {
        Join-Path (Get-TestModulePath) 'en-US/about_HyperVGuestFeatures.help.txt' | Should -Exist
    }

    It 'fits 80 columns' {
        $long = @(Get-Content (Join-Path $docs 'about_HyperVGuestFeatures.help.txt') | Where-Object { $_.Length -gt 80 })
        $long | Should -BeNullOrEmpty
    }
}
