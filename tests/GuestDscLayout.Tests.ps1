# The module layout that real DSC engines load: a script root
# module that imports the dll and declares the class-based resources, a manifest that names no binary
# module, Windows PowerShell 5.1 syntax, and the exports trap (PowerShell issues 12054, 16750) avoided.
# The engines themselves run in GuestDscEngine.Tests.ps1 and GuestDscAdapter.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:manifestPath = Join-Path $modulePath 'HyperVGuestFeatures.psd1'
    $script:manifest = Import-PowerShellDataFile $manifestPath
    $script:rootModule = Join-Path $modulePath 'HyperVGuestFeatures.psm1'

    function Get-RootModuleAst {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($rootModule, [ref] $tokens, [ref] $errors)
        [pscustomobject]@{ Ast = $ast; Tokens = $tokens; Errors = $errors }
    }
}

Describe 'Module layout for DSC engines' {
    It 'has a script root module and names no binary module in RootModule or NestedModules' {
        $manifest.RootModule | Should -Be 'HyperVGuestFeatures.psm1'
        $rootModule | Should -Exist
        @($manifest.RootModule) + @($manifest['NestedModules']) | Where-Object { $_ -match '\.dll$' } | Should -BeNullOrEmpty
        (Get-Module HyperVGuestFeatures).ModuleType | Should -Be 'Script'
    }

    It 'exports exactly the dll''s cmdlets, and no function or alias' {
        $module = Get-Module HyperVGuestFeatures
        $assembly = [HyperVGuestFeatures.Commands.GetGuestFeatureCommand].Assembly
        $inDll = $assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($inDll | Sort-Object)
        $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
        $module.ExportedAliases.Keys | Should -BeNullOrEmpty
    }

    It 'declares in the root module exactly the resources of DscResourcesToExport' {
        $declared = (Get-RootModuleAst).Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] }, $false) |
            Where-Object { $_.Attributes.TypeName.Name -contains 'DscResource' } | ForEach-Object Name
        ($declared | Sort-Object) | Should -Be ($manifest.DscResourcesToExport | Sort-Object)
        ($manifest.DscResourcesToExport | Sort-Object) | Should -Be @('GuestDynamicMemory', 'GuestFeature', 'GuestKvpItem')
    }

    It 'lists its resources wherever PowerShell reads the manifest' {
        foreach ($name in $manifest.DscResourcesToExport) {
            (Get-Module -ListAvailable $manifestPath).ExportedDscResources | Should -Contain $name
            (Test-ModuleManifest $manifestPath).ExportedDscResources | Should -Contain $name
            (Get-Module HyperVGuestFeatures).ExportedDscResources | Should -Contain $name
        }
    }

    It 'keeps a wildcard in one export list, because three explicit lists hide class-based resources' {
        # PowerShell issues 12054 and 16750: with Cmdlets-, Functions- and AliasesToExport all explicit,
        # ExportedDscResources is empty and Get-DscResource finds nothing.
        $wildcard = 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport' | Where-Object {
            -not $manifest.ContainsKey($_) -or @($manifest[$_]) -match '[*?]'
        }
        $wildcard | Should -Not -BeNullOrEmpty
        $manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
    }

    It 'loses its resources when that wildcard goes (the trap is real on this PowerShell)' {
        $copy = Join-Path $TestDrive 'trap/HyperVGuestFeatures'
        $null = New-Item -ItemType Directory -Path $copy
        Copy-Item (Join-Path $modulePath '*') $copy -Recurse
        $text = Get-Content (Join-Path $copy 'HyperVGuestFeatures.psd1') -Raw
        $explicit = $text -replace "(?m)^(\s*AliasesToExport\s*=\s*)'\*'", '$1@()'
        $explicit | Should -Not -Be $text
        Set-Content -Path (Join-Path $copy 'HyperVGuestFeatures.psd1') -Value $explicit
        (Test-ModuleManifest (Join-Path $copy 'HyperVGuestFeatures.psd1')).ExportedDscResources | Should -BeNullOrEmpty
    }

    It 'uses only Windows PowerShell 5.1 syntax in the root module' {
        $parsed = Get-RootModuleAst
        $parsed.Errors | Should -BeNullOrEmpty
        $newSyntax = $parsed.Ast.FindAll({ param($n)
                $n -is [System.Management.Automation.Language.TernaryExpressionAst] -or
                $n -is [System.Management.Automation.Language.PipelineChainAst] -or
                ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
                ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
                ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional) -or
                ($n -is [System.Management.Automation.Language.CommandParameterAst] -and $n.ParameterName -eq 'Parallel')
            }, $true)
        $newSyntax | Should -BeNullOrEmpty
        $parsed.Tokens | Where-Object { $_.Kind -in 'QuestionDot', 'QuestionLBracket' } | Should -BeNullOrEmpty
        $parsed.Tokens | Where-Object { $_.Kind -eq 'Variable' -and $_.Name -eq 'PSStyle' } | Should -BeNullOrEmpty
    }

    It 'is ASCII, or UTF-8 with a BOM as Windows PowerShell 5.1 needs' {
        $bytes = [System.IO.File]::ReadAllBytes($rootModule)
        $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        ($hasBom -or -not ($bytes | Where-Object { $_ -gt 127 })) | Should -BeTrue
    }

    It 'names the module''s own cmdlets module-qualified in the resources, so another module''s cmdlet of the same name is never called' {
        $cmdlets = (Get-Module HyperVGuestFeatures).ExportedCmdlets.Keys
        $calls = (Get-RootModuleAst).Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() } | Where-Object { $_ }
        $calls | Where-Object { $cmdlets -contains $_ } | Should -BeNullOrEmpty
    }
}

Describe 'about_HyperVGuestFeatures_DscResources' {
    It 'is shown by Get-Help, and documents every resource with an example' {
        $text = Get-Help about_HyperVGuestFeatures_DscResources | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        foreach ($name in $manifest.DscResourcesToExport) {
            $text | Should -Match ('  ' + $name.ToUpperInvariant())
            $text | Should -Match "$name \w+ \{"
        }
        $text | Should -Match 'HyperVGuestFeatures/GuestFeature'
    }

    It 'fits 80 columns' {
        $source = Join-Path (Split-Path $PSScriptRoot) 'docs/en-US/about_HyperVGuestFeatures_DscResources.help.txt'
        @(Get-Content $source | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
    }
}

