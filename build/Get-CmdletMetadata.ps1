<#
.SYNOPSIS
    Writes the binding metadata of a module's cmdlets as JSON; run by HelpCompiler.ps1 in a child pwsh.
.DESCRIPTION
    The help compiler takes the structure of each help topic (parameter sets, mandatory, position,
    pipeline input, types, wildcards) from the compiled cmdlets. Importing a binary module loads its
    dll for good, so this script runs in a separate process that exits afterwards and leaves the
    build's own pwsh free to rebuild the dll.
#>
param(
    # The laid-out module folder (manifest beside the dll); preferred, since it decides the exports.
    [string] $ModulePath,

    # The dll itself, used when the module folder has no manifest.
    [string] $AssemblyPath,

    [Parameter(Mandatory)]
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$manifest = if ($ModulePath) { Get-ChildItem -Path $ModulePath -Filter '*.psd1' -ErrorAction SilentlyContinue | Select-Object -First 1 }
$module = if ($manifest) { Import-Module $manifest.FullName -PassThru -Force } else { Import-Module $AssemblyPath -PassThru -Force }

# Common and optional common parameters (WhatIf/Confirm) are tagged so the compiler can tell them apart.
$common = [System.Management.Automation.Cmdlet]::CommonParameters
$optionalCommon = [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Get-TypeShortName([type] $Type) {
    # The name Get-Help shows in <...>: String[], Guid, SwitchParameter, PSCredential.
    if ($Type.IsArray) { return (Get-TypeShortName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) {
        return (Get-TypeShortName $Type.GetGenericArguments()[0])
    }
    return $Type.Name
}

function Get-TypeFullName([type] $Type) {
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) {
        return (Get-TypeFullName $Type.GetGenericArguments()[0])
    }
    if ($Type.IsArray) { return (Get-TypeFullName $Type.GetElementType()) + '[]' }
    return $Type.FullName
}

function Get-AcceptedValues([System.Management.Automation.ParameterMetadata] $Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    if ($type.IsEnum) { return @([Enum]::GetNames($type)) }
    return @()
}

$commands = foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $parameters = foreach ($parameter in $command.Parameters.Values) {
        [ordered]@{
            Name              = $parameter.Name
            Type              = Get-TypeShortName $parameter.ParameterType
            TypeFullName      = Get-TypeFullName $parameter.ParameterType
            IsSwitch          = $parameter.SwitchParameter
            IsArray           = $parameter.ParameterType.IsArray
            Aliases           = @($parameter.Aliases)
            SupportsWildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            AcceptedValues    = @(Get-AcceptedValues $parameter)
            IsCommon          = $common -contains $parameter.Name
            IsOptionalCommon  = $optionalCommon -contains $parameter.Name
        }
    }
    $sets = foreach ($set in $command.ParameterSets) {
        [ordered]@{
            Name       = $set.Name
            IsDefault  = $set.IsDefault
            Parameters = @(foreach ($p in $set.Parameters) {
                    [ordered]@{
                        Name                            = $p.Name
                        IsMandatory                     = $p.IsMandatory
                        Position                        = $p.Position
                        ValueFromPipeline               = $p.ValueFromPipeline
                        ValueFromPipelineByPropertyName = $p.ValueFromPipelineByPropertyName
                        ValueFromRemainingArguments     = $p.ValueFromRemainingArguments
                    }
                })
        }
    }
    [ordered]@{
        Name                = $command.Name
        Verb                = $command.Verb
        Noun                = $command.Noun
        DefaultParameterSet = $command.DefaultParameterSet
        ImplementingType    = $command.ImplementingType.FullName
        OutputTypes         = @($command.OutputType | ForEach-Object Name)
        Parameters          = @($parameters)
        ParameterSets       = @($sets)
    }
}

ConvertTo-Json -InputObject @($commands) -Depth 8 | Set-Content -Path $OutputPath -Encoding utf8NoBOM
