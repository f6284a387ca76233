using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace HyperVGuestFeatures.Cim.Mmi;

/// <summary>
/// Whether this computer is itself a Hyper-V host, so that a simulated host never takes its name by
/// accident (Start-HyperVSimulator asks). The test: this computer's WMI has the provider's namespace,
/// root\virtualization\v2, which the Hyper-V role's Virtual Machine Management Service (vmms.exe) provides
/// (https://learn.microsoft.com/windows/win32/hyperv_v2/windows-virtualization-portal; every class page
/// there names Root\Virtualization\V2 as its namespace and Vmms.exe as its provider). One local
/// query of the namespace's parent for a child named v2 (the __NAMESPACE system class,
/// https://learn.microsoft.com/windows/win32/wmisdk/--namespace), through the local session that needs
/// no WinRM; the provider itself is not loaded.
/// </summary>
internal static class MmiLocalHost
{
    private const string ParentNamespace = @"root\virtualization";
    private const string ChildNamespace = "v2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True when root\virtualization\v2 exists here, or when WMI refuses to say because the caller may not
    /// read it (access denied is not "no namespace": WMI answers an absent one with InvalidNamespace).
    /// False on Linux and macOS (no Hyper-V host there, and MMI is not touched), when the namespace is
    /// absent, and when local WMI cannot answer within five seconds: then no Hyper-V cmdlet could use
    /// this computer's provider either.
    /// </summary>
    public static bool HasHyperVProvider()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            using var client = MmiConnection.Connect(null);
            var wql = Wql.Select("__NAMESPACE", Wql.Equal("Name", ChildNamespace));
            return client.Query(ParentNamespace, wql, timeout.Token).Count > 0;
        }
        catch (GuestFeatureException failure) when (failure.Kind == FailureKind.AccessDenied)
        {
            return true;
        }
        catch (GuestFeatureException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
