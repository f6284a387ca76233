using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Tests.HyperV;

public class MemoryRulesTests
{
    private const long MB = 1024L * 1024L;
    private const long GB = 1024L * MB;

    private static readonly MemorySettings Dynamic = new() { DynamicMemoryEnabled = true, StartupMB = 1024, MinimumMB = 512, MaximumMB = 4096, Buffer = 20, Weight = 5000 };
    private static readonly MemorySettings Static = new() { DynamicMemoryEnabled = false, StartupMB = 2048, MinimumMB = 512, MaximumMB = 1048576, Buffer = 20, Weight = 5000 };

    private static MemoryVmFacts Facts(VMState state = VMState.Off, string host = "10.0.20348", int generation = 2, string config = "10.0", bool device = false)
        => new() { VMName = "vm", State = state, HostVersion = new Version(host), Generation = generation, ConfigurationVersion = new Version(config), HasAssignedDevice = device };

    private static GuestFeatureException Refused(MemorySettings current, MemoryChangeRequest request, MemoryVmFacts? facts = null)
        => Assert.Throws<GuestFeatureException>(() => MemoryRules.Plan(current, request, facts ?? Facts()));

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(30 * MB)]
    [InlineData(32 * MB - 1)]
    public void Sizes_below_32_MB_are_out_of_range(long bytes)
    {
        var failure = Refused(Static, new MemoryChangeRequest { StartupBytes = bytes });
        Assert.Equal("InvalidMemoryRange", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Equal("vm", failure.Target);
        Assert.Contains("32 MB", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(failure.RecommendedAction);
    }

    [Fact]
    public void Thirty_two_MB_is_the_floor() => Assert.Equal(32UL, MemoryRules.Plan(Static, new MemoryChangeRequest { StartupBytes = 32 * MB }, Facts()).Resulting.StartupMB);

    [Theory]
    [InlineData(64 * MB + 1, "whole number of megabytes")]
    [InlineData(64 * MB + 512 * 1024, "whole number of megabytes")]
    [InlineData(33 * MB, "even megabytes")]
    [InlineData(1025 * MB, "even megabytes")]
    public void Sizes_must_be_whole_even_megabytes(long bytes, string reason)
    {
        var failure = Refused(Dynamic, new MemoryChangeRequest { MinimumBytes = bytes });
        Assert.Equal("MemorySizeNotAligned", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "10.0", 1048576UL)]
    [InlineData(2, "7.1", 1048576UL)]
    [InlineData(2, "8.0", 12582912UL)]
    [InlineData(2, "9.0", 12582912UL)]
    [InlineData(2, "9.1", 12582912UL)]
    [InlineData(2, "9.2", 251658240UL)]
    [InlineData(2, "10.0", 251658240UL)]
    public void The_upper_bound_follows_generation_and_configuration_version(int generation, string config, ulong ceilingMB)
    {
        Assert.Equal(ceilingMB, MemoryRules.CeilingMB(generation, new Version(config)));
        var facts = Facts(generation: generation, config: config);
        Assert.Equal(ceilingMB, MemoryRules.Plan(Static, new MemoryChangeRequest { StartupBytes = (long)ceilingMB * MB }, facts).Resulting.StartupMB);
        var failure = Refused(Static, new MemoryChangeRequest { StartupBytes = ((long)ceilingMB + 2) * MB }, facts);
        Assert.Equal("InvalidMemoryRange", failure.ErrorId);
        Assert.Contains(ceilingMB.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_generation_and_version_give_the_largest_bound()
        => Assert.Equal(251658240UL, MemoryRules.CeilingMB(null, null));

    [Fact]
    public void Minimum_above_startup_is_out_of_range()
    {
        var failure = Refused(Dynamic, new MemoryChangeRequest { MinimumBytes = 2 * GB });
        Assert.Equal("InvalidMemoryRange", failure.ErrorId);
        Assert.Contains("minimum memory (2048 MB) would be greater than the startup memory (1024 MB)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_above_maximum_is_out_of_range_on_the_resulting_values()
    {
        var failure = Refused(Dynamic, new MemoryChangeRequest { StartupBytes = 2 * GB, MaximumBytes = 1 * GB });
        Assert.Equal("InvalidMemoryRange", failure.ErrorId);
        Assert.Contains("startup memory (2048 MB) would be greater than the maximum memory (1024 MB)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Minimum_equal_to_startup_equal_to_maximum_is_fine()
    {
        var plan = MemoryRules.Plan(Dynamic, new MemoryChangeRequest { MinimumBytes = 1 * GB, MaximumBytes = 1 * GB }, Facts());
        Assert.Equal(1024UL, plan.Resulting.MinimumMB);
        Assert.Equal(1024UL, plan.Resulting.MaximumMB);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    public void Buffer_is_5_to_2000(int buffer, bool accepted)
    {
        var request = new MemoryChangeRequest { Buffer = buffer };
        if (accepted)
        {
            Assert.Equal((uint)buffer, MemoryRules.Plan(Dynamic, request, Facts()).Resulting.Buffer);
        }
        else
        {
            Assert.Equal("InvalidMemoryRange", Refused(Dynamic, request).ErrorId);
        }
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(80, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Priority_is_0_to_100_and_becomes_weight_times_100(int priority, bool accepted)
    {
        var request = new MemoryChangeRequest { Priority = priority };
        if (accepted)
        {
            Assert.Equal((uint)priority * 100, MemoryRules.Plan(Static, request, Facts()).Resulting.Weight);
        }
        else
        {
            Assert.Equal("InvalidMemoryRange", Refused(Static, request).ErrorId);
        }
    }

    [Theory]
    [InlineData(5000U, 50)]
    [InlineData(0U, 0)]
    [InlineData(10000U, 100)]
    [InlineData(8049U, 80)]
    [InlineData(8050U, 81)]
    public void Priority_reads_as_weight_over_100(uint weight, int priority) => Assert.Equal(priority, MemoryRules.PriorityOf(weight));

    public static TheoryData<string> DynamicOnlyParameters => new() { "Buffer", "MinimumBytes", "MaximumBytes" };

    private static MemoryChangeRequest With(string parameter, bool? dynamic = null) => parameter switch
    {
        "Buffer" => new MemoryChangeRequest { Buffer = 25, DynamicMemoryEnabled = dynamic },
        "MinimumBytes" => new MemoryChangeRequest { MinimumBytes = 512 * MB, DynamicMemoryEnabled = dynamic },
        _ => new MemoryChangeRequest { MaximumBytes = 4 * GB, DynamicMemoryEnabled = dynamic },
    };

    [Theory]
    [MemberData(nameof(DynamicOnlyParameters))]
    public void Dynamic_only_parameters_are_refused_while_dynamic_memory_is_off(string parameter)
    {
        var failure = Refused(Static, With(parameter));
        Assert.Equal("DynamicMemoryParameterMismatch", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);
        Assert.Contains("-" + parameter, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DynamicOnlyParameters))]
    public void Dynamic_only_parameters_are_refused_when_dynamic_memory_is_being_turned_off(string parameter)
        => Assert.Equal("DynamicMemoryParameterMismatch", Refused(Dynamic, With(parameter, dynamic: false)).ErrorId);

    [Theory]
    [MemberData(nameof(DynamicOnlyParameters))]
    public void Dynamic_only_parameters_are_taken_when_dynamic_memory_is_being_turned_on(string parameter)
        => Assert.True(MemoryRules.Plan(Static, With(parameter, dynamic: true), Facts()).Resulting.DynamicMemoryEnabled);

    [Theory]
    [InlineData(VMState.Running)]
    [InlineData(VMState.Paused)]
    public void Dynamic_memory_cannot_be_switched_while_running(VMState state)
    {
        var on = Refused(Static, new MemoryChangeRequest { DynamicMemoryEnabled = true }, Facts(state));
        Assert.Equal("DynamicMemoryChangeWhileRunning", on.ErrorId);
        Assert.Equal(FailureKind.InvalidState, on.Kind);
        Assert.Contains("Stop-VM", on.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("DynamicMemoryChangeWhileRunning", Refused(Dynamic, new MemoryChangeRequest { DynamicMemoryEnabled = false }, Facts(state)).ErrorId);
    }

    [Fact]
    public void Startup_cannot_change_while_running_with_dynamic_memory()
    {
        var failure = Refused(Dynamic, new MemoryChangeRequest { StartupBytes = 2 * GB }, Facts(VMState.Running));
        Assert.Equal("StartupChangeWhileRunning", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidState, failure.Kind);
    }

    [Fact]
    public void Minimum_maximum_buffer_and_priority_change_while_running_with_dynamic_memory()
    {
        var plan = MemoryRules.Plan(Dynamic, new MemoryChangeRequest { MinimumBytes = 768 * MB, MaximumBytes = 2 * GB, Buffer = 30, Priority = 70 }, Facts(VMState.Running));
        Assert.Equal(new[] { "Reservation", "Limit", "TargetMemoryBuffer", "Weight" }, plan.Changes.Select(c => c.Key));
    }

    [Theory]
    [InlineData(256L, 4096L, true)]
    [InlineData(768L, 4096L, false)]
    [InlineData(512L, 8192L, true)]
    [InlineData(512L, 2048L, false)]
    public void Hosts_before_2016_only_lower_the_minimum_and_raise_the_maximum_while_running(long minimumMB, long maximumMB, bool accepted)
    {
        var request = new MemoryChangeRequest { MinimumBytes = minimumMB * MB, MaximumBytes = maximumMB * MB };
        var facts = Facts(VMState.Running, host: "6.3.9600");
        if (accepted)
        {
            Assert.True(MemoryRules.Plan(Dynamic, request, facts).HasChanges);
        }
        else
        {
            Assert.Equal("DynamicMemoryRangeWhileRunning", Refused(Dynamic, request, facts).ErrorId);
        }
    }

    [Theory]
    [InlineData("10.0.14393", true)]
    [InlineData("10.0.20348", true)]
    [InlineData("10.0.10586", false)]
    [InlineData("6.3.9600", false)]
    public void Static_memory_resizes_while_running_from_Windows_Server_2016(string host, bool accepted)
    {
        var request = new MemoryChangeRequest { StartupBytes = 4 * GB };
        var facts = Facts(VMState.Running, host: host);
        if (accepted)
        {
            Assert.Equal(4096UL, MemoryRules.Plan(Static, request, facts).Resulting.StartupMB);
        }
        else
        {
            var failure = Refused(Static, request, facts);
            Assert.Equal("RuntimeResizeNotSupported", failure.ErrorId);
            Assert.Equal(FailureKind.NotSupported, failure.Kind);
        }
    }

    [Theory]
    [InlineData(VMState.Saved)]
    [InlineData(VMState.Starting)]
    [InlineData(VMState.Stopping)]
    public void Memory_does_not_change_while_saved_or_in_transition(VMState state)
    {
        var failure = Refused(Dynamic, new MemoryChangeRequest { Priority = 80 }, Facts(state));
        Assert.Equal("VMStateInvalid", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidState, failure.Kind);
        Assert.Contains(state.ToString(), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_assigned_device_and_dynamic_memory_startup_must_equal_minimum()
    {
        var failure = Refused(Static, new MemoryChangeRequest { DynamicMemoryEnabled = true }, Facts(device: true));
        Assert.Equal("AssignedDeviceNeedsFixedStartup", failure.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, failure.Kind);

        var plan = MemoryRules.Plan(Static, new MemoryChangeRequest { DynamicMemoryEnabled = true, MinimumBytes = 2 * GB, MaximumBytes = 8 * GB }, Facts(device: true));
        Assert.Equal(plan.Resulting.StartupMB, plan.Resulting.MinimumMB);
    }

    [Fact]
    public void An_assigned_device_does_not_matter_with_static_memory()
        => Assert.True(MemoryRules.Plan(Static, new MemoryChangeRequest { StartupBytes = 4 * GB }, Facts(device: true)).HasChanges);

    [Fact]
    public void Values_already_as_asked_change_nothing_in_any_state()
    {
        var request = new MemoryChangeRequest { DynamicMemoryEnabled = true, StartupBytes = 1 * GB, MinimumBytes = 512 * MB, MaximumBytes = 4 * GB, Buffer = 20, Priority = 50 };
        foreach (var state in new[] { VMState.Off, VMState.Running, VMState.Saved })
        {
            var plan = MemoryRules.Plan(Dynamic, request, Facts(state));
            Assert.False(plan.HasChanges);
            Assert.Empty(plan.Describe());
        }
    }

    [Fact]
    public void Only_changed_properties_are_sent_with_their_wire_types()
    {
        var plan = MemoryRules.Plan(Static, new MemoryChangeRequest { DynamicMemoryEnabled = true, StartupBytes = 2 * GB, MinimumBytes = 1 * GB, MaximumBytes = 8 * GB, Priority = 80 }, Facts());
        Assert.Equal(new KeyValuePair<string, object>[]
        {
            new("DynamicMemoryEnabled", true),
            new("Reservation", 1024UL),
            new("Limit", 8192UL),
            new("Weight", 8000U),
        }, plan.Changes);
        Assert.Equal("DynamicMemoryEnabled False -> True, Minimum 512 MB -> 1024 MB, Maximum 1048576 MB -> 8192 MB, Priority 50 -> 80", plan.Describe());
    }

    [Fact]
    public void Sizes_off_the_128_MB_step_are_warned_about_not_refused()
    {
        var plan = MemoryRules.Plan(Dynamic, new MemoryChangeRequest { MinimumBytes = 130 * MB, MaximumBytes = 4 * GB }, Facts());
        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("minimum memory for 'vm' (130 MB) is not a multiple of 128 MB", warning, StringComparison.Ordinal);
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void A_size_off_the_128_MB_step_that_does_not_change_is_not_warned_about_again()
    {
        var current = new MemorySettings { DynamicMemoryEnabled = true, StartupMB = 1030, MinimumMB = 512, MaximumMB = 4096, Buffer = 20, Weight = 5000 };
        var plan = MemoryRules.Plan(current, new MemoryChangeRequest { StartupBytes = 1030 * MB, Priority = 60 }, Facts());
        Assert.Empty(plan.Warnings);
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void State_rules_come_before_range_rules_only_for_real_changes()
    {
        // Running with dynamic memory: a bad minimum is reported as a range error, since minimum may change.
        Assert.Equal("InvalidMemoryRange", Refused(Dynamic, new MemoryChangeRequest { MinimumBytes = 2 * GB }, Facts(VMState.Running)).ErrorId);
    }
}
