using System;
using System.Runtime.CompilerServices;
using System.Security;
using Microsoft.Management.Infrastructure;
using Microsoft.Management.Infrastructure.Options;

namespace HyperVGuestFeatures.Cim.Mmi;

/// <summary>
/// The entry point to the real provider: makes <see cref="MmiCimClient"/>s from module-owned
/// parameters, so no MMI type appears outside Cim/Mmi. Every MMI reference sits in a
/// <c>*Core</c> method that is never inlined: on a platform without MMI's native library (Linux,
/// macOS) or without MMI at all, the failure surfaces when that method runs or is compiled, inside
/// this class's try block, and becomes GuestFeatureException CimUnavailableOnPlatform (NotInstalled).
/// </summary>
internal static class MmiConnection
{
    /// <summary>
    /// Opens a session the client owns. <paramref name="computerName"/> null, empty, ".", "localhost" or
    /// this computer's name with no user name uses the local provider without WinRM; anything else uses
    /// WS-Management (WinRM), as New-CimSession does by default (a user who needs DCOM passes a -CimSession made
    /// with New-CimSessionOption -Protocol Dcom). <paramref name="userName"/> may be "DOMAIN\user", "user@domain" or "user".
    /// </summary>
    public static ICimClient Connect(string? computerName, string? userName = null, SecureString? password = null)
    {
        if (userName is not null && password is null)
        {
            throw new ArgumentNullException(nameof(password), "A user name needs a password.");
        }

        var displayName = IsLocal(computerName) ? Environment.MachineName : computerName!.Trim();
        var remoteName = IsLocal(computerName) && userName is null ? null : displayName;
        try
        {
            return ConnectCore(displayName, remoteName, userName, password);
        }
        catch (Exception failure) when (MmiErrors.IsPlatformMissing(failure))
        {
            throw MmiErrors.Unavailable(displayName, failure);
        }
    }

    /// <summary>
    /// Wraps a session the user made (-CimSession). The client does not own it: disposing the client
    /// leaves the session open. <paramref name="cimSession"/> must be a Microsoft.Management.Infrastructure.CimSession.
    /// </summary>
    public static ICimClient FromSession(object cimSession)
    {
        if (cimSession is null)
        {
            throw new ArgumentNullException(nameof(cimSession));
        }

        try
        {
            return FromSessionCore(cimSession);
        }
        catch (Exception failure) when (MmiErrors.IsPlatformMissing(failure))
        {
            throw MmiErrors.Unavailable(Environment.MachineName, failure);
        }
    }

    /// <summary>The host a user's session is connected to (this computer for a local session).</summary>
    public static string ComputerNameOf(object cimSession)
    {
        if (cimSession is null)
        {
            throw new ArgumentNullException(nameof(cimSession));
        }

        try
        {
            return ComputerNameOfCore(cimSession);
        }
        catch (Exception failure) when (MmiErrors.IsPlatformMissing(failure))
        {
            throw MmiErrors.Unavailable(Environment.MachineName, failure);
        }
    }

    /// <summary>True for the names that mean this computer: null, empty, ".", "localhost" and its own name.</summary>
    public static bool IsLocal(string? computerName)
    {
        var name = computerName?.Trim();
        return string.IsNullOrEmpty(name)
            || name == "."
            || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"DOMAIN\user" → (DOMAIN, user); "user@domain" and "user" keep the whole name with no domain.</summary>
    public static (string? Domain, string User) SplitUserName(string userName)
    {
        var separator = userName.IndexOf('\\');
        return separator > 0
            ? (userName.Substring(0, separator), userName.Substring(separator + 1))
            : (null, separator == 0 ? userName.Substring(1) : userName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA1859 // The interface keeps the MMI-holding class out of the caller's compiled signature.
    private static ICimClient ConnectCore(string displayName, string? remoteName, string? userName, SecureString? password)
#pragma warning restore CA1859
    {
        if (remoteName is null)
        {
            try
            {
                return new MmiCimClient(CimSession.Create(null), displayName, ownsSession: true);
            }
            catch (CimException failure)
            {
                throw MmiErrors.Map(failure, displayName, "connect");
            }
        }

        var options = new WSManSessionOptions();
        try
        {
            if (userName is not null)
            {
                var (domain, user) = SplitUserName(userName);
                options.AddDestinationCredentials(new CimCredential(PasswordAuthenticationMechanism.Default, domain, user, password));
            }

            // The options stay alive with the session and are disposed with it.
            return new MmiCimClient(CimSession.Create(remoteName, options), displayName, ownsSession: true, options);
        }
        catch (CimException failure)
        {
            options.Dispose();
            throw MmiErrors.Map(failure, displayName, "connect");
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA1859 // The interface keeps the MMI-holding class out of the caller's compiled signature.
    private static ICimClient FromSessionCore(object cimSession)
#pragma warning restore CA1859
    {
        var session = cimSession as CimSession
            ?? throw new ArgumentException("The value is not a CimSession: " + cimSession.GetType().FullName, nameof(cimSession));
        return new MmiCimClient(session, ComputerNameOfCore(session), ownsSession: false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ComputerNameOfCore(object cimSession)
    {
        var session = cimSession as CimSession
            ?? throw new ArgumentException("The value is not a CimSession: " + cimSession.GetType().FullName, nameof(cimSession));
        return string.IsNullOrEmpty(session.ComputerName) || IsLocal(session.ComputerName) ? Environment.MachineName : session.ComputerName;
    }
}
