# GuestKvpItem: a class-based DSC resource that keeps one host-to-guest KVP item (Data Exchange,
# pool 0) of a Hyper-V VM present with a value, or absent. Built on Get-/Set-/Remove-KvpItem, so it
# gets their validation (KvpNameInvalid, KvpValueTooLong, ...), their add-or-modify logic and their
# errors. Windows PowerShell 5.1 syntax on purpose: the LCM runs resources there.
# Loaded as a nested module of HyperVGuestFeatures (NestedModules, DscResourcesToExport in the psd1).

[DscResource()]
class GuestKvpItem
{
    # The VM's name on the host (Get-VM's Name).
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
        $parameters = @{ VMName = $this.VMName }
        if (-not [string]::IsNullOrEmpty($this.ComputerName)) {
            $parameters['ComputerName'] = $this.ComputerName
        }

        return $parameters
    }
}
