# The GuestFeature class-based DSC resource: one feature of one VM switched on (Present) or off
# (Absent), idempotent Get/Test/Set on the simulator through Get-/Enable-/Disable-GuestFeature.
# The module layout and the real DSC engines are in GuestDsc*.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:lab = 'featdsc-a'

    # A new instance of the resource class, created in the root module that defines it.
    function script:New-Resource([hashtable] $Property) {
        $resource = & (Get-Module HyperVGuestFeatures) { [GuestFeature]::new() }
        $resource.ComputerName = $lab
        foreach ($key in $Property.Keys) { $resource.$key = $Property[$key] }
        $resource
    }

    function script:Get-MethodCalls { (Get-HyperVSimulator -ComputerName $lab).MethodCallCount }
    function script:Reset-Counters { $null = Get-HyperVSimulator -ComputerName $lab -ResetCounters }
}

Describe 'DSC resource GuestFeature is declared' {
    It 'is a [DscResource()] class of the root module with keys VMName and Feature, and Get, Test and Set' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $modulePath 'HyperVGuestFeatures.psm1'), [ref] $tokens, [ref] $errors)
        $class = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] -and $n.Name -eq 'GuestFeature' }, $true) | Select-Object -First 1
        $class.Attributes.TypeName.Name | Should -Contain 'DscResource'
        $keys = $class.Members | Where-Object { $_ -is [System.Management.Automation.Language.PropertyMemberAst] -and ($_.Attributes | Where-Object { $_.TypeName.Name -eq 'DscProperty' -and $_.NamedArguments.ArgumentName -contains 'Key' }) }
        $keys.Name | Should -Be @('VMName', 'Feature')
        $ensure = $class.Members | Where-Object Name -eq 'Ensure'
        $ensure.Attributes.PositionalArguments.Value | Should -Be @('Present', 'Absent')
        ($class.Members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] }).Name | Should -Contain 'Set'
        (Get-Module HyperVGuestFeatures).ExportedDscResources | Should -Contain 'GuestFeature'
    }
}

Describe 'GuestFeature Get/Test/Set on the simulator' {
    BeforeEach { Start-HyperVSimulator -ComputerName $lab }
    AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

    It 'Get reports the state Get-GuestFeature reports, and whether the feature is present' {
        $current = (New-Resource @{ VMName = 'alma-noguestsvc'; Feature = 'file-copy' }).Get()
        $current.Ensure | Should -Be 'Absent'
        $current.State | Should -Be 'Disabled'
        $current.Detail | Should -BeLike '*Guest Service Interface is disabled*'
        $current.VMName | Should -Be 'alma-noguestsvc'
        $current.Feature | Should -Be 'file-copy'
        (New-Resource @{ VMName = 'ubuntu-web'; Feature = 'Heartbeat' }).Get().Ensure | Should -Be 'Present'
    }

    It 'switches a service on, is then in the desired state, and a second Set makes no provider call' {
        $resource = New-Resource @{ VMName = 'alma-noguestsvc'; Feature = 'File copy from host to guest'; Ensure = 'Present' }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        (Get-GuestFeature -ComputerName $lab -VMName alma-noguestsvc -Name file-copy).State | Should -Be 'Enabled'
        Reset-Counters
        $resource.Set()
        Get-MethodCalls | Should -Be 0
    }

    It 'switches a service off with Ensure = Absent' {
        $resource = New-Resource @{ VMName = 'ubuntu-web'; Feature = 'heartbeat'; Ensure = 'Absent' }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $resource.Get().State | Should -Be 'Disabled'
    }

    It 'counts a service as present when the host cannot see it work: a VM that is off, a guest that does not answer' {
        (New-Resource @{ VMName = 'suse-off'; Feature = 'kvp' }).Test() | Should -BeTrue
        (New-Resource @{ VMName = 'centos-hung'; Feature = 'Heartbeat' }).Test() | Should -BeTrue
    }

    It 'fixes the secure boot template only once the VM is off, with the cmdlet''s error meanwhile' {
        $resource = New-Resource @{ VMName = 'debian-build'; Feature = 'Secure boot' }
        $resource.Get().State | Should -Be 'Degraded'
        $resource.Test() | Should -BeFalse
        (New-Resource @{ VMName = 'debian-build'; Feature = 'Secure boot'; Ensure = 'Absent' }).Test() | Should -BeFalse
        Reset-Counters
        { $resource.Set() } | Should -Throw -ErrorId 'SecureBootChangeWhileRunning,HyperVGuestFeatures.Commands.EnableGuestFeatureCommand'
        Get-MethodCalls | Should -Be 0
        Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -State Off
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $resource.Get().State | Should -Be 'Enabled'
    }

    It 'switches dynamic memory off on a VM that is off, with Set-DynamicMemory''s rules' {
        $resource = New-Resource @{ VMName = 'suse-off'; Feature = 'Dynamic Memory - Hot-Add'; Ensure = 'Absent' }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        (Get-DynamicMemory -ComputerName $lab -VMName suse-off).DynamicMemoryEnabled | Should -BeFalse
        { (New-Resource @{ VMName = 'rhel-db'; Feature = 'dm-hot-add'; Ensure = 'Absent' }).Set() } |
            Should -Throw -ErrorId 'DynamicMemoryChangeWhileRunning,HyperVGuestFeatures.Commands.DisableGuestFeatureCommand'
    }

    It 'counts a feature the VM cannot have as absent' {
        (New-Resource @{ VMName = 'freebsd-gw'; Feature = 'secure-boot'; Ensure = 'Absent' }).Test() | Should -BeTrue
        (New-Resource @{ VMName = 'freebsd-gw'; Feature = 'secure-boot' }).Get().State | Should -Be 'NotSupported'
    }

    It 'refuses a feature the host cannot switch, a wildcard feature and an unknown VM' {
        { (New-Resource @{ VMName = 'ubuntu-web'; Feature = 'Jumbo frames' }).Test() } | Should -Throw '*cannot switch*Jumbo frames*'
        { (New-Resource @{ VMName = 'ubuntu-web'; Feature = 'Heart*' }).Test() } | Should -Throw '*without wildcards*'
        { (New-Resource @{ VMName = 'ghost'; Feature = 'Heartbeat' }).Get() } | Should -Throw -ErrorId 'VMNotFound,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
    }

    It 'takes VMName literally' {
        $fixture = Join-Path $TestDrive 'wildnames.json'
        @{ base = 'Default'; vms = @(@{ name = 'web[1]' }, @{ name = 'web1' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName feat-wild -Path $fixture
        try {
            $resource = New-Resource @{ VMName = 'web[1]'; Feature = 'heartbeat'; Ensure = 'Absent'; ComputerName = 'feat-wild' }
            $resource.Set()
            (Get-GuestFeature -ComputerName feat-wild -VMName 'web`[1`]' -Name heartbeat).State | Should -Be 'Disabled'
            (Get-GuestFeature -ComputerName feat-wild -VMName web1 -Name heartbeat).State | Should -Be 'Enabled'
        }
        finally { Stop-HyperVSimulator -ComputerName feat-wild }
    }
}
