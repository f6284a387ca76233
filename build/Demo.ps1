<#
.SYNOPSIS
    A tour of HyperVGuestFeatures on the built-in simulated Hyper-V host (build.ps1 -Task Demo).
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "== $Title" -ForegroundColor Cyan
    Write-Host "PS> $Command" -ForegroundColor Yellow
}

Show-Step 'The feature catalog for Linux and FreeBSD guests (no host needed)' 'Get-GuestFeature -ListAvailable'
Get-GuestFeature -ListAvailable | Format-Table -AutoSize -Wrap | Out-Host
