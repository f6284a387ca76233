# Every message a user reads comes from Messages.resx, and numbers in messages and in the report's Detail texts read
# the same in any culture (the module's messages are English; Detail and the catalog are the report's English data).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:src = Join-Path (Split-Path $PSScriptRoot) 'src/HyperVGuestFeatures'
}

Describe 'Messages live in Messages.resx' {
    BeforeAll {
        # Where a message text is built: the calls that write or ask something, a progress record, a FormatException
        # whose text a warning shows, an error's message, and any string.Format of an English sentence.
        $script:inline = @(
            '\b(?:Verbose|Warning|Debug|WriteVerbose|WriteWarning|WriteDebug|WriteProviderDebug|WriteInformation|ShouldProcess|ShouldContinue|log\?\.Invoke|FormatException)\(\s*(?:\$?@?"|string\.Format\()'
            'new ProgressRecord\([^,]+,\s*(?:[^,]+,\s*)?(?:\$?@?"|string\.Format\()'
            'new GuestFeatureException\(\s*"\w+",\s*[^,]+,\s*[^,]+,\s*(?:\$?@?"|string\.Format\()'
            'string\.Format\(\s*CultureInfo\.\w+,\s*(?:[\w.]+\s*\?\s*)?"[^"]*\b[a-z]+ [a-z]+ [a-z]+'
        )
        # Report data, not messages: the Detail texts of the features (English, like the catalog they describe) and
        # the HTML report's own document text.
        $script:data = 'HyperV/FeatureRules.cs', 'HyperV/FeatureProbe.cs', 'Reporting/HtmlReport.cs'
        $script:files = Get-ChildItem (Join-Path $src 'HyperV'), (Join-Path $src 'Cim'), (Join-Path $src 'Commands'), (Join-Path $src 'Reporting') -Filter *.cs -Recurse |
            Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' }
    }

    It 'builds no message text inline in HyperV, Cim, Commands and Reporting' {
        $files.Count | Should -BeGreaterThan 40
        $found = foreach ($file in $files) {
            $relative = [System.IO.Path]::GetRelativePath($src, $file.FullName) -replace '\\', '/'
            $text = Get-Content -Raw $file.FullName
            foreach ($pattern in $inline) {
                foreach ($match in [regex]::Matches($text, $pattern)) {
                    if ($relative -in $data -and $pattern -like 'string*') { continue }
                    '{0}:{1}: {2}' -f $relative, ($text.Substring(0, $match.Index) -split "`n").Count, ($match.Value -replace '\s+', ' ')
                }
            }
        }
        $found | Should -BeNullOrEmpty
    }

    It 'has a resource for every key the code formats' {
        $resx = [xml](Get-Content -Raw (Join-Path $src 'Messages.resx'))
        $keys = [System.Collections.Generic.HashSet[string]]::new([string[]]@($resx.root.data.name))
        $used = Get-ChildItem $src -Filter *.cs -Recurse | Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' } |
            Select-String -Pattern 'GuestFeatureException\.(?:Format|Create)\(\s*"(\w+)"' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique
        $used.Count | Should -BeGreaterThan 100
        $used | Where-Object { -not $keys.Contains($_) } | Should -BeNullOrEmpty
    }

    It 'looks up VMs in one wording' {
        $resx = Get-Content -Raw (Join-Path $src 'Messages.resx')
        ([regex]::Matches($resx, 'Looking up VMs')).Count | Should -Be 1
        $files | Select-String -SimpleMatch 'Looking up' | Should -BeNullOrEmpty
    }
}

Describe 'Numbers in messages and Detail read the same in any culture' {
    BeforeAll {
        # The same commands in a de-DE process (decimal comma, '.' between thousands) and in an invariant one.
        $script:probe = {
            param([string] $Culture)
            @"
`$culture = [System.Globalization.CultureInfo]::new('$Culture')
[System.Globalization.CultureInfo]::CurrentCulture = `$culture
[System.Globalization.CultureInfo]::DefaultThreadCurrentCulture = `$culture
`$PSStyle.OutputRendering = 'PlainText'
Import-Module '$(Get-TestModulePath)'
Start-HyperVSimulator -ComputerName Culture1
# This computer's simulated host: sources are read here, so the copy's progress counts bytes.
Start-HyperVSimulator
'NUMBER ' + (1234.5).ToString('N1')
Get-GuestFeature -ComputerName Culture1 | ForEach-Object { 'DETAIL ' + `$_.VMName + ' ' + `$_.FeatureId + ': ' + `$_.Detail + ' | ' + `$_.GuestSupportDetail }
`$source = Join-Path ([System.IO.Path]::GetTempPath()) ('culture-' + [guid]::NewGuid() + '.bin')
[System.IO.File]::WriteAllBytes(`$source, [byte[]]::new(300KB))
`$ps = [powershell]::Create()
`$null = `$ps.AddScript('Import-Module ''$(Get-TestModulePath)''; `$ProgressPreference = ''Continue''; Copy-GuestFile -VMName ubuntu-web -SourcePath ''' + `$source + ''' -DestinationPath /tmp/culture.bin')
`$null = `$ps.Invoke()
`$ps.Streams.Progress | Where-Object CurrentOperation | ForEach-Object { 'PROGRESS ' + `$_.CurrentOperation }
Remove-Item `$source
`$report = Join-Path ([System.IO.Path]::GetTempPath()) ('culture-' + [guid]::NewGuid() + '.html')
Export-GuestFeatureReport -ComputerName Culture1 -Path `$report -Verbose 4>&1 | ForEach-Object { 'VERBOSE ' + `$_ }
Remove-Item `$report
"@
        }
        $script:german = @(Invoke-FreshPwsh (& $probe 'de-DE'))
        $script:invariant = @(Invoke-FreshPwsh (& $probe ''))
    }

    It 'runs the probe in a culture that writes 1.234,5' {
        $german | Should -Contain 'NUMBER 1.234,5'
        $invariant | Should -Contain 'NUMBER 1,234.5'
    }

    It 'keeps every Detail and GuestSupportDetail text the same' {
        $details = @($german | Where-Object { $_ -like 'DETAIL *' })
        $details.Count | Should -BeGreaterThan 100
        $details | Should -Be @($invariant | Where-Object { $_ -like 'DETAIL *' })
    }

    It 'writes byte counts in progress (its current operation) with the invariant thousands separator' {
        $progress = @($german | Where-Object { $_ -match '^PROGRESS .* of .* bytes$' })
        $progress | Should -Not -BeNullOrEmpty
        $progress | Where-Object { $_ -notmatch '^PROGRESS \d{1,3}(,\d{3})* of \d{1,3}(,\d{3})* bytes$' } | Should -BeNullOrEmpty
        $progress | Should -Contain 'PROGRESS 307,200 of 307,200 bytes'
    }

    It 'writes the report''s size and time with a decimal point' {
        $written = @($german | Where-Object { $_ -like 'VERBOSE Wrote the report to *' })
        $written | Should -HaveCount 1
        $written[0] | Should -Match ', \d+ KB, in \d+\.\d\d s\.$'
    }
}
