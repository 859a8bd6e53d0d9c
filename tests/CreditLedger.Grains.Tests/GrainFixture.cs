using CreditLedger.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CreditLedger.Grains.Tests;

/// <summary>A migrated database of its own and one silo on it, with a fake ledger clock, shared by a test class.</summary>
public sealed class GrainFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private int _customerCounter;

    public FakeTimeProvider Clock { get; } = new(Start);

    internal CustomerSilo Silo { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateMigratedDatabaseAsync("grains");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Silo = await CustomerSilo.StartAsync(ConnectionString, "grains-" + Environment.ProcessId, Clock);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await DataSource.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A customer id no other test uses.</summary>
    public string NewCustomerId(string name) => $"{name}-{Interlocked.Increment(ref _customerCounter)}";

    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => DataSource.ScalarAsync<T>(sql, parameters);

    public Task ExecuteAsync(string sql, params object[] parameters) => DataSource.ExecuteAsync(sql, parameters);

    public Task<List<string>> StringsAsync(string sql, params object[] parameters) => DataSource.StringsAsync(sql, parameters);
}
