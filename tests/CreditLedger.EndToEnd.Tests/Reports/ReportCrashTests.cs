using System.Globalization;
using System.Net.Http.Headers;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>
/// The engine as a process, killed with SIGKILL while its reporting grain is folding the ledger in small batches,
/// then started again: the report resumes from its checkpoint and ends equal to the ledger's sums, nothing lost or
/// counted twice.
/// </summary>
public sealed class ReportCrashTests : IAsyncLifetime
{
    private const string Key = "clk_report_crash_test_key_0123456789abcd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("creditledger-report-").FullName;
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateMigratedDatabaseAsync("report-crash");

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(_database);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task ReportingSiloKilledMidAggregation_RestartedReportEqualsLedgerSums()
    {
        var seeding = new Seeding(_database);
        await seeding.InitializeAsync();
        long total;
        try
        {
            var customers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => seeding.CustomerAsync("crash")));
            await Workload.RunAsync(seeding.Services.GetRequiredService<IGrainFactory>(), customers, DateTimeOffset.UtcNow.AddSeconds(1));
            total = await seeding.ScalarAsync("SELECT count(*) FROM ledger_entries");
        }
        finally
        {
            await seeding.DisposeAsync();
        }

        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _database,
            ["CreditLedger__Auth__BootstrapKey"] = Key,
            // The restarted process takes the killed one's silo port, so it takes its place in the membership table at
            // once instead of waiting for the killed silo's I-am-alive to go stale.
            ["Orleans__SiloPort"] = GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Three entries per batch, one batch every 20 ms: folding takes seconds, so the kill lands mid-way.
            ["CreditLedger__Reports__BatchSize"] = "3",
            ["CreditLedger__Reports__MaxBatchesPerTick"] = "1",
            ["CreditLedger__Reports__Interval"] = "00:00:00.020",
            ["CreditLedger__Reports__KeeperInterval"] = "00:00:00.200",
        };
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(_database);
        async Task<long> FoldedAsync()
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM ledger_entries e, report_checkpoint c WHERE c.name = 'credits' AND (e.tx_id, e.customer_id, e.seq) <= (c.tx_id, c.customer_id, c.seq)");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        long foldedAtKill;
        await using (var first = GatewayProcess.Start(_workingDirectory, environment))
        {
            await first.WaitUntilStartedAsync(StartTimeout);
            await Eventually.UntilAsync(async () => await FoldedAsync() > 0, StartTimeout, "the report to start folding");
            await first.KillAsync(StartTimeout);
            foldedAtKill = await FoldedAsync();
        }

        Assert.InRange(foldedAtKill, 1, total - 1);

        await using var second = GatewayProcess.Start(
            _workingDirectory, new Dictionary<string, string>(environment) { ["CreditLedger__Reports__BatchSize"] = "500", ["CreditLedger__Reports__MaxBatchesPerTick"] = "100" });
        await second.WaitUntilStartedAsync(StartTimeout);
        await Eventually.UntilAsync(async () => await FoldedAsync() == total, StartTimeout, "the restarted report to catch up");

        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var groupBy in new[] { "creditType", "customer", "day" })
        {
            var report = await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}");
            LedgerSums.AssertEqual(await LedgerSums.ExpectedAsync(dataSource, groupBy), LedgerSums.Actual(report, groupBy));
        }
    }

    private sealed class Seeding(string database) : ApiFixture
    {
        protected override string? ExistingDatabase => database;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("CreditLedger:Reports:Enabled", "false")];
    }
}
