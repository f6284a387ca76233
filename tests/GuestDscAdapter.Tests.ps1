# The DSC v3 PowerShell adapter (PowerShell/DSC adapters/powershell, in ../shared/tools/dscv3-adapter when
# it is there; CI may not have it, and then this suite is skipped with a warning). The dsc executable
# itself is not available here, so the adapter's scripts are run as dsc runs them: discovery with
# Invoke-DscCacheRefresh and the List operation (resources named HyperVGuestFeatures/<class>), and
# Get/Test/Set through powershell.resource.ps1, which works in a runspace of its own.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $tools = Get-DscToolsPath
    $script:adapterScript = Join-Path $tools 'dscv3-adapter/adapters/powershell/psDscAdapter/powershell.resource.ps1'
    $script:noAdapter = -not (Test-Path $adapterScript)
    if ($noAdapter) {
        Write-Warning "GuestDscAdapter.Tests.ps1 skipped: the DSC v3 PowerShell adapter is not at '$adapterScript' (the ../shared/tools folder of the checkout; set HYPERVGUESTFEATURES_DSC_TOOLS to another tools folder)."
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:lab = 'dsc-adapter'
    $tools = Get-DscToolsPath
    $script:adapterFolder = Join-Path $tools 'dscv3-adapter/adapters/powershell/psDscAdapter'
    $script:adapterScript = Join-Path $adapterFolder 'powershell.resource.ps1'
    $script:saved = @{ PSModulePath = $env:PSModulePath; HOME = $env:HOME; LocalAppData = $env:LOCALAPPDATA }

    # Runs one adapter operation as dsc does (JSON in, JSON lines out); returns the parsed objects.
    function script:Invoke-Adapter([string] $Operation, [hashtable] $Property, [string] $ResourceType) {
        $json = if ($Property) { $Property | ConvertTo-Json -Compress } else { '{}' }
        $arguments = @{}
        if ($ResourceType) { $arguments['ResourceType'] = $ResourceType }
        $lines = $json | & $adapterScript $Operation @arguments 2>$null
        $LASTEXITCODE | Should -Not -Be 1 -Because "the adapter's $Operation must succeed"
        $lines | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json }
    }
}

AfterAll {
    $env:PSModulePath = $saved.PSModulePath
    $env:HOME = $saved.HOME
    $env:LOCALAPPDATA = $saved.LocalAppData
    Get-Module HyperVGuestFeatures | Where-Object { $_.ModuleBase -like "$TestDrive*" } | Remove-Module
    Get-Module psDscAdapter | Remove-Module
    Import-TestModule
}

Describe 'DSC v3 PowerShell adapter with HyperVGuestFeatures' -Skip:$noAdapter {
    BeforeAll {
        # The module in a folder of its own on PSModulePath, as installed (out/ also holds bin/HyperVGuestFeatures),
        # and the adapter's cache file under TestDrive rather than the user's profile.
        $modules = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory -Path $modules -Force
        try { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $modules 'HyperVGuestFeatures') -Target $modulePath -ErrorAction Stop }
        catch { Copy-Item $modulePath $modules -Recurse }
        $env:PSModulePath = $modules, $saved.PSModulePath -join [IO.Path]::PathSeparator
        $env:HOME = $TestDrive
        $env:LOCALAPPDATA = $TestDrive
    }

    Context 'discovery' {
        It 'lists every resource as HyperVGuestFeatures/<Resource> from the imported module (Invoke-DscCacheRefresh)' {
            $adapter = Import-Module (Join-Path $adapterFolder 'psDscAdapter.psd1') -Force -PassThru
            $cache = & $adapter { Invoke-DscCacheRefresh -Module HyperVGuestFeatures }
            ($cache.Type | Sort-Object) | Should -Be @('HyperVGuestFeatures/GuestDynamicMemory', 'HyperVGuestFeatures/GuestFeature', 'HyperVGuestFeatures/GuestKvpItem')
            ($cache | Where-Object Type -eq 'HyperVGuestFeatures/GuestFeature').DscResourceInfo.Capabilities | Should -Be @('get', 'test', 'set')
        }

        It 'lists them from PSModulePath in a runspace of its own (the List operation)' {
            $listed = Invoke-Adapter List | Where-Object type -like 'HyperVGuestFeatures/*'
            ($listed.type | Sort-Object) | Should -Be @('HyperVGuestFeatures/GuestDynamicMemory', 'HyperVGuestFeatures/GuestFeature', 'HyperVGuestFeatures/GuestKvpItem')
            $feature = $listed | Where-Object type -eq 'HyperVGuestFeatures/GuestFeature'
            $feature.implementedAs | Should -Be 'ClassBased'
            $feature.properties | Should -Contain 'Feature'
            $feature.properties | Should -Contain 'Ensure'
            Split-Path $feature.path -Leaf | Should -Be 'HyperVGuestFeatures.psm1'
        }
    }

    Context 'Get, Test and Set on the simulator' {
        BeforeEach { Start-HyperVSimulator -ComputerName $lab }
        AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

        It 'runs GuestFeature: Get, Test (not in the desired state), Set, Test (in the desired state)' {
            $property = @{ VMName = 'alma-noguestsvc'; Feature = 'file-copy'; Ensure = 'Present'; ComputerName = $lab }
            $type = 'HyperVGuestFeatures/GuestFeature'
            $state = Invoke-Adapter Get $property $type
            $state.State | Should -Be 'Disabled'
            $state.Ensure | Should -Be 'Absent'
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeFalse
            (Invoke-Adapter Set $property $type).State | Should -Be 'Enabled'
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeTrue
            (Get-GuestFeature -ComputerName $lab -VMName alma-noguestsvc -Name file-copy).State | Should -Be 'Enabled'
        }

        It 'runs GuestKvpItem with a VM name that has wildcard characters, literally' {
            $fixture = Join-Path $TestDrive 'wildnames.json'
            @{ base = 'Default'; vms = @(@{ name = 'web[1]' }, @{ name = 'web1' }) } | ConvertTo-Json -Depth 4 | Set-Content $fixture
            Start-HyperVSimulator -ComputerName $lab -Path $fixture -WarningAction SilentlyContinue
            $property = @{ VMName = 'web[1]'; Name = 'Role'; Value = 'frontend'; ComputerName = $lab }
            $type = 'HyperVGuestFeatures/GuestKvpItem'
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeFalse
            (Invoke-Adapter Set $property $type).Value | Should -Be 'frontend'
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeTrue
            Get-KvpItem -ComputerName $lab -VMName web1 -Name Role -Source Host | Should -BeNullOrEmpty
        }

        It 'runs GuestDynamicMemory' {
            $property = @{ VMName = 'suse-off'; MaximumBytes = 16GB; ComputerName = $lab }
            $type = 'HyperVGuestFeatures/GuestDynamicMemory'
            (Invoke-Adapter Get $property $type).MaximumBytes | Should -Be 8GB
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeFalse
            $null = Invoke-Adapter Set $property $type
            (Invoke-Adapter Test $property $type)._inDesiredState | Should -BeTrue
        }

        It 'runs a configuration document of several resources' {
            $document = @{ resources = @(
                    @{ name = 'role'; type = 'HyperVGuestFeatures/GuestKvpItem'; properties = @{ VMName = 'rhel-db'; Name = 'Tier'; Value = 'data'; ComputerName = $lab } }
                    @{ name = 'backup'; type = 'HyperVGuestFeatures/GuestFeature'; properties = @{ VMName = 'rhel-db'; Feature = 'live-backup'; Ensure = 'Absent'; ComputerName = $lab } }
                ) } | ConvertTo-Json -Depth 5 -Compress
            $lines = $document | & $adapterScript Set 2>$null
            $LASTEXITCODE | Should -Not -Be 1
            ($lines | ConvertFrom-Json).result.name | Should -Be @('role', 'backup')
            (Get-KvpItem -ComputerName $lab -VMName rhel-db -Name Tier -Source Host).Value | Should -Be 'data'
            (Get-GuestFeature -ComputerName $lab -VMName rhel-db -Name live-backup).State | Should -Be 'Disabled'
        }
    }
}
