using System.Collections.Concurrent;
using HdrHistogram;

namespace CreditLedger.LoadTests;

/// <summary>
/// Latencies in microseconds, measured from each request's scheduled send time (so a stall shows in the
/// percentiles instead of slowing the generator down), plus per-second series and errors by status.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long MaxMicroseconds = 60_000_000;
    private readonly object _gate = new();
    private readonly LongHistogram _all = new(MaxMicroseconds, 3);
    private readonly Dictionary<long, LongHistogram> _perSecond = [];

    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Completed { get; private set; }

    public void Record(long second, long microseconds, string? error)
    {
        var value = Math.Clamp(microseconds, 1, MaxMicroseconds);
        lock (_gate)
        {
            _all.RecordValue(value);
            if (!_perSecond.TryGetValue(second, out var histogram))
            {
                _perSecond[second] = histogram = new LongHistogram(MaxMicroseconds, 2);
            }

            histogram.RecordValue(value);
            Completed++;
        }

        if (error is not null)
        {
            Errors.AddOrUpdate(error, 1, (_, n) => n + 1);
        }
    }

    public double Percentile(double percentile)
    {
        lock (_gate)
        {
            return _all.TotalCount == 0 ? 0 : _all.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public double MaxMs()
    {
        lock (_gate)
        {
            return _all.TotalCount == 0 ? 0 : _all.GetMaxValue() / 1000.0;
        }
    }

    public IReadOnlyList<(long Second, double P50Ms, double P99Ms, long Count)> Series()
    {
        lock (_gate)
        {
            return _perSecond.OrderBy(p => p.Key)
                .Select(p => (p.Key, p.Value.GetValueAtPercentile(50) / 1000.0, p.Value.GetValueAtPercentile(99) / 1000.0, p.Value.TotalCount))
                .ToList();
        }
    }
}
