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
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
