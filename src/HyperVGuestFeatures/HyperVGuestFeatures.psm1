# HyperVGuestFeatures: the root module. It loads the cmdlets from HyperVGuestFeatures.dll and holds the
# class-based DSC resources, which are built on those cmdlets.
#
# Why a script root module: PowerShell 7's DSC engines (PSDesiredStateConfiguration 2 and 3) refuse a
# module whose RootModule or NestedModules is a binary module ("Configuration keyword is not supported
# in PowerShell 6+"), and the DSC v3 PowerShell adapter reads the resource classes from the root .psm1
# only (it names each resource <root module name>/<class>). So the manifest's RootModule is this file;
# the dll is imported here, as a nested module the manifest does not name.
#
# Windows PowerShell 5.1 syntax on purpose (no ?:, ??, &&, ||, ?.): the LCM of 5.1 runs these resources.
# The classes name no type from the dll (the file is parsed before the dll is loaded) and call the
# cmdlets module-qualified.

Import-Module -Name (Join-Path $PSScriptRoot 'HyperVGuestFeatures.dll') -ErrorAction Stop

# What every resource passes to the cmdlets to address its one VM. VMName is a key and is taken
# literally: the cmdlets read -VMName as a wildcard pattern, so web[1] would select web1 (and web* every
# web VM); escaped, it names exactly the VM called web[1]. An empty ComputerName means the local computer.
class GuestDscTarget
{
    static [hashtable] Parameters([string] $resource, [string] $vmName, [string] $computerName)
    {
        if ([string]::IsNullOrWhiteSpace($vmName))
        {
            throw ("{0}: VMName must name a virtual machine." -f $resource)
        }

        $parameters = @{ VMName = [System.Management.Automation.WildcardPattern]::Escape($vmName) }
        if (-not [string]::IsNullOrEmpty($computerName))
        {
            $parameters['ComputerName'] = $computerName
        }

        return $parameters
    }
}

# GuestDynamicMemory: the memory settings of one VM, on Get-DynamicMemory and Set-DynamicMemory.
[DscResource()]
class GuestDynamicMemory
{
    # The VM's name on the host, taken literally (web[1] is the VM called web[1]).
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
        $arguments = $this.Target()
        foreach ($name in $drift.Keys)
        {
            $arguments[$name] = $drift[$name]
        }

        HyperVGuestFeatures\Set-DynamicMemory @arguments -ErrorAction Stop
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
        $arguments = $this.Target()
        $current = @(HyperVGuestFeatures\Get-DynamicMemory @arguments -ErrorAction Stop)
        if ($current.Count -ne 1)
        {
            throw "GuestDynamicMemory: expected one VM named '$($this.VMName)', found $($current.Count)."
        }

        return $current[0]
    }

    hidden [hashtable] Target()
    {
        return [GuestDscTarget]::Parameters('GuestDynamicMemory', $this.VMName, $this.ComputerName)
    }
}

# GuestKvpItem: one host-to-guest KVP item (Data Exchange, pool 0) of a VM, present with a value or
# absent. Built on Get-/Set-/Remove-KvpItem, so it gets their validation (KvpNameInvalid,
# KvpValueTooLong, ...), their add-or-modify logic and their errors.
[DscResource()]
class GuestKvpItem
{
    # The VM's name on the host (Get-VM's Name), taken literally.
    [DscProperty(Key)]
    [string] $VMName

    # The key; case-sensitive, as the guest keeps it.
    [DscProperty(Key)]
    [string] $Name

    # Present: the item exists with Value. Absent: the VM has no host item with this key.
    [DscProperty()]
    [ValidateSet('Present', 'Absent')]
    [string] $Ensure = 'Present'

    # The value the guest reads from its KVP pool 0 (0 to 1023 characters).
    [DscProperty()]
    [string] $Value = ''

    # The Hyper-V host; empty means the local computer.
    [DscProperty()]
    [string] $ComputerName = ''

    [GuestKvpItem] Get()
    {
        $item = $this.FindItem()
        $state = [GuestKvpItem]::new()
        $state.VMName = $this.VMName
        $state.Name = $this.Name
        $state.ComputerName = $this.ComputerName
        if ($null -eq $item) {
            $state.Ensure = 'Absent'
            $state.Value = $null
        }
        else {
            $state.Ensure = 'Present'
            $state.Value = $item.Value
        }

        return $state
    }

    [bool] Test()
    {
        $item = $this.FindItem()
        if ($this.Ensure -eq 'Absent') {
            return $null -eq $item
        }

        return ($null -ne $item) -and ($item.Value -ceq $this.Value)
    }

    [void] Set()
    {
        $target = $this.TargetParameters()
        if ($this.Ensure -eq 'Present') {
            # Set-KvpItem adds or modifies, and makes no call when the value is already there.
            HyperVGuestFeatures\Set-KvpItem @target -Name $this.Name -Value $this.Value -Confirm:$false -ErrorAction Stop
        }
        elseif ($null -ne $this.FindItem()) {
            HyperVGuestFeatures\Remove-KvpItem @target -Name ([System.Management.Automation.WildcardPattern]::Escape($this.Name)) -Confirm:$false -ErrorAction Stop
        }
    }

    # The host item with exactly this key, or $null. VMNotFound and host failures stop the resource.
    hidden [object] FindItem()
    {
        $target = $this.TargetParameters()
        $pattern = [System.Management.Automation.WildcardPattern]::Escape($this.Name)
        $items = @(HyperVGuestFeatures\Get-KvpItem @target -Name $pattern -Source Host -ErrorAction Stop)
        foreach ($item in $items) {
            if ($item.Name -ceq $this.Name) {
                return $item
            }
        }

        return $null
    }

    hidden [hashtable] TargetParameters()
    {
        return [GuestDscTarget]::Parameters('GuestKvpItem', $this.VMName, $this.ComputerName)
    }
}

# GuestFeature: one catalog feature of one VM switched on (Present) or off (Absent), on Get-GuestFeature,
# Enable-GuestFeature and Disable-GuestFeature: the features the host can switch (the six integration
# services by class and id, secure boot with the Microsoft UEFI Certificate Authority template, dynamic
# memory with Set-DynamicMemory's rules). Their errors stop the resource, for example
# SecureBootChangeWhileRunning or FeatureNotSwitchable.
[DscResource()]
class GuestFeature
{
    # The VM's name on the host, taken literally.
    [DscProperty(Key)]
    [string] $VMName

    # The feature: its catalog name ('Secure boot') or id (secure-boot), without wildcards.
    [DscProperty(Key)]
    [string] $Feature

    # Present: switched on (secure boot with the Microsoft UEFI Certificate Authority template).
    # Absent: switched off.
    [DscProperty()]
    [ValidateSet('Present', 'Absent')]
    [string] $Ensure = 'Present'

    # The Hyper-V host; empty means the local computer.
    [DscProperty()]
    [string] $ComputerName = ''

    # What Get-GuestFeature reports: Enabled, Disabled, Degraded, NotSupported or NotObservable.
    [DscProperty(NotConfigurable)]
    [string] $State

    # Why the feature is in that state, and what to do about it.
    [DscProperty(NotConfigurable)]
    [string] $Detail

    [GuestFeature] Get()
    {
        $row = $this.ReadRow()
        $result = [GuestFeature]::new()
        $result.VMName = $this.VMName
        $result.Feature = $this.Feature
        $result.ComputerName = $this.ComputerName
        $result.State = [string] $row.State
        $result.Detail = $row.Detail
        if ([GuestFeature]::Holds($row, 'Present'))
        {
            $result.Ensure = 'Present'
        }
        else
        {
            $result.Ensure = 'Absent'
        }

        return $result
    }

    [bool] Test()
    {
        $row = $this.ReadRow()
        $holds = [GuestFeature]::Holds($row, $this.Ensure)
        if (-not $holds)
        {
            Write-Verbose ("GuestFeature '{0}' on '{1}': {2}, not {3} ({4})." -f $row.Feature, $this.VMName, $row.State, $this.Ensure, $row.Detail)
        }

        return $holds
    }

    [void] Set()
    {
        $arguments = $this.Target()
        $arguments['Name'] = [System.Management.Automation.WildcardPattern]::Escape($this.Feature)
        # The cmdlets judge again, warn and make no call for what is already as asked, and check every
        # precondition before they change anything.
        if ($this.Ensure -eq 'Present')
        {
            HyperVGuestFeatures\Enable-GuestFeature @arguments -Confirm:$false -ErrorAction Stop
        }
        else
        {
            HyperVGuestFeatures\Disable-GuestFeature @arguments -Confirm:$false -ErrorAction Stop
        }
    }

    # Whether a Get-GuestFeature row is as Ensure asks, as Enable-/Disable-GuestFeature judge it: a
    # switch that is on reads Enabled, Degraded (the guest does not answer) or NotObservable (the VM
    # is off); secure boot reads Degraded when it is on with another template than the one Linux boots
    # with, which is neither Present nor Absent. Off reads Disabled, or NotSupported where the VM or
    # host cannot have the feature at all.
    hidden static [bool] Holds([object] $row, [string] $wanted)
    {
        $reported = [string] $row.State
        if ($wanted -eq 'Absent')
        {
            return ($reported -eq 'Disabled') -or ($reported -eq 'NotSupported')
        }

        if ($reported -eq 'Degraded')
        {
            return $row.FeatureId -ne 'secure-boot'
        }

        return ($reported -eq 'Enabled') -or ($reported -eq 'NotObservable')
    }

    # The feature's row for this VM. Only the features the host can switch: the list is the dll's,
    # read when the method runs (the class itself names no type from the dll).
    hidden [object] ReadRow()
    {
        if ([string]::IsNullOrWhiteSpace($this.Feature) -or [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($this.Feature))
        {
            throw ("GuestFeature: Feature must name one feature, without wildcards ('{0}')." -f $this.Feature)
        }

        $arguments = $this.Target()
        $arguments['Name'] = [System.Management.Automation.WildcardPattern]::Escape($this.Feature)
        $rows = @(HyperVGuestFeatures\Get-GuestFeature @arguments -ErrorAction Stop)
        if ($rows.Count -ne 1)
        {
            throw ("GuestFeature: expected one row for '{0}' on VM '{1}', found {2}." -f $this.Feature, $this.VMName, $rows.Count)
        }

        $switchable = @(HyperVGuestFeatures\Get-GuestFeature -ListAvailable | Where-Object Switchable | ForEach-Object { $_.Id })
        if ($switchable -notcontains $rows[0].FeatureId)
        {
            throw ("GuestFeature: the host cannot switch '{0}' on or off; it can switch {1}." -f $rows[0].Feature, ($switchable -join ', '))
        }

        return $rows[0]
    }

    hidden [hashtable] Target()
    {
        return [GuestDscTarget]::Parameters('GuestFeature', $this.VMName, $this.ComputerName)
    }
}

# The manifest's CmdletsToExport names exactly the dll's cmdlets; the resources are found through
# DscResourcesToExport.
Export-ModuleMember -Cmdlet *
