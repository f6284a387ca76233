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
        // Projections ask for the same ids on every query: each text is hashed once (a lab has a few per VM).
        if (Known.TryGetValue(text, out var known))
        {
            return known;
        }

        if (Known.Count >= MaxKnown)
        {
            Known.Clear();
        }

        return Known[text] = Hash(text);
    }

    private const int MaxKnown = 100_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> Known = new(StringComparer.Ordinal);

    private static Guid Hash(string text)
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
