using System.Diagnostics.Metrics;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Grains.Tests;
using CreditLedger.Hosting;
using CreditLedger.Hosting.Postgres;
using CreditLedger.Storage.Ledger;
using CreditLedger.Telemetry;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace CreditLedger.EndToEnd.Tests.Grains;

/// <summary>
/// What survives what: a silo restart, PostgreSQL stopping under a command, a customer nobody touches whose
/// grant expires or whose schedule starts a period (the reminder records it), and a customer with 100K entries
/// (activation from its snapshot).
/// Each test has a database or server of its own and starts its own silos.
/// </summary>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task State_AfterSiloRestart_IsIdentical()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("restart");
        var clock = new FakeTimeProvider(GrainFixture.Start);
        var serviceId = "restart-" + Environment.ProcessId;
        string before;
        await using (var silo = await CustomerSilo.StartAsync(connectionString, serviceId, clock))
        {
            var grain = await silo.CreatedAsync("acme");
            var grant = await grain.GrantedAsync(Commands.Usd(100m, clock.GetUtcNow().AddDays(20)));
            await grain.GrantedAsync(new GrantCommand(CreditType.Parse("api_calls"), 10_000m, "Purchased package", 10, GrantCategory.Paid, null, null));
            await grain.ApplyAsync("inv_1", [new InvoiceLineRequest(CreditType.Parse("USD"), 30m), new InvoiceLineRequest(CreditType.Parse("api_calls"), 2_500.5m)], Commands.Api);
            await grain.VoidInvoiceAsync("inv_1", Commands.Api);
            await grain.ApplyAsync("inv_2", Commands.Total(45m), Commands.Api);
            clock.Advance(TimeSpan.FromDays(21));
            await grain.VoidGrantAsync(grant.GrantId, "Too late", Commands.Api);
            before = await grain.DescribeAsync();
        }

        await using (var silo = await CustomerSilo.StartAsync(connectionString, serviceId, clock))
        {
            var grain = silo.Customer("acme");
            Assert.Equal(before, await grain.DescribeAsync());
            var usd = (await grain.GetBalancesAsync(30)).Balances.Single(b => b.CreditType == "USD");
            Assert.Equal((0m, 45m, 55m), (usd.Available, usd.Pending, usd.Expired));
        }

        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task Apply_PostgresStoppedMidTest_FailsRetryably_ThenRetryAfterRestartAppliesOnce()
    {
        await WithOwnClusterAsync("stop", async cluster =>
        {
            await using var silo = await CustomerSilo.StartAsync(cluster.ConnectionString, "stop-" + Environment.ProcessId, new FakeTimeProvider(GrainFixture.Start));
            var grain = await silo.CreatedAsync("acme");
            await grain.GrantedAsync(Commands.Usd(50m));

            await cluster.StopAsync(CancellationToken.None);
            await Assert.ThrowsAsync<LedgerUnavailableException>(() => grain.ApplyAsync("inv_1", Commands.Total(20m), Commands.Api));

            await cluster.StartAsync(CancellationToken.None);
            var applied = await RetryAsync(() => grain.ApplyAsync("inv_1", Commands.Total(20m), Commands.Api));
            var again = await RetryAsync(() => grain.ApplyAsync("inv_1", Commands.Total(20m), Commands.Api));

            Assert.Equal((CommandStatus.Ok, 2L, 20m), (applied.Status, applied.Version, applied.Invoice!.Lines[0].Applied));
            Assert.True(again.Replayed);
            await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM ledger_entries WHERE customer_id = 'acme' AND invoice_id = 'inv_1'");
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
            var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
            Assert.Equal((30m, 20m), (usd.Available, usd.Pending));
        });
    }

    [Fact]
    public async Task QueuedApplies_PostgresStopped_AllFailRetryably_ThenRetriesApplyEachOnce()
    {
        await WithOwnClusterAsync("stopgroup", async cluster =>
        {
            await using var silo = await CustomerSilo.StartAsync(cluster.ConnectionString, "stopgroup-" + Environment.ProcessId, new FakeTimeProvider(GrainFixture.Start));
            var grain = await silo.CreatedAsync("acme");
            await grain.GrantedAsync(Commands.Usd(100m));

            // One apply runs alone and the others queue behind it: every one of them fails, none is half-done. The
            // activation that met the failure leaves; a call that reaches its successor fails to read the snapshot, which
            // Orleans reports around the database's own error (the gateway answers 503 to both).
            await cluster.StopAsync(CancellationToken.None);
            var failures = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
                Record.ExceptionAsync(() => grain.ApplyAsync($"inv_{i}", Commands.Total(1m), Commands.Api))));
            Assert.Contains(failures, f => f is LedgerUnavailableException);
            Assert.All(failures, f => Assert.True(
                f is LedgerUnavailableException || (f is Orleans.Runtime.OrleansException && CausedByTheDatabase(f)),
                f?.ToString() ?? "succeeded"));

            await cluster.StartAsync(CancellationToken.None);
            var applied = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
                RetryAsync(() => grain.ApplyAsync($"inv_{i}", Commands.Total(1m), Commands.Api))));

            Assert.All(applied, a => Assert.Equal((CommandStatus.Ok, 1m), (a.Status, a.Invoice!.Lines[0].Applied)));
            await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString);
            await using var entries = dataSource.CreateCommand(
                "SELECT count(*), count(DISTINCT invoice_id), max(seq) FROM ledger_entries WHERE customer_id = 'acme' AND kind = 'applied'");
            await using var reader = await entries.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((40L, 40L, 41L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
            Assert.Equal((60m, 40m), (usd.Available, usd.Pending));
        });
    }

    [Fact]
    public async Task Reminder_CustomerNobodyTouches_GrantExpiryRecordedWithEvents()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("reminder");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var silo = await CustomerSilo.StartAsync(
            connectionString,
            "reminder-" + Environment.ProcessId,
            settings: new Dictionary<string, string?> { ["CreditLedger:Customers:ExpiryReminderRetryPeriod"] = "00:00:01" }))
        {
            var reminders = 0L;
            var meter = silo.Services.GetRequiredService<EngineMetrics>().Meter;
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter == meter && instrument.Name == "creditledger.reminders.fired")
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref reminders, value));
            listener.Start();
            var grain = await silo.CreatedAsync("idle");
            var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
            var grant = await grain.GrantedAsync(Commands.Usd(25m, expiresAt));
            await CustomerSilo.DeactivateAsync(grain);

            await Eventually.UntilAsync(
                async () => await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'idle' AND kind = 'expired'") == 1,
                Patience,
                "the reminder to record the expiry");
            Assert.True(Interlocked.Read(ref reminders) >= 1, "creditledger.reminders.fired counted no reminder.");

            await using (var entry = dataSource.CreateCommand(
                "SELECT grant_id, amount, actor, source, occurred_at FROM ledger_entries WHERE customer_id = 'idle' AND kind = 'expired'"))
            await using (var reader = await entry.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(grant.GrantId, reader.GetString(0));
                Assert.Equal(-25m, reader.GetDecimal(1));
                Assert.Equal((Provenance.EngineActor, Provenance.ReminderSource), (reader.GetString(2), reader.GetString(3)));
                Assert.Equal(expiresAt.UtcTicks / 10, reader.GetFieldValue<DateTimeOffset>(4).UtcTicks / 10);
            }

            Assert.Equal(
                2L,
                await dataSource.ScalarAsync<long>("SELECT count(*) FROM credit_events WHERE customer_id = 'idle' AND version = 2 AND event_type IN ('account.credits.expired', 'account.credits.balance_depleted')"));
            await Eventually.UntilAsync(
                async () => await dataSource.ScalarAsync<long>("SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%idle%'") == 0,
                Patience,
                "the reminder to be unregistered once nothing is left to expire");
        }

        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task Reminder_ScheduleOfACustomerNobodyTouches_GrantsItsPeriodAtItsStartOnce()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("schedule-reminder");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var silo = await CustomerSilo.StartAsync(
            connectionString,
            "schedule-reminder-" + Environment.ProcessId,
            settings: new Dictionary<string, string?> { ["CreditLedger:Customers:ExpiryReminderRetryPeriod"] = "00:00:01" }))
        {
            var grain = await silo.CreatedAsync("idle");
            var startsAt = DateTimeOffset.UtcNow.AddSeconds(2);
            var created = await grain.CreateScheduleAsync(
                new ScheduleCommand(CreditType.Parse("api_calls"), 1_000m, "Monthly allowance", null, GrantCategory.Paid, "month", startsAt, 3, null),
                Commands.Api);
            Assert.Equal((CommandStatus.Created, 0L, 0L), (created.Status, created.Version, created.Schedule!.PeriodsGranted));
            await CustomerSilo.DeactivateAsync(grain);

            await Eventually.UntilAsync(
                async () => await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'idle'") > 0,
                Patience,
                "the reminder to grant the schedule's first period");

            await using (var entry = dataSource.CreateCommand(
                "SELECT seq, kind, grant_id, amount, actor, source, occurred_at FROM ledger_entries WHERE customer_id = 'idle'"))
            await using (var reader = await entry.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal((1L, "granted", created.Schedule.ScheduleId + ":p0", 1_000m), (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
                Assert.Equal((Provenance.EngineActor, Provenance.ReminderSource), (reader.GetString(4), reader.GetString(5)));
                Assert.Equal(startsAt.UtcTicks / 10, reader.GetFieldValue<DateTimeOffset>(6).UtcTicks / 10);
                Assert.False(await reader.ReadAsync());
            }

            // The reminder now waits for the next period, a month away: the customer's state says so.
            var info = await grain.GetActivationInfoAsync();
            Assert.Equal(startsAt.AddMonths(1).UtcTicks / 10, info.NextDueAt!.Value.UtcTicks / 10);
        }

        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task Activation_CustomerWith100KEntries_LoadsFromSnapshotWithoutReadingAllEntries()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("snapshot");
        var customerId = CustomerId.Parse("big");
        var start = GrainFixture.Start;
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new LedgerQueries(dataSource).UpsertCustomerAsync(customerId, "Big", null, start);
            await using var writer = new BatchingLedgerWriter(dataSource, writers: 1);
            await SeedAsync(writer, customerId, start);
        }

        await using var silo = await CustomerSilo.StartAsync(connectionString, "snapshot-" + Environment.ProcessId, new FakeTimeProvider(start.AddDays(1)));
        var grain = silo.Customer("big");
        var (first, replayingAll) = await TimedAsync(grain.GetActivationInfoAsync);
        await CustomerSilo.DeactivateAsync(grain);
        var (second, fromSnapshot) = await TimedAsync(grain.GetActivationInfoAsync);
        await grain.ApplyAsync("inv_last", [new InvoiceLineRequest(CreditType.Parse("api_calls"), 1m)], Commands.Api);
        await CustomerSilo.DeactivateAsync(grain);
        var (third, fromSnapshotPlusOne) = await TimedAsync(grain.GetActivationInfoAsync);

        // Reported, not asserted: speed is measured by benchmarks, not by tests (docs/benchmarks.md).
        output.WriteLine(
            $"activation of a 100,001-entry customer: replaying every entry {replayingAll.TotalMilliseconds:F0} ms, " +
            $"from its snapshot {fromSnapshot.TotalMilliseconds:F0} ms, from its snapshot plus one entry {fromSnapshotPlusOne.TotalMilliseconds:F0} ms");

        Assert.Equal((0L, 100_001L), (first.SnapshotVersion, first.EntriesReplayed));
        Assert.Equal((100_001L, 0L, 100_001L), (second.SnapshotVersion, second.EntriesReplayed, second.Version));
        Assert.Equal((100_001L, 1L, 100_002L), (third.SnapshotVersion, third.EntriesReplayed, third.Version));
        var calls = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((1_000_000m - 50_001m, 1m, 50_000m), (calls.Available, calls.Pending, calls.Consumed));
        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    // One grant, then 50,000 invoices applied and paid: 100,001 entries written straight through the ledger writer.
    private static async Task SeedAsync(BatchingLedgerWriter writer, CustomerId customerId, DateTimeOffset at)
    {
        var credits = new CustomerCredits();
        var provenance = new Provenance("key:seed", "api", null, null);
        var units = CreditType.Unit("api_calls");
        var pending = new List<LedgerEntry>();
        void Take(Decision decision)
        {
            credits.Commit(decision);
            pending.AddRange(decision.Entries);
        }

        Take(credits.PlanGrant(new GrantRequest("grt_seed", units, 1_000_000m, "Seed", null, GrantCategory.Paid, null, null), provenance, at));
        for (var i = 0; i < 50_000; i++)
        {
            Take(credits.PlanApply($"inv_{i}", [new InvoiceRequestLine(units, 1m)], provenance, at));
            Take(credits.PlanPay($"inv_{i}", provenance, at));
            if (pending.Count >= 10_000)
            {
                Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(new LedgerAppend(customerId, pending, InvoiceWrite.None, null, null)));
                pending.Clear();
            }
        }

        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(new LedgerAppend(customerId, pending, InvoiceWrite.None, null, null)));
    }

    // Runs a test against a PostgreSQL cluster of its own, which the test may stop and start.
    private static async Task WithOwnClusterAsync(string name, Func<EmbeddedPostgresCluster, Task> test)
    {
        var root = Path.Combine(Path.GetTempPath(), $"creditledger-{name}-{Environment.ProcessId}-{Environment.TickCount64}");
        var cluster = new EmbeddedPostgresCluster(
            new PostgresOptions { DataDirectory = Path.Combine(root, "postgres"), Port = FreePorts.OrFree(0), Durable = false },
            NullLogger.Instance);
        await cluster.StartAsync(CancellationToken.None);
        try
        {
            await test(cluster);
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(T Result, TimeSpan Elapsed)> TimedAsync<T>(Func<Task<T>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await call();
        return (result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private static async Task<InvoiceResult> RetryAsync(Func<Task<InvoiceResult>> call)
    {
        // Clients retry a 503 with the same invoice id; the first attempts after a restart may meet broken pooled connections.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (LedgerUnavailableException) when (attempt < 5)
            {
            }
        }
    }

    private static bool CausedByTheDatabase(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException)
            {
                return true;
            }
        }

        return false;
    }
}
