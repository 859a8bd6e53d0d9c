using System.Collections.Concurrent;
using System.Diagnostics;

namespace CreditLedger.LoadTests;

/// <summary>
/// One open-loop run of a scenario: request i is due at start + i / rate, and is sent then whatever earlier
/// requests are doing; its latency is measured from that due time, across its retries when retries are on. Applies
/// that answered 200 are kept for the ledger check.
/// </summary>
internal sealed class OpenLoopRun(LoadOptions options, EngineClient engine, IReadOnlyList<string> customers, string runId)
{
    private readonly ConcurrentQueue<(string Customer, string GrantId)> _voidable = new();
    private long _retries;

    public LatencyRecorder Latencies { get; } = new();

    public ConcurrentBag<(string Customer, string Invoice, decimal Applied)> AppliedOk { get; } = [];

    public ConcurrentBag<double> ReportLags { get; } = [];

    public long Sent { get; private set; }

    /// <summary>Every attempt of every request, retries included, in the order they ended.</summary>
    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>Attempts that were repeats of a failed one.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// How long the generator's own garbage collections stopped it during the measured run. Every request in flight
    /// or due in such a pause counts it as latency: this is the measurement's own share of the tail.
    /// </summary>
    public TimeSpan GeneratorPause { get; private set; }

    /// <summary>The generator's full (gen2) collections during the measured run.</summary>
    public int GeneratorGen2Collections { get; private set; }

    private TimeSpan _pauseBefore;
    private int _gen2Before;

    /// <summary>When the measured run began (<see cref="Stopwatch.GetTimestamp"/>), or 0 before it.</summary>
    public long MeasuredFromTimestamp { get; private set; }

    /// <summary>Runs for <paramref name="duration"/> at <paramref name="rate"/>; recording only when <paramref name="measure"/>.</summary>
    public async Task RunAsync(double rate, TimeSpan duration, bool measure, Action<double>? progress, CancellationToken cancellationToken)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        if (measure)
        {
            MeasuredFromTimestamp = Stopwatch.GetTimestamp();
            _pauseBefore = GC.GetTotalPauseDuration();
            _gen2Before = GC.CollectionCount(2);
        }

        // Requests in flight are counted, not kept: a task per request held to the end would be promoted through the
        // generations and make the generator's own GC pauses, which show in the latencies it measures, longer.
        var inFlight = new InFlight();
        using var lagSampler = new CancellationTokenSource();
        // The report is read during the warm-up too (its samples dropped), so that the measured run does not pay for
        // the engine's first reads of it.
        var sampling = SampleReportLagAsync(measure, lagSampler.Token);
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Track(SendAsync(i, clock, due, measure, cancellationToken));
            if (i % 1000 == 0)
            {
                progress?.Invoke((double)i / total);
            }
        }

        Sent += total;
        await inFlight.DrainAsync();
        Elapsed = clock.Elapsed;
        if (measure)
        {
            GeneratorPause = GC.GetTotalPauseDuration() - _pauseBefore;
            GeneratorGen2Collections = GC.CollectionCount(2) - _gen2Before;
        }

        await lagSampler.CancelAsync();
        await sampling;
        progress?.Invoke(1);
    }

    private async Task SendAsync(long i, Stopwatch clock, TimeSpan due, bool measure, CancellationToken cancellationToken)
    {
        // Every attempt of a request carries the same invoice id or idempotency key (OperationAsync derives them
        // from i), so a retry of a command whose first attempt committed is answered from the ledger, never doubled.
        var firstAttempt = Stopwatch.GetTimestamp();
        var backoff = TimeSpan.FromMilliseconds(100);
        string? error;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                error = await OperationAsync(i, measure, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                error = e.HttpRequestError.ToString();
            }
            catch (IOException)
            {
                error = "io";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "timeout";
            }

            Attempts.Enqueue(new Attempt(started, Stopwatch.GetTimestamp(), error));
            if (error is null || !IsRetryable(error) || Stopwatch.GetElapsedTime(firstAttempt) + backoff > options.RetryFor)
            {
                break;
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }

        if (measure)
        {
            var latency = clock.Elapsed - due;
            Latencies.Record((long)due.TotalSeconds, (long)(latency.TotalMilliseconds * 1000), error);
        }
    }

    /// <summary>Server errors, 408 and 429, and every failure without an answer (connection refused or reset, timeout).</summary>
    private static bool IsRetryable(string error) =>
        !error.StartsWith("HTTP ", StringComparison.Ordinal) || error.StartsWith("HTTP 5", StringComparison.Ordinal) || error is "HTTP 408" or "HTTP 429";

    private async Task<string?> OperationAsync(long i, bool measure, CancellationToken cancellationToken)
    {
        var customer = options.Scenario == "hot" ? customers[0] : customers[(int)(i % customers.Count)];
        var slot = i % 20;
        if (options.Scenario == "mixed" && slot >= 16)
        {
            if (slot < 19)
            {
                return Error(await engine.BalancesAsync(customer, cancellationToken), 200);
            }

            if ((i / 20) % 2 == 1 && _voidable.TryDequeue(out var voidable))
            {
                return Error(await engine.VoidGrantAsync(voidable.Customer, voidable.GrantId, cancellationToken), 200);
            }

            var (status, grantId) = await engine.GrantAsync(customer, $"{runId}-{(measure ? "m" : "w")}g{i}", cancellationToken);
            if (grantId is not null)
            {
                _voidable.Enqueue((customer, grantId));
            }

            return Error(status, 201);
        }

        var invoice = $"{runId}-{(measure ? "m" : "w")}{i}";
        var (applyStatus, applied) = await engine.ApplyAsync(customer, invoice, cancellationToken);
        if (applied is { } amount)
        {
            AppliedOk.Add((customer, invoice, amount));
            if (options.Scenario == "hot")
            {
                // One customer would otherwise pile up unpaid invoices up to its limit: pay each at once (not measured).
                _ = engine.PayAsync(customer, invoice, CancellationToken.None);
            }
        }

        return Error(applyStatus, 200);
    }

    private async Task SampleReportLagAsync(bool measure, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await engine.ReportLagAsync(customers[0], cancellationToken) is { } lag && measure)
                {
                    ReportLags.Add(lag);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    private static string? Error(int status, int expected) => status == expected ? null : $"HTTP {status}";

    /// <summary>One attempt: when it started and ended (<see cref="Stopwatch.GetTimestamp"/>) and its error, null on success.</summary>
    internal readonly record struct Attempt(long StartedTimestamp, long EndedTimestamp, string? Error);

    /// <summary>
    /// Counts the requests in flight; <see cref="DrainAsync"/> completes when the last one has ended, faulted or
    /// cancelled like the first request that was, as <see cref="Task.WhenAll(Task[])"/> would.
    /// </summary>
    private sealed class InFlight
    {
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _count = 1;
        private Task? _failed;

        public void Track(Task request)
        {
            Interlocked.Increment(ref _count);
            if (request.IsCompleted)
            {
                Release(request);
            }
            else
            {
                request.ContinueWith(static (ended, state) => ((InFlight)state!).Release(ended), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        public Task DrainAsync()
        {
            Release(Task.CompletedTask);
            return _drained.Task;
        }

        private void Release(Task ended)
        {
            if (ended.IsFaulted || ended.IsCanceled)
            {
                Interlocked.CompareExchange(ref _failed, ended, null);
            }

            if (Interlocked.Decrement(ref _count) != 0)
            {
                return;
            }

            if (_failed?.Exception is { } failure)
            {
                _drained.TrySetException(failure.InnerExceptions);
            }
            else if (_failed is not null)
            {
                _drained.TrySetCanceled();
            }
            else
            {
                _drained.TrySetResult();
            }
        }
    }
}
