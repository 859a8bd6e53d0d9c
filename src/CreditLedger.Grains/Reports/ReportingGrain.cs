using System.Data.Common;
using System.Diagnostics;
using CreditLedger.Contracts.Reports;
using CreditLedger.Storage.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditLedger.Grains.Reports;

/// <summary>
/// Folds committed ledger entries into the credits report. A timer (which keeps the activation alive) runs one
/// catch-up at a time: batches of entries, each folded with its checkpoint in one transaction by
/// <see cref="ReportStore"/>, until the report has caught up. A crash loses nothing: the next activation
/// starts from the stored checkpoint.
/// </summary>
public sealed partial class ReportingGrain(ReportStore store, IOptions<ReportOptions> options, ILogger<ReportingGrain> logger)
    : Grain, IReportingGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(
            static (grain, cancellation) => grain.TickAsync(cancellation),
            this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = options.Value.Interval, KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task EnsureRunningAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<long> CatchUpAsync()
    {
        // Everything committed before this call lies below the horizon. Entries that a transaction still running holds
        // back fold once it ends, which takes milliseconds in the engine; a transaction left open elsewhere for longer
        // makes the catch-up give up after CatchUpPatience with what it folded.
        var horizon = await store.CommittedHorizonAsync();
        var patience = Stopwatch.StartNew();
        var total = await FoldAsync(int.MaxValue, CancellationToken.None);
        while (!await store.FoldedBelowAsync(horizon) && patience.Elapsed < CatchUpPatience)
        {
            await Task.Delay(CatchUpPoll);
            total += await FoldAsync(int.MaxValue, CancellationToken.None);
        }

        return total;
    }

    private static readonly TimeSpan CatchUpPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CatchUpPoll = TimeSpan.FromMilliseconds(20);

    // Folds batches until caught up, or until maxBatches have been folded.
    private async Task<long> FoldAsync(int maxBatches, CancellationToken cancellationToken)
    {
        long total = 0;
        int folded;
        var batches = 0;
        do
        {
            folded = await store.AggregateNextBatchAsync(options.Value.BatchSize, cancellationToken);
            total += folded;
        }
        while (folded == options.Value.BatchSize && ++batches < maxBatches);

        return total;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FoldAsync(options.Value.MaxBatchesPerTick, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            LogAggregationFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credits report aggregation failed; the next tick retries from the checkpoint")]
    private static partial void LogAggregationFailed(ILogger logger, Exception exception);
}
