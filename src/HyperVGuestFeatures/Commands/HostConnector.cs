using System;
using HyperVGuestFeatures.Cim;
using Microsoft.Management.Infrastructure;
using System.Management.Automation;

namespace HyperVGuestFeatures.Commands;

/// <summary>A host a cmdlet will work on: its name and how to connect to it (called on a worker thread).</summary>
public sealed class HostTarget
{
    public HostTarget(string computerName, Func<ICimClient> connect)
    {
        ComputerName = computerName;
        Connect = connect;
    }

    public string ComputerName { get; }

    public Func<ICimClient> Connect { get; }
}

/// <summary>Turns -ComputerName/-CimSession into hosts: a simulated host when one is registered under the name, else the real provider.</summary>
internal static class HostConnector
{
    public static HostTarget Resolve(string computerName, PSCredential? credential)
    {
        _ = credential;
        var name = SimulatorSessions.NormalizeHostName(computerName);
        if (SimulatorSessions.Current.TryGet(name, out var simulated))
        {
            return new HostTarget(simulated.ComputerName, simulated.Connect);
        }

        return new HostTarget(name, () => throw GuestFeatureException.Create("CimUnavailableOnPlatform", FailureKind.NotInstalled, name, name));
    }

    public static HostTarget FromSession(CimSession session)
    {
        var name = session.ComputerName ?? Environment.MachineName;
        return new HostTarget(name, () => throw GuestFeatureException.Create("CimUnavailableOnPlatform", FailureKind.NotInstalled, name, name));
    }
}
