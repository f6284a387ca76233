@{
    # A script root module that imports the dll and holds the class-based DSC resources: PowerShell 7's
    # DSC engines refuse a module whose RootModule or NestedModules is a binary module, and the DSC v3
    # adapter reads resource classes from the root .psm1 only (see HyperVGuestFeatures.psm1).
    RootModule           = 'HyperVGuestFeatures.psm1'
    ModuleVersion        = '0.2.0'
    GUID                 = '5b0f2f4e-6c1d-4d8e-9a57-3f1c2b7e9d41'
    Author               = 'HyperVGuestFeatures contributors'
    CompanyName          = 'HyperVGuestFeatures'
    Copyright            = '(c) HyperVGuestFeatures contributors. MIT License (see LICENSE).'
    Description          = 'Reports and manages the Hyper-V guest features of Linux and FreeBSD virtual machines (integration services, dynamic memory, NMI, file copy, KVP) through the Hyper-V WMI provider, with a built-in simulated host.'
    PowerShellVersion    = '5.1'
    # A netstandard2.0 assembly needs .NET Framework 4.7.2 under Windows PowerShell (4.6.x lacks the facades).
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('HyperVGuestFeatures.format.ps1xml')
    CmdletsToExport      = @(
        'Get-GuestFeature'
        'Enable-GuestFeature'
        'Disable-GuestFeature'
        'Send-VMNmi'
        'Copy-GuestFile'
        'Get-DynamicMemory'
        'Set-DynamicMemory'
        'Get-KvpItem'
        'Set-KvpItem'
        'Remove-KvpItem'
        'Start-HyperVSimulator'
        'Get-HyperVSimulator'
        'Stop-HyperVSimulator'
        'Add-HyperVSimulatorFault'
        'Clear-HyperVSimulatorFault'
        'Set-HyperVSimulatorVM'
        'Get-HyperVSimulatorVM'
        'Test-GuestFeature'
        'Wait-KvpItem'
        'ConvertTo-GuestFeatureMatrix'
        'Export-GuestFeatureReport'
        'Get-HyperVSimulatorInstance'
    )
    FunctionsToExport    = @()
    # The module defines no alias. The wildcard is deliberate: when Cmdlets-, Functions- and
    # AliasesToExport are all explicit, class-based DSC resources are not discovered (PowerShell
    # issues 12054, 16750). tests/GuestKvpItem.Tests.ps1 checks that no alias is exported.
    AliasesToExport      = '*'
    VariablesToExport    = @()
    # Class-based DSC resources, declared in the root module (PS 5.1 syntax).
    DscResourcesToExport = @(
        'GuestDynamicMemory'
        'GuestKvpItem'
        'GuestFeature'
    )
    PrivateData          = @{
        PSData = @{
            # What the module does: it manages Linux and FreeBSD *guests* from Windows; a bare 'Linux' tag
            # would say it runs on Linux. build.ps1 adds the PSIncludes_*, PSCmdlet_*, PSCommand_* and
            # PSDscResource_* tags that Find-PSResource -CommandName/-DscResourceName search, from the
            # export lists above, to the built manifest.
            Tags         = @('Hyper-V', 'HyperV', 'LinuxGuest', 'FreeBSDGuest', 'LIS', 'IntegrationServices', 'KVP', 'DynamicMemory', 'SecureBoot', 'DSC', 'DSCResourceKit', 'CIM', 'WMI', 'Virtualization', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/hypervguestfeatures/HyperVGuestFeatures'
            LicenseUri   = 'https://github.com/hypervguestfeatures/HyperVGuestFeatures/blob/main/LICENSE'
            # build.ps1 puts the CHANGELOG.md section of ModuleVersion here in the built manifest.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
