using System.Collections.Concurrent;
using System.Diagnostics;
using CreditLedger.Contracts.Customers;
using CreditLedger.Storage.Telemetry;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// Batches the applies that pile up on one customer. The first apply for a customer goes to its grain at once,
/// alone; applies that arrive while a call for that customer is in flight wait and go together in one
/// <see cref="ICustomerCreditGrain.ApplyBatchAsync"/> call, one ledger transaction. A hot customer then pays one
/// commit per batch instead of one per apply; a quiet one sees no delay. A refused batch is retried apply by
/// apply (applies are idempotent by invoice id). Each apply's time, waiting included, is recorded as
/// <c>creditledger.apply.duration</c>.
/// </summary>
public sealed class ApplyCoalescer(EngineMetrics metrics)
{
    /// <summary>The most applies sent in one batch: 200.</summary>
    public const int MaxBatch = 200;

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    /// <summary>Applies credits to one invoice, batched with the customer's other waiting applies.</summary>
    public async Task<InvoiceResult> ApplyAsync(string customerId, ICustomerCreditGrain grain, ApplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await ApplyInLaneAsync(customerId, grain, request);
            metrics.ApplyCompleted(started, result.Status == CommandStatus.Ok ? "ok" : "rejected");
            return result;
        }
        catch
        {
            metrics.ApplyCompleted(started, "error");
            throw;
        }
    }

    private async Task<InvoiceResult> ApplyInLaneAsync(string customerId, ICustomerCreditGrain grain, ApplyRequest request)
    {
        var lane = _lanes.GetOrAdd(customerId, _ => new Lane());
        var waiter = new Waiter(request);
        bool queued;
        lock (lane)
        {
            queued = lane.Busy;
            if (queued)
            {
                lane.Queue.Add(waiter);
            }

            lane.Busy = true;
        }

        if (queued)
        {
            return await waiter.Result.Task;
        }

        try
        {
            return await grain.ApplyAsync(request.InvoiceId, request.Lines, request.Context);
        }
        finally
        {
            // Whoever queued meanwhile goes next, in batches, without holding up this answer.
            if (!ReleaseIfIdle(customerId, lane))
            {
                _ = Task.Run(() => DrainAsync(customerId, lane, grain));
            }
        }
    }

    private async Task DrainAsync(string customerId, Lane lane, ICustomerCreditGrain grain)
    {
        while (true)
        {
            if (ReleaseIfIdle(customerId, lane))
            {
                return;
            }

            List<Waiter> batch;
            lock (lane)
            {
                batch = lane.Queue.Take(MaxBatch).ToList();
                lane.Queue.RemoveRange(0, batch.Count);
            }

            try
            {
                var results = await grain.ApplyBatchAsync(batch.Select(w => w.Request).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (LedgerUnavailableException) when (batch.Count > 1)
            {
                foreach (var waiter in batch)
                {
                    try
                    {
                        waiter.Result.TrySetResult(await grain.ApplyAsync(waiter.Request.InvoiceId, waiter.Request.Lines, waiter.Request.Context));
                    }
                    catch (Exception e)
                    {
                        waiter.Result.TrySetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var waiter in batch)
                {
                    waiter.Result.TrySetException(e);
                }
            }
        }
    }

    // Ends the lane's busy spell when nobody is waiting; only the lane's current caller (or drainer) calls this.
    private bool ReleaseIfIdle(string customerId, Lane lane)
    {
        lock (lane)
        {
            if (lane.Queue.Count > 0)
            {
                return false;
            }

            lane.Busy = false;
            _lanes.TryRemove(new KeyValuePair<string, Lane>(customerId, lane));
            return true;
        }
    }

    private sealed class Lane
    {
        public bool Busy { get; set; }

        public List<Waiter> Queue { get; } = [];
    }

    private sealed record Waiter(ApplyRequest Request)
    {
        public TaskCompletionSource<InvoiceResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
