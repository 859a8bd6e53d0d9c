using System.Data.Common;
using CreditLedger.Domain;
using CreditLedger.Grains;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Telemetry;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace CreditLedger.Webhooks;

/// <summary>
/// Delivers one endpoint's events, following the ledger from the endpoint's checkpoint in commit order.
/// <list type="bullet">
/// <item>Healthy: entries are read in batches and their events sent as they come, many in flight (starting with one
/// and doubling after each success up to <see cref="WebhookOptions.MaxInFlight"/>; a failure brings it back to
/// one). The checkpoint is the end of the prefix whose deliveries are all finished, saved every
/// <see cref="WebhookOptions.SaveInterval"/> with the progress: no row per event. A failed first attempt becomes a
/// delivery row, retried on the schedule beside the new events.</item>
/// <item>After <see cref="WebhookOptions.FailingAfterAttempts"/> failed attempts in a row the endpoint is failing: no
/// first attempts, its backlog is the ledger after its checkpoint, and its oldest pending delivery is probed on its
/// retry schedule. A successful probe makes it healthy, its pending deliveries due at once, and it resumes from its
/// checkpoint. One that has been failing for the whole schedule is disabled and the worker ends.</item>
/// </list>
/// A crash loses nothing: the checkpoint only passes events that were delivered or recorded, so a new worker sends
/// again at most what was in flight or delivered since the last save (at least once).
/// </summary>
internal sealed partial class EndpointDelivery : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FailingRecheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetryPoll = TimeSpan.FromSeconds(1);

    private readonly string _endpointId;
    private readonly WebhookStore _store;
    private readonly WebhookSender _sender;
    private readonly WebhookOptions _options;
    private readonly IReadOnlyList<TimeSpan> _schedule;
    private readonly TimeSpan _disableAfter;
    private readonly TimeSpan _retryPoll;
    private readonly TimeProvider _time;
    private readonly EngineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly SemaphoreSlim _finished = new(0);
    private readonly Lock _gate = new();
    private Task _run = Task.CompletedTask;
    private IReadOnlyList<StandardWebhook> _signers = [];
    private WebhookEndpointRecord? _signersOf;

    // Shared between the reading loop, the sends in flight and the retry loop, under _gate.
    private int _inFlight;
    private int _allowedInFlight = 1;
    private int _consecutiveFailures;
    private long _delivered;
    private string? _lastDeliveredEventId;
    private DateTimeOffset? _lastDeliveredAt;

    public EndpointDelivery(
        string endpointId, WebhookStore store, WebhookSender sender, WebhookOptions options, TimeProvider time, EngineMetrics metrics, ILogger logger)
    {
        _endpointId = endpointId;
        _store = store;
        _sender = sender;
        _options = options;
        _schedule = options.ParseRetrySchedule();
        _disableAfter = _schedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);
        // Due retries are looked for at least as often as the schedule's shortest wait, so none starts late by more.
        _retryPoll = _schedule.Count == 0 ? LongestRetryPoll : TimeSpan.FromTicks(Math.Min(LongestRetryPoll.Ticks, _schedule.Min().Ticks));
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Whether the worker has ended (the endpoint was deleted or disabled, or the worker was stopped).</summary>
    public bool Ended => _run.IsCompleted;

    /// <summary>Starts the worker on the thread pool.</summary>
    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>
    /// Stops the worker: no new attempts; those in flight get a few seconds to finish, then are abandoned (they will
    /// be sent again); the checkpoint and progress are saved.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (await Task.WhenAny(_run, Task.Delay(StopGrace, _time)) != _run)
        {
            await _aborting.CancelAsync();
        }

        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _aborting.Dispose();
        _finished.Dispose();
    }

    private async Task RunAsync()
    {
        var stop = _stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var state = await _store.LoadStateAsync(_endpointId, stop);
                if (state is null || state.Endpoint.Status == EndpointStatus.Disabled)
                {
                    return;
                }

                if (state.Endpoint.Status == EndpointStatus.Failing)
                {
                    await ProbeAsync(state, stop);
                }
                else
                {
                    await DeliverAsync(state, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                LogWorkerFailed(_logger, _endpointId, e);
                await Task.Delay(ErrorPause, _time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    // Healthy: first attempts from the checkpoint on, retries beside them; returns when the endpoint is failing.
    private async Task DeliverAsync(EndpointState state, CancellationToken stop)
    {
        lock (_gate)
        {
            _consecutiveFailures = state.ConsecutiveFailures;
            _allowedInFlight = 1;
        }

        using var retryStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var retries = Task.Run(() => RetryDueAsync(state, retryStop.Token), CancellationToken.None);
        var window = new Queue<(FeedPosition Position, Task Done)>();
        var checkpoint = state.Checkpoint;
        var read = state.Checkpoint;
        var lastSave = _time.GetUtcNow();
        try
        {
            while (!stop.IsCancellationRequested && !IsFailing)
            {
                var batch = await _store.ReadFeedAsync(read, _options.BatchSize, stop);
                foreach (var feed in batch)
                {
                    var events = Subscribed(state, feed);
                    if (events.Count > 0)
                    {
                        if (IsFailing || stop.IsCancellationRequested)
                        {
                            break;
                        }

                        // All events of an entry are sent together, so that the checkpoint never stops inside an entry.
                        foreach (var creditEvent in events)
                        {
                            await WaitForSlotAsync(stop);
                            window.Enqueue((feed.Position, SendFirstAsync(state, feed, creditEvent)));
                        }
                    }

                    read = feed.Position;
                    checkpoint = Advance(window, checkpoint);
                }

                if (!IsFailing && !stop.IsCancellationRequested && batch.Count > 0)
                {
                    // The entries after the last event of the batch have no event for this endpoint.
                    window.Enqueue((read, Task.CompletedTask));
                }

                checkpoint = Advance(window, checkpoint);
                if (_time.GetUtcNow() - lastSave >= _options.SaveInterval)
                {
                    await SaveAsync(checkpoint, stop);
                    lastSave = _time.GetUtcNow();
                }

                if (batch.Count < _options.BatchSize && !IsFailing)
                {
                    await Task.Delay(_options.PollInterval, _time, stop);
                }
            }
        }
        finally
        {
            await retryStop.CancelAsync();
            await Task.WhenAll(window.Select(w => w.Done).Append(retries)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            checkpoint = Advance(window, checkpoint);
            await SaveAsync(checkpoint, CancellationToken.None);
        }

        if (IsFailing)
        {
            int failures;
            lock (_gate)
            {
                failures = _consecutiveFailures;
            }

            await _store.MarkFailingAsync(_endpointId, failures, stop);
            LogFailing(_logger, _endpointId, failures);
        }
    }

    // Failing: no first attempts; the oldest pending delivery is probed when its retry is due.
    private async Task ProbeAsync(EndpointState state, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await _store.DisableIfFailingSinceAsync(_endpointId, _disableAfter, stop))
            {
                LogDisabled(_logger, _endpointId);
                return;
            }

            var oldest = await _store.PendingDeliveriesAsync(_endpointId, oldestOnly: true, 1, stop);
            var probe = oldest.Count > 0 ? oldest[0] : null;
            if (probe is null)
            {
                // Nothing pending (its deliveries gave up): the next event in the ledger is the probe.
                var (succeeded, checkpoint) = await ProbeNextEventAsync(state, stop);
                state = state with { Checkpoint = checkpoint };
                if (succeeded)
                {
                    break;
                }

                continue;
            }

            var wait = probe.NextAttemptAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < FailingRecheck ? wait : FailingRecheck, _time, stop);
                continue;
            }

            if (await RetryAsync(state, probe, stop))
            {
                break;
            }
        }

        stop.ThrowIfCancellationRequested();
        await _store.MarkHealthyAsync(_endpointId, stop);
        LogRecovered(_logger, _endpointId);
    }

    // Sends the first subscribed event after the checkpoint; a failure becomes its delivery row. Returns whether it
    // succeeded (false too when there was none) and the checkpoint after it.
    private async Task<(bool Succeeded, FeedPosition Checkpoint)> ProbeNextEventAsync(EndpointState state, CancellationToken stop)
    {
        var checkpoint = state.Checkpoint;
        while (true)
        {
            var batch = await _store.ReadFeedAsync(checkpoint, _options.BatchSize, stop);
            if (batch.Count == 0)
            {
                await SaveAsync(checkpoint, stop);
                await Task.Delay(FailingRecheck, _time, stop);
                return (false, checkpoint);
            }

            foreach (var feed in batch)
            {
                checkpoint = feed.Position;
                var events = Subscribed(state, feed);
                if (events.Count == 0)
                {
                    continue;
                }

                var succeeded = true;
                foreach (var creditEvent in events)
                {
                    succeeded &= await SendFirstCoreAsync(state, feed, creditEvent, _aborting.Token);
                }

                await SaveAsync(checkpoint, stop);
                return (succeeded, checkpoint);
            }
        }
    }

    // Retries the endpoint's due deliveries, one at a time, while it is healthy.
    private async Task RetryDueAsync(EndpointState state, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !IsFailing)
        {
            try
            {
                var due = await _store.PendingDeliveriesAsync(_endpointId, oldestOnly: false, _options.MaxInFlight, stop);
                foreach (var delivery in due)
                {
                    if (IsFailing || stop.IsCancellationRequested)
                    {
                        break;
                    }

                    await RetryAsync(state, delivery, stop);
                }

                if (due.Count == 0)
                {
                    await Task.Delay(_retryPoll, _time, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                LogWorkerFailed(_logger, _endpointId, e);
                await Task.Delay(ErrorPause, _time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<bool> RetryAsync(EndpointState state, DueDelivery delivery, CancellationToken stop)
    {
        var outcome = await _sender.SendAsync(state.Endpoint.Url, Signers(state), delivery.EventId, delivery.Payload, _aborting.Token);
        var retryAfter = delivery.Attempts < _schedule.Count ? Jitter(_schedule[delivery.Attempts]) : (TimeSpan?)null;
        await _store.RecordRetryAsync(delivery, outcome, retryAfter, stop);
        Count(outcome, delivery.EventId, retryAfter, firstAttempt: false);
        return outcome.Succeeded;
    }

    private async Task SendFirstAsync(EndpointState state, FeedEntry feed, CreditEvent creditEvent)
    {
        try
        {
            await SendFirstCoreAsync(state, feed, creditEvent, _aborting.Token);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight--;
            }

            _finished.Release();
        }
    }

    // One first attempt. A failure is recorded as a delivery row before the attempt counts as finished, so that the
    // checkpoint never passes an event that was neither delivered nor recorded; if the database is away the
    // recording is retried until the worker is aborted (the event is then sent again by the next worker).
    private async Task<bool> SendFirstCoreAsync(EndpointState state, FeedEntry feed, CreditEvent creditEvent, CancellationToken abort)
    {
        var eventId = CreditEventPayloads.EventId(feed.CustomerId, feed.Entry.Version, creditEvent.Type);
        var payload = CreditEventPayloads.Render(feed.CustomerId, eventId, creditEvent, feed.Terms, feed.RecordedAt);
        var outcome = await _sender.SendAsync(state.Endpoint.Url, Signers(state), eventId, payload, abort);
        var retryAfter = _schedule.Count > 0 ? Jitter(_schedule[0]) : (TimeSpan?)null;
        if (!outcome.Succeeded)
        {
            while (true)
            {
                try
                {
                    await _store.RecordFirstFailureAsync(_endpointId, eventId, creditEvent.Type, payload, outcome, retryAfter, abort);
                    break;
                }
                catch (Exception e) when (e is DbException or TimeoutException)
                {
                    LogWorkerFailed(_logger, _endpointId, e);
                    await Task.Delay(ErrorPause, _time, abort);
                }
            }
        }

        Count(outcome, eventId, retryAfter, firstAttempt: true);
        return outcome.Succeeded;
    }

    // Every attempt counts toward the failures in a row; only first attempts open or shut the window of first
    // attempts in flight, so that after a recovery the oldest waiting event is sent alone, however the retries beside
    // it fare.
    private void Count(AttemptOutcome outcome, string eventId, TimeSpan? retryAfter, bool firstAttempt)
    {
        lock (_gate)
        {
            if (outcome.Succeeded)
            {
                _consecutiveFailures = 0;
                _allowedInFlight = firstAttempt ? Math.Min(_options.MaxInFlight, _allowedInFlight * 2) : _allowedInFlight;
                _delivered++;
                _lastDeliveredEventId = eventId;
                _lastDeliveredAt = outcome.AttemptedAt + outcome.Duration;
            }
            else
            {
                _consecutiveFailures++;
                _allowedInFlight = firstAttempt ? 1 : _allowedInFlight;
            }
        }

        _metrics.WebhookAttempted(outcome.Succeeded ? "succeeded" : retryAfter is null ? "failed" : "retrying");
    }

    private bool IsFailing
    {
        get
        {
            lock (_gate)
            {
                return _consecutiveFailures >= _options.FailingAfterAttempts;
            }
        }
    }

    private async Task WaitForSlotAsync(CancellationToken stop)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_inFlight < _allowedInFlight)
                {
                    _inFlight++;
                    return;
                }
            }

            await _finished.WaitAsync(stop);
        }
    }

    private async Task SaveAsync(FeedPosition checkpoint, CancellationToken cancellationToken)
    {
        EndpointProgress progress;
        lock (_gate)
        {
            progress = new EndpointProgress(checkpoint, _delivered, _lastDeliveredEventId, _lastDeliveredAt, _consecutiveFailures);
            _delivered = 0;
            _lastDeliveredEventId = null;
            _lastDeliveredAt = null;
        }

        try
        {
            await _store.SaveProgressAsync(_endpointId, progress, cancellationToken);
        }
        catch
        {
            // Not saved: counted again at the next save (the checkpoint then moves at least as far).
            lock (_gate)
            {
                _delivered += progress.Delivered;
                _lastDeliveredEventId ??= progress.LastDeliveredEventId;
                _lastDeliveredAt ??= progress.LastDeliveredAt;
            }

            throw;
        }
    }

    private static FeedPosition Advance(Queue<(FeedPosition Position, Task Done)> window, FeedPosition checkpoint)
    {
        while (window.TryPeek(out var head) && head.Done.IsCompletedSuccessfully)
        {
            checkpoint = head.Position;
            window.Dequeue();
        }

        return checkpoint;
    }

    private static List<CreditEvent> Subscribed(EndpointState state, FeedEntry feed)
    {
        if (feed.Entry.Events == EntryEvents.None || (state.DeliverFrom is { } from && feed.RecordedAt < from))
        {
            return [];
        }

        var events = new List<CreditEvent>(3);
        foreach (var creditEvent in feed.Entry.CreditEvents())
        {
            if (state.Endpoint.Events.Count == 0 || state.Endpoint.Events.Contains(creditEvent.Type))
            {
                events.Add(creditEvent);
            }
        }

        return events;
    }

    // The signers of the state the worker runs with, decoded once rather than per delivery. The previous secret
    // stops signing when its day is over, even in a worker that has run since before the rotation.
    private IReadOnlyList<StandardWebhook> Signers(EndpointState state)
    {
        var withPrevious = state.PreviousSecret is not null && state.Endpoint.PreviousSecretExpiresAt > _time.GetUtcNow();
        lock (_gate)
        {
            if (!ReferenceEquals(_signersOf, state.Endpoint) || _signers.Count != (withPrevious ? 2 : 1))
            {
                _signers = withPrevious ? [new StandardWebhook(state.Secret), new StandardWebhook(state.PreviousSecret!)] : [new StandardWebhook(state.Secret)];
                _signersOf = state.Endpoint;
            }

            return _signers;
        }
    }

    // Retries spread over ±10% so that endpoints coming back are not hit by every retry at once.
    private static TimeSpan Jitter(TimeSpan wait) => wait * (0.9 + (Random.Shared.NextDouble() * 0.2));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery for endpoint {EndpointId} failed; resuming from its checkpoint")]
    private static partial void LogWorkerFailed(ILogger logger, string endpointId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} is failing after {Failures} failed attempts in a row; it is probed on the retry schedule")]
    private static partial void LogFailing(ILogger logger, string endpointId, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook endpoint {EndpointId} answered a probe and is healthy again")]
    private static partial void LogRecovered(ILogger logger, string endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} has failed for the whole retry schedule and is disabled")]
    private static partial void LogDisabled(ILogger logger, string endpointId);
}
