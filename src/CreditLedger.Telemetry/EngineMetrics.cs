using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditLedger.Telemetry;

/// <summary>
/// The engine's own metrics, on one meter (<see cref="MeterName"/>) made by the host's <see cref="IMeterFactory"/>.
/// Instruments follow OpenTelemetry naming: durations in seconds, counts with a unit in braces. Recording takes
/// no allocation beyond the instrument's own (tags are passed as <see cref="KeyValuePair{TKey, TValue}"/> structs).
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>The meter's name; exporters subscribe to it.</summary>
    public const string MeterName = "CreditLedger";

    // Default OpenTelemetry buckets (0-10000) suit milliseconds; these suit a ledger that answers in milliseconds,
    // measured in seconds, and batches of 1 to the writer's 256.
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<int> BatchBuckets = new()
    {
        HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256],
    };

    private readonly Histogram<double> _applyDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _remindersFired;
    private readonly Counter<long> _webhookDeliveries;

    public EngineMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _applyDuration = Meter.CreateHistogram(
            "creditledger.apply.duration", "s", "Time to apply credits to an invoice, from the request's arrival at the gateway to the grain's answer.", tags: null, DurationBuckets);
        _batchSize = Meter.CreateHistogram(
            "creditledger.ledger.batch.size", "{append}", "Commands' appends committed together in one ledger transaction (group commit).", tags: null, BatchBuckets);
        _commitDuration = Meter.CreateHistogram(
            "creditledger.ledger.commit.duration", "s", "Time to write and commit one ledger transaction.", tags: null, DurationBuckets);
        _remindersFired = Meter.CreateCounter<long>(
            "creditledger.reminders.fired", "{reminder}", "Expiry reminders received by customer grains.");
        _webhookDeliveries = Meter.CreateCounter<long>(
            "creditledger.webhook.deliveries", "{attempt}", "Webhook delivery attempts by outcome: succeeded, retrying (failed, tried again later) or failed (no retry left).");
    }

    /// <summary>The meter, for instruments registered elsewhere (the observable backlog gauges).</summary>
    public Meter Meter { get; }

    /// <summary>Records one apply; <paramref name="outcome"/> is <c>ok</c>, <c>rejected</c> or <c>error</c>.</summary>
    public void ApplyCompleted(long startTimestamp, string outcome) =>
        _applyDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records one committed (or failed) ledger transaction holding <paramref name="appends"/> commands' appends.</summary>
    public void LedgerCommitted(int appends, long startTimestamp, bool succeeded)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "committed" : "failed");
        _batchSize.Record(appends, outcome);
        _commitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, outcome);
    }

    /// <summary>Counts one reminder received by a grain.</summary>
    public void ReminderFired(string reminderName) =>
        _remindersFired.Add(1, new KeyValuePair<string, object?>("reminder", reminderName));

    /// <summary>Counts one webhook delivery attempt; <paramref name="outcome"/> is <c>succeeded</c>, <c>retrying</c> or <c>failed</c>.</summary>
    public void WebhookAttempted(string outcome) =>
        _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
