<#
.SYNOPSIS
    Measures round trips per host and wall time of Get-GuestFeature (and Get-DynamicMemory when
    present) against simulated hosts, beside the per-VM pattern the Hyper-V module uses; and the
    fleet report: time to first row, rows per second, CPU time and memory of the rows.
.DESCRIPTION
    Grid: for every combination of VM count and host count, simulated hosts with a fixed latency per
    provider operation are started; each command runs once to warm up, then -Repeat times, and the
    median wall time is kept; the simulator's counters give the operations per host. The per-VM
    pattern is what Get-VM | Get-VMIntegrationService, Get-VMMemory and Get-VMNetworkAdapter do for
    each VM: look the VM up, then walk associations from it to its settings, integration services,
    memory and adapters (16 round trips per VM; hosts worked on in parallel as the fairest reading of
    that pattern). bench/PerVmPattern runs it in its own process on simulated hosts of the same
    scenario and latency, through the module's client interface: one call is one round trip, with no
    PowerShell per-call overhead added to the pattern's time.

    Fleet: a 64-node cluster of 125 VMs each (8,000 VMs, the Hyper-V cluster limit) and one host of
    1,000 VMs, at 5 ms per provider operation: time to the first row (Get-GuestFeature | Select-Object
    -First 1), the full report's wall time, rows per second and CPU time (user + system of this
    process), medians of -Repeat runs after a warm-up. Memory is measured in a fresh process per
    scenario: working set and managed heap before and after holding every row in a variable (after
    a full GC), and the peak working set while the report runs.

    Wall times on a shared machine are noisy: the load average is recorded beside each scenario.
    Results go to <OutputPath>/results.json and a table on screen. Run with: ./build.ps1 -Task Bench
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Comma-separated lists, so that they pass through 'pwsh -File' unchanged (an [int[]] would read "1,8" as 18);
    # an empty VMCount or HostCount skips the grid.
    [string] $VMCount = '10,100,1000',
    [string] $HostCount = '1,8,32',
    [timespan] $Latency = [timespan]::FromMilliseconds(2),
    # Cap on VMs per host walked by the per-VM pattern; beyond it the pattern's time is extrapolated linearly
    # (its cost is linear by construction) and the row says so.
    [int] $PerVmPatternCap = 200,
    # Timed runs per measurement after one warm-up run; the median is reported.
    [int] $Repeat = 5,
    # Fleet scenarios, 'hosts x VMs' pairs, at -FleetLatency; empty skips them.
    [string] $Fleet = '64x125,1x1000',
    [timespan] $FleetLatency = [timespan]::FromMilliseconds(5),
    # VMs per host the per-VM pattern walks in the fleet scenarios (extrapolated beyond: 64 x 125 at 5 ms would take minutes).
    [int] $FleetPerVmPatternCap = 25,
    # Internal: measure the memory of one fleet scenario in this (fresh) process and print it as JSON.
    [string] $MemoryProbe
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Get-LoadAverage {
    if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { $null }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

function Get-CpuSeconds {
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $process.TotalProcessorTime.TotalSeconds
}

# A full, compacting collection that also gives the free memory back to the system (GCCollectionMode.Aggressive,
# .NET 7+), so that a working set after it counts what is held, not what the collector keeps in reserve.
function Invoke-FullCollection {
    [System.Runtime.GCSettings]::LargeObjectHeapCompactionMode = 'CompactOnce'
    [GC]::Collect(2, [GCCollectionMode]::Forced, $true, $true)
    [GC]::WaitForPendingFinalizers()
    $mode = if ([enum]::IsDefined([GCCollectionMode], 'Aggressive')) { [GCCollectionMode]'Aggressive' } else { [GCCollectionMode]::Forced }
    [GC]::Collect(2, $mode, $true, $true)
}

function Start-Simulators([string[]] $Names, [int] $VMs, [timespan] $PerOperation) {
    Start-HyperVSimulator -ComputerName $Names -VMCount $VMs -Latency $PerOperation -WarningAction SilentlyContinue
}

function Get-HostNames([int] $Count) { , @(1..$Count | ForEach-Object { 'bench{0:D2}' -f $_ }) }

# One fleet scenario's memory, in a fresh process (a peak working set is for the process's whole life).
if ($MemoryProbe) {
    $hostsWanted, $vms = [int[]]($MemoryProbe -split 'x')
    $names = Get-HostNames $hostsWanted
    Start-Simulators $names $vms $FleetLatency
    # Warm up on one host: the code is compiled and the catalog loaded before the baseline is read.
    $null = Get-GuestFeature -ComputerName $names[0]
    Invoke-FullCollection
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $baseWorkingSet = $process.WorkingSet64
    $baseHeap = [GC]::GetTotalMemory($true)
    # The peak of this run alone: on Linux, writing 5 to clear_refs resets the process's peak resident set (VmHWM);
    # elsewhere the process's lifetime peak is reported, the small warm-up included.
    try { [System.IO.File]::WriteAllText('/proc/self/clear_refs', '5') } catch { Write-Verbose "Peak working set not reset: $_" }
    $rows = Get-GuestFeature -ComputerName $names
    $process.Refresh()
    $peak = $process.PeakWorkingSet64
    Invoke-FullCollection
    $process.Refresh()
    [ordered]@{
        Rows = $rows.Count
        WorkingSetGrowthMB = [math]::Round(($process.WorkingSet64 - $baseWorkingSet) / 1MB, 1)
        ManagedHeapGrowthMB = [math]::Round(([GC]::GetTotalMemory($true) - $baseHeap) / 1MB, 1)
        BytesPerRow = [math]::Round(([GC]::GetTotalMemory($true) - $baseHeap) / [math]::Max(1, $rows.Count))
        PeakWorkingSetMB = [math]::Round($peak / 1MB, 1)
        BaseWorkingSetMB = [math]::Round($baseWorkingSet / 1MB, 1)
    } | ConvertTo-Json -Compress
    return
}

# The per-VM pattern's own small program (bench/PerVmPattern), built once.
$perVmPatternOut = Join-Path (Split-Path $PSScriptRoot) 'out/bin/PerVmPattern'
& dotnet build (Join-Path $PSScriptRoot 'PerVmPattern/PerVmPattern.csproj') -c Release -o $perVmPatternOut --nologo -v q | Out-Null
if ($LASTEXITCODE -ne 0) { throw "building bench/PerVmPattern failed with exit code $LASTEXITCODE" }
$perVmPatternDll = Join-Path $perVmPatternOut 'PerVmPattern.dll'

# An empty list skips the grid (to run only the fleet scenarios).
$vmCounts = [int[]]@($VMCount -split ',' | Where-Object { $_ })
$hostCounts = [int[]]@($HostCount -split ',' | Where-Object { $_ })

# Runs the command once to warm up, then $Repeat times: the median wall and CPU seconds, and the rows of the last run.
function Measure-Repeated([scriptblock] $Command, [int] $Times = $Repeat) {
    $null = @(& $Command).Count
    $walls = [System.Collections.Generic.List[double]]::new()
    $cpus = [System.Collections.Generic.List[double]]::new()
    $rows = 0
    for ($i = 0; $i -lt $Times; $i++) {
        $cpu = Get-CpuSeconds
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $rows = @(& $Command).Count
        $watch.Stop()
        $walls.Add($watch.Elapsed.TotalSeconds)
        $cpus.Add((Get-CpuSeconds) - $cpu)
    }

    [pscustomobject]@{
        Seconds = [math]::Round((Get-Median $walls), 3)
        CpuSeconds = [math]::Round((Get-Median $cpus), 3)
        MinSeconds = [math]::Round(($walls | Measure-Object -Minimum).Minimum, 3)
        MaxSeconds = [math]::Round(($walls | Measure-Object -Maximum).Maximum, 3)
        Rows = $rows
    }
}

# The per-VM pattern (bench/PerVmPattern, built once below) on as many simulated hosts of as many VMs, at the
# same latency, walking at most $Cap VMs per host (linear beyond, and said so).
function Measure-PerVmPattern([string[]] $Names, [int] $VMs, [int] $Cap, [timespan] $PatternLatency = $Latency) {
    $json = & dotnet $perVmPatternDll --vms $VMs --hosts $Names.Count --latency-ms ([int]$PatternLatency.TotalMilliseconds) --cap $Cap
    if ($LASTEXITCODE -ne 0) { throw "bench/PerVmPattern failed with exit code $LASTEXITCODE" }
    $measured = $json | ConvertFrom-Json
    [ordered]@{ Seconds = [math]::Round($measured.Seconds, 3); OpsPerHost = [long]$measured.OpsPerHost; Extrapolated = [bool]$measured.Extrapolated }
}

function Get-OpsPerHost([string[]] $Names) {
    (Get-HyperVSimulator -ComputerName $Names | ForEach-Object { $_.QueryCount + $_.MethodCallCount } | Measure-Object -Maximum).Maximum
}

$results = [System.Collections.Generic.List[object]]::new()
foreach ($vms in $vmCounts) {
    foreach ($hostsWanted in $hostCounts) {
        $names = Get-HostNames $hostsWanted
        Start-Simulators $names $vms $Latency
        $row = [ordered]@{ VMs = $vms; Hosts = $hostsWanted; LatencyMs = $Latency.TotalMilliseconds; LoadAverage = Get-LoadAverage }

        # Round trips: the queries and the one GetSummaryInformation call, from one run.
        $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
        $null = Get-GuestFeature -ComputerName $names
        $ops = Get-OpsPerHost $names
        $times = [math]::Max(1, [math]::Min($Repeat, [int][math]::Ceiling(200000 / ($vms * $hostsWanted))))
        $run = Measure-Repeated { Get-GuestFeature -ComputerName $names } $times
        $row.GetGuestFeature = [ordered]@{ Seconds = $run.Seconds; CpuSeconds = $run.CpuSeconds; Runs = $times; Rows = $run.Rows; OpsPerHost = $ops }

        if (Get-Command Get-DynamicMemory -ErrorAction SilentlyContinue) {
            $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
            $null = Get-DynamicMemory -ComputerName $names
            $ops = Get-OpsPerHost $names
            $run = Measure-Repeated { Get-DynamicMemory -ComputerName $names }
            $row.GetDynamicMemory = [ordered]@{ Seconds = $run.Seconds; Rows = $run.Rows; OpsPerHost = $ops }
        }

        $row.PerVmPattern = Measure-PerVmPattern $names $vms $PerVmPatternCap

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

# The fleet report: streaming, throughput, CPU and memory.
$fleetResults = [System.Collections.Generic.List[object]]::new()
foreach ($scenario in @($Fleet -split ',' | Where-Object { $_ })) {
    $hostsWanted, $vms = [int[]]($scenario -split 'x')
    $names = Get-HostNames $hostsWanted
    Start-Simulators $names $vms $FleetLatency
    $load = Get-LoadAverage
    $null = Get-HyperVSimulator -ComputerName $names -ResetCounters
    $null = Get-GuestFeature -ComputerName $names
    $ops = Get-OpsPerHost $names
    $first = Measure-Repeated { Get-GuestFeature -ComputerName $names | Select-Object -First 1 }
    $full = Measure-Repeated { Get-GuestFeature -ComputerName $names }
    $pattern = Measure-PerVmPattern $names $vms $FleetPerVmPatternCap $FleetLatency
    Stop-HyperVSimulator -ComputerName $names

    # Memory in a fresh process of the same PowerShell.
    $self = [Environment]::GetCommandLineArgs()[0]
    $exe = if ($self -like '*.dll') { [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName } else { $self }
    $prefix = @(if ($self -like '*.dll') { $self })
    $json = & $exe @prefix -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -OutputPath $OutputPath -FleetLatency $FleetLatency -MemoryProbe $scenario
    $line = @($json | Where-Object { "$_".StartsWith('{') }) | Select-Object -Last 1
    if (-not $line) { throw "The memory probe for $scenario printed no result: $($json -join [Environment]::NewLine)" }
    $memory = $line | ConvertFrom-Json

    $entry = [ordered]@{
        Hosts = $hostsWanted; VMsPerHost = $vms; LatencyMs = $FleetLatency.TotalMilliseconds; LoadAverage = $load; Runs = $Repeat
        Rows = $full.Rows
        OpsPerHost = $ops
        FirstRowSeconds = $first.Seconds
        FullSeconds = $full.Seconds
        FullSecondsRange = @($full.MinSeconds, $full.MaxSeconds)
        RowsPerSecond = [math]::Round($full.Rows / [math]::Max(0.001, $full.Seconds))
        CpuSeconds = $full.CpuSeconds
        WorkingSetGrowthMB = $memory.WorkingSetGrowthMB
        ManagedHeapGrowthMB = $memory.ManagedHeapGrowthMB
        BytesPerRow = $memory.BytesPerRow
        PeakWorkingSetMB = $memory.PeakWorkingSetMB
        BaseWorkingSetMB = $memory.BaseWorkingSetMB
        PerVmPattern = $pattern
    }
    $fleetResults.Add([pscustomobject]$entry)
    Write-Host ('{0,2} hosts x {1,4} VMs at {2} ms: {3:N0} rows, {4} ops/host, first row {5:N2} s, all {6:N2} s ({7:N0} rows/s, CPU {8:N2} s), working set +{9} MB held (heap +{10} MB, {11} B/row), peak {12} MB | per-VM pattern {14} ops/host {15:N2} s{16} [load {13}]' -f
        $hostsWanted, $vms, $FleetLatency.TotalMilliseconds, $entry.Rows, $ops, $entry.FirstRowSeconds, $entry.FullSeconds, $entry.RowsPerSecond, $entry.CpuSeconds,
        $entry.WorkingSetGrowthMB, $entry.ManagedHeapGrowthMB, $entry.BytesPerRow, $entry.PeakWorkingSetMB, $load,
        $pattern.OpsPerHost, $pattern.Seconds, $(if ($pattern.Extrapolated) { ' (extrapolated)' } else { '' }))
}

$cpuModel = if (Test-Path /proc/cpuinfo) { (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value } else { $env:PROCESSOR_IDENTIFIER }
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$report = [ordered]@{
    Date = (Get-Date).ToUniversalTime().ToString('o')
    Machine = [ordered]@{
        Cores = [Environment]::ProcessorCount; Cpu = $cpuModel
        OS = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription; PowerShell = $PSVersionTable.PSVersion.ToString()
        LoadAverageAtEnd = Get-LoadAverage
    }
    LatencyPerOperationMs = $Latency.TotalMilliseconds
    Repeat = $Repeat
    Results = $results
    Fleet = $fleetResults
}
$file = Join-Path $OutputPath 'results.json'
$report | ConvertTo-Json -Depth 6 | Set-Content -Path $file -Encoding utf8
Write-Host "Results: $file"
