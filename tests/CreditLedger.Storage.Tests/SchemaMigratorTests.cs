using CreditLedger.Storage.Secrets;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditLedger.Storage.Tests;

/// <summary>Migrations against a real PostgreSQL: applied in order, skipped when current, applied once
/// when several hosts start at once, refused when an applied script has changed, and the upgrade to entries that
/// carry their events (migration 7) on a database the outbox version wrote: events not yet fanned out and pending
/// deliveries carry over with their bodies and ids, first-attempt successes are dropped, endpoints follow the ledger
/// from the migration on (so no old event is sent again), and the report's balances move into its daily rows.</summary>
public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync(nameof(SchemaMigratorTests));
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task Migrate_FreshDatabase_AppliesEveryMigrationInOrder()
    {
        var applied = await Migrator().MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.All.Select(m => m.Version), applied);
        Assert.Equal(SchemaMigrator.All.Count, await CountAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'ledger_entries'"));
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothing()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        var appliedAt = await CountAsync("SELECT count(*) FROM schema_migrations");

        var again = await Migrator().MigrateAsync(CancellationToken.None);

        Assert.Empty(again);
        Assert.Equal(appliedAt, await CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_FourHostsAtOnce_ApplyEachMigrationExactlyOnce()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator().MigrateAsync(CancellationToken.None))));

        var applied = runs.SelectMany(r => r).Order().ToList();
        Assert.Equal(SchemaMigrator.All.Select(m => m.Version), applied);
        Assert.Equal(SchemaMigrator.All.Count, await CountAsync("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_AppliedScriptChanged_Refuses()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using (var tamper = _dataSource.CreateCommand("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));

        Assert.Contains("has changed since it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_DatabaseFromNewerBuild_Refuses()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using (var newer = _dataSource.CreateCommand("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_future', 'x')"))
        {
            await newer.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));

        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_Migrations_AreNumberedWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.All.Count), SchemaMigrator.All.Select(m => m.Version));
    }

    [Fact]
    public async Task Migration7_OutboxDatabase_UndeliveredEventsAndPendingDeliveriesCarryOverNothingTwice()
    {
        var migrator = Migrator();
        await migrator.MigrateAsync(6, CancellationToken.None);
        await ExecuteAsync("""
            INSERT INTO ledger_entries (customer_id, seq, kind, grant_id, credit_type, amount, available_after, actor, source, occurred_at, data)
            VALUES ('old', 1, 'granted', 'grt_1', 'USD', 10, 10, 'key:k', 'api', now(), '{"priority":50,"category":"paid","effectiveAt":"2026-11-01T00:00:00Z"}'),
                   ('old', 2, 'applied', 'grt_1', 'USD', -4, 6, 'key:k', 'api', now(), '{}'),
                   ('old', 3, 'applied', 'grt_1', 'USD', -1, 5, 'key:k', 'api', now(), '{}');
            INSERT INTO outbox (event_id, customer_id, version, event_type, payload, occurred_at, dispatched_at) VALUES
                ('evt_delivered', 'old', 1, 'account.credits.granted', '{"n":1}', now(), now()),
                ('evt_retrying', 'old', 2, 'account.credits.applied', '{"n":2}', now(), now()),
                ('evt_new', 'old', 3, 'account.credits.applied', '{"n":3}', now(), NULL);
            INSERT INTO webhook_endpoints (endpoint_id, url, events, secret, status, created_at) VALUES
                ('we_live', 'https://example.com/a', '{}', 'whsec_x', 'enabled', now()),
                ('we_off', 'https://example.com/b', '{}', 'whsec_y', 'disabled', now());
            INSERT INTO webhook_deliveries (endpoint_id, event_id, status, attempts, next_attempt_at) VALUES
                ('we_live', 'evt_delivered', 'succeeded', 1, NULL),
                ('we_live', 'evt_retrying', 'pending', 2, now() + interval '1 hour'),
                ('we_off', 'evt_retrying', 'failed', 11, NULL);
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
            SELECT delivery_id, n, now(), 500, 'HTTP 500', 3 FROM webhook_deliveries, generate_series(1, 2) n WHERE event_id = 'evt_retrying' AND endpoint_id = 'we_live';
            INSERT INTO report_balances (customer_id, credit_type, available, version) VALUES ('old', 'USD', 5, 3);
            INSERT INTO report_daily (day, customer_id, credit_type, granted, applied, consumed, reinstated, expired, voided)
            VALUES (current_date - 1, 'old', 'USD', 10, 0, 0, 0, 0, 0), (current_date, 'old', 'USD', 0, 5, 0, 0, 0, 0);
            """);

        Assert.Equal(Enumerable.Range(7, SchemaMigrator.All.Count - 6), await migrator.MigrateAsync(CancellationToken.None));

        // The live endpoint keeps its pending retry (with its attempts) and gets the event that was never fanned out,
        // each with its body; the first-attempt success is gone; the disabled endpoint gets nothing new.
        Assert.Equal(
            ["we_live evt_new pending 0 {\"n\": 3}", "we_live evt_retrying pending 2 {\"n\": 2}", "we_off evt_retrying failed 11 {\"n\": 2}"],
            await StringsAsync("SELECT endpoint_id || ' ' || event_id || ' ' || status || ' ' || attempts || ' ' || payload::text FROM webhook_deliveries ORDER BY 1"));
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM webhook_attempts"));
        Assert.Equal(["we_live healthy", "we_off disabled"], await StringsAsync("SELECT endpoint_id || ' ' || status FROM webhook_endpoints ORDER BY 1"));

        // Every old event keeps its id, and an endpoint's feed starts after the old entries: none is sent again.
        Assert.Equal(["evt_delivered", "evt_new", "evt_retrying"], await StringsAsync("SELECT event_id FROM credit_events ORDER BY 1"));
        // Secrets the outbox version stored in clear still read back as they are (the engine encrypts them at start).
        var store = new WebhookStore(_dataSource, new SecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        var live = (await store.LoadStateAsync("we_live"))!;
        Assert.Empty(await store.ReadFeedAsync(live.Checkpoint, 100));

        // The report keeps one row per day; the latest carries the balance.
        Assert.Equal(
            [$"{DateTime.UtcNow:yyyy-MM-dd} 5 3 True", $"{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd} False"],
            await StringsAsync("SELECT to_char(day, 'YYYY-MM-DD') || ' ' || concat_ws(' ', available, version, CASE WHEN latest THEN 'True' ELSE 'False' END) FROM report_daily ORDER BY day DESC"));
    }

    private SchemaMigrator Migrator() => new(_dataSource, NullLogger.Instance);

    private Task ExecuteAsync(string sql) => _dataSource.ExecuteAsync(sql);

    private Task<List<string>> StringsAsync(string sql) => _dataSource.StringsAsync(sql);

    private Task<long> CountAsync(string sql) => _dataSource.ScalarAsync<long>(sql);
}
