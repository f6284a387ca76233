# Shared by the Pester suites: where the built module is, and small assertions.

function Get-TestModulePath {
    if ($env:HYPERVGUESTFEATURES_MODULE) { return $env:HYPERVGUESTFEATURES_MODULE }
    return (Join-Path (Split-Path $PSScriptRoot) 'out/HyperVGuestFeatures')
}

function Import-TestModule {
    Import-Module (Get-TestModulePath) -Force -Global -ErrorAction Stop
}

Export-ModuleMember -Function Get-TestModulePath, Import-TestModule
