using System.Diagnostics;
using System.Threading.Channels;
using CreditLedger.Telemetry;
using Npgsql;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// The silo's one ledger writer, a group commit: appends from many customers' grains share one PostgreSQL
/// transaction, so the engine pays one commit (one fsync) for a whole batch instead of one per command. It is
/// adaptive: a writer loop takes whatever is waiting when it is free, up to <c>maxBatchSize</c> appends, so a lone
/// request commits at once and a busy engine commits many per transaction. A batch is first written in one round
/// trip, one statement per table (<see cref="GroupCommitStatements"/>): a batch that only inserts runs as one implicit
/// transaction, committed in that same round trip; one that also settles invoices checks their updates before it
/// commits. When that meets a conflict (a version, invoice id or idempotency key another writer holds, or an invoice
/// no longer pending), the transaction is rolled back and the batch is written again with each caller's appends
/// inside their own savepoint, so the conflict rolls back that caller alone and is reported to it alone; every other
/// caller in the batch commits. A caller is answered only once its transaction has committed; if the commit fails or
/// its outcome is unknown, every caller of the batch gets the exception. A customer has at most one caller in flight
/// (its grain awaits each), so per-customer order is kept. Each writer loop keeps one connection of its own for as
/// long as it works: its statements stay prepared on one warm server process, instead of being planned again on
/// whichever of the pool's connections comes next. A connection that failed is closed and the next batch opens a
/// new one.
/// </summary>
public sealed class BatchingLedgerWriter : ILedgerWriter, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Task[] _writers;
    private readonly EngineMetrics? _metrics;

    /// <summary>
    /// Starts <paramref name="writers"/> writer loops taking up to <paramref name="maxBatchSize"/> appends per transaction
    /// (a caller's appends are never split: one with more goes alone); each transaction's size and commit time go to
    /// <paramref name="metrics"/> when given.
    /// </summary>
    public BatchingLedgerWriter(NpgsqlDataSource dataSource, int writers = 4, int maxBatchSize = 256, EngineMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _dataSource = dataSource;
        _maxBatchSize = maxBatchSize;
        _metrics = metrics;
        // The loops outlive whatever request first needed the writer: they must not inherit its trace or log scope.
        using (ExecutionContext.SuppressFlow())
        {
            _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
        }
    }

    /// <inheritdoc />
    public Task<AppendOutcome> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        return AppendAllAsync([append], cancellationToken);
    }

    /// <inheritdoc />
    public Task<AppendOutcome> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var pending = new Pending(appends, new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), Activity.Current?.Context ?? default);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Outcome.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        Pending? carried = null;
        NpgsqlConnection? connection = null;
        try
        {
            while (carried is not null || await _queue.Reader.WaitToReadAsync())
            {
                // A caller that would take the batch past its size waits for the next one (a caller is never split).
                var appends = 0;
                while (appends < _maxBatchSize && (carried ?? (_queue.Reader.TryRead(out var read) ? read : null)) is { } pending)
                {
                    carried = null;
                    if (batch.Count > 0 && appends + pending.Appends.Count > _maxBatchSize)
                    {
                        carried = pending;
                        break;
                    }

                    batch.Add(pending);
                    appends += pending.Appends.Count;
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                connection = await WriteBatchAsync(batch, appends, connection);
                batch.Clear();
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    // Commits one batch and answers its callers. Returns the connection the loop goes on with: the same one, or none
    // after a failure, whatever the connection's state, so that the next batch starts on a new one.
    private async Task<NpgsqlConnection?> WriteBatchAsync(List<Pending> batch, int appends, NpgsqlConnection? connection)
    {
        var started = Stopwatch.GetTimestamp();
        AppendOutcome[]? outcomes = null;
        Exception? failure = null;
        // The span ends before anyone is answered, so that it is complete by the time its callers' spans are.
        using (var activity = EngineActivities.Source.HasListeners() ? EngineActivities.StartLedgerCommit(batch.ConvertAll(pending => pending.Caller)) : null)
        {
            activity?.SetTag("creditledger.ledger.batch.size", batch.Count);
            try
            {
                connection ??= await _dataSource.OpenConnectionAsync();
                outcomes = await CommitAsync(connection, batch);
            }
            catch (Exception e)
            {
                failure = e;
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }

                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            }
        }

        _metrics?.LedgerCommitted(appends, started, succeeded: failure is null);
        for (var i = 0; i < batch.Count; i++)
        {
            if (failure is null)
            {
                batch[i].Outcome.TrySetResult(outcomes![i]);
            }
            else
            {
                // The transaction failed or its commit has an unknown outcome: nobody in it may assume anything.
                batch[i].Outcome.TrySetException(failure);
            }
        }

        return connection;
    }

    private static async Task<AppendOutcome[]> CommitAsync(NpgsqlConnection connection, List<Pending> batch)
    {
        var statements = new GroupCommitStatements(batch.SelectMany(pending => pending.Appends));
        if (statements.IsEmpty)
        {
            return Enumerable.Repeat(AppendOutcome.Committed, batch.Count).ToArray();
        }

        // A group that only inserts is sent without BEGIN and COMMIT: the statements of one round trip are one implicit
        // transaction, which PostgreSQL commits (its commit record flushed) before it answers, or rolls back whole on a
        // unique violation. A group that settles invoices checks its updates before committing, in a transaction.
        await using (var transaction = statements.InsertsOnly ? null : await connection.BeginTransactionAsync())
        {
            await using var commands = new NpgsqlBatch(connection, transaction);
            statements.AddTo(commands);
            var held = true;
            try
            {
                await commands.ExecuteNonQueryAsync();
                held = statements.UpdatesHeld;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                held = false;
            }

            if (held)
            {
                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                }

                return Enumerable.Repeat(AppendOutcome.Committed, batch.Count).ToArray();
            }

            if (transaction is not null)
            {
                await transaction.RollbackAsync();
            }
        }

        return await CommitCallerByCallerAsync(connection, batch);
    }

    // The batch met a conflict: each caller's appends go in a savepoint of their own, written by the same statements,
    // so that the conflict undoes only the caller that met it.
    private static async Task<AppendOutcome[]> CommitCallerByCallerAsync(NpgsqlConnection connection, List<Pending> batch)
    {
        var outcomes = new AppendOutcome[batch.Count];
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            var statements = new GroupCommitStatements(batch[i].Appends);
            if (statements.IsEmpty)
            {
                outcomes[i] = AppendOutcome.Committed;
                continue;
            }

            await using var commands = new NpgsqlBatch(connection, transaction);
            commands.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT append"));
            statements.AddTo(commands);
            try
            {
                await commands.ExecuteNonQueryAsync();
                outcomes[i] = statements.UpdatesHeld ? AppendOutcome.Committed : AppendOutcome.VersionConflict;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                outcomes[i] = GroupCommitStatements.OutcomeOf(e);
            }

            if (outcomes[i] != AppendOutcome.Committed)
            {
                // Only this caller's statements are undone. Savepoints are not released: each caller opens a new one
                // of the same name, and rolling back goes to the latest.
                await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT append", connection, transaction);
                await rollback.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        return outcomes;
    }

    // One caller's appends: committed together under one savepoint, or not at all.
    // Caller is the trace context the append came from, so that its commit shows in the caller's trace.
    private sealed record Pending(IReadOnlyList<LedgerAppend> Appends, TaskCompletionSource<AppendOutcome> Outcome, ActivityContext Caller);
}
