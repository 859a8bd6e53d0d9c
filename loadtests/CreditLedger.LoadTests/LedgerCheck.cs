using Npgsql;

namespace CreditLedger.LoadTests;

/// <summary>
/// After a run, the ledger must show that nothing was lost or doubled: every apply that answered 200 is in the
/// ledger exactly once with the amount it reported, each customer's versions are gapless, and every grant
/// conserves its credits (remaining and pending never negative).
/// </summary>
internal static class LedgerCheck
{
    public static async Task<IReadOnlyList<string>> RunAsync(
        string connectionString, IReadOnlyList<string> customers, IReadOnlyCollection<(string Customer, string Invoice, decimal Applied)> applied)
    {
        var failures = new List<string>();
        // A hot customer's ledger holds hundreds of thousands of entries after a long run, and the engine may still
        // be writing the run's last requests: the check's queries get minutes, not Npgsql's default 30 s.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 300 }.ConnectionString);

        await using (var command = dataSource.CreateCommand("""
            SELECT a.customer_id, a.invoice_id, a.applied, coalesce(-sum(e.amount), 0), count(i.invoice_id)
            FROM unnest($1::text[], $2::text[], $3::numeric[]) AS a(customer_id, invoice_id, applied)
            LEFT JOIN ledger_entries e ON e.customer_id = a.customer_id AND e.invoice_id = a.invoice_id AND e.kind = 'applied'
            LEFT JOIN invoices i ON i.customer_id = a.customer_id AND i.invoice_id = a.invoice_id
            GROUP BY a.customer_id, a.invoice_id, a.applied
            HAVING coalesce(-sum(e.amount), 0) <> a.applied OR count(DISTINCT i.invoice_id) <> 1
            LIMIT 20
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = applied.Select(a => a.Customer).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = applied.Select(a => a.Invoice).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = applied.Select(a => a.Applied).ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                failures.Add($"apply {reader.GetString(0)}/{reader.GetString(1)} answered {reader.GetDecimal(2)} but the ledger holds {reader.GetDecimal(3)}");
            }
        }

        await using (var command = dataSource.CreateCommand("""
            SELECT customer_id, max(seq), count(*) FROM ledger_entries WHERE customer_id = ANY($1)
            GROUP BY customer_id HAVING max(seq) <> count(*) LIMIT 20
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                failures.Add($"customer {reader.GetString(0)} has {reader.GetInt64(2)} entries but version {reader.GetInt64(1)}");
            }
        }

        await using (var command = dataSource.CreateCommand("""
            SELECT customer_id, grant_id, sum(amount) AS remaining,
                   coalesce(-sum(amount) FILTER (WHERE kind = 'applied'), 0) - coalesce(sum(amount) FILTER (WHERE kind = 'reinstated'), 0)
                   - coalesce(sum((data ->> 'consumed')::numeric) FILTER (WHERE kind = 'paid'), 0) AS pending
            FROM ledger_entries WHERE customer_id = ANY($1)
            GROUP BY customer_id, grant_id
            HAVING sum(amount) < 0
                OR coalesce(-sum(amount) FILTER (WHERE kind = 'applied'), 0) - coalesce(sum(amount) FILTER (WHERE kind = 'reinstated'), 0)
                   - coalesce(sum((data ->> 'consumed')::numeric) FILTER (WHERE kind = 'paid'), 0) < 0
            LIMIT 20
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                failures.Add($"grant {reader.GetString(0)}/{reader.GetString(1)} breaks conservation: remaining {reader.GetDecimal(2)}, pending {reader.GetDecimal(3)}");
            }
        }

        return failures;
    }
}
