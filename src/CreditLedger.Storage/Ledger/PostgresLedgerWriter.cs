using System.Diagnostics;
using CreditLedger.Storage.Telemetry;
using CreditLedger.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The simplest <see cref="ILedgerWriter"/>: one PostgreSQL transaction per append, sent as one batch.
/// Conflicts are told apart by the unique constraint that refused the write, so the caller learns whether
/// it lost a race for a version (a second activation wrote first), an invoice id, or an idempotency key.
/// </summary>
public sealed class PostgresLedgerWriter(NpgsqlDataSource dataSource, EngineMetrics? metrics = null) : ILedgerWriter
{
    private const string InsertEntries = """
        INSERT INTO ledger_entries (customer_id, seq, kind, grant_id, credit_type, amount, available_after, invoice_id,
                                    reason, actor, source, request_id, idempotency_key, occurred_at, data)
        SELECT $1, e.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::text[],
                                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::jsonb[]) AS e
        """;

    private const string InsertOutbox = """
        INSERT INTO outbox (event_id, customer_id, version, event_type, payload, occurred_at)
        SELECT o.event_id, $1, o.version, o.event_type, o.payload, o.occurred_at
        FROM unnest($2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS o(event_id, version, event_type, payload, occurred_at)
        """;

    private const string InsertInvoice = """
        INSERT INTO invoices (customer_id, invoice_id, status, lines, applications, applied_version, applied_at, updated_version, updated_at)
        VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $6, $7)
        """;

    private const string UpdateInvoice = """
        UPDATE invoices SET status = $3, updated_version = $4, updated_at = $5
        WHERE customer_id = $1 AND invoice_id = $2 AND status = 'pending'
        """;

    private const string InsertIdempotency = """
        INSERT INTO idempotency_records (customer_id, operation, idempotency_key, request_hash, status_code, response, version)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
        """;

    /// <inheritdoc />
    public Task<AppendOutcome> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        return AppendAllAsync([append], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AppendOutcome> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var invoiceUpdates = appends.Select(append => AddCommands(batch, append)).OfType<NpgsqlBatchCommand>().ToList();
        if (batch.BatchCommands.Count == 0)
        {
            return AppendOutcome.Committed;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken);
            return OutcomeOf(e);
        }

        if (invoiceUpdates.Any(update => update.RecordsAffected == 0))
        {
            // An invoice left pending behind this writer's back: its memory is stale.
            await transaction.RollbackAsync(cancellationToken);
            return AppendOutcome.VersionConflict;
        }

        await transaction.CommitAsync(cancellationToken);
        metrics?.LedgerCommitted(appends.Count, started, succeeded: true);
        return AppendOutcome.Committed;
    }

    /// <summary>The outcome a unique violation means: which key another writer already holds.</summary>
    internal static AppendOutcome OutcomeOf(PostgresException violation) => violation.ConstraintName switch
    {
        "invoices_pkey" => AppendOutcome.InvoiceExists,
        "idempotency_records_pkey" => AppendOutcome.IdempotencyKeyExists,
        _ => AppendOutcome.VersionConflict,
    };

    /// <summary>
    /// Adds the statements of <paramref name="append"/> to <paramref name="batch"/>; returns the invoice update, whose
    /// affected rows must be 1 for the append to stand, when there is one.
    /// </summary>
    internal static NpgsqlBatchCommand? AddCommands(NpgsqlBatch batch, LedgerAppend append)
    {
        var customerId = append.CustomerId.Value;
        if (append.Entries.Count > 0)
        {
            batch.BatchCommands.Add(EntriesCommand(customerId, append.Entries));
        }

        if (append.Outbox.Count > 0)
        {
            batch.BatchCommands.Add(OutboxCommand(customerId, append.Outbox));
        }

        NpgsqlBatchCommand? invoiceUpdate = null;
        if (append.Invoice is { } invoice && append.InvoiceWrite != InvoiceWrite.None)
        {
            var version = append.Entries.Count > 0 ? append.Entries[^1].Version : invoice.AppliedVersion;
            var at = append.Entries.Count > 0 ? append.Entries[^1].OccurredAt : invoice.AppliedAt;
            if (append.InvoiceWrite == InvoiceWrite.Insert)
            {
                batch.BatchCommands.Add(Command(
                    InsertInvoice,
                    customerId,
                    invoice.InvoiceId,
                    LedgerJson.StatusName(invoice.Status),
                    LedgerJson.Lines(invoice.Lines),
                    LedgerJson.Applications(invoice.Applications),
                    invoice.AppliedVersion,
                    invoice.AppliedAt.ToUniversalTime()));
            }
            else
            {
                invoiceUpdate = Command(UpdateInvoice, customerId, invoice.InvoiceId, LedgerJson.StatusName(invoice.Status), version, at.ToUniversalTime());
                batch.BatchCommands.Add(invoiceUpdate);
            }
        }

        if (append.Idempotency is { } record)
        {
            batch.BatchCommands.Add(Command(
                InsertIdempotency, customerId, record.Operation, record.Key, record.RequestHash, record.StatusCode, record.Response, record.Version));
        }

        return invoiceUpdate;
    }

    private static NpgsqlBatchCommand EntriesCommand(string customerId, IReadOnlyList<LedgerEntry> entries)
    {
        var command = new NpgsqlBatchCommand(InsertEntries);
        command.Parameters.Add(new NpgsqlParameter<string>() { TypedValue = customerId });
        AddArray(command, entries.Select(e => e.Version).ToArray(), NpgsqlDbType.Bigint);
        AddArray(command, entries.Select(e => LedgerJson.KindName(e.Kind)).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.GrantId).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.CreditType.Code).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Amount).ToArray(), NpgsqlDbType.Numeric);
        AddArray(command, entries.Select(e => e.AvailableAfter).ToArray(), NpgsqlDbType.Numeric);
        AddArray(command, entries.Select(e => e.InvoiceId).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Reason).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Provenance.Actor).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Provenance.Source).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Provenance.RequestId).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.Provenance.IdempotencyKey).ToArray(), NpgsqlDbType.Text);
        AddArray(command, entries.Select(e => e.OccurredAt.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz);
        AddArray(command, entries.Select(LedgerJson.EntryData).ToArray(), NpgsqlDbType.Jsonb);
        return command;
    }

    private static NpgsqlBatchCommand OutboxCommand(string customerId, IReadOnlyList<OutboxMessage> outbox)
    {
        var command = new NpgsqlBatchCommand(InsertOutbox);
        command.Parameters.Add(new NpgsqlParameter<string>() { TypedValue = customerId });
        AddArray(command, outbox.Select(o => o.EventId).ToArray(), NpgsqlDbType.Text);
        AddArray(command, outbox.Select(o => o.Version).ToArray(), NpgsqlDbType.Bigint);
        AddArray(command, outbox.Select(o => o.EventType).ToArray(), NpgsqlDbType.Text);
        AddArray(command, outbox.Select(o => o.Payload).ToArray(), NpgsqlDbType.Jsonb);
        AddArray(command, outbox.Select(o => o.OccurredAt.ToUniversalTime()).ToArray(), NpgsqlDbType.TimestampTz);
        return command;
    }

    private static void AddArray<T>(NpgsqlBatchCommand command, T[] values, NpgsqlDbType elementType) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType });

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
