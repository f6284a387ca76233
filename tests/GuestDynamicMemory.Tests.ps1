# The GuestDynamicMemory class-based DSC resource: discoverable from the manifest (PSDesiredStateConfiguration
# is not obtainable here, so no Get-DscResource), PS 5.1-compatible, and idempotent Get/Test/Set on the simulator.
BeforeDiscovery {
    $script:resourceNames = @('GuestDynamicMemory')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:manifestPath = Join-Path $modulePath 'HyperVGuestFeatures.psd1'
    $script:manifest = Import-PowerShellDataFile $manifestPath
    $script:lab = 'memdsc-a'

    # A new instance of the resource class, created in the nested module that defines it.
    function script:New-Resource([hashtable] $Property) {
        $nested = (Get-Module HyperVGuestFeatures).NestedModules | Where-Object Name -eq 'GuestDynamicMemory'
        $resource = & $nested { [GuestDynamicMemory]::new() }
        foreach ($key in $Property.Keys) { $resource.$key = $Property[$key] }
        $resource
    }
}

Describe 'DSC resource <_> is discoverable' -ForEach $resourceNames {
    BeforeAll {
        $script:name = $_
        $script:psm1 = Join-Path $modulePath "DSCResources/$name.psm1"
    }

    It 'is exported by the manifest from a nested module that ships' {
        $manifest.DscResourcesToExport | Should -Contain $name
        $manifest.NestedModules | Should -Contain "DSCResources/$name.psm1"
        $psm1 | Should -Exist
    }

    It 'is declared by PowerShell (the wildcard-export trap, PowerShell issues 12054 and 16750, is avoided)' {
        # With every one of Cmdlets/Functions/AliasesToExport an explicit list, ExportedDscResources is empty.
        $lists = 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport' | Where-Object { $manifest.ContainsKey($_) -and -not ($manifest[$_] -match '[*?]') }
        $lists.Count | Should -BeLessThan 3
        (Get-Module -ListAvailable $manifestPath).ExportedDscResources | Should -Contain $name
        (Test-ModuleManifest $manifestPath).ExportedDscResources | Should -Contain $name
        (Get-Module HyperVGuestFeatures).ExportedDscResources | Should -Contain $name
    }

    It 'is a [DscResource()] class with a key and Get, Test and Set' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($psm1, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $class = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] -and $n.Name -eq $name }, $true) | Select-Object -First 1
        $class | Should -Not -BeNullOrEmpty
        $class.Attributes.TypeName.Name | Should -Contain 'DscResource'
        $keys = $class.Members | Where-Object { $_ -is [System.Management.Automation.Language.PropertyMemberAst] -and ($_.Attributes | Where-Object { $_.TypeName.Name -eq 'DscProperty' -and $_.NamedArguments.ArgumentName -contains 'Key' }) }
        $keys | Should -Not -BeNullOrEmpty
        $methods = @{}
        $class.Members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] } | ForEach-Object { $methods[$_.Name] = $_.ReturnType.TypeName.Name }
        $methods['Get'] | Should -Be $name
        $methods['Test'] | Should -Be 'bool'
        $methods['Set'] | Should -Be 'void'
    }

    It 'uses only Windows PowerShell 5.1 syntax' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($psm1, [ref] $tokens, [ref] $errors)
        $newSyntax = $ast.FindAll({ param($n)
                $n -is [System.Management.Automation.Language.TernaryExpressionAst] -or
                $n -is [System.Management.Automation.Language.PipelineChainAst] -or
                ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator -eq 'QuestionQuestion') -or
                ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator -eq 'QuestionQuestionEquals') -or
                ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional)
            }, $true)
        $newSyntax | Should -BeNullOrEmpty
        $tokens | Where-Object { $_.Kind -in 'QuestionDot', 'QuestionLBracket' } | Should -BeNullOrEmpty
    }
}

Describe 'GuestDynamicMemory Get/Test/Set on the simulator' {
    BeforeEach { Start-HyperVSimulator -ComputerName $lab }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

    It 'Get returns the VM''s settings' {
        $current = (New-Resource @{ VMName = 'ubuntu-web'; ComputerName = $lab }).Get()
        $current.DynamicMemoryEnabled | Should -BeTrue
        $current.StartupBytes | Should -Be 2GB
        $current.MaximumBytes | Should -Be 4GB
        $current.VMState | Should -Be 'Running'
        $current.AssignedBytes | Should -Be 2GB
    }

    It 'Test is true when the configured values hold, ignoring the ones not configured' {
        (New-Resource @{ VMName = 'ubuntu-web'; ComputerName = $lab; DynamicMemoryEnabled = $true; MaximumBytes = 4GB }).Test() | Should -BeTrue
    }

    It 'Test is false on drift, Set fixes it, and a second Set makes no provider call' {
        $resource = New-Resource @{ VMName = 'suse-off'; ComputerName = $lab; MinimumBytes = 512MB; MaximumBytes = 16GB; Priority = 75 }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $row = Get-DynamicMemory -ComputerName $lab -VMName suse-off
        $row.MinimumBytes | Should -Be 512MB
        $row.MaximumBytes | Should -Be 16GB
        $row.Priority | Should -Be 75
        $null = Get-HyperVSimulator -ComputerName $lab -ResetCounters
        $resource.Set()
        (Get-HyperVSimulator -ComputerName $lab).MethodCallCount | Should -Be 0
    }

    It 'Set sends only what drifted, so a running VM takes a new maximum' {
        $resource = New-Resource @{ VMName = 'ubuntu-web'; ComputerName = $lab; DynamicMemoryEnabled = $true; StartupBytes = 2GB; MaximumBytes = 8GB }
        $resource.Set()
        (Get-DynamicMemory -ComputerName $lab -VMName ubuntu-web).MaximumBytes | Should -Be 8GB
    }

    It 'Set fails with the cmdlet''s error when a rule forbids the change' {
        $resource = New-Resource @{ VMName = 'ubuntu-web'; ComputerName = $lab; DynamicMemoryEnabled = $false }
        { $resource.Set() } | Should -Throw -ErrorId 'DynamicMemoryChangeWhileRunning,HyperVGuestFeatures.Commands.SetDynamicMemoryCommand'
        (Get-DynamicMemory -ComputerName $lab -VMName ubuntu-web).DynamicMemoryEnabled | Should -BeTrue
    }

    It 'refuses a VM name with wildcards' {
        { (New-Resource @{ VMName = 'ubuntu*'; ComputerName = $lab }).Test() } | Should -Throw '*without wildcards*'
    }

    It 'fails for a VM that does not exist' {
        { (New-Resource @{ VMName = 'nope'; ComputerName = $lab }).Get() } | Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.GetDynamicMemoryCommand'
    }
}
