using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CreditLedger.Contracts;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using CreditLedger.Storage.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using static CreditLedger.Grains.CommandPlanner;

namespace CreditLedger.Grains;

/// <summary>
/// One customer's credits. A thin adapter: it loads the state (snapshot + later entries + unpaid invoices),
/// asks the domain to plan each command, appends the planned entries durably through <see cref="ILedgerWriter"/>,
/// and only then answers. Commands that change the ledger take turns in one queue (the customer's lock, see
/// Pipeline/CommandPipeline.cs); commands that queue up behind a commit in flight share the next commit. Reads
/// run between turns. When a write fails, its outcome is unknown, or another activation wrote first, the grain
/// drops its memory (deactivates) and the caller gets a <see cref="LedgerUnavailableException"/>; the retry
/// (same invoice id or idempotency key) is safe.
/// </summary>
[Reentrant]
public sealed partial class CustomerCreditGrain(
    [PersistentState(CustomerCreditGrain.StateName, StorageNames.Ledger)] IPersistentState<CustomerCreditsSnapshot> snapshot,
    ILedgerWriter writer,
    LedgerQueries queries,
    [FromKeyedServices(LedgerClock.ServiceKey)] TimeProvider time,
    IGrantIdGenerator grantIds,
    IOptions<CustomerCreditOptions> options,
    EngineMetrics metrics,
    ILogger<CustomerCreditGrain> logger) : Grain, ICustomerCreditGrain, IRemindable
{
    /// <summary>The grain storage state name of customer snapshots.</summary>
    public const string StateName = "customer-credits";

    /// <summary>The name of the reminder due at the customer's next expiry.</summary>
    public const string ExpiryReminderName = "expiry";

    private CustomerId _customerId;
    private CustomerCredits _credits = new();
    private CustomerRecord? _customer;
    private long _loadedSnapshotVersion;
    private long _entriesReplayed;
    private DateTimeOffset? _reminderDueAt;
    private bool _stale;

    private CustomerCreditOptions Options => options.Value;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _customerId = GrainKeys.CustomerOf(this.GetPrimaryKeyString());
        try
        {
            await LoadAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Unavailable("The ledger could not be read", e);
        }

        await AfterChangeAsync();
    }

    /// <inheritdoc />
    public Task<CustomerResult> PutCustomerAsync(CustomerDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return InTurnAsync(() => PutCustomerAloneAsync(details));
    }

    private async Task<CustomerResult> PutCustomerAloneAsync(CustomerDetails details)
    {
        var (customer, created) = await ReadAsync(() => queries.UpsertCustomerAsync(_customerId, details.Name, details.Email, Now()));
        _customer = customer;
        return new CustomerResult(
            created ? CommandStatus.Created : CommandStatus.Ok,
            _credits.Version,
            CustomerViews.Customer(customer),
            Balances(LedgerLimits.DefaultExpiringWithinDays));
    }

    /// <inheritdoc />
    public async Task<CustomerResult> GetCustomerAsync(int expiringWithinDays) =>
        await CustomerExistsAsync()
            ? new CustomerResult(CommandStatus.Ok, _credits.Version, CustomerViews.Customer(_customer!), Balances(expiringWithinDays))
            : new CustomerResult(CommandStatus.CustomerNotFound, _credits.Version, null, null);

    /// <inheritdoc />
    public Task<GrantResult> GrantAsync(GrantCommand command, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        return InTurnAsync(
            async () => await CustomerExistsAsync()
                ? await RunAsync(PlanGrant(_credits, command, context, grantIds, Now()), context, GrainJsonContext.Default.GrantResult)
                : new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound()),
            () => !CanJoinGroup ? null : SpeculateAnswer(PlanGrant(_credits, command, context, grantIds, Now()), context, GrainJsonContext.Default.GrantResult));
    }

    /// <inheritdoc />
    public Task<GrantResult> VoidGrantAsync(string grantId, string reason, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        ArgumentNullException.ThrowIfNull(context);
        return InTurnAsync(() => VoidGrantAloneAsync(grantId, reason, context));
    }

    private async Task<GrantResult> VoidGrantAloneAsync(string grantId, string reason, CommandContext context)
    {
        if (!await CustomerExistsAsync())
        {
            return new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound());
        }

        var decision = _credits.PlanVoidGrant(grantId, reason, ProvenanceOf(context), Now());
        GrantResult answer;
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            var reasons = await ReadAsync(() => queries.ReadGrantReasonsAsync(_customerId, [grantId]));
            var voided = decision.Entries[^1];
            answer = new GrantResult(
                CommandStatus.Ok, decision.VersionAfter, CustomerViews.Grant(decision.Grant!, reasons.GetValueOrDefault(grantId, string.Empty), decision.At), -voided.Amount, null);
        }
        else
        {
            answer = new GrantResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, null, ErrorOf(decision));
        }

        var planned = new Planned<GrantResult>(decision, VoidGrantOperation, RequestFingerprint.Of(VoidGrantOperation, grantId, reason), answer);
        return await RunAsync(planned, context, GrainJsonContext.Default.GrantResult);
    }

    /// <inheritdoc />
    public Task<InvoiceResult> ApplyAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(context);

        return InTurnAsync(
            () => ApplyAloneAsync(invoiceId, lines, context),
            () => !CanJoinGroup ? null : SpeculateAnswer(PlanApply(_credits, invoiceId, lines, context, Now()), context, GrainJsonContext.Default.InvoiceResult));
    }

    private async Task<InvoiceResult> ApplyAloneAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context)
    {
        if (!await CustomerExistsAsync())
        {
            return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var (result, outcome) = await RunWithOutcomeAsync(PlanApply(_credits, invoiceId, lines, context, Now()), context, GrainJsonContext.Default.InvoiceResult);
        if (outcome != AppendOutcome.InvoiceExists)
        {
            return result;
        }

        // The invoice was applied before and is no longer held in memory (paid or voided): answer from storage.
        var stored = await ReadAsync(() => queries.FindInvoiceAsync(_customerId, invoiceId))
            ?? throw Unavailable("The invoice exists but could not be read", null);
        return ApplyAnswer(_credits.PlanApply(invoiceId, ParseLines(lines)!, ProvenanceOf(context), Now(), stored));
    }

    /// <inheritdoc />
    public Task<InvoiceResult> PayInvoiceAsync(string invoiceId, CommandContext context) =>
        CloseInvoiceAsync(invoiceId, context, PayOperation);

    /// <inheritdoc />
    public Task<InvoiceResult> VoidInvoiceAsync(string invoiceId, CommandContext context) =>
        CloseInvoiceAsync(invoiceId, context, VoidInvoiceOperation);

    private Task<InvoiceResult> CloseInvoiceAsync(string invoiceId, CommandContext context, string operation)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(context);
        return InTurnAsync(
            () => CloseInvoiceAloneAsync(invoiceId, context, operation),
            () => !CanJoinGroup || _credits.FindPendingInvoice(invoiceId) is null
                ? null
                : SpeculateAnswer(PlanCloseInvoice(_credits, invoiceId, context, operation, null, Now()), context, GrainJsonContext.Default.InvoiceResult));
    }

    /// <inheritdoc />
    public async Task<InvoiceResult> GetInvoiceAsync(string invoiceId)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        if (!await CustomerExistsAsync())
        {
            return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var invoice = _credits.FindPendingInvoice(invoiceId) ?? await ReadAsync(() => queries.FindInvoiceAsync(_customerId, invoiceId));
        return invoice is null
            ? new InvoiceResult(CommandStatus.InvoiceNotFound, _credits.Version, null, new CommandError($"No credits were applied to invoice {invoiceId}."))
            : new InvoiceResult(CommandStatus.Ok, _credits.Version, CustomerViews.Invoice(invoice), null);
    }

    /// <inheritdoc />
    public async Task<GrantResult> GetGrantAsync(string grantId)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        if (!await CustomerExistsAsync())
        {
            return new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound());
        }

        if (_credits.FindGrant(grantId) is not { } grant)
        {
            return new GrantResult(CommandStatus.GrantNotFound, _credits.Version, null, null, new CommandError($"The customer has no grant {grantId}."));
        }

        var reasons = await ReadAsync(() => queries.ReadGrantReasonsAsync(_customerId, [grantId]));
        var at = _credits.EvaluationInstant(Now());
        return new GrantResult(CommandStatus.Ok, _credits.Version, CustomerViews.Grant(grant, reasons.GetValueOrDefault(grantId, string.Empty), at), null, null);
    }

    /// <inheritdoc />
    public async Task<GrantListResult> ListGrantsAsync(string? status, long? beforeVersion, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LedgerLimits.MaxPageSize);
        if (!await CustomerExistsAsync())
        {
            return new GrantListResult(CommandStatus.CustomerNotFound, _credits.Version, [], null);
        }

        GrantStatus? wanted = null;
        if (status is not null)
        {
            wanted = WireNames.TryParseGrantStatus(status, out var parsed)
                ? parsed
                : throw new ArgumentException($"Unknown grant status {status}.", nameof(status));
        }

        var at = _credits.EvaluationInstant(Now());
        var (page, nextBefore) = _credits.GrantPage(wanted, beforeVersion, limit, at);
        var reasons = await ReadAsync(() => queries.ReadGrantReasonsAsync(_customerId, page.Select(g => g.GrantId).ToList()));
        var views = page.Select(g => CustomerViews.Grant(g, reasons.GetValueOrDefault(g.GrantId, string.Empty), at)).ToList();
        return new GrantListResult(CommandStatus.Ok, _credits.Version, views, nextBefore);
    }

    /// <inheritdoc />
    public async Task<BalancesResult> GetBalancesAsync(int expiringWithinDays) =>
        await CustomerExistsAsync()
            ? Balances(expiringWithinDays)
            : new BalancesResult(CommandStatus.CustomerNotFound, _credits.Version, Now(), expiringWithinDays, []);

    /// <inheritdoc />
    public async Task<HistoryResult> GetHistoryAsync(string? creditType, long? beforeVersion, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LedgerLimits.MaxPageSize);
        if (!await CustomerExistsAsync())
        {
            return new HistoryResult(CommandStatus.CustomerNotFound, _credits.Version, [], null);
        }

        var entries = await ReadAsync(() => queries.ReadHistoryAsync(_customerId, creditType, beforeVersion, limit + 1));
        var hasMore = entries.Count > limit;
        var page = entries.Take(limit).Select(e => CustomerViews.Entry(_customerId, e)).ToList();
        return new HistoryResult(CommandStatus.Ok, _credits.Version, page, hasMore ? page[^1].Version : null);
    }

    /// <inheritdoc />
    public Task<CreditAlertResult> SetCreditAlertAsync(string creditType, decimal threshold) =>
        InTurnAsync(() => SetCreditAlertAloneAsync(creditType, threshold));

    private async Task<CreditAlertResult> SetCreditAlertAloneAsync(string creditType, decimal threshold)
    {
        if (!await CustomerExistsAsync())
        {
            return new CreditAlertResult(CommandStatus.CustomerNotFound, _credits.Version, creditType, null, CustomerNotFound());
        }

        if (!CreditType.TryParse(creditType, out var type, out var typeError))
        {
            return new CreditAlertResult(CommandStatus.InvalidRequest, _credits.Version, creditType, null, new CommandError(typeError, "creditType"));
        }

        if (CustomerCredits.ThresholdError(type, threshold) is { } thresholdError)
        {
            return new CreditAlertResult(CommandStatus.InvalidRequest, _credits.Version, creditType, null, new CommandError(thresholdError, "threshold"));
        }

        await ReadAsync(async () =>
        {
            await queries.UpsertCreditAlertAsync(_customerId, type.Code, threshold, Now());
            return true;
        });
        _credits.SetLowBalanceThreshold(type, threshold);
        return new CreditAlertResult(CommandStatus.Ok, _credits.Version, type.Code, threshold, null);
    }

    /// <inheritdoc />
    public async Task<ActivationInfo> GetActivationInfoAsync()
    {
        await SettledAsync();
        return new ActivationInfo(_loadedSnapshotVersion, _entriesReplayed, _credits.Version, _credits.NextExpiry());
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminderName)
        {
            return Task.CompletedTask;
        }

        metrics.ReminderFired(reminderName);
        return InTurnAsync(RecordExpiriesAsync);
    }

    private async Task<bool> RecordExpiriesAsync()
    {
        var decision = _credits.PlanExpiries(Provenance.Reminder, Now());
        if (decision.HasWrites)
        {
            await AppendChangeAsync(decision);
            LogExpiriesRecorded(logger, _customerId.Value, decision.Entries.Count);
        }

        // Whatever was registered, the reminder now follows the state: due at the next expiry, or gone.
        _reminderDueAt = null;
        await AfterChangeAsync(unregisterWhenIdle: true);
        return decision.HasWrites;
    }

    private async Task<InvoiceResult> CloseInvoiceAloneAsync(string invoiceId, CommandContext context, string operation)
    {
        if (!await CustomerExistsAsync())
        {
            return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var stored = _credits.FindPendingInvoice(invoiceId) is null
            ? await ReadAsync(() => queries.FindInvoiceAsync(_customerId, invoiceId))
            : null;
        return await RunAsync(PlanCloseInvoice(_credits, invoiceId, context, operation, stored, Now()), context, GrainJsonContext.Default.InvoiceResult);
    }

    /// <summary>
    /// Makes a planned command durable and answers it: appends its entries, invoice change and the answer to
    /// remember under the caller's idempotency key in one transaction, then folds the entries into memory. A key used before answers with what it answered then (or a conflict, for a different request).
    /// Invalid requests are answered without writing or remembering anything.
    /// </summary>
    private async Task<TResult> RunAsync<TResult>(Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult> =>
        (await RunWithOutcomeAsync(planned, context, json)).Result;

    private async Task<(TResult Result, AppendOutcome Outcome)> RunWithOutcomeAsync<TResult>(
        Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult>
    {
        var (decision, operation, fingerprint, answer) = planned;
        if (decision is null)
        {
            return (answer, AppendOutcome.Committed);
        }

        var append = Prepare(decision, context, operation, fingerprint, answer, json);
        var changes = decision.Outcome == DecisionOutcome.Changed;
        if (append is null)
        {
            if (changes)
            {
                _credits.Commit(decision);
            }

            return (answer, AppendOutcome.Committed);
        }

        var record = append.Idempotency;
        var outcome = await AppendAsync(append);
        switch (outcome)
        {
            case AppendOutcome.Committed:
                if (changes)
                {
                    _credits.Commit(decision);
                    await AfterChangeAsync();
                }

                return (answer, outcome);

            case AppendOutcome.IdempotencyKeyExists:
                var stored = await ReadAsync(() => queries.FindIdempotencyRecordAsync(_customerId, operation, record!.Key))
                    ?? throw Unavailable("The idempotency record exists but could not be read", null);
                if (!stored.RequestHash.AsSpan().SequenceEqual(fingerprint))
                {
                    var reused = new CommandError($"Idempotency key {record!.Key} was used with a different {operation} request.");
                    return (TResult.KeyReused(_credits.Version, reused), outcome);
                }

                var replayed = JsonSerializer.Deserialize(stored.Response, json)
                    ?? throw new InvalidDataException($"The remembered answer to {operation} key {record!.Key} is empty.");
                return (replayed.AsReplayed(), outcome);

            default:
                return (answer, outcome);
        }
    }

    /// <summary>
    /// What <paramref name="decision"/> appends: its entries (which carry their events) and invoice change when it
    /// changes the state, and the answer to remember under the caller's idempotency key; null when there is nothing
    /// to write (invalid requests are answered without remembering anything).
    /// </summary>
    private LedgerAppend? Prepare<TResult>(
        Decision decision, CommandContext context, string operation, byte[] fingerprint, TResult answer, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult>
    {
        if (decision.Rejection == Rejection.InvalidRequest)
        {
            return null;
        }

        // The invoice id is an apply's idempotency key: a header key goes only into its entries' audit fields.
        IdempotencyRecord? record = null;
        if (context.IdempotencyKey is { } key && operation != ApplyOperation)
        {
            record = new IdempotencyRecord(operation, key, fingerprint, JsonSerializer.Serialize(answer, json), decision.VersionAfter);
        }

        var changes = decision.Outcome == DecisionOutcome.Changed;
        if (!(changes && decision.HasWrites) && record is null)
        {
            return null;
        }

        return new LedgerAppend(
            _customerId,
            changes ? decision.Entries : [],
            changes ? decision.InvoiceWrite : InvoiceWrite.None,
            decision.Invoice,
            record);
    }

    // Plans a command into a group commit (see Pipeline/CommandPipeline.cs).
    private (LedgerAppend? Append, TResult Answer)? SpeculateAnswer<TResult>(Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult> =>
        planned.Decision is null
            ? (null, planned.Answer)
            : Speculate(planned.Decision, context, planned.Operation, planned.Fingerprint, planned.Answer, json);

    // Appends a change that answers nobody (the reminder's expiries), and folds it in once it is durable.
    private async Task AppendChangeAsync(Decision decision)
    {
        if (decision.Outcome != DecisionOutcome.Changed)
        {
            return;
        }

        if (await AppendAsync(new LedgerAppend(_customerId, decision.Entries, decision.InvoiceWrite, decision.Invoice, null)) == AppendOutcome.Committed)
        {
            _credits.Commit(decision);
            await AfterChangeAsync();
        }
    }

    private async Task<AppendOutcome> AppendAsync(LedgerAppend append)
    {
        AppendOutcome outcome;
        try
        {
            outcome = await writer.AppendAsync(append);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The commit may or may not have happened: only the ledger knows. Drop memory and let the retry find out.
            LogWriteFailed(logger, e, _customerId.Value, append.Entries.Count);
            DeactivateOnIdle();
            throw Unavailable("The ledger write failed or its outcome is unknown", e);
        }

        if (outcome == AppendOutcome.VersionConflict)
        {
            LogConcurrentWriter(logger, _customerId.Value, _credits.Version);
            DeactivateOnIdle();
            throw Unavailable("Another writer changed this customer's ledger", null);
        }

        return outcome;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _customer = await queries.FindCustomerAsync(_customerId, cancellationToken);
        var latest = await queries.ReadVersionAsync(_customerId, cancellationToken);
        var saved = snapshot.State;
        var trusted = saved.Version > 0 && saved.Version <= latest && saved.Format == 1;
        if (saved.Version > latest)
        {
            LogSnapshotAhead(logger, _customerId.Value, saved.Version, latest);
        }

        var credits = trusted ? saved.Restore() : new CustomerCredits();
        _loadedSnapshotVersion = credits.Version;
        long replayed = 0;
        await foreach (var entry in queries.ReadEntriesAsync(_customerId, credits.Version, cancellationToken))
        {
            credits.Replay(entry);
            replayed++;
        }

        foreach (var invoice in await queries.ReadPendingInvoicesAsync(_customerId, cancellationToken))
        {
            credits.TrackPendingInvoice(invoice);
        }

        foreach (var (creditType, threshold) in await queries.ReadCreditAlertsAsync(_customerId, cancellationToken))
        {
            credits.SetLowBalanceThreshold(CreditType.Parse(creditType), threshold);
        }

        _credits = credits;
        _entriesReplayed = replayed;
    }

    // After the state changed: snapshot when enough entries accumulated, and keep the expiry reminder due at the
    // next expiry. Both are optimisations: a failure is logged and the command stays answered.
    private async Task AfterChangeAsync(bool unregisterWhenIdle = false)
    {
        if (_credits.Version - snapshot.State.Version >= Options.SnapshotEveryEntries)
        {
            try
            {
                snapshot.State = CustomerCreditsSnapshot.Of(_credits);
                await snapshot.WriteStateAsync();
            }
            catch (Orleans.Storage.InconsistentStateException e)
            {
                // Another activation wrote the snapshot: this one is not the only writer any more.
                LogSnapshotConflict(logger, e, _customerId.Value);
                DeactivateOnIdle();
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                LogSnapshotFailed(logger, e, _customerId.Value);
            }
        }

        var next = _credits.NextExpiry();
        try
        {
            if (next is { } due && due != _reminderDueAt)
            {
                var wait = due - Now();
                await this.RegisterOrUpdateReminder(ExpiryReminderName, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Options.ExpiryReminderRetryPeriod);
                _reminderDueAt = due;
            }
            else if (next is null && (unregisterWhenIdle || _reminderDueAt is not null))
            {
                if (await this.GetReminder(ExpiryReminderName) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                _reminderDueAt = null;
            }
        }
        catch (Exception e) when (e is DbException or TimeoutException or OrleansException)
        {
            LogReminderFailed(logger, e, _customerId.Value);
        }
    }

    // The ledger's clock, to the microsecond as PostgreSQL keeps instants.
    private DateTimeOffset Now() => Microseconds(time.GetUtcNow());

    private BalancesResult Balances(int expiringWithinDays)
    {
        var at = _credits.EvaluationInstant(Now());
        return new BalancesResult(
            CommandStatus.Ok, _credits.Version, at, expiringWithinDays, _credits.BalancesAt(at, expiringWithinDays).Select(CustomerViews.Balance).ToList());
    }

    private async Task<bool> CustomerExistsAsync()
    {
        await SettledAsync();
        if (_stale)
        {
            // A failed batch left memory that is not the ledger's; the activation is going away.
            throw Unavailable("The customer is reloading", null);
        }

        // A customer created after this activation loaded is found on its first command.
        _customer ??= await ReadAsync(() => queries.FindCustomerAsync(_customerId));
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

    // PostgreSQL could not be reached or answered in time: the caller may retry.
    private static bool IsStorageFailure(Exception exception) => exception is DbException or TimeoutException or IOException;

    private LedgerUnavailableException Unavailable(string what, Exception? cause) =>
        new($"{what} for customer {_customerId.Value}; retry with the same invoice id or idempotency key." +
            (cause is null ? string.Empty : $" ({cause.GetType().Name}: {cause.Message})"));

    private CommandError CustomerNotFound() => new($"Customer {_customerId.Value} does not exist; create it first.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger write for customer {CustomerId} ({EntryCount} entries) failed or has an unknown outcome; deactivating")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string customerId, int entryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer {CustomerId} at version {Version} lost a write to another writer; deactivating to reload")]
    private static partial void LogConcurrentWriter(ILogger logger, string customerId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} at version {SnapshotVersion} is ahead of the ledger (version {LedgerVersion}); replaying the ledger instead")]
    private static partial void LogSnapshotAhead(ILogger logger, string customerId, long snapshotVersion, long ledgerVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} was written by another activation; deactivating")]
    private static partial void LogSnapshotConflict(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} could not be written; the next one will try again")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiry reminder of customer {CustomerId} could not be updated; commands still record expiries when due")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry reminder recorded {EntryCount} expiry entries for customer {CustomerId}")]
    private static partial void LogExpiriesRecorded(ILogger logger, string customerId, int entryCount);
}
