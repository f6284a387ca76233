# The GuestKvpItem DSC resource: declared in the root module with keys VMName and Name, and Get/Test/Set
# against the simulated host. The module layout and the real DSC engines are in GuestDsc*.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:manifest = Import-PowerShellDataFile (Join-Path $modulePath 'HyperVGuestFeatures.psd1')
    $script:dscModule = Get-Module HyperVGuestFeatures
    $script:cn = 'kvp-dsc'

    # Classes of a module are visible inside it only: build the resource in the root module's scope.
    function New-GuestKvpItem([hashtable] $Property) {
        & $dscModule {
            param($Property)
            $resource = [GuestKvpItem]::new()
            foreach ($key in $Property.Keys) { $resource.$key = $Property[$key] }
            $resource
        } $Property
    }

    # [DscResource()] classes declared in the root module, by parsing it.
    function Get-DscResourceClass {
        $path = Join-Path $modulePath 'HyperVGuestFeatures.psm1'
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$null, [ref]$null)
        $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeDefinitionAst] }, $false) |
            Where-Object { $_.Attributes.TypeName.Name -contains 'DscResource' } |
            ForEach-Object { [pscustomobject]@{ Name = $_.Name; File = $_.Extent.File; Ast = $_ } }
    }
}

Describe 'GuestKvpItem discovery' {
    It 'is listed in DscResourcesToExport and declared in the root module' {
        $manifest.DscResourcesToExport | Should -Contain 'GuestKvpItem'
        (Get-DscResourceClass).Name | Should -Contain 'GuestKvpItem'
        (Get-Module HyperVGuestFeatures).ExportedDscResources | Should -Contain 'GuestKvpItem'
    }

    It 'declares a DSC resource with keys VMName and Name, and Get, Test and Set' {
        $class = Get-DscResourceClass | Where-Object Name -eq 'GuestKvpItem'
        $class | Should -HaveCount 1
        $members = $class.Ast.Members
        $keys = $members | Where-Object { $_ -is [System.Management.Automation.Language.PropertyMemberAst] } |
            Where-Object { $_.Attributes | Where-Object { $_.TypeName.Name -eq 'DscProperty' -and $_.Extent.Text -match 'Key' } }
        $keys.Name | Should -Be @('VMName', 'Name')
        ($members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] }).Name | Should -Contain 'Get'
        ($members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] }).Name | Should -Contain 'Test'
        ($members | Where-Object { $_ -is [System.Management.Automation.Language.FunctionMemberAst] }).Name | Should -Contain 'Set'
        $type = & $dscModule { [GuestKvpItem] }
        $type.GetCustomAttributes([System.Management.Automation.DscResourceAttribute], $false) | Should -HaveCount 1
    }
}

Describe 'GuestKvpItem Get/Test/Set' {
    BeforeEach {
        Start-HyperVSimulator -ComputerName $cn
    }

    AfterEach {
        Stop-HyperVSimulator -ComputerName $cn
    }

    It 'reports an absent item, adds it, and is then in the desired state' {
        $resource = New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Role'; Value = 'frontend'; ComputerName = $cn }
        $resource.Get().Ensure | Should -Be 'Absent'
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $state = $resource.Get()
        $state.Ensure | Should -Be 'Present'
        $state.Value | Should -Be 'frontend'
        $state.VMName | Should -Be 'ubuntu-web'
        (Get-KvpItem -ComputerName $cn -VMName ubuntu-web -Source Host -Name Role).Value | Should -Be 'frontend'
    }

    It 'corrects a different value, and a second Set makes no provider call' {
        $resource = New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Environment'; Value = 'Staging'; ComputerName = $cn }
        $resource.Get().Value | Should -Be 'Production'
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        $resource.Set()
        (Get-HyperVSimulator -ComputerName $cn).MethodCallCount | Should -Be 0
    }

    It 'is in the desired state after Set for a value of <Case>, and a re-run makes no call' -ForEach @(
        @{ Case = 'blanks only'; Value = '   ' }
        @{ Case = 'CRLF and CR line ends'; Value = "line1`r`nline2`rline3" }
    ) {
        $resource = New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Motd'; Value = $Value; ComputerName = $cn }
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $resource.Get().Value | Should -BeExactly $Value
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        $resource.Set()
        (Get-HyperVSimulator -ComputerName $cn).MethodCallCount | Should -Be 0
    }

    It 'compares values and keys case-sensitively, as the guest does' {
        $resource = New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Environment'; Value = 'production'; ComputerName = $cn }
        $resource.Test() | Should -BeFalse
        (New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'environment'; Ensure = 'Absent'; ComputerName = $cn }).Test() | Should -BeTrue
    }

    It 'removes an item with Ensure = Absent, and does nothing when it is already gone' {
        $resource = New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Environment'; Ensure = 'Absent'; ComputerName = $cn }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        Get-KvpItem -ComputerName $cn -VMName ubuntu-web -Source Host -Name Environment | Should -BeNullOrEmpty
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        $resource.Set()
        (Get-HyperVSimulator -ComputerName $cn).MethodCallCount | Should -Be 0
    }

    It 'handles keys with wildcard characters as plain text' {
        Set-KvpItem -ComputerName $cn -VMName rhel-db -Name 'a*' -Value 'star'
        Set-KvpItem -ComputerName $cn -VMName rhel-db -Name 'ab' -Value 'plain'
        $resource = New-GuestKvpItem @{ VMName = 'rhel-db'; Name = 'a*'; Ensure = 'Absent'; ComputerName = $cn }
        $resource.Get().Value | Should -Be 'star'
        $resource.Set()
        (Get-KvpItem -ComputerName $cn -VMName rhel-db -Source Host -Name a*).Name | Should -Be 'ab'
    }

    It 'takes VMName literally: web[1] is that VM, never web1' {
        $fixture = Join-Path $TestDrive 'wildnames.json'
        @{ base = 'Default'; vms = @(@{ name = 'web[1]' }, @{ name = 'web1' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
        Start-HyperVSimulator -ComputerName kvp-wild -Path $fixture
        try {
            $resource = New-GuestKvpItem @{ VMName = 'web[1]'; Name = 'Role'; Value = 'frontend'; ComputerName = 'kvp-wild' }
            $resource.Test() | Should -BeFalse
            $resource.Set()
            $resource.Test() | Should -BeTrue
            $resource.Get().Value | Should -Be 'frontend'
            (Get-KvpItem -ComputerName kvp-wild -VMName 'web`[1`]' -Source Host -Name Role).Value | Should -Be 'frontend'
            Get-KvpItem -ComputerName kvp-wild -VMName web1 -Source Host -Name Role | Should -BeNullOrEmpty
            (New-GuestKvpItem @{ VMName = 'web[1]'; Name = 'Role'; Ensure = 'Absent'; ComputerName = 'kvp-wild' }).Set()
            Get-KvpItem -ComputerName kvp-wild -VMName 'web`[1`]' -Source Host -Name Role | Should -BeNullOrEmpty
            { (New-GuestKvpItem @{ VMName = 'web*'; Name = 'Role'; Value = 'x'; ComputerName = 'kvp-wild' }).Set() } |
                Should -Throw -ExpectedMessage "*No virtual machine named 'web`**"
        }
        finally { Stop-HyperVSimulator -ComputerName kvp-wild }
    }

    It 'writes to a VM that is off' {
        $resource = New-GuestKvpItem @{ VMName = 'suse-off'; Name = 'Role'; Value = 'batch'; ComputerName = $cn }
        $resource.Set()
        $resource.Test() | Should -BeTrue
    }

    It 'fails with the cmdlet''s error for an invalid value or an unknown VM, changing nothing' {
        $null = Get-HyperVSimulator -ComputerName $cn -ResetCounters
        { (New-GuestKvpItem @{ VMName = 'ubuntu-web'; Name = 'Big'; Value = ('v' * 1024); ComputerName = $cn }).Set() } |
            Should -Throw -ExpectedMessage '*1024 UTF-16 characters*'
        { (New-GuestKvpItem @{ VMName = 'ghost'; Name = 'Role'; Value = 'x'; ComputerName = $cn }).Test() } |
            Should -Throw -ExpectedMessage "*No virtual machine named 'ghost'*"
        (Get-HyperVSimulator -ComputerName $cn).MethodCallCount | Should -Be 0
    }
}
