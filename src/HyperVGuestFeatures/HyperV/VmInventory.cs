using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using HyperVGuestFeatures.Cim;

namespace HyperVGuestFeatures.HyperV;

/// <summary>What the user asked for on one host: VM names (wildcards allowed) and ids; none of either means every VM.</summary>
internal sealed class VmSelection
{
    private readonly List<string> _names = new();
    private readonly List<Guid> _ids = new();

    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<Guid> Ids => _ids;

    /// <summary>True once any input asked for every VM (no name, no id).</summary>
    public bool All { get; private set; }

    public void AddAll() => All = true;

    public void AddNames(IEnumerable<string> names) => _names.AddRange(names.Where(n => !string.IsNullOrEmpty(n)));

    public void AddIds(IEnumerable<Guid> ids) => _ids.AddRange(ids);
}

/// <summary>The VMs found on a host for a selection, and the names or ids that matched nothing.</summary>
internal sealed class VmLookup
{
    public VmLookup(IReadOnlyList<VirtualMachine> machines, IReadOnlyList<GuestFeatureException> failures)
    {
        Machines = machines;
        Failures = failures;
    }

    public IReadOnlyList<VirtualMachine> Machines { get; }

    public IReadOnlyList<GuestFeatureException> Failures { get; }
}

/// <summary>
/// Finds VMs on one host in one round trip, whatever the number of names: exact names become one
/// <c>ElementName = ... OR ...</c> query (values escaped by <see cref="Wql"/>), a single id is
/// fetched by key, and wildcards read the VM list once and match in memory. Never WQL LIKE.
/// </summary>
internal static class VmInventory
{
    public const string VirtualMachineDescription = "Microsoft Virtual Machine";

    // Past this many exact names or ids one OR-query gets unwieldy; reading the VM list once costs the same round trip.
    private const int MaxTermsPerQuery = 64;

    public static VmLookup Find(ICimClient client, VmSelection selection, CancellationToken cancellationToken)
    {
        // A bad name is an error for that name only (issue 10 item 8): a NUL cannot be in a VM name (nor
        // in WQL), and an invalid pattern (ubuntu[) would throw while the host's VMs are matched.
        var failures = new List<GuestFeatureException>();
        var names = new List<string>();
        foreach (var name in selection.Names)
        {
            if (name.IndexOf('\0') >= 0)
            {
                failures.Add(GuestFeatureException.Create("VMNameInvalid", FailureKind.InvalidArgument, name, NamePatterns.Printable(name)));
            }
            else if (NamePatterns.Check(name, "VMName") is { } invalid)
            {
                failures.Add(invalid);
            }
            else
            {
                names.Add(name);
            }
        }

        // A name without wildcards is literal; escaped wildcard characters (web`[1`]) become literal too.
        var exactNames = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Select(WildcardPattern.Unescape).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => WildcardPattern.Get(n, NamePatterns.Options)).ToList();
        var ids = selection.Ids.Distinct().ToList();
        if (!selection.All && exactNames.Count + patterns.Count + ids.Count == 0)
        {
            return new VmLookup(Array.Empty<VirtualMachine>(), failures);
        }

        // Control characters are matched in memory rather than trusted to the provider's WQL parser.
        var readAll = selection.All || patterns.Count > 0 || exactNames.Count + ids.Count > MaxTermsPerQuery || exactNames.Any(n => n.Any(char.IsControl));

        IReadOnlyList<VirtualMachine> candidates;
        if (readAll)
        {
            candidates = Query(client, null, cancellationToken);
        }
        else if (exactNames.Count == 0 && ids.Count == 1)
        {
            candidates = GetById(client, ids[0], cancellationToken);
        }
        else
        {
            var terms = new List<string>();
            if (exactNames.Count > 0)
            {
                terms.Add(Wql.AnyOf("ElementName", exactNames));
            }

            if (ids.Count > 0)
            {
                terms.Add(Wql.AnyOf("Name", ids.Select(i => (object)i)));
            }

            candidates = Query(client, terms.Count == 1 ? terms[0] : "(" + string.Join(" OR ", terms) + ")", cancellationToken);
        }

        var chosen = new List<VirtualMachine>();
        var seen = new HashSet<Guid>();
        foreach (var vm in candidates)
        {
            var wanted = selection.All
                || exactNames.Any(n => string.Equals(n, vm.Name, StringComparison.OrdinalIgnoreCase))
                || patterns.Any(p => p.IsMatch(vm.Name))
                || ids.Contains(vm.Id);
            if (wanted && seen.Add(vm.Id))
            {
                chosen.Add(vm);
            }
        }

        foreach (var name in exactNames.Where(n => !candidates.Any(vm => string.Equals(vm.Name, n, StringComparison.OrdinalIgnoreCase))))
        {
            failures.Add(NotFound("VMNotFound", name, client.ComputerName));
        }

        foreach (var id in ids.Where(i => !candidates.Any(vm => vm.Id == i)))
        {
            failures.Add(NotFound("VMIdNotFound", id, client.ComputerName));
        }

        return new VmLookup(chosen.OrderBy(vm => vm.Name, StringComparer.OrdinalIgnoreCase).ToList(), failures);
    }

    /// <summary>
    /// The lookup of a changing command (<see cref="ChangePlan"/>): says so (verbose), reports the names and ids
    /// that matched nothing, and returns the VMs found.
    /// </summary>
    public static IReadOnlyList<VirtualMachine> Find(ICimClient client, VmSelection selection, OperationReporter reporter, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        if (reporter is null)
        {
            throw new ArgumentNullException(nameof(reporter));
        }

        reporter.Verbose(GuestFeatureException.Format("VerboseLookup", client.ComputerName));
        var lookup = Find(client, selection, cancellationToken);
        foreach (var failure in lookup.Failures)
        {
            reporter.Error(failure);
        }

        return lookup.Machines;
    }

    /// <summary>Builds the domain VM from an Msvm_ComputerSystem instance; null for the host's own instance.</summary>
    public static VirtualMachine? FromComputerSystem(string computerName, CimObject system)
    {
        if (!string.Equals(system.GetString("Description"), VirtualMachineDescription, StringComparison.OrdinalIgnoreCase)
            || !Guid.TryParse(system.GetString("Name"), out var id))
        {
            return null;
        }

        var state = VirtualMachine.StateFromEnabledState(system.GetUInt16("EnabledState") ?? 0);
        // Without key flags (unconfirmed over WS-Man, docs/provider-model.md) the path is built from the VM's id.
        var path = system.KeyNames.Count > 0 ? system.Path : PathOf(id);
        return new VirtualMachine(computerName, id, system.GetString("ElementName") ?? id.ToString(), state, path);
    }

    public static CimInstancePath PathOf(Guid id)
        => new(CimNamespaces.Virtualization, "Msvm_ComputerSystem", new Dictionary<string, object?>
        {
            ["CreationClassName"] = "Msvm_ComputerSystem",
            ["Name"] = id.ToString("D").ToUpperInvariant(),
        });

    private static List<VirtualMachine> Query(ICimClient client, string? condition, CancellationToken cancellationToken)
    {
        var where = Wql.And(Wql.Equal("Description", VirtualMachineDescription), condition ?? string.Empty);
        return client.Query(CimNamespaces.Virtualization, Wql.Select("Msvm_ComputerSystem", where), cancellationToken)
            .Select(s => FromComputerSystem(client.ComputerName, s))
            .Where(vm => vm is not null)
            .Select(vm => vm!)
            .ToList();
    }

    private static List<VirtualMachine> GetById(ICimClient client, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var vm = FromComputerSystem(client.ComputerName, client.GetInstance(PathOf(id), cancellationToken));
            return vm is null ? new List<VirtualMachine>() : new List<VirtualMachine> { vm };
        }
        catch (GuestFeatureException e) when (e.Kind == FailureKind.NotFound)
        {
            return new List<VirtualMachine>();
        }
    }

    private static GuestFeatureException NotFound(string errorId, object target, string computerName)
    {
        var failure = GuestFeatureException.Create(errorId, FailureKind.NotFound, target, target is string name ? NamePatterns.Printable(name) : target, computerName);
        return new GuestFeatureException(failure.ErrorId, failure.Kind, failure.Target, failure.Message)
        {
            RecommendedAction = GuestFeatureException.Format(errorId + "Action", CommandText.Literal(computerName)),
        };
    }
}
