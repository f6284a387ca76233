# Copy-GuestFile against the simulated host: preconditions before any call, one call per file, errors, progress, pipeline, hosts.
# $lab is this computer (sources resolved here); $lab2 is a simulated host under another name, remote to the module
# (sources passed as given; its provider reads this computer's file system and finds what is missing).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:lab = [Environment]::MachineName
    $script:lab2 = 'CopyLab2'
    $script:cmdlet = 'HyperVGuestFeatures.Commands.CopyGuestFileCommand'

    $script:source = Join-Path $TestDrive 'src'
    New-Item -ItemType Directory -Path (Join-Path $source 'sub') -Force | Out-Null
    Set-Content -Path (Join-Path $source 'app.conf') -Value 'listen 8080' -NoNewline
    Set-Content -Path (Join-Path $source 'b.txt') -Value 'bravo' -NoNewline
    Set-Content -Path (Join-Path $source 'c.txt') -Value 'charlie!' -NoNewline
    Set-Content -Path (Join-Path $source 'sub/c.txt') -Value 'other c' -NoNewline
    [System.IO.File]::WriteAllBytes((Join-Path $source 'blob.bin'), [byte[]](0..255))

    # The bytes of a file in the simulated guest (paths are case-sensitive, as on Linux); nothing when there is none.
    function script:Read-GuestFile([string] $VMName, [string] $Path, [string] $ComputerName = $lab) {
        $file = (Get-HyperVSimulatorVM -ComputerName $ComputerName -VMName $VMName).GuestFiles | Where-Object Path -CEQ $Path
        if ($file) { $file.ReadAllBytes() }
    }

    function script:Get-Counters([string] $ComputerName = $lab) {
        Get-HyperVSimulator -ComputerName $ComputerName
    }

    function script:Invoke-Copy([hashtable] $Parameters) {
        $errors = $null
        $output = Copy-GuestFile @Parameters -ErrorAction SilentlyContinue -ErrorVariable errors
        [pscustomobject]@{ Output = @($output); Errors = @($errors) }
    }
}

Describe 'Copy-GuestFile' {
    BeforeEach {
        # A fresh lab per test: guest files from one test must not leak into the next.
        Start-HyperVSimulator -ComputerName $lab, $lab2 3>$null
        Push-Location $source
    }

    AfterEach {
        Pop-Location
        Stop-HyperVSimulator -ComputerName $lab, $lab2
    }

    Context 'a single file' {
        It 'copies the file into the guest, one provider call, and returns what it copied' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'app.conf'; DestinationPath = '/tmp/app.conf'; PassThru = $true }

            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $copy = $result.Output[0]
            $copy | Should -BeOfType ([HyperVGuestFeatures.GuestFileCopyResult])
            $copy.ComputerName | Should -Be $lab
            $copy.VMName | Should -Be 'ubuntu-web'
            $copy.VMId | Should -Not -Be ([guid]::Empty)
            $copy.Source | Should -Be (Join-Path $source 'app.conf')
            $copy.Destination | Should -Be '/tmp/app.conf'
            $copy.Bytes | Should -Be 11
            $copy.Duration | Should -BeOfType ([timespan])
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/app.conf)) | Should -Be 'listen 8080'
            $counters = Get-Counters
            $counters.MethodCallCount | Should -Be 1
            $counters.JobCount | Should -Be 1
        }

        It 'copies binary content byte for byte' {
            Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath blob.bin -DestinationPath /tmp/blob.bin
            Read-GuestFile ubuntu-web /tmp/blob.bin | Should -Be ([byte[]](0..255))
        }

        It 'takes source and destination by position, after the VM name' {
            Copy-GuestFile ubuntu-web app.conf /tmp/positional.conf -ComputerName $lab
            Read-GuestFile ubuntu-web /tmp/positional.conf | Should -Not -BeNullOrEmpty
        }

        It 'puts the file inside a destination that ends with a slash, under its own name' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/home/'; PassThru = $true }
            $result.Output.Destination | Should -Be '/home/b.txt'
            Read-GuestFile ubuntu-web /home/b.txt | Should -Not -BeNullOrEmpty
        }

        It 'returns nothing without -PassThru' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
        }
    }

    Context 'overwriting: -Force' {
        It 'refuses a second copy without -Force with GuestFileExists, and keeps the guest file' {
            Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath /tmp/x.txt
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'c.txt'; DestinationPath = '/tmp/x.txt'; PassThru = $true }

            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileExists,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $result.Errors[0].TargetObject | Should -Be 'ubuntu-web'
            $result.Errors[0].Exception.Message | Should -Match '/tmp/x.txt'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'use -Force to overwrite'
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/x.txt)) | Should -Be 'bravo'
        }

        It 'overwrites with -Force' {
            Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath /tmp/x.txt
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'c.txt'; DestinationPath = '/tmp/x.txt'; Force = $true; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/x.txt)) | Should -Be 'charlie!'
        }
    }

    Context '-CreateFullPath' {
        It 'fails into a missing guest folder without it, suggesting it' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/opt/new/dir/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$cmdlet"
            $result.Errors[0].Exception.Message | Should -Match 'Failed to initiate copying files to the guest'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-CreateFullPath'
            Read-GuestFile ubuntu-web /opt/new/dir/b.txt | Should -BeNullOrEmpty
        }

        It 'creates the missing guest folders with it' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/opt/new/dir/b.txt'; CreateFullPath = $true }
            $result.Errors | Should -BeNullOrEmpty
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /opt/new/dir/b.txt)) | Should -Be 'bravo'
        }
    }

    Context 'several files' {
        It 'copies each file into the destination directory under its own name, one call per file' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'app.conf', 'b.txt'; DestinationPath = '/srv/drop'; CreateFullPath = $true; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Destination | Should -Be @('/srv/drop/app.conf', '/srv/drop/b.txt')
            Read-GuestFile ubuntu-web /srv/drop/app.conf | Should -Not -BeNullOrEmpty
            Read-GuestFile ubuntu-web /srv/drop/b.txt | Should -Not -BeNullOrEmpty
            (Get-Counters).MethodCallCount | Should -Be 2
        }

        It 'expands wildcards to files, skipping directories' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = '*'; DestinationPath = '/tmp/all'; CreateFullPath = $true; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            ($result.Output.Destination | Sort-Object) | Should -Be (@('/tmp/all/app.conf', '/tmp/all/b.txt', '/tmp/all/blob.bin', '/tmp/all/c.txt') | Sort-Object)
        }

        It 'a wildcard that matches one file still treats the destination as a directory' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = '*.conf'; DestinationPath = '/etc/app'; CreateFullPath = $true; PassThru = $true }
            $result.Output.Destination | Should -Be '/etc/app/app.conf'
        }

        It 'refuses a second file with the same name rather than overwrite the first, and copies the rest' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'c.txt', 'sub/c.txt', 'b.txt'; DestinationPath = '/tmp/'; Force = $true; PassThru = $true }
            $result.Output.Destination | Should -Be @('/tmp/c.txt', '/tmp/b.txt')
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileDestinationConflict,$cmdlet"
            $result.Errors[0].TargetObject | Should -Be (Join-Path $source 'sub/c.txt')
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/c.txt)) | Should -Be 'charlie!'
        }

        It 'goes on with the other files when one fails' {
            Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath /tmp/b.txt
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'app.conf', 'b.txt', 'c.txt'; DestinationPath = '/tmp'; PassThru = $true }
            $result.Output.Destination | Should -Be @('/tmp/app.conf', '/tmp/c.txt')
            $result.Errors.FullyQualifiedErrorId | Should -Be @("GuestFileExists,$cmdlet")
        }
    }

    Context 'source paths' {
        It 'writes GuestFileSourceNotFound with the path as target, and copies the others' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'missing.txt', 'b.txt'; DestinationPath = '/tmp/'; PassThru = $true }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotFound,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $result.Errors[0].TargetObject | Should -Be 'missing.txt'
            $result.Output.Destination | Should -Be '/tmp/b.txt'
        }

        It 'refuses a directory named outright, suggesting a wildcard' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'sub'; DestinationPath = '/tmp/' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceIsDirectory,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $result.Errors[0].TargetObject | Should -Be (Join-Path $source 'sub')
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape((Join-Path (Join-Path $source 'sub') '*')))
            (Get-Counters).QueryCount | Should -Be 0
        }

        It 'refuses a path outside the file system' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'Env:\PATH'; DestinationPath = '/tmp/' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotFileSystem,$cmdlet"
        }

        It 'resolves relative paths against the current location' {
            Push-Location (Join-Path $source 'sub')
            try {
                $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = '../b.txt'; DestinationPath = '/tmp/rel.txt'; PassThru = $true }
            }
            finally {
                Pop-Location
            }

            $result.Output.Source | Should -Be (Join-Path $source 'b.txt')
        }

        It 'refuses a relative guest destination before reaching any host' {
            { Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath tmp/b.txt } |
                Should -Throw -ErrorId "GuestPathNotFull,$cmdlet"
            (Get-Counters).QueryCount | Should -Be 0
        }
    }

    Context 'preconditions, checked before any provider call' {
        It 'refuses a VM whose Guest Service Interface is disabled with GuestServiceDisabled and the command that enables it' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'alma-noguestsvc'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestServiceDisabled,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $result.Errors[0].TargetObject | Should -Be 'alma-noguestsvc'
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Be "Enable-GuestFeature -VMName 'alma-noguestsvc' -ComputerName '$lab' -Name 'File copy from host to guest'"
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'copies once the service is enabled' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName alma-noguestsvc -EnableComponent 'Guest Service Interface'
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'alma-noguestsvc'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            Read-GuestFile alma-noguestsvc /tmp/b.txt | Should -Not -BeNullOrEmpty
        }

        It 'refuses a VM that is <State> with VMNotRunning' -ForEach @(@{ State = 'Off' }, @{ State = 'Saved' }, @{ State = 'Paused' }) {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName rhel-db -State $State
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'rhel-db'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotRunning,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $result.Errors[0].TargetObject | Should -Be 'rhel-db'
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'names hv_fcopy_daemon when the guest does not answer on the service' {
            Set-HyperVSimulatorVM -ComputerName $lab -VMName debian-build -ComponentStatus @{ 'Guest Service Interface' = 'NoContact' }
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'debian-build'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestServiceNotResponding,$cmdlet"
            $result.Errors[0].Exception.Message | Should -Match 'hv_fcopy_daemon'
            $result.Errors[0].Exception.Message | Should -Match 'No Contact'
            (Get-Counters).MethodCallCount | Should -Be 0
        }

        It 'reads the preconditions with a fixed number of queries, whatever the VM count' {
            Get-HyperVSimulator -ComputerName $lab -ResetCounters | Out-Null
            Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath /tmp/one.txt -WhatIf
            $one = (Get-Counters).QueryCount
            Get-HyperVSimulator -ComputerName $lab -ResetCounters | Out-Null
            Copy-GuestFile -ComputerName $lab -VMName * -SourcePath b.txt -DestinationPath /tmp/all.txt -WhatIf -ErrorAction SilentlyContinue
            (Get-Counters).QueryCount | Should -Be $one
            $one | Should -BeLessOrEqual 4
        }

        It 'goes on with the other VMs when one cannot take files' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'alma-noguestsvc', 'suse-off', 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt'; PassThru = $true }
            $result.Output.VMName | Should -Be @('ubuntu-web')
            ($result.Errors.FullyQualifiedErrorId | Sort-Object) | Should -Be @("GuestServiceDisabled,$cmdlet", "VMNotRunning,$cmdlet")
        }

        It 'writes CimJobFailed with the provider''s text for other job failures' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method CopyFilesToGuest -JobErrorCode 32768 -JobErrorDescription 'Failed to initiate copying files to the guest: The disk is full.'
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "CimJobFailed,$cmdlet"
            $result.Errors[0].Exception.Message | Should -Match 'The disk is full'
        }

        It 'says the outcome is unknown, not "cannot connect", when the connection goes while the copy job is polled' {
            # Issue 10 item 6: the file may well arrive; "cannot connect" would say nothing happened.
            Add-HyperVSimulatorFault -ComputerName $lab -Method GetInstance -Disconnect -Count 1
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors | Should -HaveCount 1
            $unknown = $result.Errors[0]
            $unknown.FullyQualifiedErrorId | Should -Be "CimJobOutcomeUnknown,$cmdlet"
            $unknown.CategoryInfo.Category | Should -Be 'ConnectionError'
            $unknown.Exception.Message | Should -BeLike '*CopyFilesToGuest*may or may not have been made*'
            $unknown.ErrorDetails.RecommendedAction | Should -BeLike "*'/tmp/b.txt' in VM 'ubuntu-web'*-ClassName Msvm_CopyFileToGuestJob*"
            Wait-SimulatorJob $lab $unknown.Exception.Data['JobId'] | Should -Be 7
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web '/tmp/b.txt')) | Should -Be 'bravo'
        }

        It 'writes AccessDenied when the provider returns 32769' {
            Add-HyperVSimulatorFault -ComputerName $lab -VMName ubuntu-web -Method CopyFilesToGuest -ReturnCode 32769
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "AccessDenied,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        }
    }

    Context 'ShouldProcess, selection and progress' {
        It 'makes no provider call under -WhatIf' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'ubuntu-web', 'rhel-db'; SourcePath = 'b.txt', 'c.txt'; DestinationPath = '/tmp/'; WhatIf = $true; PassThru = $true }
            $result.Output | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
            $counters = Get-Counters
            $counters.MethodCallCount | Should -Be 0
            $counters.JobCount | Should -Be 0
            Read-GuestFile ubuntu-web /tmp/b.txt | Should -BeNullOrEmpty
        }

        It 'does not ask by default, and -Force does not mean -Confirm:$false' {
            $attribute = (Get-Command Copy-GuestFile).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'Medium'
        }

        It 'requires a VM selection rather than copying into every VM' {
            { Copy-GuestFile -ComputerName $lab -SourcePath b.txt -DestinationPath /tmp/b.txt } | Should -Throw -ErrorId "VMSelectionRequired,$cmdlet"
        }

        It 'writes VMNotFound for a name that matches nothing' {
            $result = Invoke-Copy @{ ComputerName = $lab; VMName = 'nope'; SourcePath = 'b.txt'; DestinationPath = '/tmp/b.txt' }
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "VMNotFound,$cmdlet"
            $result.Errors[0].TargetObject | Should -Be 'nope'
        }

        It 'reports progress per file and for the copy job' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                    param($ModulePath, $Source)
                    Import-Module $ModulePath
                    Start-HyperVSimulator
                    Set-Location $Source
                    Copy-GuestFile -VMName ubuntu-web -SourcePath b.txt, c.txt -DestinationPath /tmp/
                }).AddArgument((Get-TestModulePath)).AddArgument($source)
                $null = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $records = @($ps.Streams.Progress)
                $files = $records | Where-Object { $_.ParentActivityId -eq -1 -and $_.RecordType -eq 'Processing' }
                $files.StatusDescription | Should -Contain ('File 1 of 2: {0} -> /tmp/b.txt' -f (Join-Path $source 'b.txt'))
                $files.StatusDescription | Should -Contain ('File 2 of 2: {0} -> /tmp/c.txt' -f (Join-Path $source 'c.txt'))
                $jobs = $records | Where-Object { $_.ParentActivityId -ne -1 -and $_.RecordType -eq 'Processing' }
                $jobs.PercentComplete | Should -Contain 100
                $records | Where-Object RecordType -eq 'Completed' | Should -Not -BeNullOrEmpty
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'writes a verbose message before each call, naming file, VM and host' {
            $verbose = Copy-GuestFile -ComputerName $lab -VMName ubuntu-web -SourcePath b.txt -DestinationPath /tmp/v.txt -Verbose 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Contain ("Copying '{0}' to '/tmp/v.txt' in VM 'ubuntu-web' on host '$lab' (Msvm_GuestFileService.CopyFilesToGuest)" -f (Join-Path $source 'b.txt'))
        }
    }

    Context 'pipeline and hosts' {
        It 'takes Get-GuestFeature output, one copy per VM however many rows' {
            $rows = Get-GuestFeature -ComputerName $lab -VMName ubuntu-web, rhel-db -Category Core
            $result = $rows | Copy-GuestFile -SourcePath b.txt -DestinationPath /tmp/piped.txt -PassThru
            ($result.VMName | Sort-Object) | Should -Be @('rhel-db', 'ubuntu-web')
            Read-GuestFile rhel-db /tmp/piped.txt | Should -Not -BeNullOrEmpty
        }

        It 'binds VMName and ComputerName of a Get-VM-like object, not its Name and Id' {
            $vm = [pscustomobject]@{ VMName = 'ubuntu-web'; Name = 'ubuntu-web'; Id = [guid]::NewGuid(); ComputerName = $lab2 }
            $result = $vm | Copy-GuestFile -SourcePath (Join-Path $source 'b.txt') -DestinationPath /tmp/getvm.txt -PassThru
            $result.ComputerName | Should -Be $lab2
            Read-GuestFile ubuntu-web /tmp/getvm.txt $lab2 | Should -Not -BeNullOrEmpty
            Read-GuestFile ubuntu-web /tmp/getvm.txt $lab | Should -BeNullOrEmpty
        }

        It 'copies on several hosts at once' {
            $result = Copy-GuestFile -ComputerName $lab, $lab2 -VMName ubuntu-web -SourcePath (Join-Path $source 'b.txt') -DestinationPath /tmp/multi.txt -PassThru
            ($result.ComputerName | Sort-Object) | Should -Be (@($lab, $lab2) | Sort-Object)
            Read-GuestFile ubuntu-web /tmp/multi.txt $lab2 | Should -Not -BeNullOrEmpty
        }

        It 'resolves a relative path for this computer and refuses it for another host in the same call' {
            $result = Invoke-Copy @{ ComputerName = $lab, $lab2; VMName = 'ubuntu-web'; SourcePath = 'b.txt'; DestinationPath = '/tmp/mixed.txt'; PassThru = $true }
            $result.Output.ComputerName | Should -Be $lab
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotHostPath,$cmdlet"
            Read-GuestFile ubuntu-web /tmp/mixed.txt $lab2 | Should -BeNullOrEmpty
        }
    }

    Context 'a remote host reads the source itself' {
        It 'passes a full path to the host as given and does not read it here' {
            $path = Join-Path $source 'b.txt'
            $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; SourcePath = $path; DestinationPath = '/tmp/remote.txt'; PassThru = $true }
            $result.Errors | Should -BeNullOrEmpty
            $result.Output.Source | Should -Be $path
            $result.Output.Bytes | Should -BeNullOrEmpty
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/remote.txt $lab2)) | Should -Be 'bravo'
        }

        It 'reports a file the host cannot find as an error naming the file, from the host''s refusal' {
            $missing = Join-Path $source 'not-on-the-host.txt'
            $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; SourcePath = $missing; DestinationPath = '/tmp/x.txt' }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "GuestFileSourceNotFoundOnHost,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $result.Errors[0].TargetObject | Should -Be $missing
            $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($missing))
            $result.Errors[0].Exception.Message | Should -Match $lab2
            (Get-Counters $lab2).MethodCallCount | Should -Be 1
        }

        It 'lets the host expand environment variables in the path' {
            $env:HVGF_COPY_SOURCE = $source
            try {
                $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; SourcePath = '%HVGF_COPY_SOURCE%/c.txt'; DestinationPath = '/tmp/env.txt'; PassThru = $true }
            }
            finally {
                Remove-Item Env:HVGF_COPY_SOURCE
            }

            $result.Errors | Should -BeNullOrEmpty
            [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/env.txt $lab2)) | Should -Be 'charlie!'
        }

        It 'refuses <Kind> for a remote host before any call, saying to give a host path or run on the host' -ForEach @(
            @{ Kind = 'a relative path'; Path = 'b.txt'; ErrorId = 'GuestFileSourceNotHostPath' }
            @{ Kind = 'a drive-relative path'; Path = 'C:b.txt'; ErrorId = 'GuestFileSourceNotHostPath' }
            @{ Kind = 'a wildcard'; Path = '/tmp/*.txt'; ErrorId = 'GuestFileSourceWildcardNeedsLocalHost' }
        ) {
            $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; SourcePath = $Path, (Join-Path $source 'b.txt'); DestinationPath = '/tmp/' }
            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$cmdlet"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $result.Errors[0].TargetObject | Should -Be $Path
            $result.Errors[0].Exception.Message | Should -Match $lab2
            $result.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'run Copy-GuestFile on the host'
            (Get-Counters $lab2).MethodCallCount | Should -Be 1 # the other, full path was copied
        }

        It 'takes an escaped bracket literally' {
            [System.IO.File]::WriteAllText((Join-Path $source 'br[1].txt'), 'bracket')
            try {
                $literal = (Join-Path $source 'br`[1`].txt')
                $result = Invoke-Copy @{ ComputerName = $lab2; VMName = 'ubuntu-web'; SourcePath = $literal; DestinationPath = '/tmp/br.txt'; PassThru = $true }
                $result.Errors | Should -BeNullOrEmpty
                $result.Output.Source | Should -Be (Join-Path $source 'br[1].txt')
            }
            finally {
                Remove-Item -LiteralPath (Join-Path $source 'br[1].txt')
            }
        }

        It 'copies to a WS2012R2 host, whose copy job comes back in ParentPools' {
            Start-HyperVSimulator -ComputerName 'CopyLabR2' -Scenario WS2012R2 3>$null
            try {
                $result = Invoke-Copy @{ ComputerName = 'CopyLabR2'; VMName = 'ubuntu-web'; SourcePath = (Join-Path $source 'app.conf'); DestinationPath = '/tmp/app.conf'; PassThru = $true }
                $result.Errors | Should -BeNullOrEmpty
                $result.Output | Should -HaveCount 1
                [System.Text.Encoding]::UTF8.GetString((Read-GuestFile ubuntu-web /tmp/app.conf 'CopyLabR2')) | Should -Be 'listen 8080'
            }
            finally {
                Stop-HyperVSimulator -ComputerName 'CopyLabR2'
            }
        }
    }

    Context 'a large copy' {
        It 'stops within a second on Ctrl+C, and the host cancels the copy job' {
            $big = Join-Path $TestDrive 'big.bin'
            $file = [System.IO.File]::Create($big)
            try { $file.SetLength(200MB) } finally { $file.Dispose() }
            # Simulated hosts belong to the process: the copy runs in its own runspace, this one watches the host.
            Start-HyperVSimulator -ComputerName StopLab -JobDuration 00:00:20
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                    param($ModulePath, $Source)
                    Import-Module $ModulePath
                    Copy-GuestFile -ComputerName StopLab -VMName ubuntu-web -SourcePath $Source -DestinationPath /tmp/big.bin
                }).AddArgument((Get-TestModulePath)).AddArgument($big)
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while ((Get-HyperVSimulator -ComputerName StopLab).JobCount -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                (Get-HyperVSimulator -ComputerName StopLab).JobCount | Should -Be 1
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
                $jobs = @(Get-HyperVSimulatorInstance -ComputerName StopLab -Query 'SELECT * FROM Msvm_CopyFileToGuestJob')
                $jobs.Count | Should -Be 1
                $jobs[0].JobState | Should -Be 8 # Terminated
                (Get-HyperVSimulatorVM -ComputerName StopLab -VMName ubuntu-web).GuestFiles.Path | Should -Not -Contain '/tmp/big.bin'
                # The stopped pipeline writes no records; what the stopped copy may have done is said on the host's UI.
                $ps.Streams.Warning.Message | Should -BeLike "*Stopped while changing VM 'ubuntu-web' on host 'StopLab'*CopyFilesToGuest*asked to terminate*'/tmp/big.bin'*"
            }
            finally {
                $ps.Dispose()
                Stop-HyperVSimulator -ComputerName StopLab -ErrorAction SilentlyContinue
            }
        }
    }
}
