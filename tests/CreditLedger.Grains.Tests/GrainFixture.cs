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

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<string>> StringsAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }
}
