using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;

namespace CreditLedger.Grains.Pipeline;

/// <summary>
/// One customer's command pipeline, the one batching path of its commands, with no dependency on the actor runtime.
/// Commands that change the ledger wait in one queue and are served in arrival order by one loop, so a command sees
/// every earlier command's effect and its own entries follow theirs. The loop plans every waiting command it can (up
/// to <c>maxGroupSize</c> appends) one after another on the memory that includes the earlier ones' entries (not yet
/// durable), and appends them together in one ledger write, the group commit; none of them is answered before that
/// write has committed. A lone command is a group of one. A command that must read the ledger first (an unknown
/// customer, an invoice no longer in memory, a grant's reason) runs alone in its turn.
/// </summary>
/// <remarks>
/// If the write fails or its outcome is unknown, or another writer changed the customer's ledger, every command in
/// the group gets the failure and the host discards its memory (it is not the ledger's any more). If the write is
/// refused for a key the ledger already holds (an invoice id or idempotency key used before), the host reloads memory
/// from the ledger and each command of the group runs again alone, which gives each its exact answer: the one
/// recovery. Reads wait (<see cref="SettledAsync"/>) while a group's entries are in memory but not yet durable. The
/// pipeline is not thread-safe: its host calls it from one thread at a time (a grain's turns).
/// </remarks>
public sealed class CommandPipeline
{
    private readonly ILedgerWriter _writer;
    private readonly ICommandPipelineHost _host;
    private readonly int _maxGroupSize;
    private readonly Queue<IQueuedCommand> _waiting = new();
    private bool _serving;
    private TaskCompletionSource? _speculation;

    /// <summary>A pipeline writing through <paramref name="writer"/> for <paramref name="host"/>'s customer.</summary>
    public CommandPipeline(ILedgerWriter writer, ICommandPipelineHost host, int maxGroupSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupSize, 1);
        _writer = writer;
        _host = host;
        _maxGroupSize = maxGroupSize;
    }

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

    /// <summary>
    /// Queues a command. <paramref name="alone"/> runs it by itself (it writes what it writes on its own);
    /// <paramref name="plan"/>, when given, plans it into a group commit: its append (null when it writes nothing)
    /// and its answer, its changes already folded into memory; or null when it cannot join a group.
    /// </summary>
    public Task<T> EnqueueAsync<T>(Func<Task<T>> alone, Func<(LedgerAppend? Append, T Answer)?>? plan = null)
    {
        ArgumentNullException.ThrowIfNull(alone);
        var command = new QueuedCommand<T>(alone, plan);
        _waiting.Enqueue(command);
        if (!_serving)
        {
            _ = ServeAsync();
        }

        return command.Answer.Task;
    }

    /// <summary>Completes once memory holds no change that is not durable yet.</summary>
    public async Task SettledAsync()
    {
        while (_speculation is { } pending)
        {
            await pending.Task;
        }
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
                else if (_waiting.Count > 0)
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
        _speculation ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (appends < _maxGroupSize && _waiting.TryPeek(out var next))
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
                    // Memory holds the group's planned changes and a refused one: none of it can be trusted.
                    group.ForEach(g => g.Command.Fail(_host.Unavailable("The ledger refused a planned change", e)));
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
            outcome = appends.Count > 0 ? await _writer.AppendAllAsync(appends) : AppendOutcome.Committed;
        }
        catch (Exception e)
        {
            // The commit may or may not have happened: only the ledger knows. Drop memory and let the retries find out.
            _host.GroupFailed(e, group.Count);
            group.ForEach(g => g.Command.Fail(_host.Unavailable("The ledger write failed or its outcome is unknown", e)));
            Discard();
            return;
        }

        if (outcome == AppendOutcome.Committed)
        {
            EndSpeculation();
            group.ForEach(g => g.Member.Answer());
            await _host.AfterChangeAsync();
            return;
        }

        if (outcome == AppendOutcome.VersionConflict)
        {
            _host.ConcurrentWriter();
            group.ForEach(g => g.Command.Fail(_host.Unavailable("Another writer changed this customer's ledger", null)));
            Discard();
            return;
        }

        // A member used an invoice id or idempotency key that the ledger already holds. Memory holds the group's
        // refused changes: reload it, then run each member alone for its exact answer.
        try
        {
            await _host.ReloadAsync();
        }
        catch (Exception e) when (_host.IsStorageFailure(e))
        {
            group.ForEach(g => g.Command.Fail(_host.Unavailable("The ledger could not be read", e)));
            Discard();
            return;
        }

        EndSpeculation();
        foreach (var (command, _) in group)
        {
            await command.RunAloneAsync();
        }
    }

    // Memory is not the ledger's: the host refuses everything from now on.
    private void Discard()
    {
        _host.Discard();
        EndSpeculation();
    }

    private void EndSpeculation()
    {
        _speculation?.TrySetResult();
        _speculation = null;
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
}
