using System.Text;
using CreditLedger.Domain;
using Npgsql;

namespace CreditLedger.Storage.Reports;

/// <summary>
/// The credits report in PostgreSQL: <see cref="AggregateNextBatchAsync"/> folds the next committed ledger entries
/// into the aggregates (one row per UTC day, customer and credit type) and moves the checkpoint in one transaction
/// (exactly once, whatever crashes), and
/// <see cref="QueryAsync"/> reads the aggregates back by credit type, customer or day.
/// </summary>
public sealed class ReportStore(NpgsqlDataSource dataSource)
{
    // One upsert per day, customer and credit type of the batch. The row of a key's latest day in the batch takes
    // the available balance after the key's latest entry and becomes the key's latest row; the row that was latest
    // before, on an earlier day, stops being it. Entries of one customer fold in version order and their days never
    // go back, so a key's latest row is always its latest day's.
    private const string Aggregate = """
        WITH batch AS (
            SELECT tx_id, customer_id, seq, kind, credit_type, amount, available_after,
                   coalesce((data ->> 'consumed')::numeric, 0) AS consumed, (occurred_at AT TIME ZONE 'UTC')::date AS day
            FROM ledger_entries
            WHERE (tx_id, customer_id, seq) > ($1::xid8, $2, $3) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY tx_id, customer_id, seq
            LIMIT $4
        ), keys AS (
            SELECT day, customer_id, credit_type,
                   coalesce(sum(amount) FILTER (WHERE kind = 'granted'), 0) AS granted,
                   coalesce(-sum(amount) FILTER (WHERE kind = 'applied'), 0) AS applied,
                   coalesce(sum(consumed) FILTER (WHERE kind = 'paid'), 0) AS consumed,
                   coalesce(sum(amount) FILTER (WHERE kind = 'reinstated'), 0) AS reinstated,
                   coalesce(-sum(amount) FILTER (WHERE kind = 'expired'), 0) AS expired,
                   coalesce(-sum(amount) FILTER (WHERE kind = 'voided'), 0) AS voided,
                   (array_agg(available_after ORDER BY seq DESC))[1] AS available,
                   max(seq) AS version
            FROM batch GROUP BY day, customer_id, credit_type
        ), ranked AS (
            SELECT *, day = max(day) OVER (PARTITION BY customer_id, credit_type) AS latest,
                   min(day) OVER (PARTITION BY customer_id, credit_type) AS first_day
            FROM keys
        ), superseded AS (
            UPDATE report_daily r SET latest = false
            FROM ranked k
            WHERE k.latest AND r.customer_id = k.customer_id AND r.credit_type = k.credit_type AND r.latest AND r.day < k.first_day
        ), folded AS (
            INSERT INTO report_daily AS r (day, customer_id, credit_type, granted, applied, consumed, reinstated, expired, voided, available, version, latest)
            SELECT day, customer_id, credit_type, granted, applied, consumed, reinstated, expired, voided, available, version, latest FROM ranked
            ON CONFLICT (day, customer_id, credit_type) DO UPDATE SET
                granted = r.granted + EXCLUDED.granted, applied = r.applied + EXCLUDED.applied,
                consumed = r.consumed + EXCLUDED.consumed, reinstated = r.reinstated + EXCLUDED.reinstated,
                expired = r.expired + EXCLUDED.expired, voided = r.voided + EXCLUDED.voided,
                available = EXCLUDED.available, version = EXCLUDED.version, latest = EXCLUDED.latest
        ), last AS (
            SELECT tx_id, customer_id, seq FROM batch ORDER BY tx_id DESC, customer_id DESC, seq DESC LIMIT 1
        ), moved AS (
            UPDATE report_checkpoint c SET tx_id = last.tx_id, customer_id = last.customer_id, seq = last.seq, updated_at = now()
            FROM last WHERE c.name = 'credits'
        )
        SELECT count(*) FROM batch
        """;

    /// <summary>
    /// Folds up to <paramref name="batchSize"/> entries after the checkpoint into the aggregates and moves the
    /// checkpoint past them, in one transaction. The checkpoint row is locked first, so concurrent aggregators
    /// take turns instead of counting an entry twice. Returns how many entries it folded (0: caught up).
    /// </summary>
    public async Task<int> AggregateNextBatchAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var checkpoint = await ReadCheckpointAsync(connection, transaction, forUpdate: true, cancellationToken);
        await using var aggregate = new NpgsqlCommand(Aggregate, connection, transaction);
        checkpoint.AddTo(aggregate);
        aggregate.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        var folded = (int)(long)(await aggregate.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return folded;
    }

    // The report's checkpoint: the feed position of the last entry folded in.
    private static async Task<Checkpoint> ReadCheckpointAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT tx_id::text, customer_id, seq FROM report_checkpoint WHERE name = 'credits'{(forUpdate ? " FOR UPDATE" : string.Empty)}", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The report checkpoint row is missing; the schema is not migrated.");
        }

        return new Checkpoint(reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
    }

    // A feed position; its three values are the first three parameters ($1 xid8, $2, $3) of the statements after it.
    private readonly record struct Checkpoint(string TxId, string CustomerId, long Seq)
    {
        public void AddTo(NpgsqlCommand command)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = TxId });
            command.Parameters.Add(new NpgsqlParameter { Value = CustomerId });
            command.Parameters.Add(new NpgsqlParameter { Value = Seq });
        }
    }

    /// <summary>
    /// The transaction id below which every transaction that has committed by now lies (the current snapshot's
    /// xmax), for <see cref="FoldedBelowAsync"/>.
    /// </summary>
    public async Task<string> CommittedHorizonAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Whether every committed entry of a transaction below <paramref name="horizon"/> is folded. The feed folds only
    /// below the oldest transaction still running, so a batch that folds nothing does not mean this: a transaction
    /// that is still running can hold back entries that others committed after it began.
    /// </summary>
    public async Task<bool> FoldedBelowAsync(string horizon, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var checkpoint = await ReadCheckpointAsync(connection, transaction: null, forUpdate: false, cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT NOT EXISTS (
                SELECT 1 FROM ledger_entries e
                WHERE (e.tx_id, e.customer_id, e.seq) > ($1::xid8, $2, $3) AND e.tx_id < $4::xid8)
            """, connection);
        checkpoint.AddTo(command);
        command.Parameters.Add(new NpgsqlParameter { Value = horizon });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many pending entries <see cref="OldestPendingAsync"/> looks at, at most.</summary>
    public const int LagWindow = 10_000;

    /// <summary>
    /// How far behind the ledger the aggregates are: the recording time of the oldest entry not yet folded in,
    /// or null when every entry is. Only the first <see cref="LagWindow"/> pending entries in feed order are
    /// looked at: they belong to the earliest transactions, and the bound keeps the read small however far behind
    /// the aggregates are.
    /// </summary>
    public async Task<DateTimeOffset?> OldestPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var checkpoint = await ReadCheckpointAsync(connection, transaction: null, forUpdate: false, cancellationToken);

        // The checkpoint goes in as values, not as a reference to its row: compared with a column of another row,
        // the position has no estimate, and PostgreSQL read the whole ledger and sorted it (90 ms at 70,000 entries,
        // growing with the ledger) instead of the index range after the checkpoint.
        await using var command = new NpgsqlCommand($"""
            SELECT min(p.recorded_at) FROM (
                SELECT e.recorded_at FROM ledger_entries e
                WHERE (e.tx_id, e.customer_id, e.seq) > ($1::xid8, $2, $3)
                ORDER BY e.tx_id, e.customer_id, e.seq LIMIT {LagWindow}) p
            """, connection);
        checkpoint.AddTo(command);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
    }

    /// <summary>The report rows for <paramref name="query"/>, ordered by their grouping keys.</summary>
    public async Task<IReadOnlyList<ReportRow>> QueryAsync(ReportQuery query, CancellationToken cancellationToken = default)
    {
        var rows = new List<ReportRow>();
        await foreach (var row in ReadAsync(query, page: null, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// The report rows for <paramref name="query"/> ordered by their grouping keys, read as they come (for a CSV answer
    /// of any size); with <paramref name="page"/> (grouping by customer only), one page of them.
    /// </summary>
    public async IAsyncEnumerable<ReportRow> ReadAsync(
        ReportQuery query, ReportPage? page, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (page is not null && query.GroupBy != ReportGrouping.Customer)
        {
            throw new ArgumentException("Only the rows grouped by customer are paged.", nameof(page));
        }

        var keys = query.GroupBy switch
        {
            ReportGrouping.Customer => "customer_id, credit_type",
            ReportGrouping.Day => "day, credit_type",
            _ => "credit_type",
        };
        var filters = new StringBuilder();
        if (query.CustomerId is not null)
        {
            filters.Append(" AND customer_id = $3");
        }

        if (query.CreditType is not null)
        {
            filters.Append(" AND credit_type = $4");
        }

        if (query.Kind is { } kind)
        {
            filters.Append(kind == CreditKind.Monetary ? " AND credit_type ~ '^[A-Z]{3}$'" : " AND credit_type !~ '^[A-Z]{3}$'");
        }

        var withAvailable = query.GroupBy != ReportGrouping.Day;
        var sql = withAvailable
            ? $"""
               WITH flows AS (
                   SELECT {keys}, sum(granted) AS granted, sum(applied) AS applied, sum(consumed) AS consumed,
                          sum(reinstated) AS reinstated, sum(expired) AS expired, sum(voided) AS voided
                   FROM report_daily WHERE day BETWEEN $1 AND $2{filters} GROUP BY {keys}
               ), available AS (
                   SELECT {keys}, sum(available) AS available FROM report_daily WHERE latest{filters} GROUP BY {keys}
               )
               SELECT {(query.GroupBy == ReportGrouping.Customer ? "customer_id" : "NULL::text")}, NULL::date, credit_type,
                      coalesce(f.granted, 0), coalesce(f.applied, 0), coalesce(f.consumed, 0), coalesce(f.reinstated, 0),
                      coalesce(f.expired, 0), coalesce(f.voided, 0), coalesce(a.available, 0)
               FROM flows f FULL JOIN available a USING ({keys})
               {(page is null ? string.Empty : "WHERE (customer_id, credit_type) > (coalesce($5, ''), coalesce($6, ''))")}
               ORDER BY {keys}{(page is null ? string.Empty : " LIMIT $7")}
               """
            : $"""
               SELECT NULL::text, day, credit_type, sum(granted), sum(applied), sum(consumed), sum(reinstated), sum(expired), sum(voided), NULL::numeric
               FROM report_daily WHERE day BETWEEN $1 AND $2{filters} GROUP BY {keys} ORDER BY {keys}
               """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = query.From });
        command.Parameters.Add(new NpgsqlParameter { Value = query.To });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.CustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.CreditType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        if (page is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.AfterCustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.AfterCreditType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = page.Limit });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ReportRow(
                reader.GetString(2),
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1),
                reader.GetDecimal(3),
                reader.GetDecimal(4),
                reader.GetDecimal(5),
                reader.GetDecimal(6),
                reader.GetDecimal(7),
                reader.GetDecimal(8),
                reader.IsDBNull(9) ? null : reader.GetDecimal(9));
        }
    }
}
