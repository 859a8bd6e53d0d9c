extern alias LoadGenerator;

using System.Diagnostics;
using System.Globalization;
using LoadGenerator::CreditLedger.LoadTests;

namespace CreditLedger.Gateway.Tests.Faults;

/// <summary>
/// The load generator's open-loop apply scenario against a <see cref="FaultCluster"/>, with retries on as the API
/// advises (same invoice id, for up to a minute, 10 s per attempt), and the figures a fault test reports: error rate
/// per attempt and per request, and the recovery time after a fault.
/// </summary>
internal sealed class FaultLoad : IDisposable
{
    public const double Rate = 150;
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(16);

    private readonly LoadOptions _options;
    private readonly EngineClient _engine;
    private readonly string _runId = "f" + DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture);

    public FaultLoad(FaultCluster cluster, int customers = 30)
    {
        _options = new LoadOptions
        {
            Url = cluster.BaseAddress,
            Key = FaultCluster.Key,
            Scenario = "apply",
            Rate = Rate,
            Duration = Duration,
            Customers = customers,
            Connections = 256,
            RetryFor = TimeSpan.FromSeconds(60),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        _engine = new EngineClient(_options);
        Customers = [.. Enumerable.Range(0, customers).Select(i => $"{_runId}-c{i}")];
        Run = new OpenLoopRun(_options, _engine, Customers, _runId);
    }

    public IReadOnlyList<string> Customers { get; }

    public OpenLoopRun Run { get; }

    public string RunId => _runId;

    /// <summary>Creates the customers and their grants; a seed that fails is retried as a client would (both calls are idempotent).</summary>
    public async Task SeedAsync()
    {
        await Parallel.ForEachAsync(Customers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, token) =>
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await _engine.SeedCustomerAsync(customer, grants: 1, token);
                    return;
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException && deadline.Elapsed < _options.RetryFor)
                {
                    SeedRetries.Add(e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(250), token);
                }
            }
        });
    }

    /// <summary>Why seeds were retried.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> SeedRetries { get; } = [];

    public Task RunAsync() => Run.RunAsync(Rate, Duration, measure: true, progress: null, CancellationToken.None);

    /// <summary>Attempts that have ended so far.</summary>
    public int AttemptsEnded => Run.Attempts.Count;

    public long Requests => Run.Latencies.Completed;

    /// <summary>Requests whose last attempt failed (after every retry).</summary>
    public long FailedRequests => Run.Latencies.Errors.Values.Sum();

    public int FailedAttempts => Run.Attempts.Count(a => a.Error is not null);

    public string FailedAttemptsByError => string.Join(
        ", ", Run.Attempts.Where(a => a.Error is not null).GroupBy(a => a.Error).Select(g => $"{g.Key}: {g.Count()}"));

    /// <summary>
    /// From the fault until requests succeed again promptly: until the last attempt that failed, or took longer than
    /// <see cref="Slow"/>, ended (zero when none did after the fault).
    /// </summary>
    public TimeSpan RecoveryAfter(long faultTimestamp)
    {
        var lastDisturbed = Run.Attempts
            .Where(a => a.EndedTimestamp >= faultTimestamp && (a.Error is not null || Stopwatch.GetElapsedTime(a.StartedTimestamp, a.EndedTimestamp) > Slow))
            .Select(a => a.EndedTimestamp)
            .DefaultIfEmpty(faultTimestamp)
            .Max();
        return Stopwatch.GetElapsedTime(faultTimestamp, lastDisturbed);
    }

    /// <summary>An attempt slower than this counts as disturbed by the fault (they take milliseconds otherwise).</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per second relative to the fault, by start: <c>second:succeeded/failed</c>.</summary>
    public string Timeline(long faultTimestamp) => string.Join(" ", Run.Attempts
        .GroupBy(a => (int)Math.Floor((a.StartedTimestamp - faultTimestamp) / (double)Stopwatch.Frequency))
        .OrderBy(g => g.Key)
        .Select(g => $"{g.Key}:{g.Count(a => a.Error is null)}/{g.Count(a => a.Error is not null)}"));

    /// <summary>The longest a request took from its scheduled send to its final answer, retries included.</summary>
    public double MaxLatencyMs => Run.Latencies.MaxMs();

    /// <summary>Every apply that answered 200 is in the ledger exactly once, versions are gapless, grants conserve (the load generator's check).</summary>
    public Task<IReadOnlyList<string>> LedgerCheckAsync(string connectionString) =>
        LedgerCheck.RunAsync(connectionString, Customers, Run.AppliedOk.ToList());

    public void Dispose() => _engine.Dispose();
}
