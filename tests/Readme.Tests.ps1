# Issue 12 item 7: the README shows what the module prints, captured from it (build/Update-ReadmeOutput.ps1,
# run by ./build.ps1 -Task Docs), not invented: each output block must still be what its command prints.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:root = Split-Path $PSScriptRoot
    $script:readme = Join-Path $root 'README.md'
    $generator = Join-Path $root 'build/Update-ReadmeOutput.ps1'
    # In a fresh pwsh: the generator imports the module and starts its own simulated host.
    $script:stale = @(Invoke-FreshPwsh "& '$($generator.Replace("'", "''"))' -ModulePath '$((Get-TestModulePath).Replace("'", "''"))' -ReadmePath '$($readme.Replace("'", "''"))' -Check")
    $script:blocks = [regex]::Matches((Get-Content $readme -Raw), '(?m)^<!-- output: (.+?) -->')
}

Describe 'README output blocks' {
    It 'show the main commands' {
        $commands = $blocks | ForEach-Object { $_.Groups[1].Value }
        foreach ($command in 'Get-GuestFeature', 'Get-DynamicMemory', 'Set-DynamicMemory', 'Get-KvpItem', 'Test-GuestFeature') {
            $commands | Where-Object { $_ -like "$command *" -or $_ -eq $command } | Should -Not -BeNullOrEmpty -Because "the README shows $command as a user sees it"
        }
    }

    It 'are what the commands print today (run ./build.ps1 -Task Docs to update them)' {
        $stale -join "`n" | Should -BeNullOrEmpty
    }

    It 'show the error the startup example promises, not a warning' {
        $text = Get-Content $readme -Raw
        $text | Should -Match "(?m)^Set-DynamicMemory -VMName ubuntu-web -StartupBytes 3GB\s+# error StartupChangeWhileRunning"
        $text | Should -Match "(?ms)<!-- output: Set-DynamicMemory -VMName ubuntu-web -StartupBytes 3GB -->.*?^Set-DynamicMemory: The startup memory of 'ubuntu-web' cannot be changed while it is Running"
    }

    It 'fit 120 columns in their tables' {
        $tables = [regex]::Matches((Get-Content $readme -Raw), '(?ms)^<!-- output: .+? -->\r?\n```text\r?\n(.*?)^```')
        foreach ($table in $tables) {
            $table.Groups[1].Value -split '\r?\n' | Where-Object { $_ -notmatch '^(\S+: |  Recommendation: |PS> )' -and $_.Length -gt 120 } | Should -BeNullOrEmpty
        }
    }
}
