using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using Microsoft.Extensions.Logging;
using static CreditLedger.Grains.CommandPlanner;

namespace CreditLedger.Grains.Customers;

/// <summary>
/// Making planned commands durable: what each appends (entries, invoice change, the answer remembered under the
/// caller's idempotency key), and what each append's outcome means for the answer.
/// </summary>
internal sealed partial class CustomerCommands
{
    /// <summary>
    /// Makes a planned command durable and answers it: appends its entries, invoice change and the answer to
    /// remember under the caller's idempotency key in one transaction, then folds the entries into memory. A key
    /// used before answers with what it answered then (or a conflict, for a different request). Invalid requests
    /// are answered without writing or remembering anything.
    /// </summary>
    private async Task<TResult> RunAsync<TResult>(Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult> =>
        (await RunWithOutcomeAsync(planned, context, json)).Result;

    private async Task<(TResult Result, AppendOutcome Outcome)> RunWithOutcomeAsync<TResult>(
        Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult>
    {
        var (decision, operation, fingerprint, answer) = planned;
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
                    await _activation.AfterChangeAsync(_credits, unregisterWhenIdle: false);
                }

                return (answer, outcome);

            case AppendOutcome.IdempotencyKeyExists:
                var stored = await ReadAsync(() => _queries.FindIdempotencyRecordAsync(_customerId, operation, record!.Key))
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
    /// Plans a command into a group commit (see <see cref="Pipeline.CommandPipeline"/>): its append (null when it
    /// writes nothing) and its answer; its changes go into memory now, so that the next member is planned on top of them.
    /// </summary>
    private (LedgerAppend? Append, TResult Answer) Speculate<TResult>(Planned<TResult> planned, CommandContext context, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult>
    {
        var (decision, operation, fingerprint, answer) = planned;
        var append = Prepare(decision, context, operation, fingerprint, answer, json);
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            _credits.Commit(decision);
        }

        return (append, answer);
    }

    /// <summary>
    /// What <paramref name="decision"/> appends: its entries (which carry their events), invoice and schedule change when it
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
            record,
            changes ? decision.ScheduleWrite : ScheduleWrite.None,
            decision.Schedule,
            changes ? decision.EndedTopUp : null,
            decision.VersionAfter);
    }

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
        }
    }

    private async Task<AppendOutcome> AppendAsync(LedgerAppend append)
    {
        AppendOutcome outcome;
        try
        {
            outcome = await _writer.AppendAsync(append);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The commit may or may not have happened: only the ledger knows. Drop memory and let the retry find out.
            LogWriteFailed(_logger, e, _customerId.Value, append.Entries.Count);
            _activation.Deactivate();
            throw Unavailable("The ledger write failed or its outcome is unknown", e);
        }

        if (outcome == AppendOutcome.VersionConflict)
        {
            LogConcurrentWriter(_logger, _customerId.Value, _credits.Version);
            _activation.Deactivate();
            throw Unavailable("Another writer changed this customer's ledger", null);
        }

        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger write for customer {CustomerId} ({EntryCount} entries) failed or has an unknown outcome; deactivating")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string customerId, int entryCount);
}
