using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using CreditLedger.Storage.Secrets;
using Npgsql;

namespace CreditLedger.Storage.Webhooks;

/// <summary>
/// Webhook endpoints, their progress through the ledger and the deliveries that needed a retry, in PostgreSQL.
/// Events are not stored apart from the ledger: each entry carries the events it causes, and an endpoint follows the
/// ledger in commit order from its checkpoint (<see cref="ReadFeedAsync"/>). A delivery row exists only for an
/// event whose first attempt failed; a healthy endpoint costs one checkpoint update per save, not a row per event.
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, SecretProtector? secrets = null)
{
    private const string EndpointColumns =
        "endpoint_id, url, description, events, status, created_at, disabled_at, failing_since, last_delivered_event_id, last_delivered_at, events_delivered, "
        + "CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END";

    /// <summary>Creates an endpoint. It receives the events recorded from now on.</summary>
    public async Task<WebhookEndpointRecord> CreateEndpointAsync(
        string endpointId, string url, string description, IReadOnlyList<string> events, string secret, CancellationToken cancellationToken = default)
    {
        // Every transaction below the snapshot's xmin has ended: the checkpoint starts before the ones still running,
        // and deliver_from skips what they recorded before this instant.
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhook_endpoints (endpoint_id, url, description, events, secret, status, created_at, deliver_from,
                                           checkpoint_tx_id, checkpoint_customer_id, checkpoint_seq)
            VALUES ($1, $2, $3, $4, $5, 'healthy', now(), now(), pg_snapshot_xmin(pg_current_snapshot()), '', 0) RETURNING {EndpointColumns}
            """);
        Add(command, endpointId, url, description, events.ToArray(), Secrets.Protect(secret));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadEndpoint(reader);
    }

    /// <summary>Endpoints ordered by id, after <paramref name="afterEndpointId"/>.</summary>
    public async Task<IReadOnlyList<WebhookEndpointRecord>> ListEndpointsAsync(string? afterEndpointId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id > $1 ORDER BY endpoint_id LIMIT $2");
        Add(command, afterEndpointId ?? string.Empty, limit);
        var endpoints = new List<WebhookEndpointRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(ReadEndpoint(reader));
        }

        return endpoints;
    }

    /// <summary>The ids of the endpoints that are not disabled: those a delivery worker runs for.</summary>
    public async Task<IReadOnlyList<string>> ActiveEndpointIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT endpoint_id FROM webhook_endpoints WHERE status <> 'disabled' ORDER BY endpoint_id");
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>One endpoint, if it exists.</summary>
    public async Task<WebhookEndpointRecord?> FindEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = $1");
        Add(command, endpointId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEndpoint(reader) : null;
    }

    /// <summary>An endpoint with its secrets and checkpoint, as its delivery worker needs it; null if it does not exist.</summary>
    public async Task<EndpointState?> LoadStateAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {EndpointColumns}, secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END,
                   checkpoint_tx_id::text, checkpoint_customer_id, checkpoint_seq, deliver_from, consecutive_failures
            FROM webhook_endpoints WHERE endpoint_id = $1
            """);
        Add(command, endpointId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new EndpointState(
            ReadEndpoint(reader),
            Secrets.Unprotect(reader.GetString(12)),
            reader.IsDBNull(13) ? null : Secrets.Unprotect(reader.GetString(13)),
            new FeedPosition(reader.GetString(14), reader.GetString(15), reader.GetInt64(16)),
            NullableTime(reader, 17),
            reader.GetInt32(18));
    }

    /// <summary>Deletes an endpoint and its deliveries. Returns whether it existed.</summary>
    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE endpoint_id = $1");
        Add(command, endpointId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Makes an endpoint healthy again, with its pending deliveries due at once. With <paramref name="from"/> it
    /// replays: its checkpoint moves to the first entry recorded at <paramref name="from"/> (never before its
    /// creation) and events recorded earlier are skipped. Returns whether the endpoint exists.
    /// </summary>
    public async Task<bool> EnableAsync(string endpointId, DateTimeOffset? from, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            """
            UPDATE webhook_endpoints SET status = 'healthy', disabled_at = NULL, failing_since = NULL, consecutive_failures = 0
            WHERE endpoint_id = $1
            """,
            connection,
            transaction))
        {
            Add(update, endpointId);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var due = new NpgsqlCommand(
            "UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > now()", connection, transaction))
        {
            Add(due, endpointId);
            await due.ExecuteNonQueryAsync(cancellationToken);
        }

        if (from is { } instant)
        {
            // Entries are recorded in roughly commit order; a minute of margin covers transactions that started
            // before the instant and committed after it, and deliver_from skips what the margin adds.
            await using var replay = new NpgsqlCommand(
                """
                WITH target AS (SELECT endpoint_id, greatest($2::timestamptz, created_at) AS from_at FROM webhook_endpoints WHERE endpoint_id = $1)
                UPDATE webhook_endpoints w
                SET deliver_from = t.from_at,
                    checkpoint_customer_id = '', checkpoint_seq = 0,
                    checkpoint_tx_id = coalesce(
                        (SELECT min(e.tx_id) FROM ledger_entries e WHERE e.recorded_at >= t.from_at - interval '1 minute'),
                        pg_snapshot_xmin(pg_current_snapshot()))
                FROM target t WHERE w.endpoint_id = t.endpoint_id
                """,
                connection,
                transaction);
            Add(replay, endpointId, instant.ToUniversalTime());
            await replay.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Gives an endpoint <paramref name="secret"/>; the one it replaces keeps signing beside it for
    /// <paramref name="overlap"/>. Returns the endpoint, or null if it does not exist.
    /// </summary>
    public async Task<WebhookEndpointRecord?> RotateSecretAsync(string endpointId, string secret, TimeSpan overlap, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = now() + $3, secret = $2
            WHERE endpoint_id = $1 RETURNING {EndpointColumns}
            """);
        Add(command, endpointId, Secrets.Protect(secret), overlap);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEndpoint(reader) : null;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> committed ledger entries after <paramref name="after"/>, in commit order: only
    /// entries whose transaction is below the oldest one still running, so that none can later appear behind a
    /// position already passed. Voided and expired entries come with their grant's terms.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> ReadFeedAsync(FeedPosition after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(after);
        await using var command = dataSource.CreateCommand("""
            SELECT e.seq, e.kind, e.grant_id, e.credit_type, e.amount, e.available_after, e.invoice_id, e.reason, e.actor, e.source,
                   e.request_id, e.idempotency_key, e.occurred_at, e.data::text,
                   e.tx_id::text, e.customer_id, e.events, e.pending_after, e.recorded_at, g.amount, g.data::text
            FROM ledger_entries e
            LEFT JOIN LATERAL (
                SELECT g.amount, g.data FROM ledger_entries g
                WHERE e.kind IN ('voided', 'expired') AND e.events IS NOT NULL
                  AND g.customer_id = e.customer_id AND g.grant_id = e.grant_id AND g.kind = 'granted'
            ) g ON true
            WHERE (e.tx_id, e.customer_id, e.seq) > ($1::xid8, $2, $3) AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY e.tx_id, e.customer_id, e.seq
            LIMIT $4
            """);
        Add(command, after.TxId, after.CustomerId, after.Seq, limit);
        var entries = new List<FeedEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadFeedEntry(reader));
        }

        return entries;
    }

    /// <summary>Saves a delivery worker's progress: one update, however many events it covers.</summary>
    public async Task SaveProgressAsync(string endpointId, EndpointProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_endpoints
            SET checkpoint_tx_id = $2::xid8, checkpoint_customer_id = $3, checkpoint_seq = $4,
                events_delivered = events_delivered + $5,
                last_delivered_event_id = coalesce($6, last_delivered_event_id),
                last_delivered_at = coalesce($7, last_delivered_at),
                consecutive_failures = $8
            WHERE endpoint_id = $1
            """);
        Add(
            command,
            endpointId,
            progress.Checkpoint.TxId,
            progress.Checkpoint.CustomerId,
            progress.Checkpoint.Seq,
            progress.Delivered,
            (object?)progress.LastDeliveredEventId ?? DBNull.Value,
            (object?)progress.LastDeliveredAt?.ToUniversalTime() ?? DBNull.Value,
            progress.ConsecutiveFailures);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records the failed first attempt of an event: the delivery (with the body, so that retries need not render it
    /// again) due after <paramref name="retryAfter"/>, or failed for good when there is none, and its attempt.
    /// </summary>
    public async Task RecordFirstFailureAsync(
        string endpointId, string eventId, string eventType, string payload, AttemptOutcome outcome, TimeSpan? retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await using var command = dataSource.CreateCommand("""
            WITH delivery AS (
                INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4::jsonb, CASE WHEN $9::interval IS NULL THEN 'failed' ELSE 'pending' END, 1, now() + $9::interval, $5)
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
                RETURNING delivery_id
            )
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms, next_retry_at)
            SELECT delivery_id, 1, $5, $6, $7, $8, now() + $9::interval FROM delivery
            """);
        Add(
            command,
            endpointId,
            eventId,
            eventType,
            payload,
            outcome.AttemptedAt.ToUniversalTime(),
            (object?)outcome.StatusCode ?? DBNull.Value,
            (object?)outcome.Error ?? DBNull.Value,
            DurationMs(outcome),
            (object?)retryAfter ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The endpoint's pending deliveries that are due, oldest first; with <paramref name="oldestOnly"/>, only its
    /// oldest pending delivery, due or not (the probe of a failing endpoint).
    /// </summary>
    public async Task<IReadOnlyList<DueDelivery>> PendingDeliveriesAsync(string endpointId, bool oldestOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT delivery_id, event_id, event_type, payload::text, attempts, next_attempt_at
            FROM webhook_deliveries
            WHERE endpoint_id = $1 AND status = 'pending'{(oldestOnly ? string.Empty : " AND next_attempt_at <= now()")}
            ORDER BY {(oldestOnly ? "delivery_id" : "next_attempt_at")} LIMIT $2
            """);
        Add(command, endpointId, oldestOnly ? 1 : limit);
        var due = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return due;
    }

    /// <summary>
    /// Records a retry: on success the delivery is done; on failure it is due again after
    /// <paramref name="retryAfter"/>, or failed for good when there is none.
    /// </summary>
    public async Task RecordRetryAsync(DueDelivery delivery, AttemptOutcome outcome, TimeSpan? retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(outcome);
        var retry = outcome.Succeeded ? null : retryAfter;
        await using var command = dataSource.CreateCommand("""
            WITH delivery AS (
                UPDATE webhook_deliveries
                SET attempts = $2,
                    status = CASE WHEN $3 THEN 'succeeded' WHEN $4::interval IS NULL THEN 'failed' ELSE 'pending' END,
                    next_attempt_at = CASE WHEN $3 OR $4::interval IS NULL THEN NULL ELSE now() + $4::interval END
                WHERE delivery_id = $1 AND attempts = $2 - 1
                RETURNING delivery_id
            )
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms, next_retry_at)
            SELECT delivery_id, $2, $5, $6, $7, $8, now() + $4::interval FROM delivery
            """);
        Add(
            command,
            delivery.DeliveryId,
            delivery.Attempts + 1,
            outcome.Succeeded,
            (object?)retry ?? DBNull.Value,
            outcome.AttemptedAt.ToUniversalTime(),
            (object?)outcome.StatusCode ?? DBNull.Value,
            (object?)outcome.Error ?? DBNull.Value,
            DurationMs(outcome));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> finished deliveries (succeeded or failed for good) whose first attempt is
    /// older than <paramref name="retention"/>, with their attempts; pending ones are kept whatever their age. Rows
    /// another transaction holds are skipped, so the purge never waits for delivery. Answers how many it deleted.
    /// </summary>
    public async Task<int> PurgeFinishedDeliveriesAsync(TimeSpan retention, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM webhook_deliveries WHERE delivery_id IN (
                SELECT delivery_id FROM webhook_deliveries
                WHERE status <> 'pending' AND created_at < now() - $1::interval
                ORDER BY delivery_id
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            """);
        Add(command, retention, limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks an endpoint failing (no first attempts until a probe succeeds).</summary>
    public Task MarkFailingAsync(string endpointId, int consecutiveFailures, CancellationToken cancellationToken = default) => ExecuteAsync(
        """
        UPDATE webhook_endpoints SET status = 'failing', failing_since = coalesce(failing_since, now()), consecutive_failures = $2
        WHERE endpoint_id = $1 AND status = 'healthy'
        """,
        cancellationToken,
        endpointId,
        consecutiveFailures);

    /// <summary>Marks a failing endpoint healthy after a successful probe; its pending deliveries are due at once.</summary>
    public Task MarkHealthyAsync(string endpointId, CancellationToken cancellationToken = default) => ExecuteAsync(
        """
        WITH healthy AS (
            UPDATE webhook_endpoints SET status = 'healthy', failing_since = NULL, consecutive_failures = 0
            WHERE endpoint_id = $1 AND status = 'failing' RETURNING endpoint_id
        )
        UPDATE webhook_deliveries d SET next_attempt_at = now()
        FROM healthy h WHERE d.endpoint_id = h.endpoint_id AND d.status = 'pending' AND d.next_attempt_at > now()
        """,
        cancellationToken,
        endpointId);

    /// <summary>Disables an endpoint that has been failing for at least <paramref name="window"/>. Returns whether it did.</summary>
    public async Task<bool> DisableIfFailingSinceAsync(string endpointId, TimeSpan window, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_endpoints SET status = 'disabled', disabled_at = now()
            WHERE endpoint_id = $1 AND status = 'failing' AND failing_since <= now() - $2
            """);
        Add(command, endpointId, window);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>An endpoint's deliveries that needed a retry, newest first, before <paramref name="beforeDeliveryId"/>, each with its attempts.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string endpointId, long? beforeDeliveryId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.delivery_id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at, d.created_at,
                   a.attempt, a.attempted_at, a.status_code, a.error, a.duration_ms, a.next_retry_at
            FROM (SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 AND delivery_id < $2 ORDER BY delivery_id DESC LIMIT $3) d
            LEFT JOIN webhook_attempts a ON a.delivery_id = d.delivery_id
            ORDER BY d.delivery_id DESC, a.attempt
            """);
        Add(command, endpointId, beforeDeliveryId ?? long.MaxValue, limit);
        var deliveries = new List<(DeliveryRecord Delivery, List<AttemptRecord> Attempts)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            if (deliveries.Count == 0 || deliveries[^1].Delivery.DeliveryId != id)
            {
                var delivery = new DeliveryRecord(
                    id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), NullableTime(reader, 5), reader.GetFieldValue<DateTimeOffset>(6), []);
                deliveries.Add((delivery, []));
            }

            if (!reader.IsDBNull(7))
            {
                deliveries[^1].Attempts.Add(new AttemptRecord(
                    reader.GetInt32(7),
                    reader.GetFieldValue<DateTimeOffset>(8),
                    reader.IsDBNull(9) ? null : reader.GetInt32(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.GetInt32(11),
                    NullableTime(reader, 12)));
            }
        }

        return deliveries.Select(d => d.Delivery with { AttemptLog = d.Attempts }).ToList();
    }

    /// <summary>How many deliveries of an endpoint exist, by status (for operators and tests of the row budget).</summary>
    public async Task<long> CountDeliveriesAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1");
        Add(command, endpointId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        Add(command, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int DurationMs(AttemptOutcome outcome) => (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds);

    private static FeedEntry ReadFeedEntry(NpgsqlDataReader reader)
    {
        // Columns 0 to 13 are the entry as the ledger's reads have it; the feed's own follow.
        var entry = LedgerQueries.ReadEntry(reader);
        var customerId = CustomerId.Parse(reader.GetString(15));
        var events = reader.IsDBNull(16) ? EntryEvents.None : (EntryEvents)reader.GetInt16(16);
        entry = LedgerJson.WithEvents(entry with { PendingAfter = reader.IsDBNull(17) ? 0 : reader.GetDecimal(17) }, events, reader.GetString(13));
        var terms = entry.Grant;
        if (terms is null && !reader.IsDBNull(19))
        {
            (terms, _) = LedgerJson.ReadEntryData(EntryKind.Granted, entry.GrantId, entry.CreditType, reader.GetDecimal(19), reader.GetString(20));
        }

        return new FeedEntry(new FeedPosition(reader.GetString(14), customerId.Value, entry.Version), customerId, entry, terms, reader.GetFieldValue<DateTimeOffset>(18));
    }

    /// <summary>
    /// Encrypts the signing secrets still stored in clear (written before secrets were encrypted at rest). Safe to run
    /// from several processes at once: a value is replaced only while it is still the one read. Answers how many it encrypted.
    /// </summary>
    public async Task<int> ProtectPlaintextSecretsAsync(CancellationToken cancellationToken = default)
    {
        var found = new List<(string EndpointId, string Column, string Value)>();
        await using (var command = dataSource.CreateCommand("""
            SELECT endpoint_id, 'secret', secret FROM webhook_endpoints WHERE secret LIKE 'whsec\_%'
            UNION ALL
            SELECT endpoint_id, 'previous_secret', previous_secret FROM webhook_endpoints WHERE previous_secret LIKE 'whsec\_%'
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var protectedCount = 0;
        foreach (var (endpointId, column, value) in found)
        {
            // The column name comes from the query above (one of two literals), never from input.
            await using var update = dataSource.CreateCommand($"UPDATE webhook_endpoints SET {column} = $3 WHERE endpoint_id = $1 AND {column} = $2");
            Add(update, endpointId, value, Secrets.Protect(value));
            protectedCount += await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return protectedCount;
    }

    private SecretProtector Secrets =>
        secrets ?? throw new InvalidOperationException("This webhook store was made without a secret protector; it cannot read or write signing secrets.");

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static WebhookEndpointRecord ReadEndpoint(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<string[]>(3),
        reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        NullableTime(reader, 6),
        NullableTime(reader, 7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        NullableTime(reader, 9),
        reader.GetInt64(10),
        NullableTime(reader, 11));
}
