using System.Management.Automation;
using HyperVGuestFeatures.Simulation;

namespace HyperVGuestFeatures.Tests.Commands;

/// <summary>
/// Issue 10 item 7: Set-KvpItem from several runspaces at once on one VM of one simulated host. A
/// writer in between makes a key exist that was missing when read, so the Add fails; each command
/// must still converge without an error. (A key that vanishes before a Modify is covered by the
/// KvpExchange unit tests: with a remover racing the writers no number of retries can promise success.)
/// </summary>
public sealed class ConcurrentKvpWriterTests
{
    private const int Writers = 6;
    private const int Rounds = 8;

    [Fact]
    public void Concurrent_writers_on_one_vm_converge_without_errors()
    {
        var host = new SimulatedHost("kvp-race", SimulatorScenarios.Create(SimulatorScenarios.Default, "kvp-race"))
        {
            Latency = TimeSpan.FromMilliseconds(2),
        };
        var runspaces = Enumerable.Range(0, Writers).Select(_ => new ModuleRunspace()).ToList();
        try
        {
            runspaces.ForEach(r => r.Add(host));
            using var start = new ManualResetEventSlim(false);
            var results = new List<ErrorRecord>[Writers];
            var threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
            {
                start.Wait();

                // Every round all writers add the same new key (all but one find it added in between) and
                // modify their own; the Modify of a key one writer added races with the others' Modify too.
                const string script = "foreach ($n in 1..$rounds) { Set-KvpItem -ComputerName kvp-race -VMName ubuntu-web -Item ([ordered]@{ \"round$n\" = \"w$me\"; \"own$me\" = \"$n\" }) }";
                results[i] = runspaces[i].Run(script, new Dictionary<string, object?> { ["me"] = i, ["rounds"] = Rounds }).Errors;
            })).ToList();
            threads.ForEach(t => t.Start());
            start.Set();
            threads.ForEach(t => t.Join());

            var errors = results.SelectMany(r => r).Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message).ToList();
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));

            var items = runspaces[0].Run("Get-KvpItem -ComputerName kvp-race -VMName ubuntu-web -Source Host").Output
                .Select(o => (KvpItem)o.BaseObject).ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal);
            for (var i = 0; i < Writers; i++)
            {
                Assert.Equal(Text(Rounds), items["own" + Text(i)]);
            }

            for (var n = 1; n <= Rounds; n++)
            {
                Assert.StartsWith("w", items["round" + Text(n)], StringComparison.Ordinal);
            }
        }
        finally
        {
            runspaces.ForEach(r => r.Dispose());
        }
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
