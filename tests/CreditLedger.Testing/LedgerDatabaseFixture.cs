using Npgsql;
using Xunit;

namespace CreditLedger.Testing;

/// <summary>
/// A migrated database of its own for one test class (use as <c>IClassFixture</c>), dropped afterwards.
/// </summary>
public sealed class LedgerDatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateMigratedDatabaseAsync(nameof(LedgerDatabaseFixture));
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>Runs a scalar query against the fixture's database.</summary>
    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => DataSource.ScalarAsync<T>(sql, parameters);
}
