using System.Management.Automation;
using HyperVGuestFeatures.HyperV;

namespace HyperVGuestFeatures.Commands;

/// <summary>
/// Get-DynamicMemory: the memory settings (startup, minimum, maximum, buffer, priority, dynamic memory
/// on/off) and, for running VMs, assigned and demand memory, of every selected VM across hosts.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DynamicMemory")]
[OutputType(typeof(DynamicMemoryInfo))]
public sealed class GetDynamicMemoryCommand : VmCmdletBase
{
    protected override void OnProcess() => CollectVmRequest();

    protected override void OnEnd()
    {
        RunOnHosts(Requests, (host, selection) =>
        {
            var result = DynamicMemory.Read(host.Client, selection, host.Verbose, host.CancellationToken);
            foreach (var failure in result.Failures)
            {
                host.Error(failure);
            }

            foreach (var memory in result.Rows)
            {
                host.Output(memory);
            }
        });
    }
}
