using Npgsql;

namespace CreditLedger.Storage.Webhooks;

/// <summary>
/// Webhook endpoints and deliveries in PostgreSQL. Events reach endpoints in two steps, both safe with any number
/// of dispatchers at once: <see cref="FanOutAsync"/> turns new outbox rows into one delivery per subscribed
/// endpoint, and <see cref="ClaimAsync"/> leases due deliveries (<c>FOR UPDATE SKIP LOCKED</c>) so that each is
/// attempted by one dispatcher at a time; a lease that expires (its dispatcher died) makes the delivery due again.
/// </summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource)
{
    private const string EndpointColumns = "endpoint_id, url, description, events, status, created_at, disabled_at, failing_since";

    /// <summary>Creates an endpoint.</summary>
    public async Task<WebhookEndpointRecord> CreateEndpointAsync(
        string endpointId, string url, string description, IReadOnlyList<string> events, string secret, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhook_endpoints (endpoint_id, url, description, events, secret, status, created_at)
            VALUES ($1, $2, $3, $4, $5, 'enabled', now()) RETURNING {EndpointColumns}
            """);
        Add(command, endpointId, url, description, events.ToArray(), secret);
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

    /// <summary>One endpoint, if it exists.</summary>
    public async Task<WebhookEndpointRecord?> FindEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = $1");
        Add(command, endpointId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEndpoint(reader) : null;
    }

    /// <summary>Deletes an endpoint and its deliveries. Returns whether it existed.</summary>
    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE endpoint_id = $1");
        Add(command, endpointId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>An endpoint's deliveries, newest first, before <paramref name="beforeDeliveryId"/>, each with its attempts.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string endpointId, long? beforeDeliveryId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.delivery_id, d.event_id, o.event_type, d.status, d.attempts, d.next_attempt_at, d.created_at,
                   a.attempt, a.attempted_at, a.status_code, a.error, a.duration_ms, a.next_retry_at
            FROM (SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 AND delivery_id < $2 ORDER BY delivery_id DESC LIMIT $3) d
            JOIN outbox o ON o.event_id = d.event_id
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

    /// <summary>
    /// Turns up to <paramref name="batchSize"/> new outbox rows into deliveries, one per enabled endpoint that
    /// subscribes to the event's type, and marks the rows dispatched. Returns how many rows it took.
    /// </summary>
    public async Task<int> FanOutAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH claimed AS (
                SELECT event_id, event_type FROM outbox WHERE dispatched_at IS NULL
                ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED
            ), fanned AS (
                INSERT INTO webhook_deliveries (endpoint_id, event_id, status, next_attempt_at)
                SELECT e.endpoint_id, c.event_id, 'pending', now()
                FROM claimed c
                JOIN webhook_endpoints e ON e.status = 'enabled' AND (cardinality(e.events) = 0 OR c.event_type = ANY (e.events))
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
            )
            UPDATE outbox o SET dispatched_at = now() FROM claimed c WHERE o.event_id = c.event_id
            """);
        Add(command, batchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Leases up to <paramref name="batchSize"/> due deliveries of enabled endpoints for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimAsync(int batchSize, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries d SET leased_until = now() + $2
            FROM (
                SELECT d2.delivery_id FROM webhook_deliveries d2
                JOIN webhook_endpoints e2 ON e2.endpoint_id = d2.endpoint_id AND e2.status = 'enabled'
                WHERE d2.status = 'pending' AND d2.next_attempt_at <= now() AND (d2.leased_until IS NULL OR d2.leased_until < now())
                ORDER BY d2.next_attempt_at LIMIT $1
                FOR UPDATE OF d2 SKIP LOCKED
            ) c, webhook_endpoints e, outbox o
            WHERE d.delivery_id = c.delivery_id AND e.endpoint_id = d.endpoint_id AND o.event_id = d.event_id
            RETURNING d.delivery_id, e.endpoint_id, e.url, e.secret, o.event_id, o.event_type, o.payload::text, d.attempts
            """);
        Add(command, batchSize, lease);
        var due = new List<DueDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueDelivery(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7)));
        }

        return due;
    }

    /// <summary>
    /// Records an attempt: on success the delivery is done and the endpoint no longer failing; on failure it is
    /// due again after the retry wait, or failed for good when there is none, and an endpoint that has failed for
    /// at least <paramref name="disableAfter"/> when a delivery gives up is disabled.
    /// </summary>
    public async Task RecordAsync(AttemptOutcome outcome, TimeSpan disableAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var delivery = outcome.Delivery;
        var attempt = delivery.Attempts + 1;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var retryAfter = outcome.Succeeded ? null : outcome.RetryAfter;
        batch.BatchCommands.Add(BatchCommand(
            """
            UPDATE webhook_deliveries
            SET attempts = $2, leased_until = NULL,
                status = CASE WHEN $3 THEN 'succeeded' WHEN $4::interval IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = CASE WHEN $3 OR $4::interval IS NULL THEN NULL ELSE now() + $4::interval END
            WHERE delivery_id = $1
            """,
            delivery.DeliveryId, attempt, outcome.Succeeded, (object?)retryAfter ?? DBNull.Value));
        batch.BatchCommands.Add(BatchCommand(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms, next_retry_at)
            VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::interval IS NULL THEN NULL ELSE now() + $7::interval END)
            ON CONFLICT (delivery_id, attempt) DO NOTHING
            """,
            delivery.DeliveryId,
            attempt,
            outcome.AttemptedAt.ToUniversalTime(),
            (object?)outcome.StatusCode ?? DBNull.Value,
            (object?)outcome.Error ?? DBNull.Value,
            (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds),
            (object?)retryAfter ?? DBNull.Value));
        if (outcome.Succeeded)
        {
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE webhook_endpoints SET failing_since = NULL WHERE endpoint_id = $1 AND failing_since IS NOT NULL", delivery.EndpointId));
        }
        else
        {
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) WHERE endpoint_id = $1", delivery.EndpointId));
            if (retryAfter is null)
            {
                batch.BatchCommands.Add(BatchCommand(
                    "UPDATE webhook_endpoints SET status = 'disabled', disabled_at = now() WHERE endpoint_id = $1 AND status = 'enabled' AND failing_since <= now() - $2",
                    delivery.EndpointId,
                    disableAfter));
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
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
        NullableTime(reader, 7));
}
