# Copy-GuestFile: which host files a command means, and directory trees (-Recurse). Sources that differ only in case,
# literal names with wildcard characters (-LiteralPath), files that are not regular files (refused before any call),
# links, Windows destinations, progress by bytes. $lab is this computer; $lab2 a simulated host under another name,
# remote to the module.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = [Environment]::MachineName
    $script:lab2 = 'SourcesLab2'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.CopyGuestFileCommand'

    # The text of a file in the simulated guest (paths are case-sensitive, as on Linux); nothing when there is none.
    function script:Read-GuestText([string] $VMName, [string] $Path, [string] $ComputerName = $lab) {
        $file = (Get-HyperVSimulatorVM -ComputerName $ComputerName -VMName $VMName).GuestFiles | Where-Object Path -CEQ $Path
        if ($file) { [System.Text.Encoding]::UTF8.GetString($file.ReadAllBytes()) }
    }

    function script:Test-GuestDirectory([string] $VMName, [string] $Path, [string] $ComputerName = $lab) {
        (Get-HyperVSimulatorVM -ComputerName $ComputerName -VMName $VMName).GuestDirectories -ccontains $Path
    }

    function script:Invoke-Copy([hashtable] $Parameters) {
        $errors = $null
        $warnings = $null
        $output = Copy-GuestFile @Parameters -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue -WarningVariable warnings
        [pscustomobject]@{ Output = @($output); Errors = @($errors); Warnings = @($warnings) }
    }

    function script:New-File([string] $Path, [string] $Text) {
        $full = Join-Path $root $Path
        New-Item -ItemType Directory -Path (Split-Path $full) -Force | Out-Null
        [System.IO.File]::WriteAllText($full, $Text)
        $full
    }
}

Describe 'Copy-GuestFile sources' {
    BeforeEach {
        Start-HyperVSimulator -ComputerName $lab, $lab2 3>$null
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $root | Out-Null
        Push-Location -LiteralPath $root
    }

    AfterEach {
        Pop-Location
        Stop-HyperVSimulator -ComputerName $lab, $lab2
    }

    Context 'names that differ only in case (a case-sensitive file system)' -Skip:($IsWindows -or $IsMacOS) {
        BeforeEach {
            New-File 'a.txt' 'lower' | Out-Null
            New-File 'A.txt' 'UPPER' | Out-Null
        }

        It 'copies both when named' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'a.txt', 'A.txt'; DestinationPath = '/tmp/case/'; CreateFullPath = $true; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 2
            Read-GuestText ubuntu-web /tmp/case/a.txt | Should -BeExactly 'lower'
            Read-GuestText ubuntu-web /tmp/case/A.txt | Should -BeExactly 'UPPER'
        }

        It 'copies both when a wildcard matches them' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = '*'; DestinationPath = '/tmp/case'; CreateFullPath = $true; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 2
            $result.Output.Destination -ccontains '/tmp/case/A.txt' | Should -BeTrue
            $result.Output.Destination -ccontains '/tmp/case/a.txt' | Should -BeTrue
            (Get-HyperVSimulator -ComputerName $lab).ChangeCallCount | Should -Be 2
        }

        It 'still copies a file named twice once' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'a.txt', '*.txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Output | Should -HaveCount 2
        }
    }

    Context 'wildcard characters in file names: -LiteralPath' {
        BeforeEach {
            $script:bracket = New-File 'b[1].txt' 'bracketed'
        }

        It 'copies b[1].txt with -LiteralPath' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; LiteralPath = 'b[1].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Source | Should -Be $bracket
            $result.Output.Destination | Should -Be '/tmp/b[1].txt'
            Read-GuestText ubuntu-web '/tmp/b[1].txt' | Should -Be 'bracketed'
        }

        It 'copies b[1].txt with an escaped -SourcePath' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b`[1`].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Source | Should -Be $bracket
        }

        It 'writes GuestFileSourceNoMatch naming a pattern that matches nothing, suggesting -LiteralPath for the file of that name' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b[1].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNoMatch,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $result.Errors[0].TargetObject | Should -Be 'b[1].txt'
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape("'b[1].txt'"))
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-LiteralPath 'b[1].txt'"))
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-SourcePath 'b``[1``].txt'"))
            (Get-HyperVSimulator -ComputerName $lab).QueryCount | Should -Be 0
        }

        It 'writes GuestFileSourceNoMatch for any wildcard that matches nothing' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'nothing*.conf', 'b`[1`].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors.FullyQualifiedErrorId | Should -Be @("GuestFileSourceNoMatch,$cmdlet")
            $result.Errors[0].TargetObject | Should -Be 'nothing*.conf'
            $result.Output | Should -HaveCount 1
        }

        It 'does not copy b1.txt in place of b[1].txt: the pattern is refused as ambiguous' {
            New-File 'b1.txt' 'one' | Out-Null
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b[1].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceAmbiguous,$cmdlet"
            $result.Errors[0].TargetObject | Should -Be 'b[1].txt'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'LiteralPath'
            Read-GuestText ubuntu-web /tmp/b1.txt | Should -BeNullOrEmpty
            (Get-HyperVSimulator -ComputerName $lab).ChangeCallCount | Should -Be 0
        }

        It 'still expands a pattern when no file has its name' {
            New-File 'b1.txt' 'one' | Out-Null
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b[0-9].txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Destination | Should -Be '/tmp/b1.txt'
        }

        It 'takes Get-ChildItem output by its PSPath, every piped file, literally' {
            New-File 'c.txt' 'cc' | Out-Null
            $result = Get-ChildItem -File | Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -DestinationPath /tmp/piped/ -CreateFullPath -PassThru
            ($result.Destination | Sort-Object) | Should -Be @('/tmp/piped/b[1].txt', '/tmp/piped/c.txt')
            Read-GuestText ubuntu-web '/tmp/piped/b[1].txt' | Should -Be 'bracketed'
        }

        It 'passes -LiteralPath to a remote host as given, with no wildcard meaning' {
            $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; LiteralPath = $bracket; DestinationPath = '/tmp/r.txt'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Source | Should -Be $bracket
            $result.Output.Bytes | Should -BeNullOrEmpty
            Read-GuestText ubuntu-web /tmp/r.txt $lab2 | Should -Be 'bracketed'
        }

        It 'passes a piped PSPath to a remote host without its provider prefix' {
            $result = Get-Item -LiteralPath $bracket | Copy-GuestFile -ComputerName $lab2 -VMName ubuntu-web -DestinationPath /tmp/p.txt -PassThru
            $result.Source | Should -Be $bracket
            Read-GuestText ubuntu-web /tmp/p.txt $lab2 | Should -Be 'bracketed'
        }

        It 'refuses a relative -LiteralPath for a remote host' {
            $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; LiteralPath = 'b[1].txt'; DestinationPath = '/tmp/' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotHostPath,$cmdlet"
            (Get-HyperVSimulator -ComputerName $lab2).ChangeCallCount | Should -Be 0
        }

        It 'has -SourcePath and -LiteralPath in parameter sets of their own' {
            $command = Get-Command Copy-GuestFile
            $command.DefaultParameterSet | Should -Be 'Path'
            $command.Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
            $command.Parameters['LiteralPath'].ParameterSets.Keys | Should -Be @('LiteralPath')
            $command.Parameters['SourcePath'].ParameterSets.Keys | Should -Be @('Path')
            { Copy-GuestFile -VMName x -SourcePath a -LiteralPath b -DestinationPath /tmp/ } | Should -Throw -ErrorId 'AmbiguousParameterSet,HyperVGuestFeatures.Commands.CopyGuestFileCommand'
        }
    }

    Context 'files that are not regular files, refused before any call' -Skip:$IsWindows {
        It 'refuses <Kind> with <ErrorId>, naming it, and copies the rest' -ForEach @(
            @{ Kind = 'a dangling symbolic link'; ErrorId = 'GuestFileSourceDanglingLink'; Category = 'ObjectNotFound'; Make = { param($p) New-Item -ItemType SymbolicLink -Path $p -Target (Join-Path $root 'gone.txt') | Out-Null; $p } }
            @{ Kind = 'a named pipe'; ErrorId = 'GuestFileSourceNotRegular'; Category = 'InvalidArgument'; Make = { param($p) & mkfifo $p; $p } }
            @{ Kind = 'a device'; ErrorId = 'GuestFileSourceNotRegular'; Category = 'InvalidArgument'; Make = { param($p) '/dev/null' } }
        ) {
            $special = & $Make (Join-Path $root 'special')
            New-File 'ok.txt' 'fine' | Out-Null
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = $special, 'ok.txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be $Category
            $result.Errors[0].TargetObject | Should -Be $special
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($special))
            $result.Output.Destination | Should -Be '/tmp/ok.txt'
            (Get-HyperVSimulator -ComputerName $lab).ChangeCallCount | Should -Be 1
        }

        It 'refuses them all with no provider call at all' {
            & mkfifo (Join-Path $root 'fifo')
            New-Item -ItemType SymbolicLink -Path (Join-Path $root 'dangling') -Target (Join-Path $root 'gone') | Out-Null
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'fifo', 'dangling', '/dev/null', '/dev/zero'; DestinationPath = '/tmp/' }
            $result.Errors | Should -HaveCount 4
            $simulator = Get-HyperVSimulator -ComputerName $lab
            $simulator.ChangeCallCount | Should -Be 0
            $simulator.QueryCount | Should -Be 0
        }

        It 'copies a symbolic link to a file as its target, with the target''s size' {
            $target = New-File 'real.bin' ('x' * 1000)
            New-Item -ItemType SymbolicLink -Path (Join-Path $root 'link.bin') -Target $target | Out-Null
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'link.bin'; DestinationPath = '/tmp/link.bin'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Bytes | Should -Be 1000
            (Read-GuestText ubuntu-web /tmp/link.bin).Length | Should -Be 1000
        }
    }

    Context 'Windows-style destinations, refused before any call (the guest is Linux or FreeBSD)' {
        It 'refuses <Destination> with GuestPathWindowsStyle' -ForEach @(
            @{ Destination = 'C:\temp\a.txt' }
            @{ Destination = 'c:/temp/' }
            @{ Destination = '\\server\share\a.txt' }
            @{ Destination = '\temp\a.txt' }
        ) {
            New-File 'a.txt' 'a' | Out-Null
            { Copy-GuestFile -ComputerName $lab, $lab2 -VMName ubuntu-web -SourcePath (Join-Path $root 'a.txt') -DestinationPath $Destination } |
                Should -Throw -ErrorId "GuestPathWindowsStyle,$cmdlet"
            (Get-HyperVSimulator -ComputerName $lab).QueryCount | Should -Be 0
            (Get-HyperVSimulator -ComputerName $lab2).QueryCount | Should -Be 0
        }

        It 'says what a guest path looks like' {
            $failure = { Copy-GuestFile -VMName ubuntu-web -SourcePath x -DestinationPath 'C:\temp\' } | Should -Throw -PassThru
            $failure.Exception.Message | Should -Match 'Linux or FreeBSD'
            $failure.ErrorDetails.RecommendedAction | Should -Match '/tmp/app.conf'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'a failed file is named in its error' {
        It 'names the file when its copy job fails' {
            $file = New-File 'full.txt' 'data'
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method CopyFilesToGuest -JobErrorCode 32768 -JobErrorDescription 'Failed to initiate copying files to the guest: The disk is full.'
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'full.txt'; DestinationPath = '/tmp/full.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$cmdlet"
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape("'$file' to '/tmp/full.txt'"))
            $result.Errors[0].Exception.Message | Should -Match 'The disk is full'
        }

        It 'names the file when its guest folder is missing' {
            $file = New-File 'deep.txt' 'data'
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'deep.txt'; DestinationPath = '/no/such/dir/deep.txt' }
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($file))
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'CreateFullPath'
        }
    }

    Context 'progress by bytes' {
        It 'reports PercentComplete over the total bytes, with the current file in the status' {
            New-File 'small.bin' ('s' * 100) | Out-Null
            New-File 'large.bin' ('L' * 300) | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                    param($ModulePath, $Source)
                    Import-Module $ModulePath
                    Start-HyperVSimulator
                    Set-Location -LiteralPath $Source
                    Copy-GuestFile -VMName ubuntu-web -SourcePath small.bin, large.bin -DestinationPath /tmp/
                }).AddArgument((Get-TestModulePath)).AddArgument($root)
                $null = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $overall = @($ps.Streams.Progress | Where-Object { $_.ParentActivityId -eq -1 -and $_.RecordType -eq 'Processing' })
                $first = @($overall | Where-Object StatusDescription -like 'File 1 of 2:*small.bin*')
                $second = @($overall | Where-Object StatusDescription -like 'File 2 of 2:*large.bin*')
                $first[0].PercentComplete | Should -Be 0
                $second[0].PercentComplete | Should -Be 25 # 100 of 400 bytes; by files it would be 50
                $second[0].CurrentOperation | Should -Be ('{0:N0} of {1:N0} bytes' -f 100, 400)
                $second[-1].PercentComplete | Should -Be 100
                $percents = $overall.PercentComplete
                for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterOrEqual $percents[$i - 1] }
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}

Describe 'Copy-GuestFile -Recurse' {
    BeforeEach {
        Start-HyperVSimulator -ComputerName $lab, $lab2 3>$null
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $root | Out-Null
        Push-Location -LiteralPath $root
        New-File 'site/index.html' 'home' | Out-Null
        New-File 'site/css/app.css' 'body{}' | Out-Null
        New-File 'site/css/themes/dark.css' 'dark' | Out-Null
        New-File 'site/css/themes/fonts/mono.woff' 'font' | Out-Null
        New-File 'site/js/app.js' 'js' | Out-Null
    }

    AfterEach {
        Pop-Location
        Stop-HyperVSimulator -ComputerName $lab, $lab2
    }

    It 'copies a 3-level directory tree, keeping it under the directory''s name, one call and one result per file' {
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/var/www'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Warnings | Should -BeNullOrEmpty
        $result.Output | Should -HaveCount 5
        $result.Output | ForEach-Object { $_ | Should -BeOfType ([HyperVGuestFeatures.GuestFileCopyResult]) }
        ($result.Output.Destination | Sort-Object) | Should -Be @(
            '/var/www/site/css/app.css', '/var/www/site/css/themes/dark.css', '/var/www/site/css/themes/fonts/mono.woff',
            '/var/www/site/index.html', '/var/www/site/js/app.js')
        ($result.Output | Where-Object Destination -eq '/var/www/site/css/themes/fonts/mono.woff').Source |
            Should -Be (Join-Path $root 'site/css/themes/fonts/mono.woff')
        ($result.Output | Where-Object Destination -eq '/var/www/site/css/app.css').Bytes | Should -Be 6
        Read-GuestText ubuntu-web /var/www/site/css/themes/fonts/mono.woff | Should -Be 'font'
        Read-GuestText ubuntu-web /var/www/site/index.html | Should -Be 'home'
        (Get-HyperVSimulator -ComputerName $lab).ChangeCallCount | Should -Be 5
    }

    It 'copies what a wildcard matches, directories with their trees' {
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site/*'; DestinationPath = '/srv/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -BeNullOrEmpty
        ($result.Output.Destination | Sort-Object) | Should -Be @('/srv/css/app.css', '/srv/css/themes/dark.css', '/srv/css/themes/fonts/mono.woff', '/srv/index.html', '/srv/js/app.js')
    }

    It 'needs -CreateFullPath for the folders, and names each file that failed without it' {
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/tmp'; Recurse = $true; PassThru = $true }
        $result.Output | Should -BeNullOrEmpty
        $result.Errors | Should -HaveCount 5
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$cmdlet"
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'CreateFullPath'
        ($result.Errors | Where-Object { $_.Exception.Message -match 'mono\.woff' }) | Should -HaveCount 1
    }

    It 'refuses a directory without -Recurse, suggesting it' {
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/tmp/' }
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceIsDirectory,$cmdlet"
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-Recurse'
        (Get-HyperVSimulator -ComputerName $lab).QueryCount | Should -Be 0
    }

    It 'copies files only: an empty directory is a warning naming it, and is not created in the guest' {
        New-Item -ItemType Directory -Path (Join-Path $root 'site/empty/deeper') -Force | Out-Null
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -HaveCount 5
        $result.Warnings | Should -HaveCount 1
        $result.Warnings[0].Message | Should -Match ([regex]::Escape((Join-Path $root 'site/empty')))
        $result.Warnings[0].Message | Should -Match 'copies files only'
        Test-GuestDirectory ubuntu-web /opt/site/css/themes/fonts | Should -BeTrue
        Test-GuestDirectory ubuntu-web /opt/site/empty | Should -BeFalse
    }

    It 'warns for a directory with nothing to copy at all, and makes no call' {
        New-Item -ItemType Directory -Path (Join-Path $root 'void') | Out-Null
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'void'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Warnings[0].Message | Should -Match 'void'
        (Get-HyperVSimulator -ComputerName $lab).QueryCount | Should -Be 0
    }

    It 'does not follow a link to a directory inside the tree (one that loops), and says so' -Skip:$IsWindows {
        New-Item -ItemType SymbolicLink -Path (Join-Path $root 'site/css/loop') -Target (Join-Path $root 'site') | Out-Null
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -HaveCount 5
        $result.Warnings | Should -HaveCount 1
        $result.Warnings[0].Message | Should -Match ([regex]::Escape((Join-Path $root 'site/css/loop')))
        $result.Warnings[0].Message | Should -Match 'does not follow'
    }

    It 'follows a link to a directory named outright' -Skip:$IsWindows {
        New-Item -ItemType SymbolicLink -Path (Join-Path $root 'current') -Target (Join-Path $root 'site') | Out-Null
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'current'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output.Destination | Should -Contain '/opt/current/css/themes/fonts/mono.woff'
    }

    It 'refuses a named pipe inside the tree and copies the rest' -Skip:$IsWindows {
        & mkfifo (Join-Path $root 'site/js/pipe')
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotRegular,$cmdlet"
        $result.Errors[0].TargetObject | Should -Be (Join-Path $root 'site/js/pipe')
        $result.Output | Should -HaveCount 5
    }

    It 'refuses -Recurse for a remote host, saying to run on the host, and copies on this computer' {
        $result = Invoke-Copy @{ ComputerName = $lab, $lab2; VMName = 'ubuntu-web'; SourcePath = (Join-Path $root 'site'); DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileRecurseNeedsLocalHost,$cmdlet"
        $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $result.Errors[0].Exception.Message | Should -Match $lab2
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'on host'
        ($result.Output.ComputerName | Select-Object -Unique) | Should -Be $lab
        (Get-HyperVSimulator -ComputerName $lab2).ChangeCallCount | Should -Be 0
        (Get-HyperVSimulator -ComputerName $lab2).QueryCount | Should -Be 0
    }

    It 'makes no call under -WhatIf' {
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true; WhatIf = $true }
        $result.Output | Should -BeNullOrEmpty
        (Get-HyperVSimulator -ComputerName $lab).ChangeCallCount | Should -Be 0
    }

    It 'refuses two trees that would put different files on the same guest path' {
        New-File 'other/site/index.html' 'other home' | Out-Null
        $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'site', 'other/site'; DestinationPath = '/opt/'; Recurse = $true; CreateFullPath = $true; PassThru = $true }
        $result.Errors.FullyQualifiedErrorId | Should -Be @("GuestFileDestinationConflict,$cmdlet")
        $result.Errors[0].TargetObject | Should -Be (Join-Path $root 'other/site/index.html')
        Read-GuestText ubuntu-web /opt/site/index.html | Should -Be 'home'
    }
}
