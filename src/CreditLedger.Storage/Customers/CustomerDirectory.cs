using CreditLedger.Storage.Ledger;
using Npgsql;

namespace CreditLedger.Storage.Customers;

/// <summary>
/// The customer list, for the API: a read-only query. Creating and changing a customer goes through its grain.
/// </summary>
public sealed class CustomerDirectory(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Customers ordered by id, after <paramref name="afterCustomerId"/>, whose id, name or e-mail contains
    /// <paramref name="search"/> (case-insensitive) when it is given.
    /// </summary>
    public async Task<IReadOnlyList<CustomerRecord>> ListCustomersAsync(
        string? search, string? afterCustomerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT customer_id, name, email, created_at, updated_at FROM customers
            WHERE customer_id > $1
              AND ($2::text IS NULL OR customer_id ILIKE $2 OR name ILIKE $2 OR email ILIKE $2)
            ORDER BY customer_id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = afterCustomerId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = string.IsNullOrEmpty(search) ? DBNull.Value : "%" + LedgerQueries.EscapeLike(search) + "%",
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text,
        });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var customers = new List<CustomerRecord>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            customers.Add(LedgerQueries.ReadCustomer(reader));
        }

        return customers;
    }
}
