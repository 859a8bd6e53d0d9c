using System.Data.Common;
using System.Diagnostics.Metrics;
using CreditLedger.Storage.Reports;

namespace CreditLedger.Storage.Telemetry;

/// <summary>
/// Observable gauges of the work the engine has yet to do, read from PostgreSQL: outbox events not yet fanned out to
/// webhook deliveries (<c>creditledger.outbox.depth</c>, <c>creditledger.outbox.oldest_age</c>), deliveries waiting
/// for an attempt (<c>creditledger.webhook.pending</c>) and how far the reports trail the ledger
/// (<c>creditledger.report.lag</c>). They describe the whole cluster, so every process reports the same values.
/// A collection reads the database at most once per <see cref="RefreshInterval"/> (two indexed queries) and
/// reports nothing when the database cannot be read within <see cref="QueryTimeout"/>.
/// </summary>
public sealed class BacklogGauges
{
    /// <summary>How long one reading is reused: scrapes closer together cost no query.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a collection waits for the database before it reports nothing.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly LedgerDatabase _database;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Reading? _last;

    public BacklogGauges(EngineMetrics metrics, LedgerDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _database = database;
        _time = time;
        metrics.Meter.CreateObservableGauge(
            "creditledger.outbox.depth", () => Measure(r => r.OutboxDepth), "{event}", "Ledger events in the outbox not yet fanned out to webhook deliveries.");
        metrics.Meter.CreateObservableGauge(
            "creditledger.outbox.oldest_age", () => Measure(r => r.OutboxOldestAgeSeconds), "s", "Age of the oldest outbox event not yet fanned out (0 when there is none).");
        metrics.Meter.CreateObservableGauge(
            "creditledger.webhook.pending", () => Measure(r => r.PendingDeliveries), "{delivery}", "Webhook deliveries waiting for their first attempt or a retry.");
        metrics.Meter.CreateObservableGauge(
            "creditledger.report.lag", () => Measure(r => r.ReportLagSeconds), "s", "Age of the oldest ledger entry not yet folded into the reports (0 when they are current).");
    }

    private IEnumerable<Measurement<double>> Measure(Func<Reading, double> value) =>
        Read() is { } reading ? [new Measurement<double>(value(reading))] : [];

    private Reading? Read()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_last is { } last && now - last.ReadAt < RefreshInterval)
            {
                return last;
            }

            try
            {
                // Collection callbacks are synchronous; the wait is bounded, and one reading serves all four gauges.
                _last = ReadAsync(now).WaitAsync(QueryTimeout).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                // The database is away or not started yet: report nothing rather than a stale or made-up value.
                _last = null;
            }

            return _last;
        }
    }

    private async Task<Reading> ReadAsync(DateTimeOffset now)
    {
        var dataSource = _database.DataSource;
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL),
                   (SELECT min(created_at) FROM outbox WHERE dispatched_at IS NULL),
                   (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')
            """);
        long depth;
        DateTimeOffset? oldest;
        long pending;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            depth = reader.GetInt64(0);
            oldest = reader.IsDBNull(1) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
            pending = reader.GetInt64(2);
        }

        var oldestReport = await new ReportStore(dataSource).OldestPendingAsync();
        return new Reading(
            now,
            depth,
            SecondsSince(oldest, now),
            pending,
            SecondsSince(oldestReport, now));
    }

    private static double SecondsSince(DateTimeOffset? instant, DateTimeOffset now) =>
        instant is { } at && at < now ? (now - at).TotalSeconds : 0;

    private sealed record Reading(DateTimeOffset ReadAt, double OutboxDepth, double OutboxOldestAgeSeconds, double PendingDeliveries, double ReportLagSeconds);
}
