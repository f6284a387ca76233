# Conformance tests: the static checks PSScriptAnalyzer would make, on the built module.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:commands = Get-Command -Module HyperVGuestFeatures -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name; Command = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:modulePath = Get-TestModulePath
    $script:manifestPath = Join-Path $modulePath 'HyperVGuestFeatures.psd1'
    # Verbs whose cmdlets change something and so must support -WhatIf/-Confirm.
    $script:changingVerbs = 'Set', 'Remove', 'Send', 'Copy', 'Add', 'Clear', 'Start', 'Stop', 'New', 'Enable', 'Disable', 'Invoke', 'Update'
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares editions, version and explicit exports' {
        $data = Import-PowerShellDataFile $manifestPath
        $data.PowerShellVersion | Should -Be '5.1'
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.CmdletsToExport | Should -Not -BeNullOrEmpty
        $data.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
        $data.PrivateData.PSData.Tags | Should -Contain 'Hyper-V'
        $data.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $data.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $data.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets the dll defines' {
        $data = Import-PowerShellDataFile $manifestPath
        $assembly = [HyperVGuestFeatures.Commands.GetGuestFeatureCommand].Assembly
        $inDll = $assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        ($data.CmdletsToExport | Sort-Object) | Should -Be ($inDll | Sort-Object)
    }

    It 'ships no Microsoft.Management.Infrastructure or PowerShell assembly' {
        Get-ChildItem $modulePath -Filter *.dll -Recurse | ForEach-Object Name | Should -Be 'HyperVGuestFeatures.dll'
    }

    It 'loads the table views of the format file' {
        $views = Get-FormatData -TypeName 'HyperVGuestFeatures.*'
        $views.TypeNames | Should -Contain 'HyperVGuestFeatures.GuestFeatureInfo'
    }
}

Describe 'Cmdlet <Name>' -ForEach $commands {
    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
    }

    It 'declares its output type' {
        $Command.OutputType | Should -Not -BeNullOrEmpty
    }

    It 'supports ShouldProcess when it changes something' {
        if ($changingVerbs -contains $Command.Verb) {
            $Command.Parameters.Keys | Should -Contain 'WhatIf'
            $Command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    It 'is sealed and derives from the module base cmdlet' {
        $type = $Command.ImplementingType
        $type.IsSealed | Should -BeTrue
        $type.IsSubclassOf([HyperVGuestFeatures.Commands.GuestFeatureCmdletBase]) | Should -BeTrue
    }
}

Describe 'Architecture' {
    BeforeAll {
        $script:src = Join-Path (Split-Path $PSScriptRoot) 'src/HyperVGuestFeatures'
        function Get-SourceUsing([string] $Layer, [string] $Pattern) {
            Get-ChildItem (Join-Path $src $Layer) -Filter *.cs -Recurse |
                Where-Object { Select-String -Path $_.FullName -Pattern $Pattern -Quiet } |
                ForEach-Object { [System.IO.Path]::GetRelativePath($src, $_.FullName) }
        }
    }

    It 'keeps Microsoft.Management.Infrastructure inside Cim/Mmi (and the cmdlets'' -CimSession parameters)' {
        $users = Get-ChildItem $src -Filter *.cs -Recurse | Where-Object FullName -notmatch '[\\/](obj|bin)[\\/]' |
            Where-Object { Select-String -Path $_.FullName -Pattern '^using Microsoft\.Management\.Infrastructure' -Quiet } |
            ForEach-Object { [System.IO.Path]::GetRelativePath($src, $_.FullName) -replace '\\', '/' }
        $users | Where-Object { $_ -notmatch '^(Cim/Mmi/|Commands/)' } | Should -BeNullOrEmpty
    }

    It 'points dependencies one way: nothing below Commands uses Commands' {
        'HyperV', 'Cim', 'Simulation', 'Catalog', 'Reporting' | ForEach-Object { Get-SourceUsing $_ 'HyperVGuestFeatures\.Commands' } | Should -BeNullOrEmpty
    }

    It 'keeps the CIM adapter, the simulator and the catalog free of the domain' {
        'Cim', 'Simulation', 'Catalog' | ForEach-Object { Get-SourceUsing $_ 'HyperVGuestFeatures\.HyperV\b' } | Should -BeNullOrEmpty
    }
}

Describe 'Citations' {
    # Comments and docs cite docs/provider-model.md, docs/guest-support.md or the public source itself,
    # never files outside the repository (the authors' reference notes, a spec or a seed file).
    It 'points src and docs only at files in the repository or at public sources' {
        $root = Split-Path $PSScriptRoot
        $pattern = '§|HYPERV-WMI|SUPPORT-MATRIX|PROVIDER-AUDIT|FEASIBILITY|(?<![\w/.-])reference/|\.\./shared|\bSPEC\b|(?<![\w/.-])seed/'
        $files = Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'docs') -File -Recurse |
            Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.Extension -notin '.png', '.jpg', '.ico' }
        $files.Count | Should -BeGreaterThan 50
        $hits = $files | Select-String -Pattern $pattern -CaseSensitive |
            ForEach-Object { '{0}:{1}: {2}' -f [System.IO.Path]::GetRelativePath($root, $_.Path), $_.LineNumber, $_.Line.Trim() }
        $hits | Should -BeNullOrEmpty
    }
}

Describe 'Public API' {
    # Public: the cmdlets (and the base classes C# makes them expose), the types they write and take, and the
    # types of those objects' properties (enums included). Everything else is internal; the xunit project sees
    # it through InternalsVisibleTo.
    BeforeAll {
        $script:assembly = [HyperVGuestFeatures.Commands.GetGuestFeatureCommand].Assembly
        $script:exported = @($assembly.GetExportedTypes())
        $script:cmdlets = @($exported | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) })
        $reachable = [System.Collections.Generic.HashSet[type]]::new()
        $queue = [System.Collections.Generic.Queue[type]]::new()
        $add = {
            param([type] $Type)
            while ($Type.HasElementType) { $Type = $Type.GetElementType() }
            if ($Type.IsGenericType) { foreach ($argument in $Type.GetGenericArguments()) { & $add $argument }; return }
            if ($Type.Assembly -eq $assembly -and $reachable.Add($Type)) { $queue.Enqueue($Type) }
        }
        foreach ($cmdlet in $cmdlets) {
            & $add $cmdlet
            for ($base = $cmdlet.BaseType; $base.Assembly -eq $assembly; $base = $base.BaseType) { & $add $base }
            foreach ($output in $cmdlet.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false)) {
                foreach ($name in $output.Type) { if ($name.Type) { & $add $name.Type } }
            }
            foreach ($parameter in $cmdlet.GetProperties() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true) }) {
                & $add $parameter.PropertyType
            }
        }
        while ($queue.Count) {
            $type = $queue.Dequeue()
            if ([System.Management.Automation.Cmdlet].IsAssignableFrom($type)) { continue }
            foreach ($property in $type.GetProperties([System.Reflection.BindingFlags]'Public,Instance,Static')) { & $add $property.PropertyType }
        }
        $script:reachable = $reachable
    }

    It 'keeps public only the cmdlets, their output types and the types those expose' {
        $cmdlets.Count | Should -BeGreaterThan 20
        $exported | Where-Object { -not $reachable.Contains($_) } | ForEach-Object FullName | Should -BeNullOrEmpty
    }

    It 'exposes nothing of the simulator, the CIM layer or the domain but enums' {
        $exported | Where-Object { -not $_.IsEnum -and $_.Namespace -notin 'HyperVGuestFeatures', 'HyperVGuestFeatures.Commands' } |
            ForEach-Object FullName | Should -BeNullOrEmpty
        [HyperVGuestFeatures.HyperVSimulatorInfo].GetProperty('Host') | Should -BeNullOrEmpty
    }

    It 'lets users read objects, not build them: no public constructor on an output type' {
        $exported | Where-Object { -not $_.IsEnum -and -not [System.Management.Automation.Cmdlet].IsAssignableFrom($_) -and $_.GetConstructors().Count -gt 0 } |
            ForEach-Object FullName | Should -BeNullOrEmpty
    }

    It 'lets no other assembly derive from the base cmdlets' {
        $exported | Where-Object { $_.IsAbstract -and [System.Management.Automation.Cmdlet].IsAssignableFrom($_) } |
            Where-Object { $_.GetConstructors([System.Reflection.BindingFlags]'Instance,Public,NonPublic') | Where-Object { $_.IsPublic -or $_.IsFamily -or $_.IsFamilyOrAssembly } } |
            ForEach-Object FullName | Should -BeNullOrEmpty
    }
}
