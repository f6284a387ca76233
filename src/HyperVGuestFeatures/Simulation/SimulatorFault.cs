using System;
using System.Globalization;

namespace HyperVGuestFeatures;

/// <summary>
/// A fault armed on a simulated host (Add-HyperVSimulatorFault): the matching calls return
/// <see cref="ReturnCode"/>, or start a job that fails with <see cref="JobErrorCode"/>, or lose the
/// connection (<see cref="Disconnect"/>). <see cref="Method"/> is a provider method name
/// (e.g. ModifyResourceSettings) or a query kind (Query, GetInstance, GetAssociated); null matches
/// every call. <see cref="VMName"/> limits it to calls about that VM. <see cref="Count"/> null means
/// every matching call, otherwise the next Count calls.
/// </summary>
public sealed class HyperVSimulatorFault
{
    /// <summary>The round-trip kinds that are not method calls.</summary>
    internal static readonly string[] QueryKinds = { "Query", "GetInstance", "GetAssociated" };

    private int _remaining;

    internal HyperVSimulatorFault(string computerName, string? vmName, string? method, uint? returnCode, ushort? jobErrorCode, string? jobErrorDescription, bool disconnect, int? count)
    {
        var kinds = (returnCode.HasValue ? 1 : 0) + (jobErrorCode.HasValue ? 1 : 0) + (disconnect ? 1 : 0);
        if (kinds != 1)
        {
            throw GuestFeatureException.Create("SimulatorFaultInvalid", FailureKind.InvalidArgument, computerName, computerName, GuestFeatureException.Format("SimulatorFaultOneKind"));
        }

        if (!disconnect && method is not null && Array.Exists(QueryKinds, k => string.Equals(k, method, StringComparison.OrdinalIgnoreCase)))
        {
            throw GuestFeatureException.Create("SimulatorFaultInvalid", FailureKind.InvalidArgument, computerName, computerName, GuestFeatureException.Format("SimulatorFaultQueryDisconnectOnly", method));
        }

        if (count is <= 0)
        {
            throw GuestFeatureException.Create("SimulatorFaultInvalid", FailureKind.InvalidArgument, computerName, computerName, GuestFeatureException.Format("SimulatorFaultCount", count));
        }

        ComputerName = computerName;
        VMName = string.IsNullOrEmpty(vmName) ? null : vmName;
        Method = string.IsNullOrEmpty(method) ? null : method;
        ReturnCode = returnCode;
        JobErrorCode = jobErrorCode;
        JobErrorDescription = jobErrorCode.HasValue
            ? (string.IsNullOrEmpty(jobErrorDescription) ? GuestFeatureException.Format("SimulatorFaultJobDescription") : jobErrorDescription)
            : null;
        Disconnect = disconnect;
        Count = count;
        _remaining = count ?? int.MaxValue;
    }

    public string ComputerName { get; }

    public string? VMName { get; }

    public string? Method { get; }

    public uint? ReturnCode { get; }

    public ushort? JobErrorCode { get; }

    public string? JobErrorDescription { get; }

    public bool Disconnect { get; }

    public int? Count { get; }

    /// <summary>How many more calls it will hit (null when it hits every call).</summary>
    public int? Remaining => Count is null ? null : _remaining;

    internal bool IsQueryFault => Method is not null && Array.Exists(QueryKinds, k => string.Equals(k, Method, StringComparison.OrdinalIgnoreCase));

    public override string ToString()
        => string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} on {2}: {3}",
            Method ?? "*",
            VMName ?? "*",
            ComputerName,
            Disconnect ? "disconnect" : ReturnCode.HasValue ? "return " + ReturnCode.Value.ToString(CultureInfo.InvariantCulture) : "job error " + JobErrorCode!.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether the call matches; a match uses up one of Count. Called under the host's lock.</summary>
    internal bool TryHit(string kind, string? vmName)
    {
        if (_remaining <= 0)
        {
            return false;
        }

        var isQuery = Array.Exists(QueryKinds, k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase));
        if (Method is null ? (isQuery && !Disconnect) : !string.Equals(Method, kind, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (VMName is not null && !string.Equals(VMName, vmName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Count is not null)
        {
            _remaining--;
        }

        return true;
    }

    internal bool IsSpent => _remaining <= 0;
}
