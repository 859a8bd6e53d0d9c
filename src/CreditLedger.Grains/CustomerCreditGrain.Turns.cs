using System.Text.Json.Serialization.Metadata;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Grains.Pipeline;
using CreditLedger.Storage.Ledger;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Grains;

/// <summary>
/// The customer's turns: commands that change the ledger go through one <see cref="CommandPipeline"/> (queue, group
/// planning, group commit and its one recovery), which calls back here to discard or reload memory.
/// </summary>
public sealed partial class CustomerCreditGrain
{
    private CommandPipeline? _pipeline;

    private CommandPipeline Pipeline => _pipeline ??= new CommandPipeline(writer, new PipelineHost(this), Options.MaxGroupSize);

    // A command can be planned into a group without reading the ledger first: the customer is known and memory is sound.
    private bool CanJoinGroup => _customer is not null && !_stale;

    /// <summary>
    /// Queues a command for the customer's turn. <paramref name="alone"/> runs it by itself; <paramref name="plan"/>,
    /// when given, plans it into a group commit (returning null when it cannot join one).
    /// </summary>
    private Task<T> InTurnAsync<T>(Func<Task<T>> alone, Func<(LedgerAppend? Append, T Answer)?>? plan = null) =>
        Pipeline.EnqueueAsync(alone, plan);

    // Waits until memory holds no change that is not durable yet.
    private Task SettledAsync() => _pipeline?.SettledAsync() ?? Task.CompletedTask;

    /// <summary>
    /// Plans <paramref name="decision"/> into a group: its append (null when it writes nothing) and its answer; its
    /// changes go into memory now, so that the next member is planned on top of them.
    /// </summary>
    private (LedgerAppend? Append, TResult Answer) Speculate<TResult>(
        Decision decision, CommandContext context, string operation, byte[] fingerprint, TResult answer, JsonTypeInfo<TResult> json)
        where TResult : ICommandResult<TResult>
    {
        var append = Prepare(decision, context, operation, fingerprint, answer, json);
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            _credits.Commit(decision);
        }

        return (append, answer);
    }

    private void LogGroupFailed(Exception exception, int commands) => LogGroupFailed(logger, exception, _customerId.Value, commands);

    private void LogConcurrentWriter() => LogConcurrentWriter(logger, _customerId.Value, _credits.Version);

    private sealed class PipelineHost(CustomerCreditGrain grain) : ICommandPipelineHost
    {
        public void Discard()
        {
            grain._stale = true;
            grain.DeactivateOnIdle();
        }

        public Task ReloadAsync() => grain.LoadAsync(CancellationToken.None);

        public Task AfterChangeAsync() => grain.AfterChangeAsync();

        bool ICommandPipelineHost.IsStorageFailure(Exception exception) => IsStorageFailure(exception);

        public Exception Unavailable(string what, Exception? cause) => grain.Unavailable(what, cause);

        public void GroupFailed(Exception exception, int commands) => grain.LogGroupFailed(exception, commands);

        public void ConcurrentWriter() => grain.LogConcurrentWriter();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} commands for customer {CustomerId} was not written or has an unknown outcome; deactivating")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, string customerId, int count);
}
