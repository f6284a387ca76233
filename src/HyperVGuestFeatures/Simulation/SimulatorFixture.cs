using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace HyperVGuestFeatures.Simulation;

/// <summary>
/// Reads a JSON lab description (schema: docs/simulator-fixtures.md). The JSON is read with
/// System.Runtime.Serialization.Json's reader (in netstandard2.0 and .NET Framework, no package) into a
/// small tree that remembers each value's property path, so every error names the file and the place,
/// e.g. <c>vms[2].memory.startupMB</c>. Unknown properties are errors, so typos do not pass silently.
/// </summary>
internal static class SimulatorFixture
{
    /// <summary>
    /// How deeply JSON values may nest. The deepest value the format has is 8 levels down
    /// (vms[].networkAdapters[].vlan.trunkIds[]); a limit keeps a hostile file from recursing until the
    /// stack overflows, which would end the PowerShell process rather than fail the command.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>Loads the fixture file for the host <paramref name="computerName"/>.</summary>
    public static SimulatedLab Load(string path, string computerName)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw GuestFeatureException.Create("SimulatorFixtureNotFound", FailureKind.NotFound, path, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw GuestFeatureException.Create("SimulatorFixtureInvalid", FailureKind.InvalidArgument, path, path, e.Message);
        }

        return Parse(bytes, path, computerName, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses fixture JSON; <paramref name="source"/> names it in errors.</summary>
    public static SimulatedLab Parse(byte[] json, string source, string computerName, string defaultScenario = "Fixture")
    {
        var root = Node.Read(WithoutByteOrderMark(json ?? throw new ArgumentNullException(nameof(json))), source);
        return new Mapper(source, computerName).Lab(root, defaultScenario);
    }

    /// <summary>
    /// UTF-8 without a byte order mark, which is what the JSON reader takes (it finds UTF-16 without a
    /// mark by itself, but stops at any mark). Windows PowerShell 5.1 writes UTF-16 LE with a mark
    /// (Out-File, Set-Content -Encoding Unicode) or UTF-8 with one, so marked text is decoded here.
    /// </summary>
    private static byte[] WithoutByteOrderMark(byte[] json)
    {
        var marks = new Encoding[]
        {
            new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        };

        // UTF-32 LE first: its mark begins with UTF-16 LE's.
        var marked = marks.FirstOrDefault(e => e.GetPreamble() is var mark && json.Length >= mark.Length && mark.Select((b, i) => json[i] == b).All(same => same));
        if (marked is null)
        {
            return json;
        }

        var preamble = marked.GetPreamble().Length;
        return new UTF8Encoding(false).GetBytes(marked.GetString(json, preamble, json.Length - preamble));
    }

    /// <summary>A JSON value with its property path.</summary>
    private sealed class Node
    {
        private Node(string path, string type)
        {
            Path = path;
            Type = type;
        }

        public string Path { get; }

        /// <summary>object, array, string, number, boolean or null (the JSON reader's type attribute).</summary>
        public string Type { get; }

        public string Text { get; private set; } = string.Empty;

        public List<KeyValuePair<string, Node>> Members { get; } = new();

        public List<Node> Items { get; } = new();

        public string Display => Path.Length == 0 ? "the document" : Path;

        public Node? this[string name] => Members.FirstOrDefault(m => m.Key == name).Value;

        public static Node Read(byte[] json, string source)
        {
            if (json.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0))
            {
                throw GuestFeatureException.Create("SimulatorFixtureInvalid", FailureKind.InvalidArgument, source, source, GuestFeatureException.Format("FixtureEmpty"));
            }

            var lastPath = "the start";
            try
            {
                using var reader = JsonReaderWriterFactory.CreateJsonReader(json, XmlDictionaryReaderQuotas.Max);
                reader.MoveToContent();
                return ReadValue(reader, string.Empty, 1, p => lastPath = p.Length == 0 ? "the start" : p, source);
            }
            catch (Exception e) when (e is XmlException or System.Runtime.Serialization.SerializationException or ArgumentException)
            {
                throw GuestFeatureException.Create(
                    "SimulatorFixtureInvalid", FailureKind.InvalidArgument, source, source, GuestFeatureException.Format("FixtureSyntax", lastPath, e.Message));
            }
        }

        private static Node ReadValue(XmlReader reader, string path, int depth, Action<string> seen, string source)
        {
            seen(path);
            if (depth > MaxDepth)
            {
                throw GuestFeatureException.Create("SimulatorFixtureInvalid", FailureKind.InvalidArgument, source, source, GuestFeatureException.Format("FixtureTooDeep", MaxDepth, path));
            }

            var node = new Node(path, reader.GetAttribute("type") ?? "string");
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return node;
            }

            reader.Read();
            switch (node.Type)
            {
                case "object":
                    while (reader.NodeType == XmlNodeType.Element)
                    {
                        // Keys that are not XML names arrive as <a:item item="key">.
                        var key = reader.LocalName == "item" && reader.NamespaceURI == "item" ? reader.GetAttribute("item") ?? string.Empty : reader.LocalName;
                        node.Members.Add(new KeyValuePair<string, Node>(key, ReadValue(reader, path.Length == 0 ? key : path + "." + key, depth + 1, seen, source)));
                    }

                    break;
                case "array":
                    while (reader.NodeType == XmlNodeType.Element)
                    {
                        node.Items.Add(ReadValue(reader, path + "[" + node.Items.Count.ToString(CultureInfo.InvariantCulture) + "]", depth + 1, seen, source));
                    }

                    break;
                default:
                    node.Text = reader.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace ? reader.ReadContentAsString() : string.Empty;
                    break;
            }

            reader.ReadEndElement();
            return node;
        }
    }

    /// <summary>Turns the tree into a <see cref="SimulatedLab"/>, checking every value.</summary>
    private sealed class Mapper
    {
        private static readonly string[] LabProperties = { "scenario", "base", "hostVersion", "liveMigrationEnabled", "vms" };

        private static readonly string[] VMProperties =
        {
            "name", "id", "state", "generation", "configurationVersion", "processorCount", "virtualNumaEnabled", "secureBoot", "memory", "mmio", "os",
            "integrationComponents", "kvp", "files", "directories", "networkAdapters", "controllers", "syntheticDisplay",
            "fibreChannelAdapters", "assignedDevices",
        };

        private readonly string _source;
        private readonly string _computerName;

        public Mapper(string source, string computerName)
        {
            _source = source;
            _computerName = computerName;
        }

        public SimulatedLab Lab(Node root, string defaultScenario)
        {
            Object(root, LabProperties);
            var baseName = OptionalString(root["base"]);
            if (baseName is not null && !SimulatorScenarios.Exists(baseName))
            {
                throw Bad(root["base"]!, "must be one of " + string.Join(", ", SimulatorScenarios.Names));
            }

            var lab = baseName is null ? new SimulatedLab() : SimulatorScenarios.Create(baseName, _computerName);
            lab.Scenario = OptionalString(root["scenario"]) ?? defaultScenario;
            if (root["hostVersion"] is { } versionNode)
            {
                var text = String(versionNode);
                lab.HostVersion = SimulatorScenarios.Exists(text) ? SimulatorScenarios.HostVersionOf(text)
                    : Version.TryParse(text, out var version) ? version
                    : throw Bad(versionNode, "must be a version such as 10.0.20348 or a host name such as WS2022");
            }

            lab.LiveMigrationEnabled = OptionalBool(root["liveMigrationEnabled"]) ?? lab.LiveMigrationEnabled;
            if (root["vms"] is { } vms)
            {
                var builder = new SimulatorScenarios.LabBuilder(_computerName, lab.HostVersion);
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in Array(vms))
                {
                    var vm = VM(item, builder, lab.HostVersion);
                    if (!seen.Add(vm.Name))
                    {
                        throw Fail(GuestFeatureException.Format("FixtureDuplicateVM", item.Path + ".name", vm.Name));
                    }

                    // A fixture VM with the name of a base scenario VM replaces it; its id must be its own.
                    lab.VMs.RemoveAll(v => string.Equals(v.Name, vm.Name, StringComparison.OrdinalIgnoreCase));
                    if (lab.VMs.FirstOrDefault(v => v.Id == vm.Id) is { } sameId)
                    {
                        throw Fail(GuestFeatureException.Format("FixtureDuplicateVMId", item.Path + ".id", vm.Id, sameId.Name));
                    }

                    lab.VMs.Add(vm);
                }
            }

            return lab;
        }

        private SimulatedVM VM(Node node, SimulatorScenarios.LabBuilder builder, Version hostVersion)
        {
            Object(node, VMProperties);
            var name = node["name"] is { } nameNode ? String(nameNode) : throw Fail(node.Display + ".name is required");
            if (name.Trim().Length == 0)
            {
                throw Bad(node["name"]!, "must not be empty");
            }

            var id = node["id"] is { } idNode ? Guid.TryParse(String(idNode), out var parsed) ? parsed : throw Bad(idNode, "must be a GUID") : (Guid?)null;
            var state = node["state"] is { } stateNode ? Enum<SimulatedVMState>(stateNode) : SimulatedVMState.Running;
            var generation = node["generation"] is { } genNode ? (int)Integer(genNode, 1, 2) : 2;
            var vm = builder.Guest(name, id, state, generation);

            if (node["configurationVersion"] is { } configNode)
            {
                vm.ConfigurationVersion = Version.TryParse(String(configNode), out _) ? String(configNode) : throw Bad(configNode, "must be a version such as 10.0");
            }

            if (node["processorCount"] is { } cpuNode)
            {
                vm.ProcessorCount = Integer(cpuNode, 1, 2048);
            }

            if (node["secureBoot"] is { } secureBoot)
            {
                Object(secureBoot, "enabled", "template");
                vm.SecureBootEnabled = OptionalBool(secureBoot["enabled"]) ?? vm.SecureBootEnabled;
                if (secureBoot["template"] is { } template)
                {
                    var text = String(template);
                    vm.SecureBootTemplateId = text.ToUpperInvariant() switch
                    {
                        "MICROSOFTUEFICERTIFICATEAUTHORITY" => new Guid(ProviderConstants.MicrosoftUefiCaTemplate),
                        "MICROSOFTWINDOWS" => new Guid(ProviderConstants.MicrosoftWindowsTemplate),
                        _ => Guid.TryParse(text, out var templateId) ? templateId : throw Bad(template, "must be MicrosoftUEFICertificateAuthority, MicrosoftWindows or a template GUID"),
                    };
                }
            }

            if (node["memory"] is { } memory)
            {
                Memory(memory, vm.Memory);
            }

            // Virtual NUMA excludes dynamic memory (docs/provider-model.md "Memory rules"): it defaults to on, or off when the fixture's
            // dynamic memory is on, and a fixture may not ask for both.
            vm.VirtualNumaEnabled = OptionalBool(node["virtualNumaEnabled"]) ?? !vm.Memory.DynamicMemoryEnabled;
            if (vm.VirtualNumaEnabled && vm.Memory.DynamicMemoryEnabled)
            {
                throw Bad(node["virtualNumaEnabled"]!, "cannot be true when memory.dynamic is true: dynamic memory and virtual NUMA are exclusive");
            }

            if (node["mmio"] is { } mmio)
            {
                Object(mmio, "lowGapMB", "highGapMB");
                vm.LowMmioGapMB = mmio["lowGapMB"] is { } low ? Integer(low, 0, ulong.MaxValue) : vm.LowMmioGapMB;
                vm.HighMmioGapMB = mmio["highGapMB"] is { } high ? Integer(high, 0, ulong.MaxValue) : vm.HighMmioGapMB;
            }

            if (node["os"] is { } os)
            {
                Object(os, "name", "version", "kernel", "architecture", "ipv4", "ipv6", "fqdn", "integrationServicesVersion");
                var osName = os["name"] is { } osNameNode ? String(osNameNode) : throw Fail(os.Path + ".name is required");
                var osVersion = os["version"] is { } osVersionNode ? String(osVersionNode) : throw Fail(os.Path + ".version is required");
                builder.SetGuestOS(
                    vm, osName, osVersion, OptionalString(os["kernel"]) ?? "0.0", OptionalString(os["architecture"]) ?? "x86_64",
                    OptionalString(os["ipv4"]), OptionalString(os["ipv6"]), OptionalString(os["fqdn"]), OptionalString(os["integrationServicesVersion"]));
            }

            if (node["integrationComponents"] is { } components)
            {
                Object(components, IntegrationComponentInfo.All.Select(c => c.DisplayName).ToArray());
                foreach (var member in components.Members)
                {
                    var info = IntegrationComponentInfo.FromDisplayName(member.Key)!;
                    Object(member.Value, "enabled", "status");
                    var component = vm.Components[info.Kind];
                    component.Enabled = OptionalBool(member.Value["enabled"]) ?? component.Enabled;
                    component.Status = member.Value["status"] is { } status ? Enum<IntegrationComponentStatus>(status) : component.Status;
                }
            }

            if (node["kvp"] is { } kvp)
            {
                Object(kvp, "host", "hostOnly", "guest", "intrinsic");
                Pairs(kvp["host"], vm.HostItems);
                Pairs(kvp["hostOnly"], vm.HostOnlyItems);
                Pairs(kvp["guest"], vm.GuestItems);
                Pairs(kvp["intrinsic"], vm.IntrinsicItems);
            }

            if (node["directories"] is { } directories)
            {
                foreach (var directory in Array(directories))
                {
                    vm.Files.CreateDirectory(GuestPath(directory));
                }
            }

            if (node["files"] is { } files)
            {
                foreach (var file in Array(files))
                {
                    Object(file, "path", "text", "base64");
                    var path = file["path"] is { } pathNode ? GuestPath(pathNode) : throw Fail(file.Path + ".path is required");
                    byte[] content;
                    if (file["base64"] is { } base64)
                    {
                        try
                        {
                            content = Convert.FromBase64String(String(base64));
                        }
                        catch (FormatException)
                        {
                            throw Bad(base64, "is not valid base64");
                        }
                    }
                    else
                    {
                        content = Encoding.UTF8.GetBytes(OptionalString(file["text"]) ?? string.Empty);
                    }

                    vm.Files.WriteFile(path, content);
                }
            }

            if (node["networkAdapters"] is { } adapters)
            {
                vm.NetworkAdapters.Clear();
                foreach (var adapter in Array(adapters))
                {
                    vm.NetworkAdapters.Add(Adapter(adapter, builder, vm));
                }
            }

            if (node["controllers"] is { } controllers)
            {
                vm.Controllers.Clear();
                foreach (var controllerNode in Array(controllers))
                {
                    Object(controllerNode, "type", "disks", "dvdDrives");
                    var type = controllerNode["type"] is { } typeNode
                        ? String(typeNode).ToUpperInvariant() switch
                        {
                            "SCSI" => SimulatedControllerType.Scsi,
                            "IDE" => SimulatedControllerType.Ide,
                            _ => throw Bad(typeNode, "must be SCSI or IDE"),
                        }
                        : (generation == 2 ? SimulatedControllerType.Scsi : SimulatedControllerType.Ide);
                    if (type == SimulatedControllerType.Ide && generation == 2)
                    {
                        throw Bad(controllerNode["type"]!, "cannot be IDE on a generation 2 VM");
                    }

                    var controller = new SimulatedController { Type = type };
                    if (controllerNode["disks"] is { } disks)
                    {
                        controller.Disks.AddRange(Array(disks).Select(d => new SimulatedDisk { Path = String(d) }));
                    }

                    if (controllerNode["dvdDrives"] is { } dvdDrives)
                    {
                        controller.Disks.AddRange(Array(dvdDrives).Select(d => new SimulatedDisk { Path = String(d), Kind = SimulatedDriveKind.Dvd }));
                    }

                    vm.Controllers.Add(controller);
                }
            }

            vm.SyntheticDisplay = OptionalBool(node["syntheticDisplay"]) ?? vm.SyntheticDisplay;
            if (node["fibreChannelAdapters"] is { } fc)
            {
                vm.FibreChannelAdapters.AddRange(Array(fc).Select(f => new SimulatedFcAdapter { Name = String(f) }));
            }

            if (node["assignedDevices"] is { } devices)
            {
                vm.AssignedDevices.AddRange(Array(devices).Select(d => new SimulatedAssignedDevice { LocationPath = String(d) }));
            }

            if (vm.AssignedDevices.Count > 0 && vm.Memory.DynamicMemoryEnabled && vm.Memory.MinimumMB != vm.Memory.StartupMB)
            {
                throw Fail((node["memory"]?.Path ?? node.Path + ".memory") + ".minimumMB must equal startupMB when the VM has assigned devices and dynamic memory");
            }

            if (hostVersion < HostVersions.WS2016 && vm.SecureBootTemplateId is not null && node["secureBoot"]?["template"] is { } noTemplate)
            {
                throw Bad(noTemplate, "cannot be set: secure boot templates need a Windows Server 2016 or later host");
            }

            return vm;
        }

        private void Memory(Node node, SimulatedMemory memory)
        {
            Object(node, "startupMB", "minimumMB", "maximumMB", "dynamic", "bufferPercent", "weight", "assignedMB", "demandMB");
            memory.DynamicMemoryEnabled = OptionalBool(node["dynamic"]) ?? memory.DynamicMemoryEnabled;
            memory.StartupMB = node["startupMB"] is { } startup ? Integer(startup, 32, 251658240) : memory.StartupMB;
            memory.MinimumMB = node["minimumMB"] is { } minimum ? Integer(minimum, 32, 251658240) : memory.MinimumMB;
            memory.MaximumMB = node["maximumMB"] is { } maximum ? Integer(maximum, 32, 251658240) : memory.MaximumMB;
            memory.BufferPercent = node["bufferPercent"] is { } buffer ? (uint)Integer(buffer, 5, 2000) : memory.BufferPercent;
            memory.Weight = node["weight"] is { } weight ? (uint)Integer(weight, 0, 10000) : memory.Weight;
            memory.AssignedMB = node["assignedMB"] is { } assigned ? Integer(assigned, 0, 251658240) : memory.AssignedMB;
            memory.DemandMB = node["demandMB"] is { } demand ? Integer(demand, 0, 251658240) : memory.DemandMB;
            if (memory.DynamicMemoryEnabled)
            {
                if (memory.MinimumMB > memory.StartupMB)
                {
                    throw Fail(node.Path + ".minimumMB (" + memory.MinimumMB.ToString(CultureInfo.InvariantCulture) + ") must not exceed startupMB (" + memory.StartupMB.ToString(CultureInfo.InvariantCulture) + ")");
                }

                if (memory.StartupMB > memory.MaximumMB)
                {
                    throw Fail(node.Path + ".startupMB (" + memory.StartupMB.ToString(CultureInfo.InvariantCulture) + ") must not exceed maximumMB (" + memory.MaximumMB.ToString(CultureInfo.InvariantCulture) + ")");
                }
            }
        }

        private SimulatedNetworkAdapter Adapter(Node node, SimulatorScenarios.LabBuilder builder, SimulatedVM vm)
        {
            Object(node, "name", "type", "macAddress", "staticMacAddress", "switch", "vlan", "iovWeight", "vmqWeight", "macSpoofing");
            var type = node["type"] is { } typeNode ? Enum<SimulatedNicType>(typeNode) : SimulatedNicType.Synthetic;
            var adapter = builder.Nic(vm, type, vm.NetworkAdapters.Count);
            adapter.Name = OptionalString(node["name"]) ?? adapter.Name;
            if (node["macAddress"] is { } mac)
            {
                var text = String(mac).Replace("-", string.Empty).Replace(":", string.Empty).ToUpperInvariant();
                adapter.MacAddress = text.Length == 12 && text.All(Uri.IsHexDigit) ? text : throw Bad(mac, "must be a MAC address of 12 hex digits");
            }

            adapter.StaticMacAddress = OptionalBool(node["staticMacAddress"]) ?? adapter.StaticMacAddress;
            if (node["switch"] is { } switchNode)
            {
                adapter.SwitchName = switchNode.Type == "null" ? null : String(switchNode);
            }

            adapter.IovWeight = node["iovWeight"] is { } iov ? (uint)Integer(iov, 0, 100) : adapter.IovWeight;
            adapter.VmqWeight = node["vmqWeight"] is { } vmq ? (uint)Integer(vmq, 0, 100) : adapter.VmqWeight;
            adapter.MacSpoofing = OptionalBool(node["macSpoofing"]) ?? adapter.MacSpoofing;
            if (node["vlan"] is { } vlan)
            {
                Object(vlan, "mode", "accessId", "nativeId", "trunkIds");
                adapter.VlanMode = vlan["mode"] is { } mode ? Enum<SimulatedVlanMode>(mode) : throw Fail(vlan.Path + ".mode is required");
                adapter.AccessVlanId = vlan["accessId"] is { } access ? (ushort)Integer(access, 0, 4094) : (ushort)0;
                adapter.NativeVlanId = vlan["nativeId"] is { } native ? (ushort)Integer(native, 0, 4094) : (ushort)0;
                if (vlan["trunkIds"] is { } trunk)
                {
                    adapter.TrunkVlanIds.AddRange(Array(trunk).Select(t => (ushort)Integer(t, 1, 4094)));
                }
            }

            return adapter;
        }

        private void Pairs(Node? node, Dictionary<string, string> target)
        {
            if (node is null)
            {
                return;
            }

            if (node.Type != "object")
            {
                throw WrongType(node, "an object of name/value strings");
            }

            foreach (var member in node.Members)
            {
                target[member.Key] = member.Value.Type == "string" ? member.Value.Text : throw WrongType(member.Value, "a string");
            }
        }

        private string GuestPath(Node node)
        {
            var text = String(node);
            return text.StartsWith("/", StringComparison.Ordinal) ? text : throw Bad(node, "must be an absolute guest path starting with /");
        }

        private void Object(Node node, params string[] allowed)
        {
            if (node.Type != "object")
            {
                throw WrongType(node, "an object");
            }

            foreach (var member in node.Members)
            {
                if (!allowed.Contains(member.Key, StringComparer.Ordinal))
                {
                    throw Fail(GuestFeatureException.Format("FixtureUnknownProperty", member.Value.Display, string.Join(", ", allowed)));
                }
            }
        }

        private List<Node> Array(Node node) => node.Type == "array" ? node.Items : throw WrongType(node, "an array");

        private string String(Node node) => node.Type == "string" ? node.Text : throw WrongType(node, "a string");

        private string? OptionalString(Node? node) => node is null || node.Type == "null" ? null : String(node);

        private bool? OptionalBool(Node? node)
            => node is null || node.Type == "null" ? null
                : node.Type == "boolean" ? string.Equals(node.Text, "true", StringComparison.OrdinalIgnoreCase)
                : throw WrongType(node, "true or false");

        private ulong Integer(Node node, ulong minimum, ulong maximum)
        {
            if (node.Type != "number" || !ulong.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw WrongType(node, "a whole number");
            }

            return value >= minimum && value <= maximum
                ? value
                : throw Bad(node, string.Format(CultureInfo.InvariantCulture, "must be between {0} and {1}, not {2}", minimum, maximum, value));
        }

        private T Enum<T>(Node node)
            where T : struct
        {
            var text = String(node);
            var names = System.Enum.GetNames(typeof(T));
            var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return match is not null ? (T)System.Enum.Parse(typeof(T), match) : throw Bad(node, "must be one of " + string.Join(", ", names));
        }

        private GuestFeatureException WrongType(Node node, string expected)
            => Fail(GuestFeatureException.Format("FixtureWrongType", node.Display, expected, node.Type == "string" ? "the string '" + node.Text + "'" : node.Type + (node.Type is "number" or "boolean" ? " " + node.Text : string.Empty)));

        private GuestFeatureException Bad(Node node, string problem) => Fail(GuestFeatureException.Format("FixtureBadValue", node.Display, problem));

        private GuestFeatureException Fail(string detail)
            => GuestFeatureException.Create("SimulatorFixtureInvalid", FailureKind.InvalidArgument, _source, _source, detail);
    }
}
