using System.Data.Common;
using System.Text.Json.Serialization.Metadata;
using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Grains;

/// <summary>
/// The customer's turns: the one batching path of the customer's commands. Commands that change the ledger wait in
/// one queue and are served in arrival order by one loop, so a command sees every earlier command's effect and its
/// own entries follow theirs. The loop plans every waiting command it can (up to
/// <see cref="CustomerCreditOptions.MaxGroupSize"/> appends) one after another on the memory that includes the
/// earlier ones' entries (not yet durable), and appends them together in one ledger write, the group commit; none
/// of them is answered before that write has committed. A lone command is a group of one. A command that must read
/// the ledger first (an unknown customer, an invoice no longer in memory, a grant's reason) runs alone in its turn.
/// If the write fails or its outcome is unknown, every command in it gets the failure and the grain deactivates (its
/// memory is not the ledger's any more). If it is refused for a key the ledger already holds (an invoice id or
/// idempotency key used before), memory is reloaded from the ledger and each command of the group runs again alone,
/// which gives each its exact answer: the one recovery. Reads wait while a group's entries are in memory but not
/// yet durable.
/// </summary>
public sealed partial class CustomerCreditGrain
{
    private readonly Queue<IQueuedCommand> _waiting = new();
    private bool _serving;
    private TaskCompletionSource? _speculation;

    private interface IQueuedCommand
    {
        /// <summary>
        /// Plans the command as a member of the next group commit, its changes folded into memory at once; or null
        /// when it must run alone (it needs to read the ledger first, or the customer is not known yet).
        /// </summary>
        GroupMember? TryPlanInGroup();

        Task RunAloneAsync();

        void Fail(Exception exception);
    }

    // A command planned into a group: what it appends (nothing for answers that write nothing) and how it is answered
    // once the group is durable.
    private sealed record GroupMember(LedgerAppend? Append, Action Answer);

    private sealed class QueuedCommand<T>(Func<Task<T>> alone, Func<(LedgerAppend? Append, T Answer)?>? plan) : IQueuedCommand
    {
        public TaskCompletionSource<T> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GroupMember? TryPlanInGroup() =>
            plan?.Invoke() is { } planned ? new GroupMember(planned.Append, () => Answer.TrySetResult(planned.Answer)) : null;

        public async Task RunAloneAsync()
        {
            try
            {
                Answer.TrySetResult(await alone());
            }
            catch (Exception e)
            {
                Answer.TrySetException(e);
            }
        }

        public void Fail(Exception exception) => Answer.TrySetException(exception);
    }

    /// <summary>
    /// Queues a command for the customer's turn. <paramref name="alone"/> runs it by itself; <paramref name="plan"/>,
    /// when given, plans it into a group commit (returning null when it cannot join one).
    /// </summary>
    private Task<T> InTurnAsync<T>(Func<Task<T>> alone, Func<(LedgerAppend? Append, T Answer)?>? plan = null)
    {
        var command = new QueuedCommand<T>(alone, plan);
        _waiting.Enqueue(command);
        if (!_serving)
        {
            _ = ServeAsync();
        }

        return command.Answer.Task;
    }

    private async Task ServeAsync()
    {
        _serving = true;
        try
        {
            while (_waiting.Count > 0)
            {
                var group = PlanGroup();
                if (group.Count > 0)
                {
                    await CommitGroupAsync(group);
                }
                else
                {
                    await _waiting.Dequeue().RunAloneAsync();
                }
            }
        }
        finally
        {
            _serving = false;
        }
    }

    // Plans the waiting commands, in order, for as long as each can join the group and it has room.
    private List<(IQueuedCommand Command, GroupMember Member)> PlanGroup()
    {
        var group = new List<(IQueuedCommand Command, GroupMember Member)>();
        var appends = 0;
        BeginSpeculation();
        while (appends < Options.MaxGroupSize && _waiting.TryPeek(out var next))
        {
            GroupMember? member;
            try
            {
                member = next.TryPlanInGroup();
            }
            catch (Exception e)
            {
                _waiting.Dequeue();
                next.Fail(e);
                if (e is LedgerInvariantException)
                {
                    group.ForEach(g => g.Command.Fail(Unavailable("The ledger refused a planned change", e)));
                    Discard();
                    return [];
                }

                continue;
            }

            if (member is null)
            {
                break;
            }

            _waiting.Dequeue();
            group.Add((next, member));
            appends += member.Append is null ? 0 : 1;
        }

        if (group.Count == 0)
        {
            EndSpeculation();
        }

        return group;
    }

    private async Task CommitGroupAsync(List<(IQueuedCommand Command, GroupMember Member)> group)
    {
        var appends = group.Select(g => g.Member.Append).OfType<LedgerAppend>().ToList();
        AppendOutcome outcome;
        try
        {
            outcome = appends.Count > 0 ? await writer.AppendAllAsync(appends) : AppendOutcome.Committed;
        }
        catch (Exception e)
        {
            // The commit may or may not have happened: only the ledger knows. Drop memory and let the retries find out.
            LogGroupFailed(logger, e, _customerId.Value, group.Count);
            group.ForEach(g => g.Command.Fail(Unavailable("The ledger write failed or its outcome is unknown", e)));
            Discard();
            return;
        }

        if (outcome == AppendOutcome.Committed)
        {
            EndSpeculation();
            group.ForEach(g => g.Member.Answer());
            await AfterChangeAsync();
            return;
        }

        if (outcome == AppendOutcome.VersionConflict)
        {
            LogConcurrentWriter(logger, _customerId.Value, _credits.Version);
            group.ForEach(g => g.Command.Fail(Unavailable("Another writer changed this customer's ledger", null)));
            Discard();
            return;
        }

        // A member used an invoice id or idempotency key that the ledger already holds. Memory holds the group's
        // refused changes: reload it, then run each member alone for its exact answer.
        try
        {
            await LoadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException)
        {
            group.ForEach(g => g.Command.Fail(Unavailable("The ledger could not be read", e)));
            Discard();
            return;
        }

        EndSpeculation();
        foreach (var (command, _) in group)
        {
            await command.RunAloneAsync();
        }
    }

    // Memory is not the ledger's: refuse everything until the activation is gone.
    private void Discard()
    {
        _stale = true;
        DeactivateOnIdle();
        EndSpeculation();
    }

    // A command can be planned into a group without reading the ledger first: the customer is known and memory is sound.
    private bool CanJoinGroup => _customer is not null && !_stale;

    private void BeginSpeculation() => _speculation ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    private void EndSpeculation()
    {
        _speculation?.TrySetResult();
        _speculation = null;
    }

    // Waits until memory holds no change that is not durable yet.
    private async Task SettledAsync()
    {
        while (_speculation is { } pending)
        {
            await pending.Task;
        }
    }

    /// <summary>
    /// Plans <paramref name="decision"/> into a group: its append (null when it writes nothing) and its answer; its
    /// changes go into memory now, so that the next member is planned on top of them.
    /// </summary>
    private (LedgerAppend? Append, TResult Answer) Speculate<TResult>(
        Decision decision, CommandContext context, string operation, byte[] fingerprint, TResult answer, JsonTypeInfo<TResult>? json)
    {
        var append = Prepare(decision, context, operation, fingerprint, answer, json);
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            _credits.Commit(decision);
        }

        return (append, answer);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} commands for customer {CustomerId} was not written or has an unknown outcome; deactivating")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, string customerId, int count);
}
