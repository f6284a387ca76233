# GuestDynamicMemory: a class-based DSC resource for the memory settings of one Hyper-V VM, built on
# Get-DynamicMemory and Set-DynamicMemory. Windows PowerShell 5.1 syntax. Loaded as a nested module
# of HyperVGuestFeatures (listed in NestedModules and DscResourcesToExport), before the root dll:
# so the class names no type from the dll, and the methods call the cmdlets module-qualified.

[DscResource()]
class GuestDynamicMemory
{
    # The VM's name on the host (no wildcards).
    [DscProperty(Key)]
    [string] $VMName

    # The Hyper-V host; empty means the local computer.
    [DscProperty()]
    [string] $ComputerName

    [DscProperty()]
    [Nullable[bool]] $DynamicMemoryEnabled

    [DscProperty()]
    [Nullable[long]] $StartupBytes

    [DscProperty()]
    [Nullable[long]] $MinimumBytes

    [DscProperty()]
    [Nullable[long]] $MaximumBytes

    [DscProperty()]
    [Nullable[int]] $Buffer

    [DscProperty()]
    [Nullable[int]] $Priority

    [DscProperty(NotConfigurable)]
    [string] $VMState

    [DscProperty(NotConfigurable)]
    [Nullable[long]] $AssignedBytes

    [DscProperty(NotConfigurable)]
    [Nullable[long]] $DemandBytes

    [GuestDynamicMemory] Get()
    {
        $current = $this.ReadCurrent()
        $result = [GuestDynamicMemory]::new()
        $result.VMName = $current.VMName
        $result.ComputerName = $current.ComputerName
        $result.DynamicMemoryEnabled = $current.DynamicMemoryEnabled
        $result.StartupBytes = $current.StartupBytes
        $result.MinimumBytes = $current.MinimumBytes
        $result.MaximumBytes = $current.MaximumBytes
        $result.Buffer = $current.Buffer
        $result.Priority = $current.Priority
        $result.VMState = [string] $current.VMState
        $result.AssignedBytes = $current.AssignedBytes
        $result.DemandBytes = $current.DemandBytes
        return $result
    }

    [bool] Test()
    {
        $drift = $this.Drift($this.ReadCurrent())
        foreach ($name in $drift.Keys)
        {
            Write-Verbose ("GuestDynamicMemory '{0}': {1} is not in the desired state (wanted {2})." -f $this.VMName, $name, $drift[$name])
        }

        return $drift.Count -eq 0
    }

    [void] Set()
    {
        $drift = $this.Drift($this.ReadCurrent())
        if ($drift.Count -eq 0)
        {
            Write-Verbose ("GuestDynamicMemory '{0}': already in the desired state." -f $this.VMName)
            return
        }

        # Only what drifted is sent: Set-DynamicMemory checks every rule before it changes anything,
        # and stops this resource with its error (for example DynamicMemoryChangeWhileRunning).
        $arguments = $this.Connection()
        foreach ($name in $drift.Keys)
        {
            $arguments[$name] = $drift[$name]
        }

        HyperVGuestFeatures\Set-DynamicMemory -VMName $this.VMName @arguments -ErrorAction Stop
    }

    # The configured properties whose value differs from the VM's, with the wanted value.
    hidden [System.Collections.Specialized.OrderedDictionary] Drift([object] $current)
    {
        $drift = [ordered]@{}
        foreach ($name in 'DynamicMemoryEnabled', 'StartupBytes', 'MinimumBytes', 'MaximumBytes', 'Buffer', 'Priority')
        {
            $wanted = $this.$name
            if ($null -ne $wanted -and $wanted -ne $current.$name)
            {
                $drift[$name] = $wanted
            }
        }

        return $drift
    }

    hidden [object] ReadCurrent()
    {
        if ([string]::IsNullOrWhiteSpace($this.VMName) -or [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($this.VMName))
        {
            throw "GuestDynamicMemory: VMName must name one VM, without wildcards ('$($this.VMName)')."
        }

        $arguments = $this.Connection()
        $current = @(HyperVGuestFeatures\Get-DynamicMemory -VMName $this.VMName @arguments -ErrorAction Stop)
        if ($current.Count -ne 1)
        {
            throw "GuestDynamicMemory: expected one VM named '$($this.VMName)', found $($current.Count)."
        }

        return $current[0]
    }

    hidden [hashtable] Connection()
    {
        $arguments = @{}
        if (-not [string]::IsNullOrWhiteSpace($this.ComputerName))
        {
            $arguments['ComputerName'] = $this.ComputerName
        }

        return $arguments
    }
}
