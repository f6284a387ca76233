# The GuestDynamicMemory class-based DSC resource: declared in the root module with key VMName, and
# idempotent Get/Test/Set on the simulator. The module layout and the real DSC engines are in
# GuestDsc*.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:lab = 'memdsc-a'

    # A new instance of the resource class, created in the root module that defines it.
    function script:New-Resource([hashtable] $Property) {
        $resource = & (Get-Module HyperVGuestFeatures) { [GuestDynamicMemory]::new() }
        foreach ($key in $Property.Keys) { $resource.$key = $Property[$key] }
        $resource
    }
}

Describe 'DSC resource GuestDynamicMemory is declared' {
    It 'is a [DscResource()] class of the root module with key VMName and Get, Test and Set' {
        $psm1 = Join-Path $modulePath 'HyperVGuestFeatures.psm1'
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($psm1, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $class = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] -and $n.Name -eq 'GuestDynamicMemory' }, $true) | Select-Object -First 1
        $class | Should -Not -BeNullOrEmpty
        $class.Attributes.TypeName.Name | Should -Contain 'DscResource'
        $keys = $class.Members | Where-Object { $_ -is [System.Management.Automation.Language.PropertyMemberAst] -and ($_.Attributes | Where-Object { $_.TypeName.Name -eq 'DscProperty' -and $_.NamedArguments.ArgumentName -contains 'Key' }) }
        $keys.Name | Should -Be 'VMName'
        $methods = @{}
        $class.Members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] } | ForEach-Object { $methods[$_.Name] = $_.ReturnType.TypeName.Name }
        $methods['Get'] | Should -Be 'GuestDynamicMemory'
        $methods['Test'] | Should -Be 'bool'
        $methods['Set'] | Should -Be 'void'
        (Get-Module HyperVGuestFeatures).ExportedDscResources | Should -Contain 'GuestDynamicMemory'
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

    It 'takes VMName literally: a name with wildcard characters names that VM only' {
        { (New-Resource @{ VMName = 'ubuntu*'; ComputerName = $lab }).Test() } | Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.GetDynamicMemoryCommand'
        $fixture = Join-Path $TestDrive 'wildnames.json'
        @{ base = 'Default'; vms = @(@{ name = 'web[1]'; state = 'Off' }, @{ name = 'web1'; state = 'Off' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName mem-wild -Path $fixture
        try {
            $resource = New-Resource @{ VMName = 'web[1]'; ComputerName = 'mem-wild'; StartupBytes = 3GB }
            $resource.Get().VMName | Should -Be 'web[1]'
            $resource.Test() | Should -BeFalse
            $resource.Set()
            $resource.Test() | Should -BeTrue
            (Get-DynamicMemory -ComputerName mem-wild -VMName 'web`[1`]').StartupBytes | Should -Be 3GB
            (Get-DynamicMemory -ComputerName mem-wild -VMName web1).StartupBytes | Should -Not -Be 3GB
        }
        finally { Stop-HyperVSimulator -ComputerName mem-wild }
    }

    It 'fails for a VM that does not exist' {
        { (New-Resource @{ VMName = 'nope'; ComputerName = $lab }).Get() } | Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.GetDynamicMemoryCommand'
    }
}
