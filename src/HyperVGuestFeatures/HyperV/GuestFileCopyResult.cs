using System;

namespace HyperVGuestFeatures;

/// <summary>What Copy-GuestFile -PassThru returns: one host file copied into one VM.</summary>
public sealed class GuestFileCopyResult
{
    internal GuestFileCopyResult(string computerName, string vmName, Guid vmId, string source, string destination, long? bytes, TimeSpan duration)
    {
        ComputerName = computerName;
        VMName = vmName;
        VMId = vmId;
        Source = source;
        Destination = destination;
        Bytes = bytes;
        Duration = duration;
    }

    public string ComputerName { get; }

    public string VMName { get; }

    public Guid VMId { get; }

    /// <summary>The host file's full path.</summary>
    public string Source { get; }

    /// <summary>The guest path sent to the provider (a file path; when it names an existing guest directory, the file went inside it under its own name).</summary>
    public string Destination { get; }

    /// <summary>The host file's size, when this computer read it; null for a remote host's file, which only the host reads.</summary>
    public long? Bytes { get; }

    /// <summary>From the provider call to the end of its job.</summary>
    public TimeSpan Duration { get; }

    public override string ToString() => Source + " -> " + VMName + ":" + Destination;
}
