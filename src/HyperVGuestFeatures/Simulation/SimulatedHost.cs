using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// One simulated Hyper-V host: an in-memory root\virtualization\v2 provider behind <see cref="ICimClient"/>.
/// </summary>
public sealed class SimulatedHost
{
    public SimulatedHost(string computerName)
    {
        ComputerName = computerName;
    }

    public string ComputerName { get; }

    /// <summary>Opens a client on this host; every call through it counts as one round trip.</summary>
    public ICimClient Connect() => throw new System.NotImplementedException("The simulated provider lands with the adapter/simulator issue.");
}
