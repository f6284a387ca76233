using System;
using System.Management.Automation;
using HyperVGuestFeatures.Cim;
using HyperVGuestFeatures.Cim.Mmi;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// One host a command will talk to, already resolved to the simulator or the real provider.
/// <see cref="Connect"/> may be called from any thread.
/// </summary>
internal sealed class HostTarget
{
    private readonly Func<ICimClient> _connect;

    internal HostTarget(string computerName, bool isSimulated, Func<ICimClient> connect)
    {
        ComputerName = computerName;
        IsSimulated = isSimulated;
        _connect = connect;
    }

    /// <summary>The host's name for output and messages (this computer's name for localhost, "." or none).</summary>
    public string ComputerName { get; }

    /// <summary>True when the name is a simulated host registered with Start-HyperVSimulator (in any runspace of the process).</summary>
    public bool IsSimulated { get; }

    /// <summary>Opens a client; the caller disposes it (which never closes a user's -CimSession).</summary>
    public ICimClient Connect() => _connect();
}

/// <summary>
/// Decides how to reach a host: a user's -CimSession as it is; a name registered with
/// Start-HyperVSimulator (in any runspace of this process), the simulator; any other name, the real
/// provider through MMI, with -Credential's user name and SecureString password (never copied to text).
/// </summary>
/// <remarks>
/// Threading: <see cref="Resolve"/> may run on any thread, because the simulator registry
/// (<see cref="SimulatorSessions.Current"/>) is one for the process; cmdlets still resolve on the
/// pipeline thread, before any fan-out, so that a name means the same host for the whole call. The
/// <see cref="HostTarget"/> captures the simulator or the connection details, and worker threads (the
/// -ThrottleLimit pool) call <see cref="HostTarget.Connect"/> later. The session is typed object here
/// so that no MMI type appears outside Cim/Mmi; the cmdlet passes an element of its [CimSession[]] parameter.
/// </remarks>
internal static class HostConnector
{
    /// <summary>Resolves a host. With <paramref name="cimSession"/>, the name and credential are ignored.</summary>
    public static HostTarget Resolve(string? computerName, PSCredential? credential, object? cimSession)
    {
        if (cimSession is PSObject wrapped)
        {
            cimSession = wrapped.BaseObject;
        }

        if (cimSession is not null)
        {
            var session = cimSession;
            return new HostTarget(MmiConnection.ComputerNameOf(session), isSimulated: false, () => MmiConnection.FromSession(session));
        }

        var name = SimulatorSessions.NormalizeHostName(computerName);
        if (SimulatorSessions.Current.TryGet(name, out var simulated))
        {
            return new HostTarget(name, isSimulated: true, simulated.Connect);
        }

        // PSCredential.Empty (or no -Credential) means the caller's own identity.
        var userName = string.IsNullOrEmpty(credential?.UserName) ? null : credential!.UserName;
        var password = userName is null ? null : credential!.Password;
        return new HostTarget(name, isSimulated: false, () => MmiConnection.Connect(name, userName, password));
    }
}
