# Issue 12 item 3: the one packaging path, as a PowerShell Gallery reviewer and a user meet it. The package
# build/New-ModulePackage.ps1 makes (what build.ps1 -Task Package writes to out/) is published to a local
# folder repository, found by command and by DSC resource name, installed, and imported by name in a fresh
# pwsh. PSResourceGet's state (repositories, CurrentUser installs) lives under HOME and XDG_DATA_HOME on
# Linux and macOS: the processes of this test get a home in TestDrive, so nothing touches the user's
# repositories or modules.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:modulePath = Get-TestModulePath
    $script:root = Split-Path $PSScriptRoot
    $script:source = Import-PowerShellDataFile (Join-Path $root 'HyperVGuestFeatures.psd1')
    $script:built = Import-PowerShellDataFile (Join-Path $modulePath 'HyperVGuestFeatures.psd1')
    $script:version = $source.ModuleVersion

    # The CHANGELOG.md section of a version, without its heading.
    function Get-ChangelogSection([string] $Version) {
        $text = Get-Content (Join-Path $root 'CHANGELOG.md') -Raw -Encoding utf8
        $match = [regex]::Match($text, "(?ms)^## \[$([regex]::Escape($Version))\] - \d{4}-\d{2}-\d{2}\s*\n(.*?)(?=^## \[|^\[[^\]]+\]:\s)")
        if (-not $match.Success) { return $null }
        return $match.Groups[1].Value.Trim()
    }

    $script:package = & (Join-Path $root 'build/New-ModulePackage.ps1') -ModulePath $modulePath -DestinationPath (Join-Path $TestDrive 'dist')
    $zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
    try {
        $script:entries = @($zip.Entries | ForEach-Object FullName)
        $reader = [IO.StreamReader]::new($zip.GetEntry('HyperVGuestFeatures.nuspec').Open())
        $script:nuspec = ([xml] $reader.ReadToEnd()).package.metadata
        $reader.Dispose()
    }
    finally { $zip.Dispose() }
    $script:nuspecTags = $nuspec.tags -split '\s+'
}

Describe 'What the package says about itself' {
    It 'is named and versioned from the one version in HyperVGuestFeatures.psd1' {
        $package.Name | Should -Be "HyperVGuestFeatures.$version.nupkg"
        $nuspec.id | Should -Be 'HyperVGuestFeatures'
        $nuspec.version | Should -Be $version
        $built.ModuleVersion | Should -Be $version
    }

    It 'carries the MIT LICENSE whose holder is the manifest''s copyright holder' {
        $entries | Should -Contain 'LICENSE'
        $license = Get-Content (Join-Path $root 'LICENSE') -Raw
        $license | Should -Match '^MIT License'
        $holder = [regex]::Match($source.Copyright, '^\(c\) (.+?)\.').Groups[1].Value
        $holder | Should -Not -BeNullOrEmpty
        $license | Should -Match ([regex]::Escape("Copyright (c) $holder"))
        $source.Copyright | Should -Match 'MIT'
        $nuspec.licenseUrl | Should -Be $source.PrivateData.PSData.LicenseUri
    }

    It 'has release notes from the CHANGELOG.md section of its version, which the changelog has cut' {
        $section = Get-ChangelogSection $version
        $section | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md needs a '## [$version] - <date>' section"
        (Get-Content (Join-Path $root 'CHANGELOG.md') -Encoding utf8) | Should -Contain '## [Unreleased]'
        $built.PrivateData.PSData.ReleaseNotes.StartsWith($section, [StringComparison]::Ordinal) | Should -BeTrue
        $nuspec.releaseNotes.Trim().StartsWith($section, [StringComparison]::Ordinal) | Should -BeTrue
    }

    It 'has tags that say what it does, not that it runs on Linux' {
        foreach ($tag in 'Hyper-V', 'HyperV', 'LinuxGuest', 'FreeBSDGuest', 'KVP', 'DynamicMemory', 'DSC', 'PSModule') {
            $nuspecTags | Should -Contain $tag
        }
        $nuspecTags | Should -Not -Contain 'Linux'
        $nuspecTags | Should -Not -Contain 'FreeBSD'
    }

    It 'has the command and DSC resource tags Find-PSResource searches, generated from the export lists' {
        $expected = @('PSIncludes_Cmdlet', 'PSIncludes_DscResource') +
            @($source.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" }) +
            @($source.DscResourcesToExport | ForEach-Object { "PSDscResource_$_" })
        # A folder repository reads the packaged manifest's PSData.Tags; a gallery reads the .nuspec.
        foreach ($tag in $expected) {
            $built.PrivateData.PSData.Tags | Should -Contain $tag
            $nuspecTags | Should -Contain $tag
        }
        # Not hand-maintained: the source manifest has none of them.
        $source.PrivateData.PSData.Tags | Where-Object { $_ -like 'PS*_*' -and $_ -notlike 'PSEdition_*' } | Should -BeNullOrEmpty
    }

    It 'holds the module folder as built, and nothing of the old hand-written nuspec path' {
        foreach ($file in 'HyperVGuestFeatures.psd1', 'HyperVGuestFeatures.psm1', 'HyperVGuestFeatures.dll', 'HyperVGuestFeatures.format.ps1xml', 'en-US/HyperVGuestFeatures.dll-Help.xml', 'en-US/about_HyperVGuestFeatures.help.txt') {
            $entries | Should -Contain $file
        }
        Join-Path $root 'build/package.csproj' | Should -Not -Exist
    }
}

Describe 'The package round trip through a local repository' {
    BeforeAll {
        $homeFolder = Join-Path $TestDrive 'home'
        $repo = Join-Path $TestDrive 'repo'
        $modules = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory -Path $homeFolder, $repo, $modules
        # PSResourceGet installs CurrentUser modules under $HOME/.local/share/powershell and keeps its
        # repositories under XDG_DATA_HOME; pwsh looks for modules under XDG_DATA_HOME: one home for all three.
        $isolated = @{
            HOME            = $homeFolder
            XDG_DATA_HOME   = Join-Path $homeFolder '.local/share'
            XDG_CONFIG_HOME = Join-Path $homeFolder '.config'
            XDG_CACHE_HOME  = Join-Path $homeFolder '.cache'
        }
        $saved = @{}
        foreach ($entry in $isolated.GetEnumerator()) {
            $saved[$entry.Key] = [Environment]::GetEnvironmentVariable($entry.Key)
            [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value)
        }
        $script:savedEnvironment = $saved
        $script:repoName = 'HyperVGuestFeaturesTest' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $nupkg = $package.FullName.Replace("'", "''")
        # CurrentUser installs go under XDG_DATA_HOME here; Windows has no such switch, so save to a folder there.
        $install = if ($IsWindows) { "Save-PSResource -Name HyperVGuestFeatures -Repository $repoName -Path '$modules' -IncludeXml -TrustRepository" }
            else { "Install-PSResource -Name HyperVGuestFeatures -Repository $repoName -Scope CurrentUser -TrustRepository" }
        $script:publish = Invoke-FreshPwsh @"
Register-PSResourceRepository -Name $repoName -Uri '$($repo.Replace("'", "''"))' -Trusted
try {
    Publish-PSResource -NupkgPath '$nupkg' -Repository $repoName
    `$byCommand = Find-PSResource -CommandName Get-GuestFeature -Repository $repoName
    `$byDsc = Find-PSResource -DscResourceName GuestKvpItem -Repository $repoName
    'command:' + `$byCommand.ParentResource.Name + ' ' + `$byCommand.ParentResource.Version
    'dsc:' + `$byDsc.ParentResource.Name + ' ' + `$byDsc.ParentResource.Version
    $install
}
finally { Unregister-PSResourceRepository -Name $repoName }
"@
        $modulePathEntry = if ($IsWindows) { "`$env:PSModulePath = '$($modules.Replace("'", "''"))' + [IO.Path]::PathSeparator + `$env:PSModulePath" } else { '' }
        $script:imported = Invoke-FreshPwsh @"
$modulePathEntry
Import-Module HyperVGuestFeatures
`$module = Get-Module HyperVGuestFeatures
'base:' + `$module.ModuleBase
'version:' + `$module.Version
'license:' + (Test-Path (Join-Path `$module.ModuleBase 'LICENSE'))
'help:' + (Get-Help Get-GuestFeature).Synopsis
Start-HyperVSimulator
'state:' + (Get-GuestFeature -VMName ubuntu-web -Name 'Secure boot').State
"@
    }

    AfterAll {
        foreach ($entry in $savedEnvironment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    }

    It 'is found by command name' {
        $publish | Should -Contain "command:HyperVGuestFeatures $version"
    }

    It 'is found by DSC resource name' {
        $publish | Should -Contain "dsc:HyperVGuestFeatures $version"
    }

    It 'installs and imports by name in a fresh pwsh, from where it was installed' {
        $base = ($imported | Where-Object { $_ -like 'base:*' }) -replace '^base:'
        $base | Should -BeLike "$TestDrive*"
        $imported | Should -Contain "version:$version"
        $imported | Should -Contain 'license:True'
    }

    It 'works as installed: help and a report on the simulator' {
        ($imported | Where-Object { $_ -like 'help:*' }) | Should -Not -Be 'help:'
        $imported | Should -Contain 'state:Enabled'
    }
}
