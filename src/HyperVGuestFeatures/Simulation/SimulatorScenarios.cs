using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// The built-in labs (Start-HyperVSimulator's help, docs/en-US/Start-HyperVSimulator.md). <c>Default</c> is a Windows Server 2022 host whose
/// seven Linux/FreeBSD guests cover the catalog; <c>WS2019</c>, <c>WS2016</c> and <c>WS2012R2</c> are
/// the same lab on older hosts; <see cref="Generate"/> makes N varied running guests for benchmarks.
/// VM ids derive from the host and VM names, so every run of a scenario has the same GUIDs.
/// </summary>
internal static class SimulatorScenarios
{
    public const string Default = "Default";

    /// <summary>The scenario name a generated (-VMCount) lab reports.</summary>
    public const string Generated = "Generated";

    private static readonly Dictionary<string, Version> Versions = new(StringComparer.OrdinalIgnoreCase)
    {
        [Default] = HostVersions.WS2022,
        ["WS2022"] = HostVersions.WS2022,
        ["WS2019"] = HostVersions.WS2019,
        ["WS2016"] = HostVersions.WS2016,
        ["WS2012R2"] = HostVersions.WS2012R2,
    };

    /// <summary>Every scenario name Start-HyperVSimulator -Scenario accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = Versions.Keys.ToList();

    public static bool Exists(string? name) => name is not null && Versions.ContainsKey(name);

    /// <summary>The canonical spelling of a scenario name; throws (InvalidArgument) for an unknown one.</summary>
    public static string Canonical(string name)
        => Versions.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            ?? throw GuestFeatureException.Create("SimulatorScenarioNotFound", FailureKind.InvalidArgument, name, name, string.Join(", ", Names));

    public static Version HostVersionOf(string scenario) => Versions[Canonical(scenario)];

    /// <summary>The lab of a named scenario, for the host <paramref name="computerName"/>.</summary>
    public static SimulatedLab Create(string scenario, string computerName)
    {
        var name = Canonical(scenario);
        var version = Versions[name];
        var lab = new SimulatedLab { Scenario = name, HostVersion = version };
        var builder = new LabBuilder(computerName, version);

        var ubuntu = builder.Linux("ubuntu-web", SimulatedVMState.Running, 2, "Ubuntu", "22.04", "5.15.0-91-generic", "192.168.10.21");
        LabBuilder.Dynamic(ubuntu, 2048, 512, 4096, assigned: 2048, demand: 1300);
        ubuntu.NetworkAdapters[0].VlanMode = SimulatedVlanMode.Access;
        ubuntu.NetworkAdapters[0].AccessVlanId = 10;
        ubuntu.HostItems["Environment"] = "Production";
        ubuntu.GuestItems["ProvisioningState"] = "Succeeded";

        var rhel = builder.Linux("rhel-db", SimulatedVMState.Running, 2, "Red Hat Enterprise Linux", "9.2", "5.14.0-284.11.1.el9_2.x86_64", "192.168.20.31");
        LabBuilder.Dynamic(rhel, 4096, 2048, 16384, assigned: 6144, demand: 5200);
        rhel.ProcessorCount = 4;
        var trunk = rhel.NetworkAdapters[0];
        trunk.VlanMode = SimulatedVlanMode.Trunk;
        trunk.NativeVlanId = 1;
        trunk.TrunkVlanIds.AddRange(new ushort[] { 100, 200, 300 });
        trunk.IovWeight = 50;
        rhel.Controllers[0].Disks.Add(new SimulatedDisk { Path = LabBuilder.DiskPath("rhel-db-data") });
        rhel.FibreChannelAdapters.Add(new SimulatedFcAdapter());

        // Secure boot with the Microsoft Windows template: the classic Linux boot failure (docs/en-US/Get-GuestFeature.md).
        var debian = builder.Linux("debian-build", SimulatedVMState.Running, 2, "Debian GNU/Linux", "12", "6.1.0-17-amd64", "192.168.10.41");
        debian.Memory.StartupMB = 4096;
        if (debian.SecureBootEnabled)
        {
            debian.SecureBootTemplateId = new Guid(ProviderConstants.MicrosoftWindowsTemplate);
        }

        var freebsd = builder.Linux("freebsd-gw", SimulatedVMState.Running, 1, "FreeBSD", "13.2", "13.2-RELEASE", "192.168.10.1", architecture: "amd64");
        freebsd.Memory.StartupMB = 1024;
        freebsd.NetworkAdapters.Add(builder.Nic(freebsd, SimulatedNicType.Legacy, 1));

        var suse = builder.Linux("suse-off", SimulatedVMState.Off, 2, "SUSE Linux Enterprise Server", "15.5", "5.14.21-150500.53-default", "192.168.10.51");
        LabBuilder.Dynamic(suse, 2048, 1024, 8192, assigned: null, demand: null);

        var alma = builder.Linux("alma-noguestsvc", SimulatedVMState.Running, 2, "AlmaLinux", "9.3", "5.14.0-362.8.1.el9_3.x86_64", "192.168.10.61");
        alma.Components[IntegrationComponentKind.GuestServiceInterface].Enabled = false;

        var centos = builder.Linux("centos-hung", SimulatedVMState.Running, 1, "CentOS Linux", "7", "3.10.0-1160.el7.x86_64", "192.168.10.71");
        centos.Components[IntegrationComponentKind.Heartbeat].Status = IntegrationComponentStatus.LostCommunication;

        lab.VMs.AddRange(new[] { ubuntu, rhel, debian, freebsd, suse, alma, centos });
        return lab;
    }

    /// <summary>
    /// <paramref name="vmCount"/> running Linux/FreeBSD guests, varied but deterministic (distribution,
    /// generation, memory mode, VLAN), on the host version of <paramref name="scenario"/> (WS2022 by default).
    /// </summary>
    public static SimulatedLab Generate(int vmCount, string computerName, string scenario = Default)
    {
        if (vmCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vmCount));
        }

        var version = HostVersionOf(scenario);
        var lab = new SimulatedLab { Scenario = Generated, HostVersion = version };
        var builder = new LabBuilder(computerName, version);
        var distributions = new[]
        {
            ("Ubuntu", "22.04", "5.15.0-91-generic", 2),
            ("Red Hat Enterprise Linux", "9.2", "5.14.0-284.11.1.el9_2.x86_64", 2),
            ("Debian GNU/Linux", "12", "6.1.0-17-amd64", 2),
            ("SUSE Linux Enterprise Server", "15.5", "5.14.21-150500.53-default", 2),
            ("AlmaLinux", "9.3", "5.14.0-362.8.1.el9_3.x86_64", 2),
            ("CentOS Linux", "7", "3.10.0-1160.el7.x86_64", 1),
            ("FreeBSD", "13.2", "13.2-RELEASE", 1),
        };
        for (var i = 1; i <= vmCount; i++)
        {
            var (os, osVersion, kernel, generation) = distributions[(i - 1) % distributions.Length];
            var name = "linux-" + i.ToString("D4", CultureInfo.InvariantCulture);
            var ip = string.Format(CultureInfo.InvariantCulture, "10.{0}.{1}.{2}", 1 + (i / 65536), (i / 256) % 256, i % 256);
            var vm = builder.Linux(name, SimulatedVMState.Running, generation, os, osVersion, kernel, ip, architecture: os == "FreeBSD" ? "amd64" : "x86_64");
            vm.ProcessorCount = (ulong)(1 << (i % 3));
            if (i % 2 == 0)
            {
                LabBuilder.Dynamic(vm, 2048, 512, 8192, assigned: 2048 + (ulong)(i % 4) * 512, demand: 1024 + (ulong)(i % 5) * 256);
            }
            else
            {
                vm.Memory.StartupMB = 1024UL * (ulong)(1 + (i % 4));
            }

            if (i % 3 == 0)
            {
                vm.NetworkAdapters[0].VlanMode = SimulatedVlanMode.Access;
                vm.NetworkAdapters[0].AccessVlanId = (ushort)(10 + (i % 20));
            }

            if (i % 10 == 0)
            {
                vm.Components[IntegrationComponentKind.Vss].Enabled = false;
            }

            lab.VMs.Add(vm);
        }

        return lab;
    }

    /// <summary>Builds guests the way the scenarios describe them.</summary>
    internal sealed class LabBuilder
    {
        private readonly string _computerName;
        private readonly Version _hostVersion;
        private int _vmIndex;

        public LabBuilder(string computerName, Version hostVersion)
        {
            _computerName = computerName;
            _hostVersion = hostVersion;
        }

        public static string DiskPath(string name) => @"C:\ProgramData\Microsoft\Windows\Virtual Hard Disks\" + name + ".vhdx";

        /// <summary>A Linux/FreeBSD guest with the lab's defaults and the intrinsic KVP items its daemon reports.</summary>
        public SimulatedVM Linux(string name, SimulatedVMState state, int generation, string osName, string osVersion, string kernel, string ipv4, string architecture = "x86_64")
        {
            var vm = Guest(name, null, state, generation);
            SetGuestOS(vm, osName, osVersion, kernel, architecture, ipv4, null, name + ".lab.contoso.com", "3.1");
            vm.Files.WriteFile("/etc/hostname", Encoding.UTF8.GetBytes(name + "\n"));
            vm.Files.WriteFile("/etc/os-release", Encoding.UTF8.GetBytes("NAME=\"" + osName + "\"\nVERSION_ID=\"" + osVersion + "\"\n"));
            vm.Files.CreateDirectory("/home/admin");
            return vm;
        }

        /// <summary>
        /// A guest with the lab's defaults: a synthetic NIC on "External", a disk (SCSI on Gen2, IDE on Gen1),
        /// a synthetic display, all six components enabled and OK, 2 vCPUs, 2 GB static memory. Gen2 guests
        /// boot with secure boot and the Microsoft UEFI CA template, except on WS2012R2, where that template
        /// does not exist and secure boot is off (docs/provider-model.md "Host versions").
        /// </summary>
        public SimulatedVM Guest(string name, Guid? id, SimulatedVMState state, int generation)
        {
            _vmIndex++;
            var vm = new SimulatedVM(name, id ?? SimulatorIds.From(_computerName + "/" + name))
            {
                State = state,
                Generation = generation,
                ConfigurationVersion = HostVersions.DefaultConfigurationVersion(_hostVersion),
                ProcessorCount = 2,
                Memory = new SimulatedMemory { StartupMB = 2048, MinimumMB = 512, MaximumMB = 1048576, BufferPercent = 20, Weight = 5000 },
            };
            if (generation == 2)
            {
                var templates = _hostVersion >= HostVersions.WS2016;
                vm.SecureBootEnabled = templates;
                vm.SecureBootTemplateId = templates ? new Guid(ProviderConstants.MicrosoftUefiCaTemplate) : null;
                vm.LowMmioGapMB = 128;
                vm.HighMmioGapMB = 512;
            }

            vm.NetworkAdapters.Add(Nic(vm, SimulatedNicType.Synthetic, 0));
            var controller = new SimulatedController { Type = generation == 2 ? SimulatedControllerType.Scsi : SimulatedControllerType.Ide };
            controller.Disks.Add(new SimulatedDisk { Path = DiskPath(name) });
            vm.Controllers.Add(controller);
            return vm;
        }

        /// <summary>
        /// The intrinsic KVP items (Source 2) the guest's KVP daemon reports (docs/provider-model.md "KVP"), filled the
        /// way Linux's hv_kvp_daemon fills them (KERNEL tools/hv/hv_kvp_daemon.c, kvp_get_os_info):
        /// OSName is os-release NAME, OSMajorVersion is os-release VERSION_ID (OSMinorVersion stays empty),
        /// OSVersion is the kernel release cut at the first '-', OSBuildNumber the whole kernel release.
        /// FreeBSD's daemon (contrib/hyperv/tools/hv_kvp_daemon.c) has no os-release to read: it reports the uname
        /// release cut at the first '-' as both OSVersion and OSBuildNumber (13.2-RELEASE gives 13.2).
        /// </summary>
        public void SetGuestOS(SimulatedVM vm, string osName, string versionId, string kernel, string architecture, string? ipv4, string? ipv6, string? fqdn, string? integrationServicesVersion)
        {
            var dash = kernel.IndexOf('-');
            var isFreeBsd = string.Equals(osName, "FreeBSD", StringComparison.Ordinal);
            vm.IntrinsicItems["FullyQualifiedDomainName"] = fqdn ?? vm.Name;
            vm.IntrinsicItems["IntegrationServicesVersion"] = integrationServicesVersion ?? "3.1";
            vm.IntrinsicItems["NetworkAddressIPv4"] = ipv4 ?? string.Empty;
            vm.IntrinsicItems["NetworkAddressIPv6"] = ipv6 ?? string.Format(CultureInfo.InvariantCulture, "fe80::215:5dff:fe00:{0:x}", _vmIndex);
            vm.IntrinsicItems["OSBuildNumber"] = isFreeBsd && dash >= 0 ? kernel.Substring(0, dash) : kernel;
            vm.IntrinsicItems["OSName"] = osName;
            vm.IntrinsicItems["OSMajorVersion"] = isFreeBsd ? string.Empty : versionId;
            vm.IntrinsicItems["OSMinorVersion"] = string.Empty;
            vm.IntrinsicItems["OSVersion"] = dash < 0 ? kernel : kernel.Substring(0, dash);
            vm.IntrinsicItems["ProcessorArchitecture"] = architecture;
        }

        public SimulatedNetworkAdapter Nic(SimulatedVM vm, SimulatedNicType type, int index)
            => new()
            {
                Name = type == SimulatedNicType.Synthetic ? "Network Adapter" : "Legacy Network Adapter",
                Type = type,
                MacAddress = string.Format(CultureInfo.InvariantCulture, "00155D{0:X4}{1:X2}", _vmIndex & 0xFFFF, index + 1),
                SwitchName = "External",
            };

        public static void Dynamic(SimulatedVM vm, ulong startup, ulong minimum, ulong maximum, ulong? assigned, ulong? demand)
        {
            vm.Memory.DynamicMemoryEnabled = true;
            vm.VirtualNumaEnabled = false; // the two are exclusive (docs/provider-model.md "Memory rules"): the module turned NUMA off when it enabled DM
            vm.Memory.StartupMB = startup;
            vm.Memory.MinimumMB = minimum;
            vm.Memory.MaximumMB = maximum;
            vm.Memory.AssignedMB = assigned;
            vm.Memory.DemandMB = demand;
        }
    }
}
