using CreditLedger.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The ledger's SQL, the only place it is written: the appends of a group commit (or of one caller, when a group
/// is written again caller by caller) in at most eight statements, one per table and kind of write, sent in one
/// round trip. Each statement's SQL text is the same whatever the number of rows (they travel as arrays), so
/// PostgreSQL plans it once per connection. Entries carry their events in their own row: nothing else is written
/// for them. A unique violation fails the whole statement, so a group that meets one is rolled back and written
/// again caller by caller (<see cref="BatchingLedgerWriter"/>).
/// </summary>
internal sealed class GroupCommitStatements
{
    private const string InsertEntries = """
        INSERT INTO ledger_entries (customer_id, seq, kind, grant_id, credit_type, amount, available_after, invoice_id,
                                    reason, actor, source, request_id, idempotency_key, occurred_at, data, events, pending_after)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::text[],
                             $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::jsonb[],
                             $16::smallint[], $17::numeric[])
        """;

    private const string InsertInvoices = """
        INSERT INTO invoices (customer_id, invoice_id, status, lines, applications, applied_version, applied_at, updated_version, updated_at)
        SELECT c, i, s, l, a, v, t, v, t
        FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bigint[], $7::timestamptz[]) AS x(c, i, s, l, a, v, t)
        """;

    private const string UpdateInvoices = """
        UPDATE invoices AS i SET status = u.s, updated_version = u.v, updated_at = u.t
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS u(c, n, s, v, t)
        WHERE i.customer_id = u.c AND i.invoice_id = u.n AND i.status = 'pending'
        """;

    private const string InsertIdempotency = """
        INSERT INTO idempotency_records (customer_id, operation, idempotency_key, request_hash, response, version)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::jsonb[], $6::bigint[])
        """;

    // A schedule is written only by the customer's writer at its version: none of the customer's entries may be
    // numbered past the version the command leaves (an activation that fell behind another one writes nothing).
    private const string InsertSchedules = """
        INSERT INTO credit_schedules (customer_id, schedule_id, credit_type, amount, reason, priority, category, every, starts_at,
                                      periods, rollover_max, created_at)
        SELECT c, i, t, a, r, p, g, e, s, n, m, w
        FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::integer[], $7::text[], $8::text[],
                    $9::timestamptz[], $10::integer[], $11::numeric[], $12::timestamptz[], $13::bigint[]) AS x(c, i, t, a, r, p, g, e, s, n, m, w, v)
        WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.customer_id = x.c AND l.seq > x.v)
        """;

    private const string CancelSchedules = """
        UPDATE credit_schedules AS s SET cancelled_at = u.t, cancel_reason = u.r
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[]) AS u(c, i, t, r, v)
        WHERE s.customer_id = u.c AND s.schedule_id = u.i AND s.cancelled_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.customer_id = u.c AND l.seq > u.v)
        """;

    private const string InsertTopUpRequests = """
        INSERT INTO credit_top_up_requests (customer_id, request_id, credit_type, amount, available, threshold, status, created_version, created_at)
        SELECT c, i, t, a, v, h, 'outstanding', n, w
        FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[], $7::bigint[], $8::timestamptz[]) AS x(c, i, t, a, v, h, n, w)
        """;

    private const string EndTopUpRequests = """
        UPDATE credit_top_up_requests AS r
        SET status = CASE WHEN u.g IS NULL THEN 'failed' ELSE 'fulfilled' END, grant_id = u.g, fail_reason = u.f, ended_at = u.t
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(c, i, g, f, t)
        WHERE r.customer_id = u.c AND r.request_id = u.i AND r.status = 'outstanding'
        """;

    private readonly List<(string CustomerId, LedgerEntry Entry)> _entries = [];
    private readonly List<(string CustomerId, TopUpRequest Request)> _topUpRequests = [];
    private readonly List<(string CustomerId, TopUpOutcome Outcome)> _topUpEnds = [];
    private readonly List<(string CustomerId, CreditSchedule Schedule, long Version)> _scheduleInserts = [];
    private readonly List<(string CustomerId, CreditSchedule Schedule, long Version)> _scheduleCancels = [];
    private readonly List<(string CustomerId, Invoice Invoice)> _invoiceInserts = [];
    private readonly List<(string CustomerId, Invoice Invoice, long Version, DateTimeOffset At)> _invoiceUpdates = [];
    private readonly List<(string CustomerId, IdempotencyRecord Record)> _idempotency = [];
    private NpgsqlBatchCommand? _update;
    private NpgsqlBatchCommand? _cancel;
    private NpgsqlBatchCommand? _scheduleInsert;
    private NpgsqlBatchCommand? _topUpEnd;

    /// <summary>Gathers the rows of <paramref name="appends"/>.</summary>
    public GroupCommitStatements(IEnumerable<LedgerAppend> appends)
    {
        foreach (var append in appends)
        {
            var customerId = append.CustomerId.Value;
            _entries.AddRange(append.Entries.Select(entry => (customerId, entry)));
            _topUpRequests.AddRange(append.Entries.Where(entry => entry.TopUp is not null).Select(entry => (customerId, entry.TopUp!)));
            if (append.EndedTopUp is { } ended)
            {
                _topUpEnds.Add((customerId, ended));
            }

            if (append.Invoice is { } invoice && append.InvoiceWrite == InvoiceWrite.Insert)
            {
                _invoiceInserts.Add((customerId, invoice));
            }
            else if (append.Invoice is { } updated && append.InvoiceWrite == InvoiceWrite.Update)
            {
                var version = append.Entries.Count > 0 ? append.Entries[^1].Version : updated.AppliedVersion;
                var at = append.Entries.Count > 0 ? append.Entries[^1].OccurredAt : updated.AppliedAt;
                _invoiceUpdates.Add((customerId, updated, version, at));
            }

            if (append.Schedule is { } schedule && append.ScheduleWrite == ScheduleWrite.Insert)
            {
                _scheduleInserts.Add((customerId, schedule, append.VersionAfter));
            }
            else if (append.Schedule is { CancelledAt: not null } cancelled && append.ScheduleWrite == ScheduleWrite.Cancel)
            {
                _scheduleCancels.Add((customerId, cancelled, append.VersionAfter));
            }

            if (append.Idempotency is { } record)
            {
                _idempotency.Add((customerId, record));
            }
        }
    }

    /// <summary>True when the group writes nothing (every append was empty).</summary>
    public bool IsEmpty => _entries.Count == 0 && _invoiceInserts.Count == 0
        && _invoiceUpdates.Count == 0 && _idempotency.Count == 0 && _scheduleInserts.Count == 0 && _scheduleCancels.Count == 0 && _topUpEnds.Count == 0;

    /// <summary>
    /// True when the group only inserts rows. Its one failure is a unique violation, which aborts the transaction by
    /// itself, so it may run as one implicit transaction (one round trip, committed by PostgreSQL at its end).
    /// </summary>
    public bool InsertsOnly => _invoiceUpdates.Count == 0 && _scheduleInserts.Count == 0 && _scheduleCancels.Count == 0 && _topUpEnds.Count == 0;

    /// <summary>
    /// True once the statements have run when every update found its row as memory had it (an invoice still pending,
    /// a schedule not cancelled yet, a top-up request still outstanding, no entry of the customer past the version a
    /// schedule's command leaves); false means one of them was stale and the group must not commit as it is.
    /// </summary>
    public bool UpdatesHeld =>
        (_update is null || _update.RecordsAffected == _invoiceUpdates.Count)
        && (_scheduleInsert is null || _scheduleInsert.RecordsAffected == _scheduleInserts.Count)
        && (_cancel is null || _cancel.RecordsAffected == _scheduleCancels.Count)
        && (_topUpEnd is null || _topUpEnd.RecordsAffected == _topUpEnds.Count);

    /// <summary>Adds the group's statements to <paramref name="batch"/>.</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        if (_entries.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                InsertEntries,
                Column(_entries, r => r.CustomerId),
                Column(_entries, r => r.Entry.Version),
                Column(_entries, r => LedgerJson.KindName(r.Entry.Kind)),
                Column(_entries, r => r.Entry.GrantId),
                Column(_entries, r => r.Entry.CreditType.Code),
                Column(_entries, r => r.Entry.Amount),
                Column(_entries, r => r.Entry.AvailableAfter),
                Column(_entries, r => r.Entry.InvoiceId),
                Column(_entries, r => r.Entry.Reason),
                Column(_entries, r => r.Entry.Provenance.Actor),
                Column(_entries, r => r.Entry.Provenance.Source),
                Column(_entries, r => r.Entry.Provenance.RequestId),
                Column(_entries, r => r.Entry.Provenance.IdempotencyKey),
                Column(_entries, r => r.Entry.OccurredAt.ToUniversalTime()),
                JsonColumn(_entries, r => LedgerJson.EntryData(r.Entry)),
                Column(_entries, r => (short)r.Entry.Events),
                Column(_entries, r => r.Entry.PendingAfter)));
        }

        if (_invoiceInserts.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                InsertInvoices,
                Column(_invoiceInserts, r => r.CustomerId),
                Column(_invoiceInserts, r => r.Invoice.InvoiceId),
                Column(_invoiceInserts, r => LedgerJson.StatusName(r.Invoice.Status)),
                JsonColumn(_invoiceInserts, r => LedgerJson.Lines(r.Invoice.Lines)),
                JsonColumn(_invoiceInserts, r => LedgerJson.Applications(r.Invoice.Applications)),
                Column(_invoiceInserts, r => r.Invoice.AppliedVersion),
                Column(_invoiceInserts, r => r.Invoice.AppliedAt.ToUniversalTime())));
        }

        if (_invoiceUpdates.Count > 0)
        {
            _update = Statement(
                UpdateInvoices,
                Column(_invoiceUpdates, r => r.CustomerId),
                Column(_invoiceUpdates, r => r.Invoice.InvoiceId),
                Column(_invoiceUpdates, r => LedgerJson.StatusName(r.Invoice.Status)),
                Column(_invoiceUpdates, r => r.Version),
                Column(_invoiceUpdates, r => r.At.ToUniversalTime()));
            batch.BatchCommands.Add(_update);
        }

        // Ended before new ones are recorded: a command that fulfils a request may record the next one.
        if (_topUpEnds.Count > 0)
        {
            _topUpEnd = Statement(
                EndTopUpRequests,
                Column(_topUpEnds, r => r.CustomerId),
                Column(_topUpEnds, r => r.Outcome.RequestId),
                Column(_topUpEnds, r => r.Outcome.GrantId),
                Column(_topUpEnds, r => r.Outcome.FailReason),
                Column(_topUpEnds, r => r.Outcome.EndedAt.ToUniversalTime()));
            batch.BatchCommands.Add(_topUpEnd);
        }

        if (_topUpRequests.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                InsertTopUpRequests,
                Column(_topUpRequests, r => r.CustomerId),
                Column(_topUpRequests, r => r.Request.RequestId),
                Column(_topUpRequests, r => r.Request.CreditType.Code),
                Column(_topUpRequests, r => r.Request.Amount),
                Column(_topUpRequests, r => r.Request.Available),
                Column(_topUpRequests, r => r.Request.Threshold),
                Column(_topUpRequests, r => r.Request.Version),
                Column(_topUpRequests, r => r.Request.CreatedAt.ToUniversalTime())));
        }

        if (_scheduleInserts.Count > 0)
        {
            _scheduleInsert = Statement(
                InsertSchedules,
                Column(_scheduleInserts, r => r.CustomerId),
                Column(_scheduleInserts, r => r.Schedule.ScheduleId),
                Column(_scheduleInserts, r => r.Schedule.CreditType.Code),
                Column(_scheduleInserts, r => r.Schedule.Amount),
                Column(_scheduleInserts, r => r.Schedule.Reason),
                Column(_scheduleInserts, r => r.Schedule.Priority),
                Column(_scheduleInserts, r => LedgerJson.CategoryName(r.Schedule.Category)),
                Column(_scheduleInserts, r => r.Schedule.Every.ToString()),
                Column(_scheduleInserts, r => r.Schedule.StartsAt.ToUniversalTime()),
                Column(_scheduleInserts, r => r.Schedule.Periods),
                Column(_scheduleInserts, r => r.Schedule.RolloverMax),
                Column(_scheduleInserts, r => r.Schedule.CreatedAt.ToUniversalTime()),
                Column(_scheduleInserts, r => r.Version));
            batch.BatchCommands.Add(_scheduleInsert);
        }

        if (_scheduleCancels.Count > 0)
        {
            _cancel = Statement(
                CancelSchedules,
                Column(_scheduleCancels, r => r.CustomerId),
                Column(_scheduleCancels, r => r.Schedule.ScheduleId),
                Column(_scheduleCancels, r => r.Schedule.CancelledAt!.Value.ToUniversalTime()),
                Column(_scheduleCancels, r => r.Schedule.CancelReason),
                Column(_scheduleCancels, r => r.Version));
            batch.BatchCommands.Add(_cancel);
        }

        if (_idempotency.Count > 0)
        {
            batch.BatchCommands.Add(Statement(
                InsertIdempotency,
                Column(_idempotency, r => r.CustomerId),
                Column(_idempotency, r => r.Record.Operation),
                Column(_idempotency, r => r.Record.Key),
                Column(_idempotency, r => r.Record.RequestHash),
                JsonColumn(_idempotency, r => r.Record.Response),
                Column(_idempotency, r => r.Record.Version)));
        }
    }

    /// <summary>
    /// What a unique violation met while writing these statements means: which key another writer already holds.
    /// Nothing of the transaction stands.
    /// </summary>
    public static AppendOutcome OutcomeOf(PostgresException violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        return violation.ConstraintName switch
        {
            "invoices_pkey" => AppendOutcome.InvoiceExists,
            "idempotency_records_pkey" => AppendOutcome.IdempotencyKeyExists,
            _ => AppendOutcome.VersionConflict,
        };
    }

    // A column whose CLR type maps to its PostgreSQL type by default (string: text, long: bigint, int: integer,
    // short: smallint, decimal: numeric, DateTimeOffset: timestamptz, byte[]: bytea). Npgsql resolves such a parameter
    // from a per-type cache; naming the type instead makes it build the array type's name again for every parameter of
    // every commit.
    private static NpgsqlParameter<TValue[]> Column<TRow, TValue>(List<TRow> rows, Func<TRow, TValue> value) => new() { TypedValue = Values(rows, value) };

    // JSON documents are strings in .NET, which would go as text[]: jsonb[] has to be named.
    private static NpgsqlParameter<string[]> JsonColumn<TRow>(List<TRow> rows, Func<TRow, string> value) =>
        new() { TypedValue = Values(rows, value), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };

    private static TValue[] Values<TRow, TValue>(List<TRow> rows, Func<TRow, TValue> value)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }

    private static NpgsqlBatchCommand Statement(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
