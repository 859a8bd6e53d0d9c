using CreditLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditLedger.Storage.Tests;

/// <summary>Migrations against a real PostgreSQL: applied in order, skipped when current, applied once
/// when several hosts start at once, and refused when an applied script has changed.</summary>
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

    private SchemaMigrator Migrator() => new(_dataSource, NullLogger.Instance);

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
