@{
    RootModule           = 'HyperVGuestFeatures.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f2f4e-6c1d-4d8e-9a57-3f1c2b7e9d41'
    Author               = 'HyperVGuestFeatures contributors'
    CompanyName          = 'HyperVGuestFeatures'
    Copyright            = '(c) HyperVGuestFeatures contributors. MIT licence.'
    Description          = 'Reports and manages the Hyper-V guest features of Linux and FreeBSD virtual machines (integration services, dynamic memory, NMI, file copy, KVP) through the Hyper-V WMI provider, with a built-in simulated host.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('HyperVGuestFeatures.format.ps1xml')
    # Class-based DSC resources, in script modules beside the dll (PS 5.1 syntax).
    NestedModules        = @('DSCResources/GuestDynamicMemory.psm1')
    DscResourcesToExport = @('GuestDynamicMemory')
    CmdletsToExport      = @(
        'Get-GuestFeature'
        'Get-DynamicMemory'
        'Set-DynamicMemory'
        'Start-HyperVSimulator'
        'Get-HyperVSimulator'
        'Stop-HyperVSimulator'
        'Add-HyperVSimulatorFault'
        'Clear-HyperVSimulatorFault'
        'Set-HyperVSimulatorVM'
    )
    FunctionsToExport    = @()
    # AliasesToExport is left out on purpose (it defaults to '*', and the module defines no aliases):
    # when none of Cmdlets/Functions/AliasesToExport uses a wildcard, PowerShell does not declare
    # the class-based DSC resources and Get-DscResource misses them (PowerShell issues 12054, 16750).
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Hyper-V', 'HyperV', 'Linux', 'FreeBSD', 'LIS', 'KVP', 'DynamicMemory', 'CIM', 'WMI', 'Virtualization', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows')
            ProjectUri   = 'https://github.com/hypervguestfeatures/HyperVGuestFeatures'
            LicenseUri   = 'https://github.com/hypervguestfeatures/HyperVGuestFeatures/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
