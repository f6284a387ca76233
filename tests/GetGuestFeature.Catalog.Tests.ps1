# Get-GuestFeature -ListAvailable: the catalog alone, no host needed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:seed = Join-Path $PSScriptRoot 'fixtures/seed-feature-names.txt'
}

Describe 'Get-GuestFeature -ListAvailable' {
    It 'returns the 35 catalog features in 7 categories' {
        $all = Get-GuestFeature -ListAvailable
        $all | Should -HaveCount 35
        ($all.Category | Sort-Object -Unique) | Should -HaveCount 7
        $all[0] | Should -BeOfType ([HyperVGuestFeatures.GuestFeatureInfo])
    }

    It 'uses the seed''s feature names' {
        $expected = Get-Content $seed | Where-Object { $_ }
        (Get-GuestFeature -ListAvailable).Feature | Should -Be $expected
    }

    It 'has counts per category as in the seed: <Category> = <Count>' -ForEach @(
        @{ Category = 'Core'; Count = 8 }, @{ Category = 'Networking'; Count = 8 }, @{ Category = 'Storage'; Count = 5 }
        @{ Category = 'Memory'; Count = 5 }, @{ Category = 'Video'; Count = 1 }, @{ Category = 'Miscellaneous'; Count = 6 }
        @{ Category = 'Generation2'; Count = 2 }
    ) {
        Get-GuestFeature -ListAvailable -Category $Category | Should -HaveCount $Count
    }

    It 'gives every feature a description and host requirement' {
        Get-GuestFeature -ListAvailable | ForEach-Object {
            $_.Description | Should -Not -BeNullOrEmpty
            $_.HostRequirement | Should -Match '^Windows Server'
        }
    }

    It 'filters by name wildcard' {
        $memory = Get-GuestFeature -ListAvailable -Name *memory*
        $memory.Feature | Should -Be @('Dynamic Memory - Hot-Add', 'Dynamic Memory - Ballooning', 'Runtime Memory Resize')
    }

    It 'takes catalog ids as names' {
        (Get-GuestFeature -ListAvailable -Name file-copy).Feature | Should -Be 'File copy from host to guest'
    }

    It 'takes category wildcards' {
        Get-GuestFeature -ListAvailable -Category Gen* | Should -HaveCount 2
    }

    It 'rejects a category that is not in the catalog at binding time' {
        { Get-GuestFeature -ListAvailable -Category Graphics } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
    }

    It 'rejects a feature name without wildcards that is not in the catalog at binding time' {
        { Get-GuestFeature -ListAvailable -Name 'Secure boots' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HyperVGuestFeatures.Commands.GetGuestFeatureCommand'
    }

    It 'returns nothing, silently, for a wildcard that matches nothing' {
        Get-GuestFeature -ListAvailable -Name 'zz*' -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'shows a table grouped by category' {
        $text = Get-GuestFeature -ListAvailable -Category Storage | Out-String -Width 200
        $text | Should -Match 'Category: Storage'
        $text | Should -Match 'HostRequirement'
        $text | Should -Match 'VHDX resize'
    }

    It 'completes -Category and -Name from the catalog' {
        $line = 'Get-GuestFeature -ListAvailable -Category St'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Storage'
        $line = 'Get-GuestFeature -ListAvailable -Name Sec'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be "'Secure boot'"
    }
}
