#Requires -Version 7.4
<#
.SYNOPSIS
    Packs a laid-out module folder as a PowerShell Gallery package (.nupkg) with PSResourceGet.
.DESCRIPTION
    Used by build.ps1 -Task Package and by tests/Package.Tests.ps1, so the tests check the package the build makes.
    PSResourceGet (shipped with PowerShell 7.4+) packs it as Publish-PSResource does for the gallery: the .nuspec
    comes from the module manifest (tags, release notes, URIs) and the package holds the folder as it is.
    Writes <Name>.<ModuleVersion>.nupkg to DestinationPath and returns its FileInfo.
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DestinationPath
)

$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.1.0
$name = Split-Path $ModulePath -Leaf
$version = (Import-PowerShellDataFile (Join-Path $ModulePath "$name.psd1")).ModuleVersion
$null = New-Item -ItemType Directory -Force -Path $DestinationPath
$package = Join-Path $DestinationPath "$name.$version.nupkg"
if (Test-Path $package) { Remove-Item $package }
Compress-PSResource -Path $ModulePath -DestinationPath $DestinationPath
if (-not (Test-Path $package)) { throw "Compress-PSResource wrote no $package" }
Get-Item $package
