using System;
using System.Security.Cryptography;
using System.Text;

namespace HyperVGuestFeatures.Simulation;

/// <summary>Deterministic GUIDs, so a scenario's VM and device ids are the same on every run.</summary>
internal static class SimulatorIds
{
    /// <summary>A name-based GUID (RFC 4122 layout, version 5 bits) derived from the text.</summary>
    public static Guid From(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToUpperInvariant()));
        var bytes = new byte[16];
        Array.Copy(hash, bytes, 16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public static string Text(Guid id) => id.ToString("D").ToUpperInvariant();
}
