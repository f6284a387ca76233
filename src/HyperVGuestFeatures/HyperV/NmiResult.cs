using System;

namespace HyperVGuestFeatures;

/// <summary>What Send-VMNmi -PassThru returns: which VM got a non-maskable interrupt, and when.</summary>
public sealed class NmiResult
{
    internal NmiResult(string computerName, string vmName, Guid vmId, DateTime sentAt)
    {
        ComputerName = computerName;
        VMName = vmName;
        VMId = vmId;
        SentAt = sentAt;
        Hint = GuestFeatureException.Format("NmiGuestHint");
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>Local time at which the provider was asked to inject the interrupt; its job had completed when the object was written.</summary>
    public DateTime SentAt { get; }

    /// <summary>Where to see the effect in the guest.</summary>
    public string Hint { get; }

    public override string ToString() => VMName;
}
