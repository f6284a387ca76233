<#
.SYNOPSIS
    Measures round trips per host and wall time of Get-GuestFeature (and Get-DynamicMemory when
    present) against simulated hosts, beside the per-VM query pattern the Hyper-V module uses.
.DESCRIPTION
    For every combination of VM count and host count, simulated hosts with a fixed latency per
    provider operation are started; each command runs once against all hosts, and the simulator's
    counters give the operations per host. The per-VM pattern is what Get-VM | Get-VMIntegrationService,
    Get-VMMemory and Get-VMNetworkAdapter do for each VM: look the VM up, then walk associations from
    it (16 round trips per VM, hosts worked on in parallel as the fairest reading of that pattern).
    Results go to <OutputPath>/results.json and a table on screen. Run with: ./build.ps1 -Task Bench
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Comma-separated lists, so that they pass through 'pwsh -File' unchanged (an [int[]] would read "1,8" as 18).
    [string] $VMCount = '10,100,1000',
    [string] $HostCount = '1,8,32',
    [timespan] $Latency = [timespan]::FromMilliseconds(2),
    # Cap on VMs per host walked by the per-VM pattern; beyond it the pattern's time is extrapolated linearly
    # (its cost is linear by construction) and the row says so.
    [int] $PerVmPatternCap = 200
)
$ErrorActionPreference = 'Stop'
$vmCounts = [int[]]($VMCount -split ',')
$hostCounts = [int[]]($HostCount -split ',')
Import-Module $ModulePath

# The Hyper-V module's per-VM pattern, driven through the same client interface (one call = one round trip).
$perVmPattern = {
    param($SimulatedHost, [int] $Limit)
    $none = [System.Threading.CancellationToken]::None
    $ns = 'root\virtualization\v2'
    $client = $SimulatedHost.Connect()
    try {
        $components = 'Msvm_ShutdownComponent', 'Msvm_TimeSyncComponent', 'Msvm_HeartbeatComponent',
            'Msvm_KvpExchangeComponent', 'Msvm_VssComponent', 'Msvm_GuestServiceInterfaceComponent'
        $names = @($SimulatedHost.VMNames | Select-Object -First $Limit)
        foreach ($name in $names) {
            $vm = $client.Query($ns, [HyperVGuestFeatures.Cim.Wql]::Select('Msvm_ComputerSystem', [HyperVGuestFeatures.Cim.Wql]::Equal('ElementName', $name)), $none)[0]
            $settings = $client.GetAssociated($vm.Path, 'Msvm_SettingsDefineState', 'Msvm_VirtualSystemSettingData', $none)[0]
            foreach ($component in $components) {
                $null = $client.GetAssociated($settings.Path, 'Msvm_VirtualSystemSettingDataComponent', $component + 'SettingData', $none)
                $null = $client.GetAssociated($vm.Path, 'Msvm_SystemDevice', $component, $none)
            }
            $null = $client.GetAssociated($settings.Path, 'Msvm_VirtualSystemSettingDataComponent', 'Msvm_MemorySettingData', $none)
            $null = $client.GetAssociated($settings.Path, 'Msvm_VirtualSystemSettingDataComponent', 'Msvm_SyntheticEthernetPortSettingData', $none)
        }
        $names.Count
    }
    finally { $client.Dispose() }
}

function Measure-Command-Rows([scriptblock] $Command) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $rows = @(& $Command).Count
    $watch.Stop()
    [pscustomobject]@{ Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 3); Rows = $rows }
}

$results = [System.Collections.Generic.List[object]]::new()
foreach ($vms in $vmCounts) {
    foreach ($hostsWanted in $hostCounts) {
        $names = 1..$hostsWanted | ForEach-Object { 'bench{0:D2}' -f $_ }
        Start-HyperVSimulator -ComputerName $names -VMCount $vms -Latency $Latency -WarningAction SilentlyContinue
        $simulators = Get-HyperVSimulator -ComputerName $names
        $row = [ordered]@{ VMs = $vms; Hosts = $hostsWanted; LatencyMs = $Latency.TotalMilliseconds }

        $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
        $run = Measure-Command-Rows { Get-GuestFeature -ComputerName $names }
        $counters = Get-HyperVSimulator -ComputerName $names
        $row.GetGuestFeature = [ordered]@{
            Seconds = $run.Seconds; Rows = $run.Rows
            # Round trips: the queries and the one GetSummaryInformation call.
            OpsPerHost = ($counters | ForEach-Object { $_.QueryCount + $_.MethodCallCount } | Measure-Object -Maximum).Maximum
        }

        if (Get-Command Get-DynamicMemory -ErrorAction SilentlyContinue) {
            $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
            $run = Measure-Command-Rows { Get-DynamicMemory -ComputerName $names }
            $counters = Get-HyperVSimulator -ComputerName $names
            $row.GetDynamicMemory = [ordered]@{
                Seconds = $run.Seconds; Rows = $run.Rows
                OpsPerHost = ($counters | ForEach-Object { $_.QueryCount + $_.MethodCallCount } | Measure-Object -Maximum).Maximum
            }
        }

        $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
        $walked = [math]::Min($vms, $PerVmPatternCap)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $hostObjects = $simulators.Host
        $pattern = $perVmPattern.ToString()
        $null = $hostObjects | ForEach-Object -ThrottleLimit 32 -Parallel {
            & ([scriptblock]::Create($using:pattern)) $_ $using:walked
        }
        $watch.Stop()
        $counters = Get-HyperVSimulator -ComputerName $names
        $scale = $vms / $walked
        $row.PerVmPattern = [ordered]@{
            Seconds = [math]::Round($watch.Elapsed.TotalSeconds * $scale, 3)
            OpsPerHost = [long](($counters | Measure-Object -Property QueryCount -Maximum).Maximum * $scale)
            Extrapolated = $scale -ne 1
        }

        Stop-HyperVSimulator -ComputerName $names
        $results.Add([pscustomobject]$row)
        $line = '{0,5} VMs x {1,2} hosts: Get-GuestFeature {2,3} ops/host {3,7:N2} s' -f $vms, $hostsWanted, $row.GetGuestFeature.OpsPerHost, $row.GetGuestFeature.Seconds
        if ($row.Contains('GetDynamicMemory')) {
            $line += ' | Get-DynamicMemory {0,2} ops/host {1,6:N2} s' -f $row.GetDynamicMemory.OpsPerHost, $row.GetDynamicMemory.Seconds
        }
        $line += ' | per-VM pattern {0,6} ops/host {1,8:N2} s{2}' -f $row.PerVmPattern.OpsPerHost, $row.PerVmPattern.Seconds, $(if ($row.PerVmPattern.Extrapolated) { ' (extrapolated)' } else { '' })
        Write-Host $line
    }
}

$null = New-Item -ItemType Directory -Force -Path $OutputPath
$report = [ordered]@{
    Date = (Get-Date).ToUniversalTime().ToString('o')
    Machine = [ordered]@{ Cores = [Environment]::ProcessorCount; OS = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription; PowerShell = $PSVersionTable.PSVersion.ToString() }
    LatencyPerOperationMs = $Latency.TotalMilliseconds
    Results = $results
}
$file = Join-Path $OutputPath 'results.json'
$report | ConvertTo-Json -Depth 6 | Set-Content -Path $file -Encoding utf8
Write-Host "Results: $file"
