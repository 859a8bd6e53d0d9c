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

        // What the ledger holds for each invoice of the run's customers, read in one pass each and compared here: a
        // join from the run's applies to the entries would probe a hot customer's whole ledger once per apply.
        var held = new Dictionary<(string Customer, string Invoice), decimal>();
        await using (var command = dataSource.CreateCommand("""
            SELECT customer_id, invoice_id, -sum(amount) FROM ledger_entries
            WHERE customer_id = ANY($1) AND kind = 'applied' GROUP BY customer_id, invoice_id
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                held[(reader.GetString(0), reader.GetString(1))] = reader.GetDecimal(2);
            }
        }

        var recorded = new HashSet<(string Customer, string Invoice)>();
        await using (var command = dataSource.CreateCommand("SELECT customer_id, invoice_id FROM invoices WHERE customer_id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                recorded.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (customer, invoice, amount) in applied)
        {
            var inLedger = held.GetValueOrDefault((customer, invoice));
            var isRecorded = recorded.Contains((customer, invoice));
            if (inLedger != amount || !isRecorded)
            {
                failures.Add(isRecorded
                    ? $"apply {customer}/{invoice} answered {amount} but the ledger holds {inLedger}"
                    : $"apply {customer}/{invoice} answered {amount} but the ledger has no record of its invoice");
                if (failures.Count == 20)
                {
                    break;
                }
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
