<#
.SYNOPSIS
    A tour of HyperVGuestFeatures on the built-in simulated Hyper-V host (build.ps1 -Task Demo).
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# Wide enough for the Detail column even when the output is redirected (CI logs default to 80 columns).
function Out-Wide { $input | Out-String -Width 180 | Write-Host }

function Show-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "== $Title" -ForegroundColor Cyan
    Write-Host "PS> $Command" -ForegroundColor Yellow
}

Show-Step 'Start the simulated Windows Server 2022 lab (seven Linux/FreeBSD guests)' 'Start-HyperVSimulator -PassThru'
Start-HyperVSimulator -PassThru | Format-Table -AutoSize | Out-Wide

Show-Step 'The main job: every catalog feature on every VM, summarised per VM' 'Get-GuestFeature | Group-Object VMName | ...'
$report = Get-GuestFeature
$report | Group-Object VMName | ForEach-Object {
    $states = $_.Group | Group-Object State -AsHashTable -AsString
    [pscustomobject]@{
        VMName        = $_.Name
        Enabled       = @($states['Enabled']).Where({ $_ }).Count
        Disabled      = @($states['Disabled']).Where({ $_ }).Count
        Degraded      = @($states['Degraded']).Where({ $_ }).Count
        NotSupported  = @($states['NotSupported']).Where({ $_ }).Count
        NotObservable = @($states['NotObservable']).Where({ $_ }).Count
    }
} | Format-Table -AutoSize | Out-Wide

Show-Step 'What needs attention: degraded features, with the reason and the fix' "Get-GuestFeature | Where-Object State -eq 'Degraded'"
$report | Where-Object State -eq 'Degraded' | Format-Table VMName, Feature, Detail -AutoSize -Wrap | Out-Wide

Show-Step 'Features the guest OS does not support, per Microsoft''s distribution matrices' "Get-GuestFeature | Where-Object GuestSupport -eq 'NotSupported'"
$report | Where-Object GuestSupport -eq 'NotSupported' | Format-Table VMName, Feature, State, GuestSupportBasis, GuestSupportDetail -AutoSize -Wrap | Out-Wide

Show-Step 'The full report for one VM' 'Get-GuestFeature -VMName debian-build'
Get-GuestFeature -VMName debian-build | Out-Wide

Show-Step 'Round trips to the provider: constant per host, whatever the VM count' 'Get-HyperVSimulator'
Get-HyperVSimulator | Format-Table ComputerName, Scenario, HostVersion, VMCount, QueryCount, MethodCallCount, JobCount -AutoSize | Out-Wide

Show-Step 'An older host: Windows Server 2012 R2' 'Start-HyperVSimulator -ComputerName hv-2012r2 -Scenario WS2012R2; Get-GuestFeature -ComputerName hv-2012r2 -VMName ubuntu-web -Category Core, Generation2'
Start-HyperVSimulator -ComputerName hv-2012r2 -Scenario WS2012R2
Get-GuestFeature -ComputerName hv-2012r2 -VMName ubuntu-web -Category Core, Generation2 | Out-Wide

Show-Step 'Errors are records, and one bad name never stops the others' 'Get-GuestFeature -VMName no-such-vm, centos-hung -Name Heartbeat'
Get-GuestFeature -VMName no-such-vm, centos-hung -Name Heartbeat -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Wide
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }

Show-Step 'Dynamic memory of every VM (bytes in PowerShell, MB on the wire)' 'Get-DynamicMemory'
Get-DynamicMemory | Out-Wide

Show-Step 'Preview a change, then make it: raise the maximum of a running VM' "Set-DynamicMemory -VMName ubuntu-web -MaximumBytes 8GB -WhatIf; ... -PassThru"
Set-DynamicMemory -VMName ubuntu-web -MaximumBytes 8GB -WhatIf
Set-DynamicMemory -VMName ubuntu-web -MaximumBytes 8GB -PassThru | Out-Wide

Show-Step 'A rule the provider enforces, caught before any change: startup memory of a running VM with dynamic memory on' 'Set-DynamicMemory -VMName ubuntu-web -StartupBytes 4GB'
Set-DynamicMemory -VMName ubuntu-web -StartupBytes 4GB -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }

Show-Step 'What the guest says about itself, without network access (KVP intrinsic items)' 'Get-KvpItem -VMName ubuntu-web, freebsd-gw -Source Intrinsic -Name OSName, OSMajorVersion, NetworkAddressIPv4, FullyQualifiedDomainName'
Get-KvpItem -VMName ubuntu-web, freebsd-gw -Source Intrinsic -Name OSName, OSMajorVersion, NetworkAddressIPv4, FullyQualifiedDomainName | Out-Wide

Show-Step 'Pass provisioning data to a guest: one command adds or updates' "Set-KvpItem -VMName ubuntu-web -Item @{ Role = 'web'; Tier = 'frontend' } -PassThru; Remove-KvpItem -VMName ubuntu-web -Name Tier"
Set-KvpItem -VMName ubuntu-web -Item @{ Role = 'web'; Tier = 'frontend' } -PassThru | Out-Wide
Remove-KvpItem -VMName ubuntu-web -Name Tier
Get-KvpItem -VMName ubuntu-web -Source Host | Out-Wide

Show-Step 'Oversized KVP data is refused before anything is sent' "Set-KvpItem -VMName ubuntu-web -Name Blob -Value ('x' * 2000)"
Set-KvpItem -VMName ubuntu-web -Name Blob -Value ('x' * 2000) -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }

Show-Step 'A hung guest: send a non-maskable interrupt for a crash dump (ConfirmImpact High; -Force skips the prompt)' 'Send-VMNmi -VMName centos-hung -Force -PassThru'
Send-VMNmi -VMName centos-hung -Force -PassThru | Out-Wide

Show-Step 'NMI needs a running VM: refused before any provider call' 'Send-VMNmi -VMName suse-off -Force'
Send-VMNmi -VMName suse-off -Force -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }

Show-Step 'Copy files into guests over the guest service interface (no network needed)' 'Copy-GuestFile -VMName ubuntu-web, alma-noguestsvc -SourcePath $file -DestinationPath /etc/motd.d/ -CreateFullPath -PassThru'
$file = Join-Path ([System.IO.Path]::GetTempPath()) 'hvgf-demo-motd.txt'
Set-Content -Path $file -Value 'Managed by HyperVGuestFeatures'
Copy-GuestFile -VMName ubuntu-web, alma-noguestsvc -SourcePath $file -DestinationPath /etc/motd.d/ -CreateFullPath -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Wide
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }
Remove-Item $file

Show-Step 'The report -> fix loop: preview switching on what the report flags' "Get-GuestFeature -Name 'File copy*', 'Secure boot', Heartbeat | Where-Object State -in Disabled, Degraded | Enable-GuestFeature -WhatIf"
$flagged = Get-GuestFeature -Name 'File copy*', 'Secure boot', Heartbeat | Where-Object State -in Disabled, Degraded
$flagged | Format-Table VMName, Feature, State -AutoSize | Out-Wide
$flagged | Enable-GuestFeature -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red }

Show-Step 'Secure boot changes only while the VM is off: stop debian-build, then fix for real' "Set-HyperVSimulatorVM -VMName debian-build -State Off; `$flagged | Enable-GuestFeature -PassThru"
Set-HyperVSimulatorVM -VMName debian-build -State Off
$flagged | Enable-GuestFeature -PassThru -WarningAction SilentlyContinue | Format-Table VMName, Feature, State, Detail -AutoSize -Wrap | Out-Wide

Show-Step 'The copy that failed before now works' 'Copy-GuestFile -VMName alma-noguestsvc -SourcePath $file -DestinationPath /etc/motd.d/ -CreateFullPath -PassThru'
Set-Content -Path $file -Value 'Managed by HyperVGuestFeatures'
Copy-GuestFile -VMName alma-noguestsvc -SourcePath $file -DestinationPath /etc/motd.d/ -CreateFullPath -PassThru | Out-Wide
Remove-Item $file

Show-Step 'What the host cannot switch is refused, with what to do instead' "Enable-GuestFeature -VMName ubuntu-web -Name 'Jumbo frames'"
Enable-GuestFeature -VMName ubuntu-web -Name 'Jumbo frames' -ErrorVariable problems -ErrorAction SilentlyContinue
$problems | ForEach-Object { Write-Host "error: $($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.Exception.Message)" -ForegroundColor Red; Write-Host "  fix: $($_.ErrorDetails.RecommendedAction)" -ForegroundColor DarkYellow }

Show-Step 'The same as DSC: the GuestFeature resource (Invoke-DscResource or a Configuration does the same)' "`$resource = [GuestFeature]::new(); ...; `$resource.Test()"
$resource = & (Get-Module HyperVGuestFeatures) { [GuestFeature]::new() }
$resource.VMName = 'rhel-db'; $resource.Feature = 'Live virtual machine backup'; $resource.Ensure = 'Absent'
Write-Host "Test: $($resource.Test())"; $resource.Set(); Write-Host "after Set, Test: $($resource.Test()); State: $($resource.Get().State)"

Show-Step 'The catalog itself (no host needed)' 'Get-GuestFeature -ListAvailable -Category Miscellaneous'
Get-GuestFeature -ListAvailable -Category Miscellaneous | Out-Wide

Show-Step 'A CI/compliance gate: one result per VM, or one $true/$false with -Quiet' "Test-GuestFeature -Name Heartbeat, 'Secure boot'; Test-GuestFeature -VMName ubuntu-web, rhel-db -Name Heartbeat, 'Secure boot' -Quiet"
Test-GuestFeature -Name Heartbeat, 'Secure boot' | Out-Wide
Write-Host "Gate for ubuntu-web and rhel-db: $(Test-GuestFeature -VMName ubuntu-web, rhel-db -Name Heartbeat, 'Secure boot' -Quiet)"

Show-Step 'Wait until a guest reports a key (the simulator plays the guest here)' "Set-HyperVSimulatorVM -VMName rhel-db -GuestItem @{ Provisioned = 'true' }; Wait-KvpItem -VMName rhel-db -Name Provisioned -Value true -Timeout 60 -PassThru"
Set-HyperVSimulatorVM -VMName rhel-db -GuestItem @{ Provisioned = 'true' }
Wait-KvpItem -VMName rhel-db -Name Provisioned -Value true -Timeout 60 -PassThru | Out-Wide

Show-Step 'The fleet picture: one self-contained HTML report (summary per host, VM x feature grid, fixes, filters)' 'Get-GuestFeature -ComputerName ([Environment]::MachineName), hv-2012r2 | Export-GuestFeatureReport -Path out/guest-features.html -PassThru'
$reportPath = Join-Path (Split-Path $ModulePath) 'guest-features.html'
Get-GuestFeature -ComputerName ([Environment]::MachineName), hv-2012r2 | Export-GuestFeatureReport -Path $reportPath -PassThru |
    Format-Table Name, Length, LastWriteTime -AutoSize | Out-Wide
Write-Host "Open $reportPath in a browser."
