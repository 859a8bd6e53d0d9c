using System.Runtime.CompilerServices;
using CreditLedger.Domain;
using Npgsql;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The ledger's reads for one customer (entries to replay, invoices, remembered answers, history pages) and the
/// customer's own rows outside the ledger (its name and e-mail, its alert thresholds), which its grain writes. The
/// API lists customers through the read-only <see cref="Customers.CustomerDirectory"/>.
/// </summary>
public sealed class LedgerQueries(NpgsqlDataSource dataSource)
{
    private const string TopUpColumns =
        "request_id, credit_type, amount, available, threshold, created_version, created_at, status, grant_id, fail_reason, ended_at";

    private const string EntryColumns =
        "seq, kind, grant_id, credit_type, amount, available_after, invoice_id, reason, actor, source, request_id, idempotency_key, occurred_at, data::text";

    /// <summary>The customer, if it was ever created.</summary>
    public async Task<CustomerRecord?> FindCustomerAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT customer_id, name, email, created_at, updated_at FROM customers WHERE customer_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCustomer(reader) : null;
    }

    /// <summary>Creates the customer, or updates its name and e-mail. Returns the stored customer and whether it was created.</summary>
    public async Task<(CustomerRecord Customer, bool Created)> UpsertCustomerAsync(
        CustomerId customerId, string? name, string? email, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO customers (customer_id, name, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at
            RETURNING customer_id, name, email, created_at, updated_at, (xmax = 0) AS created
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)email ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (ReadCustomer(reader), reader.GetBoolean(5));
    }

    /// <summary>The customer's low-balance thresholds, by credit type code.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> ReadCreditAlertsAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT credit_type, threshold FROM credit_alerts WHERE customer_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        var alerts = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts[reader.GetString(0)] = reader.GetDecimal(1);
        }

        return alerts;
    }

    /// <summary>Sets the customer's low-balance threshold for a credit type.</summary>
    public async Task UpsertCreditAlertAsync(CustomerId customerId, string creditType, decimal threshold, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO credit_alerts (customer_id, credit_type, threshold, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (customer_id, credit_type) DO UPDATE SET threshold = EXCLUDED.threshold, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = creditType });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = threshold });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The customer's credit schedules, cancelled and completed ones included.</summary>
    public async Task<IReadOnlyList<CreditSchedule>> ReadSchedulesAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT schedule_id, credit_type, amount, reason, priority, category, every, starts_at, periods, rollover_max,
                   created_at, cancelled_at, cancel_reason
            FROM credit_schedules WHERE customer_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        var schedules = new List<CreditSchedule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var scheduleId = reader.GetString(0);
            if (!ScheduleInterval.TryParse(reader.GetString(6), out var every, out _))
            {
                throw new InvalidDataException($"Schedule {scheduleId} has an interval the engine cannot read: {reader.GetString(6)}.");
            }

            schedules.Add(new CreditSchedule(
                scheduleId,
                CreditType.Parse(reader.GetString(1)),
                reader.GetDecimal(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetString(5) == "promotional" ? GrantCategory.Promotional : GrantCategory.Paid,
                every,
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetDecimal(9))
            {
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                CancelledAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                CancelReason = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }

        return schedules;
    }

    /// <summary>The customer's top-up rules, by credit type code.</summary>
    public async Task<IReadOnlyDictionary<string, TopUpRule>> ReadTopUpRulesAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT credit_type, threshold, target_balance FROM credit_top_up_rules WHERE customer_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        var rules = new Dictionary<string, TopUpRule>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules[reader.GetString(0)] = new TopUpRule(reader.GetDecimal(1), reader.GetDecimal(2));
        }

        return rules;
    }

    /// <summary>Sets the customer's top-up rule for a credit type.</summary>
    public async Task UpsertTopUpRuleAsync(CustomerId customerId, string creditType, TopUpRule rule, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO credit_top_up_rules (customer_id, credit_type, threshold, target_balance, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (customer_id, credit_type) DO UPDATE
            SET threshold = EXCLUDED.threshold, target_balance = EXCLUDED.target_balance, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = creditType });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = rule.Threshold });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = rule.TargetBalance });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the customer's top-up rule for a credit type; answers whether there was one.</summary>
    public async Task<bool> DeleteTopUpRuleAsync(CustomerId customerId, string creditType, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM credit_top_up_rules WHERE customer_id = $1 AND credit_type = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = creditType });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The customer's outstanding top-up requests (at most one per credit type).</summary>
    public async Task<IReadOnlyList<TopUpRequest>> ReadOutstandingTopUpsAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TopUpColumns} FROM credit_top_up_requests WHERE customer_id = $1 AND status = 'outstanding'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        var requests = new List<TopUpRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(ReadTopUpRequest(reader).Request);
        }

        return requests;
    }

    /// <summary>A top-up request of the customer, whatever became of it; null when there is none with that id.</summary>
    public async Task<TopUpRequestRecord?> FindTopUpRequestAsync(CustomerId customerId, string requestId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TopUpColumns} FROM credit_top_up_requests WHERE customer_id = $1 AND request_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTopUpRequest(reader) : null;
    }

    /// <summary>The customer's latest version (its highest entry number), 0 before its first entry.</summary>
    public async Task<long> ReadVersionAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM ledger_entries WHERE customer_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The customer's entries after <paramref name="afterVersion"/>, in version order, streamed.</summary>
    public async IAsyncEnumerable<LedgerEntry> ReadEntriesAsync(
        CustomerId customerId, long afterVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {EntryColumns} FROM ledger_entries WHERE customer_id = $1 AND seq > $2 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterVersion });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadEntry(reader);
        }
    }

    /// <summary>
    /// Granted entries of the customer, newest first: at most <paramref name="limit"/> older than
    /// <paramref name="beforeVersion"/> (all when null), as (version, grant id). With <paramref name="voided"/> true
    /// only grants with a voided entry, false only grants without one, null all.
    /// </summary>
    public async Task<IReadOnlyList<(long Version, string GrantId)>> ReadGrantedAsync(
        CustomerId customerId, long? beforeVersion, bool? voided, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT g.seq, g.grant_id FROM ledger_entries g
            WHERE g.customer_id = $1 AND g.kind = 'granted' AND g.seq < $2
              AND ($3::boolean IS NULL OR $3 = EXISTS (
                    SELECT 1 FROM ledger_entries v WHERE v.customer_id = $1 AND v.grant_id = g.grant_id AND v.kind = 'voided'))
            ORDER BY g.seq DESC LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeVersion ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = voided is { } flag ? flag : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var rows = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>
    /// Grants that have ended (expired, or voided, with nothing pending: the customer grain no longer holds them),
    /// rebuilt from their entries, with their reasons; ids the ledger has no grant for are left out. What an ended
    /// grant granted went to expiry, voids, or paid invoices.
    /// </summary>
    public async Task<IReadOnlyList<(Grant Grant, string Reason)>> ReadEndedGrantsAsync(
        CustomerId customerId, IReadOnlyCollection<string> grantIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantIds);
        if (grantIds.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("""
            SELECT g.grant_id, g.seq, g.credit_type, g.amount, coalesce(g.reason, ''), g.occurred_at, g.data::text,
                   e.expired, e.voided, e.is_voided
            FROM ledger_entries g
            CROSS JOIN LATERAL (
                SELECT coalesce(-sum(amount) FILTER (WHERE kind = 'expired'), 0) AS expired,
                       coalesce(-sum(amount) FILTER (WHERE kind = 'voided'), 0) AS voided,
                       coalesce(bool_or(kind = 'voided'), false) AS is_voided
                FROM ledger_entries
                WHERE customer_id = $1 AND grant_id = g.grant_id AND kind IN ('expired', 'voided')) AS e
            WHERE g.customer_id = $1 AND g.kind = 'granted' AND g.grant_id = ANY($2)
            ORDER BY g.seq DESC
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. grantIds] });
        var grants = new List<(Grant, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grantId = reader.GetString(0);
            var creditType = CreditType.Parse(reader.GetString(2));
            var amount = reader.GetDecimal(3);
            var (terms, _) = LedgerJson.ReadEntryData(EntryKind.Granted, grantId, creditType, amount, reader.GetString(6));
            var expired = reader.GetDecimal(7);
            var voided = reader.GetDecimal(8);
            var grant = Grant.Restore(
                terms!, reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(5), 0, 0, amount - expired - voided, expired, voided, reader.GetBoolean(9));
            grants.Add((grant, reader.GetString(4)));
        }

        return grants;
    }

    /// <summary>
    /// A page of the customer's history, newest first: at most <paramref name="limit"/> entries older than
    /// <paramref name="beforeVersion"/> (all when null), of one credit type when given.
    /// </summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReadHistoryAsync(
        CustomerId customerId, string? creditType, long? beforeVersion, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {EntryColumns} FROM ledger_entries
            WHERE customer_id = $1 AND seq < $2 AND ($3::text IS NULL OR credit_type = $3)
            ORDER BY seq DESC LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeVersion ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)creditType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var entries = new List<LedgerEntry>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <summary>The reasons the given grants were created with, by grant id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadGrantReasonsAsync(
        CustomerId customerId, IReadOnlyCollection<string> grantIds, CancellationToken cancellationToken = default)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        if (grantIds.Count == 0)
        {
            return reasons;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT grant_id, reason FROM ledger_entries WHERE customer_id = $1 AND kind = 'granted' AND grant_id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. grantIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reasons[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
        }

        return reasons;
    }

    /// <summary>The customer's unpaid invoices.</summary>
    public async Task<IReadOnlyList<Invoice>> ReadPendingInvoicesAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT invoice_id, status, lines::text, applications::text, applied_version, applied_at FROM invoices WHERE customer_id = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        var invoices = new List<Invoice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            invoices.Add(ReadInvoice(reader));
        }

        return invoices;
    }

    /// <summary>The invoice, in whatever state, if credits were ever applied to it.</summary>
    public async Task<Invoice?> FindInvoiceAsync(CustomerId customerId, string invoiceId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT invoice_id, status, lines::text, applications::text, applied_version, applied_at FROM invoices WHERE customer_id = $1 AND invoice_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = invoiceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadInvoice(reader) : null;
    }

    /// <summary>The answer remembered under an idempotency key, if any.</summary>
    public async Task<IdempotencyRecord?> FindIdempotencyRecordAsync(
        CustomerId customerId, string operation, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT request_hash, response::text, version FROM idempotency_records
            WHERE customer_id = $1 AND operation = $2 AND idempotency_key = $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operation });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IdempotencyRecord(operation, key, reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.GetInt64(2))
            : null;
    }

    // LIKE treats % and _ as wildcards and \ as the escape: search text matches literally.
    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    internal static CustomerRecord ReadCustomer(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetFieldValue<DateTimeOffset>(4));

    private static Invoice ReadInvoice(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        LedgerJson.ParseStatus(reader.GetString(1)),
        LedgerJson.ReadLines(reader.GetString(2)),
        LedgerJson.ReadApplications(reader.GetString(3)),
        reader.GetInt64(4),
        reader.GetFieldValue<DateTimeOffset>(5));

    /// <summary>An entry from columns 0 to 13 in the order of <c>EntryColumns</c>.</summary>
    internal static LedgerEntry ReadEntry(NpgsqlDataReader reader)
    {
        var kind = LedgerJson.ParseKind(reader.GetString(1));
        var grantId = reader.GetString(2);
        var creditType = CreditType.Parse(reader.GetString(3));
        var amount = reader.GetDecimal(4);
        var (terms, consumed) = LedgerJson.ReadEntryData(kind, grantId, creditType, amount, reader.GetString(13));
        return new LedgerEntry(
            reader.GetInt64(0),
            kind,
            grantId,
            creditType,
            amount,
            consumed,
            reader.GetDecimal(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            new Provenance(
                reader.GetString(8),
                reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)),
            reader.GetFieldValue<DateTimeOffset>(12),
            terms);
    }

    private static TopUpRequestRecord ReadTopUpRequest(NpgsqlDataReader reader) => new(
        new TopUpRequest(
            reader.GetString(0),
            CreditType.Parse(reader.GetString(1)),
            reader.GetDecimal(2),
            reader.GetDecimal(3),
            reader.GetDecimal(4),
            reader.GetInt64(5),
            reader.GetFieldValue<DateTimeOffset>(6)),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
}
