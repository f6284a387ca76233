# A real DSC engine loads the module's resources: PowerShell's PSDesiredStateConfiguration 3.0.0-beta1,
# taken from ../shared/tools when it is there (see its README; CI may not have it, and then this suite
# is skipped with a warning). Discovery (Get-DscResource), Get/Test/Set of every resource on the
# simulator (Invoke-DscResource, also from a runspace of its own as PSDesiredStateConfiguration 2.0
# runs it), and a Configuration compiled to MOF.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:toolsPath = Get-DscToolsPath
    $script:enginePath = Join-Path $toolsPath 'PSDesiredStateConfiguration/PSDesiredStateConfiguration.psd1'
    $script:noEngine = -not (Test-Path $enginePath)
    if ($noEngine) {
        Write-Warning "GuestDscEngine.Tests.ps1 skipped: PSDesiredStateConfiguration 3 is not at '$enginePath' (the ../shared/tools folder of the checkout; set HYPERVGUESTFEATURES_DSC_TOOLS to another tools folder)."
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:lab = 'dsc-engine'
    $script:toolsPath = Get-DscToolsPath
    $script:savedModulePath = $env:PSModulePath
    $script:resources = 'GuestDynamicMemory', 'GuestFeature', 'GuestKvpItem'

    # The engine finds modules on PSModulePath, and its Configuration imports PSDesiredStateConfiguration
    # by name. The module gets a folder of its own there, as an installed module has: out/ also holds the
    # build's bin/HyperVGuestFeatures, which the engine would count as a second version.
    function script:Enable-Engine {
        $modules = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory -Path $modules -Force
        try { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $modules 'HyperVGuestFeatures') -Target $modulePath -ErrorAction Stop }
        catch { Copy-Item $modulePath $modules -Recurse }
        $env:PSModulePath = $modules, $toolsPath, $savedModulePath -join [IO.Path]::PathSeparator
        Import-Module (Join-Path $toolsPath 'PSDesiredStateConfiguration/PSDesiredStateConfiguration.psd1') -Force -ErrorAction Stop
    }

    function script:Invoke-Resource([string] $Name, [string] $Method, [hashtable] $Property) {
        Invoke-DscResource -Name $Name -ModuleName HyperVGuestFeatures -Method $Method -Property $Property -ErrorAction Stop
    }
}

AfterAll {
    $env:PSModulePath = $savedModulePath
    Remove-Module PSDesiredStateConfiguration -ErrorAction SilentlyContinue
    # The engine imported the module again from its own folder: leave only the tested one loaded.
    Get-Module HyperVGuestFeatures | Where-Object { $_.ModuleBase -like "$TestDrive*" } | Remove-Module
    Import-TestModule
}

Describe 'PSDesiredStateConfiguration 3 with HyperVGuestFeatures' -Skip:$noEngine {
    BeforeAll { Enable-Engine }

    Context 'discovery' {
        It 'finds every resource with Get-DscResource, without errors' {
            $found = Get-DscResource -Module HyperVGuestFeatures -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -BeNullOrEmpty
            ($found.Name | Sort-Object) | Should -Be $resources
            $found | ForEach-Object {
                $_.ModuleName | Should -Be 'HyperVGuestFeatures'
                $_.ImplementedAs | Should -Be 'PowerShell'
                [string] $_.Version | Should -Be (Import-PowerShellDataFile (Join-Path $modulePath 'HyperVGuestFeatures.psd1')).ModuleVersion
            }
        }

        It 'reads the keys and the Ensure values of GuestFeature' {
            $resource = Get-DscResource -Module HyperVGuestFeatures -Name GuestFeature
            ($resource.Properties | Where-Object IsMandatory).Name | Sort-Object | Should -Be @('Feature', 'VMName')
            ($resource.Properties | Where-Object Name -eq Ensure).Values | Should -Be @('Absent', 'Present')
        }
    }

    Context 'Invoke-DscResource on the simulator' {
        BeforeEach { Start-HyperVSimulator -ComputerName $lab }
        AfterEach { Stop-HyperVSimulator -ComputerName $lab -ErrorAction SilentlyContinue }

        It 'runs Get, Test and Set of GuestKvpItem' {
            $property = @{ VMName = 'ubuntu-web'; Name = 'Role'; Value = 'frontend'; ComputerName = $lab }
            (Invoke-Resource GuestKvpItem Get $property).Ensure | Should -Be 'Absent'
            (Invoke-Resource GuestKvpItem Test $property).InDesiredState | Should -BeFalse
            $null = Invoke-Resource GuestKvpItem Set $property
            (Invoke-Resource GuestKvpItem Test $property).InDesiredState | Should -BeTrue
            (Invoke-Resource GuestKvpItem Get $property).Value | Should -Be 'frontend'
            (Get-KvpItem -ComputerName $lab -VMName ubuntu-web -Name Role -Source Host).Value | Should -Be 'frontend'
        }

        It 'runs Get, Test and Set of GuestDynamicMemory' {
            $property = @{ VMName = 'suse-off'; ComputerName = $lab; MaximumBytes = [long] 16GB; Priority = 75 }
            (Invoke-Resource GuestDynamicMemory Get $property).MaximumBytes | Should -Be 8GB
            (Invoke-Resource GuestDynamicMemory Test $property).InDesiredState | Should -BeFalse
            $null = Invoke-Resource GuestDynamicMemory Set $property
            (Invoke-Resource GuestDynamicMemory Test $property).InDesiredState | Should -BeTrue
            (Get-DynamicMemory -ComputerName $lab -VMName suse-off).MaximumBytes | Should -Be 16GB
        }

        It 'runs Get, Test and Set of GuestFeature' {
            $property = @{ VMName = 'alma-noguestsvc'; Feature = 'File copy from host to guest'; Ensure = 'Present'; ComputerName = $lab }
            $state = Invoke-Resource GuestFeature Get $property
            $state.Ensure | Should -Be 'Absent'
            $state.State | Should -Be 'Disabled'
            (Invoke-Resource GuestFeature Test $property).InDesiredState | Should -BeFalse
            $null = Invoke-Resource GuestFeature Set $property
            (Invoke-Resource GuestFeature Test $property).InDesiredState | Should -BeTrue
            (Invoke-Resource GuestFeature Get $property).State | Should -Be 'Enabled'
        }

        It 'stops Set with the cmdlet''s error, changing nothing' {
            $null = Get-HyperVSimulator -ComputerName $lab -ResetCounters
            { Invoke-Resource GuestFeature Set @{ VMName = 'debian-build'; Feature = 'secure-boot'; ComputerName = $lab } } | Should -Throw '*only while the VM is off*'
            (Get-HyperVSimulator -ComputerName $lab).MethodCallCount | Should -Be 0
        }

        It 'reaches the simulator from a runspace of its own, as PSDesiredStateConfiguration 2.0 runs resources' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($modulePath, $enginePath, $lab)
                        Import-Module $enginePath
                        Import-Module $modulePath
                        Invoke-DscResource -Name GuestKvpItem -ModuleName HyperVGuestFeatures -Method Set -Property @{ VMName = 'rhel-db'; Name = 'Tier'; Value = 'data'; ComputerName = $lab }
                    }).AddArgument($modulePath).AddArgument((Join-Path $toolsPath 'PSDesiredStateConfiguration/PSDesiredStateConfiguration.psd1')).AddArgument($lab)
                $null = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
            }
            finally { $ps.Dispose() }
            (Get-KvpItem -ComputerName $lab -VMName rhel-db -Name Tier -Source Host).Value | Should -Be 'data'
        }
    }

    Context 'Configuration to MOF' {
        It 'compiles a configuration that uses every resource, with the module named and versioned' {
            $outputPath = Join-Path $TestDrive 'mof'
            # The Configuration keyword is parsed when the script block is created: after the engine is loaded.
            . ([scriptblock]::Create(@'
Configuration GuestLab {
    Import-DscResource -ModuleName HyperVGuestFeatures
    Node 'hv01' {
        GuestKvpItem Role { VMName = 'web[1]'; Name = 'Role'; Value = 'frontend' }
        GuestDynamicMemory Memory { VMName = 'suse-off'; DynamicMemoryEnabled = $true; MaximumBytes = 8GB }
        GuestFeature SecureBoot { VMName = 'debian-build'; Feature = 'Secure boot'; Ensure = 'Present' }
        GuestFeature NoBackup { VMName = 'debian-build'; Feature = 'live-backup'; Ensure = 'Absent' }
    }
}
'@))
            $files = GuestLab -OutputPath $outputPath
            $files.Name | Should -Be 'hv01.mof'
            $mof = Get-Content (Join-Path $outputPath 'hv01.mof') -Raw
            foreach ($name in $resources) { $mof | Should -Match "instance of $name as" }
            $mof | Should -Match 'ModuleName = "HyperVGuestFeatures";'
            $mof | Should -Match 'VMName = "web\[1\]";'
            $mof | Should -Match 'Feature = "Secure boot";'
            $mof | Should -Match 'Ensure = "Absent";'
            $mof | Should -Match 'MaximumBytes = 8589934592;'
        }

        It 'refuses a value outside Ensure''s set when compiling' {
            { . ([scriptblock]::Create(@'
Configuration BadLab {
    Import-DscResource -ModuleName HyperVGuestFeatures
    Node 'hv01' { GuestFeature X { VMName = 'a'; Feature = 'heartbeat'; Ensure = 'Maybe' } }
}
'@)); BadLab -OutputPath (Join-Path $TestDrive 'bad') } | Should -Throw
        }
    }
}
