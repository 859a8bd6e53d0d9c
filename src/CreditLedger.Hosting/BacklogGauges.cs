using System.Data.Common;
using System.Diagnostics.Metrics;
using CreditLedger.Storage;
using CreditLedger.Storage.Reports;
using CreditLedger.Telemetry;

namespace CreditLedger.Hosting;

/// <summary>
/// Observable gauges of the work the engine has yet to do, read from PostgreSQL: how far each webhook endpoint trails
/// the ledger (<c>creditledger.webhook.lag</c>, tagged with <c>endpoint</c> and <c>status</c>), deliveries waiting
/// for a retry (<c>creditledger.webhook.pending</c>) and how far the reports trail the ledger
/// (<c>creditledger.report.lag</c>). They describe the whole cluster, so every process reports the same values.
/// A collection reads the database at most once per refresh interval (two indexed queries) and reports nothing
/// when the database cannot be read within <see cref="QueryTimeout"/>.
/// </summary>
public sealed class BacklogGauges
{
    /// <summary>How long one reading is reused by default: scrapes closer together cost no query.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a collection waits for the database before it reports nothing.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    private readonly LedgerDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly Lock _gate = new();
    private Reading? _last;

    public BacklogGauges(EngineMetrics metrics, LedgerDatabase database, TimeProvider time, TimeSpan refreshInterval)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        _database = database;
        _time = time;
        _refreshInterval = refreshInterval;
        metrics.Meter.CreateObservableGauge(
            "creditledger.webhook.lag",
            () => Read() is { } reading ? reading.Endpoints.Select(e => new Measurement<double>(e.LagSeconds, Tag("endpoint", e.EndpointId), Tag("status", e.Status))) : [],
            "s",
            "Per webhook endpoint that is not disabled: age of the oldest event it has not received, in the ledger after its checkpoint or in a pending retry (0 when it is current).");
        metrics.Meter.CreateObservableGauge(
            "creditledger.webhook.pending", () => Measure(r => r.PendingDeliveries), "{delivery}", "Webhook deliveries whose first attempt failed, waiting for a retry.");
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
            if (_last is { } last && now - last.ReadAt < _refreshInterval)
            {
                return last;
            }

            try
            {
                // Collection callbacks are synchronous; the wait is bounded, and one reading serves every gauge.
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

        // An endpoint's checkpoint is saved about twice a second, so its lag is exact to that.
        await using var command = dataSource.CreateCommand("""
            SELECT w.endpoint_id, w.status,
                   least(
                       (SELECT min(p.recorded_at) FROM (
                           SELECT e.recorded_at FROM ledger_entries e
                           WHERE (e.tx_id, e.customer_id, e.seq) > (w.checkpoint_tx_id, w.checkpoint_customer_id, w.checkpoint_seq)
                           ORDER BY e.tx_id, e.customer_id, e.seq LIMIT 100) p),
                       (SELECT min(d.created_at) FROM webhook_deliveries d WHERE d.endpoint_id = w.endpoint_id AND d.status = 'pending')),
                   (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.endpoint_id AND d.status = 'pending')
            FROM webhook_endpoints w WHERE w.status <> 'disabled'
            """);
        var endpoints = new List<EndpointLag>();
        long pending = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                DateTimeOffset? oldest = reader.IsDBNull(2) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
                endpoints.Add(new EndpointLag(reader.GetString(0), reader.GetString(1), SecondsSince(oldest, now)));
                pending += reader.GetInt64(3);
            }
        }

        var oldestReport = await new ReportStore(dataSource).OldestPendingAsync();
        return new Reading(now, endpoints, pending, SecondsSince(oldestReport, now));
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private static double SecondsSince(DateTimeOffset? instant, DateTimeOffset now) =>
        instant is { } at && at < now ? (now - at).TotalSeconds : 0;

    private sealed record EndpointLag(string EndpointId, string Status, double LagSeconds);

    private sealed record Reading(DateTimeOffset ReadAt, IReadOnlyList<EndpointLag> Endpoints, double PendingDeliveries, double ReportLagSeconds);
}
