#Requires -Version 7.2
<#
.SYNOPSIS
    Compiles the platyPS markdown help in docs/<culture> to MAML beside the module's dll.
.DESCRIPTION
    Called by build.ps1 (Build, Docs). For each <Cmdlet>.md at the top of SourcePath (README.md, about
    topics and sub-folders such as .pending/ are not cmdlet topics), it writes one command:command
    into <ModulePath>/<culture>/<dll>-Help.xml, and copies about_*.help.txt alongside.

    The markdown supplies the prose: synopsis, description, parameter descriptions and default
    values, examples, inputs, outputs, notes and links. The compiled cmdlets supply the structure:
    parameter sets, mandatory, position, pipeline input, types, aliases and wildcard support. That
    metadata is read in a child pwsh (Get-CmdletMetadata.ps1) so that this process never loads the
    dll, which could not be unloaded and would lock the next build.

    Where markdown and cmdlet disagree (a documented parameter the cmdlet lacks, a parameter with no
    section, a yaml block or SYNTAX block that contradicts the binding, a cmdlet without a topic),
    the compiler writes a warning and goes on; tests/Help.Tests.ps1 turns the same gaps into
    failures. When platyPS is installed, its New-ExternalHelp writes the MAML instead, after
    the same checks.
.EXAMPLE
    ./build/HelpCompiler.ps1 -SourcePath docs/en-US -ModulePath out/HyperVGuestFeatures -AssemblyPath out/bin/HyperVGuestFeatures/HyperVGuestFeatures.dll
#>
[CmdletBinding()]
param(
    # docs/<culture>: the leaf names the output culture folder.
    [Parameter(Mandatory)]
    [string] $SourcePath,

    # The laid-out module folder (manifest, dll); the help goes into its <culture> sub-folder.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The module's dll; names the MAML file (<dll>-Help.xml). Defaults to the manifest's RootModule.
    [string] $AssemblyPath,

    # Ignore an installed platyPS and use this compiler.
    [switch] $NoPlatyPS
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:warningCount = 0

function Write-HelpWarning([string] $File, [string] $Message) {
    $script:warningCount++
    Write-Warning "$(Split-Path $File -Leaf): $Message"
}

#region Markdown

# Splits a platyPS markdown file into front matter, title and H2 sections holding H3 subsections.
# Each section or subsection holds blocks: Text (one paragraph, list item or table) and Code
# (a fenced block with its language). Headings inside fenced blocks are code, not structure.
function Read-HelpMarkdown([string] $Path) {
    $lines = (Get-Content -LiteralPath $Path -Raw -Encoding utf8) -replace "`r`n?", "`n" -split "`n"
    $doc = [ordered]@{ Path = $Path; FrontMatter = [ordered]@{}; Title = $null; Sections = [System.Collections.Generic.List[object]]::new() }
    $i = 0
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        for ($i = 1; $i -lt $lines.Count -and $lines[$i].Trim() -ne '---'; $i++) {
            if ($lines[$i] -match '^\s*([^:#][^:]*?)\s*:\s*(.*?)\s*$') { $doc.FrontMatter[$Matches[1]] = $Matches[2] }
        }
        $i++
    }

    $section = $null; $sub = $null
    $container = $null          # the block list being filled
    $paragraph = [System.Collections.Generic.List[string]]::new()   # lines of the open text block
    $fence = $null              # the open code block

    $flush = {
        if ($paragraph.Count -gt 0 -and $null -ne $container) {
            $container.Add([ordered]@{ Kind = 'Text'; Lines = $paragraph.ToArray() })
        }
        $paragraph.Clear()
    }

    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($null -ne $fence) {
            if ($line -match '^\s*(```|~~~)\s*$' -and $line.Trim() -eq $fence.Marker) {
                if ($null -ne $container) { $container.Add([ordered]@{ Kind = 'Code'; Language = $fence.Language; Text = ($fence.Lines -join "`n") }) }
                $fence = $null
            }
            else { $fence.Lines.Add($line) }
            continue
        }
        if ($line -match '^\s*(```|~~~)\s*([\w+-]*)\s*$') {
            & $flush
            $fence = @{ Marker = $Matches[1]; Language = $Matches[2]; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        if ($line -match '^#\s+(.+?)\s*#*\s*$') {
            & $flush
            if ($null -eq $doc.Title) { $doc.Title = $Matches[1] }
            continue
        }
        if ($line -match '^##\s+(.+?)\s*$') {
            & $flush
            $section = [ordered]@{ Name = $Matches[1].ToUpperInvariant(); Blocks = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
            $doc.Sections.Add($section)
            $sub = $null; $container = $section.Blocks
            continue
        }
        if ($line -match '^###\s+(.+?)\s*$') {
            & $flush
            $sub = [ordered]@{ Title = $Matches[1]; Blocks = [System.Collections.Generic.List[object]]::new() }
            if ($null -ne $section) { $section.Subsections.Add($sub) }
            $container = $sub.Blocks
            continue
        }
        if ($line.Trim() -eq '') { & $flush; continue }
        # A list item starts a block of its own (continuation lines are indented).
        if ($line -match '^\s{0,3}([-*+]|\d+[.)])\s+' -and $paragraph.Count -gt 0 -and $paragraph[0] -notmatch '^\s*\|') { & $flush }
        $paragraph.Add($line)
    }
    if ($null -ne $fence) { Write-HelpWarning $Path 'a code block is not closed' }
    & $flush
    return $doc
}

function Get-Section($Doc, [string] $Name) {
    $Doc.Sections | Where-Object { $_.Name -eq $Name } | Select-Object -First 1
}

# Markdown inline text to what a console shows: links as "text (uri)", escapes removed, soft line breaks joined.
function ConvertTo-PlainText([string[]] $Lines) {
    if ($Lines[0] -match '^\s*\|') { return ($Lines | ForEach-Object { $_.TrimEnd() }) -join "`n" }   # a table keeps its rows
    $text = ($Lines | ForEach-Object { $_.Trim() }) -join ' '
    $text = [regex]::Replace($text, '\[([^\]]+)\]\(([^)\s]+)\)', {
            param($m)
            if ($m.Groups[2].Value -match '^[a-z]+://') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value }
        })
    $text = [regex]::Replace($text, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
    return $text
}

# The paragraphs of a block list: text blocks become one paragraph each, code blocks keep their lines.
function Get-Paragraphs($Blocks) {
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Text') { ConvertTo-PlainText $block.Lines }
        else { $block.Text }
    }
}

# key: value pairs of a platyPS parameter yaml block.
function ConvertFrom-ParameterYaml([string] $Text) {
    $map = [ordered]@{}
    foreach ($line in $Text -split "`n") {
        if ($line -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { $map[$Matches[1]] = $Matches[2] }
    }
    return $map
}

#endregion

#region Structure from the cmdlets

function Get-CmdletMetadata {
    $json = Join-Path ([System.IO.Path]::GetTempPath()) "hgf-help-metadata-$PID.json"
    $helper = Join-Path $PSScriptRoot 'Get-CmdletMetadata.ps1'
    $helperArgs = @('-NoProfile', '-NonInteractive', '-File', $helper, '-ModulePath', $ModulePath, '-OutputPath', $json)
    if ($AssemblyPath) { $helperArgs += @('-AssemblyPath', $AssemblyPath) }
    # The same pwsh that runs this script, in a new process: a native pwsh, or pwsh.dll under dotnet (the local tool).
    $processPath = [Environment]::ProcessPath
    try {
        if ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'pwsh') { & $processPath @helperArgs }
        else { & $processPath (Join-Path $PSHOME 'pwsh.dll') @helperArgs }
        if ($LASTEXITCODE -ne 0) { throw "reading the cmdlet metadata failed (exit code $LASTEXITCODE)" }
        return @(Get-Content $json -Raw | ConvertFrom-Json)
    }
    finally { Remove-Item $json -ErrorAction SilentlyContinue }
}

$namedPosition = [int]::MinValue

# A parameter's view across the sets it belongs to, as the MAML parameters section shows it.
function Get-ParameterSummary($Command, $Parameter) {
    $inSets = @(foreach ($set in $Command.ParameterSets) {
            $entry = $set.Parameters | Where-Object Name -EQ $Parameter.Name
            if ($entry) { [pscustomobject]@{ SetName = $set.Name; Entry = $entry } }
        })
    $positions = @($inSets.Entry.Position | Where-Object { $_ -ne $namedPosition } | Sort-Object -Unique)
    [pscustomobject]@{
        Sets          = @($inSets | ForEach-Object SetName)
        Required      = ($inSets.Count -gt 0 -and @($inSets.Entry | Where-Object { -not $_.IsMandatory }).Count -eq 0)
        Position      = if ($positions.Count -gt 0) { [string]$positions[0] } else { 'named' }
        PipelineInput = Get-PipelineInputText @($inSets.Entry)
    }
}

function Get-PipelineInputText($Entries) {
    $kinds = @()
    if (@($Entries | Where-Object ValueFromPipelineByPropertyName).Count) { $kinds += 'ByPropertyName' }
    if (@($Entries | Where-Object ValueFromPipeline).Count) { $kinds += 'ByValue' }
    if ($kinds) { return "True ($($kinds -join ', '))" }
    return 'False'
}

#endregion

#region Checks

function Test-TypeName([string] $Documented, $Parameter) {
    $d = $Documented.Trim()
    return $d -ieq $Parameter.Type -or $d -ieq $Parameter.TypeFullName -or $d -ieq ($Parameter.TypeFullName -replace '^System\.', '')
}

# Compares a topic with its cmdlet; every gap is a warning (the conformance tests make them failures).
function Test-Topic($Topic, $Command) {
    $file = $Topic.Doc.Path
    foreach ($name in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not (Get-Section $Topic.Doc $name)) { Write-HelpWarning $file "has no '## $name' section" }
    }
    if (-not $Topic.Synopsis) { Write-HelpWarning $file 'the synopsis is empty' }
    if (-not $Topic.Description) { Write-HelpWarning $file 'the description is empty' }
    if (@($Topic.Examples | Where-Object Code).Count -lt 2) { Write-HelpWarning $file 'has fewer than two examples with code' }
    if ($Topic.Doc.Title -ne $Command.Name) { Write-HelpWarning $file "the title '# $($Topic.Doc.Title)' is not the cmdlet name $($Command.Name)" }

    $setNames = @($Command.ParameterSets.Name)
    foreach ($documentedSet in $Topic.SyntaxSets) {
        if ($setNames -notcontains $documentedSet -and -not ($documentedSet -eq '__AllParameterSets' -and $setNames.Count -eq 1)) {
            Write-HelpWarning $file "SYNTAX documents parameter set '$documentedSet', which $($Command.Name) does not have (it has: $($setNames -join ', '))"
        }
    }
    foreach ($set in $Command.ParameterSets) {
        if ($Topic.SyntaxSets -notcontains $set.Name -and -not ($setNames.Count -eq 1 -and $Topic.SyntaxSets.Count -eq 1)) {
            Write-HelpWarning $file "SYNTAX has no block for parameter set '$($set.Name)'"
        }
    }

    $documentable = @($Command.Parameters | Where-Object { -not $_.IsCommon })
    foreach ($name in $Topic.Parameters.Keys) {
        if (-not ($documentable | Where-Object Name -EQ $name)) {
            Write-HelpWarning $file "documents parameter -$name, which $($Command.Name) does not have"
        }
    }
    foreach ($parameter in $documentable) {
        $doc = $Topic.Parameters[$parameter.Name]
        if (-not $doc) { Write-HelpWarning $file "has no section '### -$($parameter.Name)' for a parameter of $($Command.Name)"; continue }
        if (-not $doc.Description) { Write-HelpWarning $file "parameter -$($parameter.Name) has no description" }
        if ($doc.Yaml.Count -eq 0) { Write-HelpWarning $file "parameter -$($parameter.Name) has no yaml block"; continue }
        $summary = Get-ParameterSummary $Command $parameter
        foreach ($yaml in $doc.Yaml) {
            $where = "parameter -$($parameter.Name)"
            if ($yaml.Contains('Type') -and -not (Test-TypeName $yaml['Type'] $parameter)) {
                Write-HelpWarning $file "$where is documented as $($yaml['Type']) but is $($parameter.Type)"
            }
            $sets = $summary.Sets
            if ($yaml.Contains('Parameter Sets') -and $yaml['Parameter Sets'] -ne '(All)') {
                $sets = @($yaml['Parameter Sets'] -split ',' | ForEach-Object Trim | Where-Object { $_ })
                $unknown = @($sets | Where-Object { $summary.Sets -notcontains $_ })
                if ($unknown) { Write-HelpWarning $file "$where is documented in parameter set(s) $($unknown -join ', '), which it is not in (it is in: $($summary.Sets -join ', '))" }
            }
            elseif ($yaml.Contains('Parameter Sets') -and @($summary.Sets).Count -ne $setNames.Count) {
                Write-HelpWarning $file "$where is documented in (All) parameter sets but is only in: $($summary.Sets -join ', ')"
            }
            foreach ($setName in $sets) {
                $set = $Command.ParameterSets | Where-Object Name -EQ $setName
                $entry = if ($set) { $set.Parameters | Where-Object Name -EQ $parameter.Name }
                if (-not $entry) { continue }
                if ($yaml.Contains('Required') -and ($yaml['Required'] -ieq 'True') -ne [bool]$entry.IsMandatory) {
                    Write-HelpWarning $file "$where is documented Required: $($yaml['Required']) but is $(if ($entry.IsMandatory) { 'mandatory' } else { 'optional' }) in set $setName"
                }
                $position = if ($entry.Position -eq $namedPosition) { 'Named' } else { [string]$entry.Position }
                if ($yaml.Contains('Position') -and $yaml['Position'] -ine $position) {
                    Write-HelpWarning $file "$where is documented Position: $($yaml['Position']) but is $position in set $setName"
                }
                if ($yaml.Contains('Accept pipeline input')) {
                    $documented = ($yaml['Accept pipeline input'] -replace '\s', '').ToLowerInvariant()
                    $actual = (Get-PipelineInputText @($entry)) -replace '\s', ''
                    $flip = $actual -replace 'ByPropertyName,ByValue', 'ByValue,ByPropertyName'
                    if ($documented -ne $actual.ToLowerInvariant() -and $documented -ne $flip.ToLowerInvariant()) {
                        Write-HelpWarning $file "$where is documented Accept pipeline input: $($yaml['Accept pipeline input']) but is $(Get-PipelineInputText @($entry)) in set $setName"
                    }
                }
            }
            if ($yaml.Contains('Accept wildcard characters') -and ($yaml['Accept wildcard characters'] -ieq 'True') -ne [bool]$parameter.SupportsWildcards) {
                Write-HelpWarning $file "$where is documented Accept wildcard characters: $($yaml['Accept wildcard characters']) but the cmdlet says $($parameter.SupportsWildcards) ([SupportsWildcards()])"
            }
        }
    }

    $documentedOutputs = @($Topic.Outputs.Type)
    foreach ($outputType in $Command.OutputTypes) {
        if ($documentedOutputs -notcontains $outputType) { Write-HelpWarning $file "OUTPUTS does not list $outputType, which the cmdlet declares with [OutputType]" }
    }
}

#endregion

#region Topic model

function ConvertTo-Topic($Doc) {
    $topic = [ordered]@{
        Doc         = $Doc
        Synopsis    = @()
        Description = @()
        SyntaxSets  = @()
        Examples    = @()
        Parameters  = [ordered]@{}
        Inputs      = @()
        Outputs     = @()
        Notes       = @()
        Links       = @()
    }
    if ($s = Get-Section $Doc 'SYNOPSIS') { $topic.Synopsis = @(Get-Paragraphs $s.Blocks) }
    if ($s = Get-Section $Doc 'DESCRIPTION') { $topic.Description = @(Get-Paragraphs $s.Blocks) }
    if ($s = Get-Section $Doc 'NOTES') { $topic.Notes = @(Get-Paragraphs $s.Blocks) }
    if ($s = Get-Section $Doc 'SYNTAX') {
        $topic.SyntaxSets = @($s.Subsections | ForEach-Object { $_.Title -replace '\s*\(Default\)\s*$', '' })
    }
    if ($s = Get-Section $Doc 'EXAMPLES') {
        $topic.Examples = @(foreach ($sub in $s.Subsections) {
                [pscustomobject]@{
                    Title   = $sub.Title
                    Code    = (@($sub.Blocks | Where-Object Kind -EQ 'Code' | ForEach-Object Text) -join "`n`n")
                    Remarks = @(Get-Paragraphs @($sub.Blocks | Where-Object Kind -EQ 'Text'))
                }
            })
    }
    if ($s = Get-Section $Doc 'PARAMETERS') {
        foreach ($sub in $s.Subsections) {
            if ($sub.Title -notmatch '^-(\S+)$') { continue }        # ### CommonParameters
            $topic.Parameters[$Matches[1]] = [pscustomobject]@{
                Description = @(Get-Paragraphs @($sub.Blocks | Where-Object { $_.Kind -eq 'Text' -or $_.Language -notin 'yaml', 'yml' }))
                Yaml        = @($sub.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -in 'yaml', 'yml' } | ForEach-Object { ConvertFrom-ParameterYaml $_.Text })
            }
        }
    }
    foreach ($pair in @(@('INPUTS', 'Inputs'), @('OUTPUTS', 'Outputs'))) {
        if ($s = Get-Section $Doc $pair[0]) {
            $topic[$pair[1]] = @(foreach ($sub in $s.Subsections) {
                    [pscustomobject]@{ Type = $sub.Title; Description = @(Get-Paragraphs $sub.Blocks) }
                })
        }
    }
    if ($s = Get-Section $Doc 'RELATED LINKS') {
        $topic.Links = @(foreach ($block in $s.Blocks | Where-Object Kind -EQ 'Text') {
                foreach ($line in $block.Lines) {
                    $line = $line.Trim() -replace '^[-*+]\s+', ''
                    # Only absolute links keep a uri: Get-Help -Online opens the first one, and about topics are named, not linked.
                    if ($line -match '^\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $(if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' }) } }
                    elseif ($line) { [pscustomobject]@{ Text = $line; Uri = '' } }
                }
            })
    }
    return $topic
}

#endregion

#region MAML

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $mamlNs, $paragraph) }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $mamlNs)
    Write-Paragraphs $Writer $Paragraphs
    $Writer.WriteEndElement()
}

# The order Get-Help shows a set's parameters in: positional by position, then mandatory, then the
# rest as declared, WhatIf/Confirm last.
function Get-OrderedSetParameters($Command, $Set) {
    $declared = @($Command.Parameters.Name)
    $Set.Parameters |
        Where-Object { -not ($Command.Parameters | Where-Object Name -EQ $_.Name).IsCommon } |
        Sort-Object -Property `
            @{ Expression = { ($Command.Parameters | Where-Object Name -EQ $_.Name).IsOptionalCommon } },
            @{ Expression = { if ($_.Position -eq $namedPosition) { [int]::MaxValue } else { $_.Position } } },
            @{ Expression = { -not $_.IsMandatory } },
            @{ Expression = { $declared.IndexOf($_.Name) } }
}

function Write-ParameterAttributes([System.Xml.XmlWriter] $Writer, [bool] $Required, [string] $Position, [string] $PipelineInput, $Parameter) {
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ([bool]$Parameter.IsArray).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ([bool]$Parameter.SupportsWildcards).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if (@($Parameter.Aliases).Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
}

function Write-ParameterValue([System.Xml.XmlWriter] $Writer, $Parameter, [bool] $InSyntax) {
    if ($Parameter.IsSwitch) {
        if (-not $InSyntax) {
            $Writer.WriteStartElement('command', 'parameterValue', $commandNs)
            $Writer.WriteAttributeString('required', 'false'); $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString('SwitchParameter'); $Writer.WriteEndElement()
        }
        return
    }
    if (@($Parameter.AcceptedValues).Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $commandNs)
        foreach ($value in $Parameter.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $commandNs)
            $Writer.WriteAttributeString('required', 'false'); $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value); $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('command', 'parameterValue', $commandNs)
    $Writer.WriteAttributeString('required', 'true')
    $Writer.WriteAttributeString('variableLength', ([bool]$Parameter.IsArray).ToString().ToLowerInvariant())
    $Writer.WriteString($Parameter.Type)
    $Writer.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Topic, $Command) {
    $Writer.WriteStartElement('command', 'command', $commandNs)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $mamlNs)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $commandNs)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $devNs)

    $Writer.WriteStartElement('command', 'details', $commandNs)
    $Writer.WriteElementString('command', 'name', $commandNs, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $commandNs, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $commandNs, $Command.Noun)
    Write-Description $Writer $Topic.Synopsis
    $Writer.WriteEndElement()
    Write-Description $Writer $Topic.Description

    # SYNTAX: one item per parameter set, in the markdown's order, then the default set, then by name.
    $Writer.WriteStartElement('command', 'syntax', $commandNs)
    $sets = $Command.ParameterSets | Sort-Object -Property `
        @{ Expression = { $i = [array]::IndexOf(@($Topic.SyntaxSets), $_.Name); if ($i -lt 0) { [int]::MaxValue } else { $i } } },
        @{ Expression = { -not $_.IsDefault } }, Name
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $commandNs)
        $Writer.WriteElementString('maml', 'name', $mamlNs, $Command.Name)
        foreach ($entry in Get-OrderedSetParameters $Command $set) {
            $parameter = $Command.Parameters | Where-Object Name -EQ $entry.Name
            $Writer.WriteStartElement('command', 'parameter', $commandNs)
            $position = if ($entry.Position -eq $namedPosition) { 'named' } else { [string]$entry.Position }
            Write-ParameterAttributes $Writer ([bool]$entry.IsMandatory) $position (Get-PipelineInputText @($entry)) $parameter
            $Writer.WriteElementString('maml', 'name', $mamlNs, $parameter.Name)
            Write-ParameterValue $Writer $parameter $true
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # PARAMETERS: every parameter but the common ones, in the markdown's order, then as declared.
    $Writer.WriteStartElement('command', 'parameters', $commandNs)
    $documentedOrder = @($Topic.Parameters.Keys)
    $parameters = $Command.Parameters | Where-Object { -not $_.IsCommon } | Sort-Object -Property `
        @{ Expression = { $_.IsOptionalCommon } },
        @{ Expression = { $i = [array]::IndexOf($documentedOrder, $_.Name); if ($i -lt 0) { [int]::MaxValue } else { $i } } }
    foreach ($parameter in $parameters) {
        $summary = Get-ParameterSummary $Command $parameter
        $doc = $Topic.Parameters[$parameter.Name]
        $Writer.WriteStartElement('command', 'parameter', $commandNs)
        Write-ParameterAttributes $Writer $summary.Required $summary.Position $summary.PipelineInput $parameter
        $Writer.WriteElementString('maml', 'name', $mamlNs, $parameter.Name)
        Write-Description $Writer $(if ($doc) { $doc.Description } else { @() })
        Write-ParameterValue $Writer $parameter $false
        $Writer.WriteStartElement('dev', 'type', $devNs)
        $Writer.WriteElementString('maml', 'name', $mamlNs, $parameter.TypeFullName)
        $Writer.WriteElementString('maml', 'uri', $mamlNs, '')
        $Writer.WriteEndElement()
        $default = if ($doc -and @($doc.Yaml).Count -and $doc.Yaml[0].Contains('Default value') -and $doc.Yaml[0]['Default value']) { $doc.Yaml[0]['Default value'] } else { 'None' }
        $Writer.WriteElementString('dev', 'defaultValue', $devNs, $default)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Topic.Inputs), @('returnValues', 'returnValue', $Topic.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $commandNs)
        foreach ($item in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $commandNs)
            $Writer.WriteStartElement('dev', 'type', $devNs)
            $Writer.WriteElementString('maml', 'name', $mamlNs, $item.Type)
            $Writer.WriteEndElement()
            Write-Description $Writer $item.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    if ($Topic.Notes.Count) {
        # NOTES; without notes the element is left out, else Get-Help prints an empty NOTES heading.
        $Writer.WriteStartElement('maml', 'alertSet', $mamlNs)
        $Writer.WriteStartElement('maml', 'alert', $mamlNs)
        Write-Paragraphs $Writer $Topic.Notes
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $commandNs)
    foreach ($example in $Topic.Examples) {
        $Writer.WriteStartElement('command', 'example', $commandNs)
        $Writer.WriteElementString('maml', 'title', $mamlNs, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $devNs, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $devNs)
        Write-Paragraphs $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $commandNs)
    $online = $Topic.Doc.FrontMatter['online version']
    $links = @()
    if ($online) { $links += [pscustomobject]@{ Text = 'Online Version:'; Uri = $online } }
    foreach ($link in @($links) + @($Topic.Links)) {
        $Writer.WriteStartElement('maml', 'navigationLink', $mamlNs)
        $Writer.WriteElementString('maml', 'linkText', $mamlNs, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $mamlNs, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

#endregion

$SourcePath = (Resolve-Path $SourcePath).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$culture = Split-Path $SourcePath -Leaf
$helpDir = Join-Path $ModulePath $culture
$null = New-Item -ItemType Directory -Force -Path $helpDir
if (-not $AssemblyPath) {
    $manifestFile = Get-ChildItem $ModulePath -Filter '*.psd1' | Select-Object -First 1
    # The root module is a script module that imports <module>.dll (HyperVGuestFeatures.psm1): the cmdlets are in the dll.
    $AssemblyPath = Join-Path $ModulePath ($manifestFile.BaseName + '.dll')
}
$mamlPath = Join-Path $helpDir "$(Split-Path $AssemblyPath -Leaf)-Help.xml"

# Cmdlet topics sit at the top of the folder; README.md, about topics and sub-folders (.pending) are not topics.
$topicFiles = @(Get-ChildItem -LiteralPath $SourcePath -File -Filter '*.md' |
        Where-Object { $_.Name -ne 'README.md' -and $_.Name -notlike 'about_*' } | Sort-Object Name)
$commands = @(Get-CmdletMetadata)

$topics = [System.Collections.Generic.List[object]]::new()
foreach ($file in $topicFiles) {
    $doc = Read-HelpMarkdown $file.FullName
    $name = [System.IO.Path]::GetFileNameWithoutExtension($file.Name)
    $command = $commands | Where-Object Name -EQ $name
    if (-not $command) { Write-HelpWarning $file.FullName "the module has no cmdlet $name; the topic is skipped"; continue }
    if (-not $doc.FrontMatter.Contains('external help file')) { Write-HelpWarning $file.FullName "the front matter has no 'external help file'" }
    $topic = ConvertTo-Topic $doc
    Test-Topic $topic $command
    $topics.Add([pscustomobject]@{ Topic = $topic; Command = $command })
}
foreach ($command in $commands) {
    if (-not ($topics | Where-Object { $_.Command.Name -eq $command.Name })) {
        Write-HelpWarning (Join-Path $SourcePath "$($command.Name).md") "missing: $($command.Name) has no help topic, so Get-Help shows only its syntax"
    }
}

$platyPS = if (-not $NoPlatyPS) { Get-Module -ListAvailable platyPS | Sort-Object Version -Descending | Select-Object -First 1 }
if ($platyPS) {
    Import-Module $platyPS -Force
    $null = New-ExternalHelp -Path @($topics | ForEach-Object { $_.Topic.Doc.Path }) -OutputPath $helpDir -Force
}
else {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($mamlPath, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($entry in $topics) { Write-Command $writer $entry.Topic $entry.Command }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

# About topics are plain text, shown verbatim by Get-Help about_<name>.
foreach ($about in Get-ChildItem -LiteralPath $SourcePath -File -Filter 'about_*') {
    if ($about.Name -like '*.help.txt') { Copy-Item -LiteralPath $about.FullName -Destination $helpDir -Force }
    else { Write-HelpWarning $about.FullName 'about topics are authored as about_<Name>.help.txt (plain text); this file is not shipped' }
}

$generator = if ($platyPS) { "platyPS $($platyPS.Version)" } else { 'HelpCompiler' }
Write-Host "Help: $($topics.Count) of $($commands.Count) cmdlets documented -> $mamlPath ($generator, $script:warningCount warnings)"
