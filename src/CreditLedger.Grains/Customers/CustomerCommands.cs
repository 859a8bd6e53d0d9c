using System.Data.Common;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Grains.Pipeline;
using CreditLedger.Storage.Ledger;
using Microsoft.Extensions.Logging;
using static CreditLedger.Grains.CommandPlanner;

namespace CreditLedger.Grains.Customers;

/// <summary>
/// One customer's commands and reads over its credits held in memory, with no dependency on the actor runtime: it
/// loads the state (snapshot + credit schedules + later entries + unpaid invoices + alert thresholds + top-up
/// rules and outstanding requests), asks the domain to plan each
/// command, makes the planned entries durable through its <see cref="CommandPipeline"/>, and only then answers.
/// The activation hosting it (<see cref="ICustomerActivation"/>) keeps snapshots and the expiry reminder. When a
/// write fails, its outcome is unknown, or another writer changed the ledger first, memory is discarded, the
/// activation goes away and the caller gets a <see cref="LedgerUnavailableException"/>; the retry (same invoice id
/// or idempotency key) is safe. Not thread-safe: one call at a time (a grain's turns).
/// </summary>
internal sealed partial class CustomerCommands : ICommandPipelineHost
{
    private readonly CustomerId _customerId;
    private readonly ILedgerWriter _writer;
    private readonly LedgerQueries _queries;
    private readonly TimeProvider _time;
    private readonly IGrantIdGenerator _grantIds;
    private readonly ICustomerActivation _activation;
    private readonly ILogger _logger;
    private readonly CommandPipeline _pipeline;
    private CustomerCredits _credits = new();
    private CustomerRecord? _customer;
    private long _loadedSnapshotVersion;
    private long _entriesReplayed;
    private bool _stale;

    public CustomerCommands(
        CustomerId customerId,
        ILedgerWriter writer,
        LedgerQueries queries,
        TimeProvider time,
        IGrantIdGenerator grantIds,
        int maxGroupSize,
        ICustomerActivation activation,
        ILogger logger)
    {
        _customerId = customerId;
        _writer = writer;
        _queries = queries;
        _time = time;
        _grantIds = grantIds;
        _activation = activation;
        _logger = logger;
        _pipeline = new CommandPipeline(writer, this, maxGroupSize);
    }

    // A command can be planned into a group without reading the ledger first: the customer is known and memory is sound.
    private bool CanJoinGroup => _customer is not null && !_stale;

    /// <summary>Loads the customer's state from its saved snapshot and the ledger.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _customer = await _queries.FindCustomerAsync(_customerId, cancellationToken);
        var latest = await _queries.ReadVersionAsync(_customerId, cancellationToken);
        var saved = _activation.SavedSnapshot;
        var trusted = saved.Version > 0 && saved.Version <= latest && saved.Format == 1;
        if (saved.Version > latest)
        {
            LogSnapshotAhead(_logger, _customerId.Value, saved.Version, latest);
        }

        var credits = trusted ? saved.Restore() : new CustomerCredits();
        _loadedSnapshotVersion = credits.Version;

        // Schedules first: the entries replayed after the snapshot may be their periods' grants.
        foreach (var schedule in await _queries.ReadSchedulesAsync(_customerId, cancellationToken))
        {
            credits.TrackSchedule(schedule);
        }

        long replayed = 0;
        await foreach (var entry in _queries.ReadEntriesAsync(_customerId, credits.Version, cancellationToken))
        {
            credits.Replay(entry);
            replayed++;
        }

        foreach (var invoice in await _queries.ReadPendingInvoicesAsync(_customerId, cancellationToken))
        {
            credits.TrackPendingInvoice(invoice);
        }

        foreach (var (creditType, threshold) in await _queries.ReadCreditAlertsAsync(_customerId, cancellationToken))
        {
            credits.SetLowBalanceThreshold(CreditType.Parse(creditType), threshold);
        }

        foreach (var (creditType, rule) in await _queries.ReadTopUpRulesAsync(_customerId, cancellationToken))
        {
            credits.SetTopUpRule(CreditType.Parse(creditType), rule);
        }

        foreach (var request in await _queries.ReadOutstandingTopUpsAsync(_customerId, cancellationToken))
        {
            credits.TrackOutstandingTopUp(request);
        }

        _credits = credits;
        _entriesReplayed = replayed;
    }

    /// <summary>Loads the state as an activation starts, then lets the activation keep its snapshot and reminder.</summary>
    public async Task ActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Unavailable("The ledger could not be read", e);
        }

        await _activation.AfterChangeAsync(_credits, unregisterWhenIdle: false);
    }

    /// <summary>
    /// Queues a command for the customer's turn. <paramref name="alone"/> runs it by itself; <paramref name="plan"/>,
    /// when given, plans it into a group commit (returning null when it cannot join one).
    /// </summary>
    private Task<T> InTurnAsync<T>(Func<Task<T>> alone, Func<(LedgerAppend? Append, T Answer)?>? plan = null) =>
        _pipeline.EnqueueAsync(
            async () =>
            {
                await CatchUpAsync();
                return await alone();
            },
            plan is null ? null : () => HasLongBacklog ? null : plan());

    // The most entries one step of writing what is due holds (an instant's entries are never split).
    private const int CatchUpEntriesPerWrite = 2_000;

    // How long ago something must have fallen due for a command to look for a backlog too long for one step.
    private static readonly TimeSpan LongBacklog = TimeSpan.FromHours(1);

    // Something fell due long ago: the customer may have a long backlog of expiries and schedule periods.
    private bool HasLongBacklog => _credits.HasDueBefore(Now() - LongBacklog);

    /// <summary>
    /// Before a command on a customer nobody touched for a long time (the engine was down, say): a backlog of expiries
    /// and schedule periods too long for one step is written in steps, as the reminder writes it. What is left goes
    /// into the command's own decision, as always.
    /// </summary>
    private async Task CatchUpAsync()
    {
        if (!_stale && _customer is not null && HasLongBacklog)
        {
            await RecordDueInStepsAsync(leaveRemainder: true);
        }
    }

    /// <summary>
    /// Writes what is due (expiries, schedule periods) in steps of at most <see cref="CatchUpEntriesPerWrite"/> entries
    /// (an instant's entries are never split), each committed before the next is planned, so that no transaction grows
    /// with the length of a backlog and ended grants leave memory as it goes. With <paramref name="leaveRemainder"/>, a
    /// last step that is not full is not written: the command about to be planned records it. Answers whether anything
    /// was written.
    /// </summary>
    private async Task<bool> RecordDueInStepsAsync(bool leaveRemainder)
    {
        var recorded = false;
        while (!_stale)
        {
            var step = _credits.PlanExpiries(Provenance.Reminder, Now(), CatchUpEntriesPerWrite);
            var full = step.Entries.Count >= CatchUpEntriesPerWrite;
            if (!step.HasWrites || (leaveRemainder && !full))
            {
                break;
            }

            await AppendChangeAsync(step);
            LogDueRecorded(_logger, _customerId.Value, step.Entries.Count);
            recorded = true;
            if (!full)
            {
                break;
            }
        }

        return recorded;
    }

    private async Task<bool> CustomerExistsAsync()
    {
        await _pipeline.SettledAsync();
        if (_stale)
        {
            // A failed group left memory that is not the ledger's; the activation is going away.
            throw Unavailable("The customer is reloading", null);
        }

        // A customer created after this activation loaded is found on its first command.
        _customer ??= await ReadAsync(() => _queries.FindCustomerAsync(_customerId));
        return _customer is not null;
    }

    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Unavailable("The ledger could not be read", e);
        }
    }

    // The ledger's clock, to the microsecond as PostgreSQL keeps instants.
    private DateTimeOffset Now() => Microseconds(_time.GetUtcNow());

    private CommandError CustomerNotFound() => new($"Customer {_customerId.Value} does not exist; create it first.");

    private LedgerUnavailableException Unavailable(string what, Exception? cause) =>
        new($"{what} for customer {_customerId.Value}; retry with the same invoice id or idempotency key." +
            (cause is null ? string.Empty : $" ({cause.GetType().Name}: {cause.Message})"));

    // PostgreSQL could not be reached or answered in time: the caller may retry.
    private static bool IsStorageFailure(Exception exception) => exception is DbException or TimeoutException or IOException;

    void ICommandPipelineHost.Discard()
    {
        _stale = true;
        _activation.Deactivate();
    }

    Task ICommandPipelineHost.ReloadAsync() => LoadAsync(CancellationToken.None);

    Task ICommandPipelineHost.AfterChangeAsync() => _activation.AfterChangeAsync(_credits, unregisterWhenIdle: false);

    bool ICommandPipelineHost.IsStorageFailure(Exception exception) => IsStorageFailure(exception);

    Exception ICommandPipelineHost.Unavailable(string what, Exception? cause) => Unavailable(what, cause);

    void ICommandPipelineHost.GroupFailed(Exception exception, int commands) => LogGroupFailed(_logger, exception, _customerId.Value, commands);

    void ICommandPipelineHost.ConcurrentWriter() => LogConcurrentWriter(_logger, _customerId.Value, _credits.Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {EntryCount} due entries (expiries, schedule periods) for customer {CustomerId}")]
    private static partial void LogDueRecorded(ILogger logger, string customerId, int entryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} at version {SnapshotVersion} is ahead of the ledger (version {LedgerVersion}); replaying the ledger instead")]
    private static partial void LogSnapshotAhead(ILogger logger, string customerId, long snapshotVersion, long ledgerVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} commands for customer {CustomerId} was not written or has an unknown outcome; deactivating")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, string customerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer {CustomerId} at version {Version} lost a write to another writer; deactivating to reload")]
    private static partial void LogConcurrentWriter(ILogger logger, string customerId, long version);
}
