using System.Globalization;
using Npgsql;

namespace CreditLedger.Testing;

/// <summary>
/// The tests' one way to read and write PostgreSQL directly: positional parameters (<c>$1</c>, <c>$2</c>...) bound
/// in order, each statement on a connection of the data source's pool.
/// </summary>
public static class Sql
{
    /// <summary>The first column of the first row, converted to <typeparamref name="T"/>.</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement that returns nothing the test needs.</summary>
    public static async Task ExecuteAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> StringsAsync(this NpgsqlDataSource dataSource, string sql, params object[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, object[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
