using System.Diagnostics;
using System.Threading.Channels;
using CreditLedger.Storage.Telemetry;
using Npgsql;

namespace CreditLedger.Storage.Ledger;

/// <summary>
/// Group commit: appends from many customers' grains share one PostgreSQL transaction, so the engine pays one
/// commit (one fsync) for a whole batch instead of one per command. It is adaptive: a writer takes whatever is
/// waiting when it is free, so a lone request commits at once and a busy engine commits many per transaction.
/// A batch is first written in one round trip, one statement per table (<see cref="GroupCommitStatements"/>). When
/// that meets a conflict (a version, invoice id or idempotency key another writer holds, or an invoice no longer
/// pending), the transaction is rolled back and the batch is written again with each caller's appends inside their
/// own savepoint, so the conflict rolls back that append alone and is reported to its caller alone; every other
/// append in the batch commits. An append is answered only once its transaction has committed; if the commit fails
/// or its outcome is unknown, every append of the batch gets the exception. A customer has at most one append in
/// flight (its grain awaits each), so per-customer order is kept.
/// </summary>
public sealed class BatchingLedgerWriter : ILedgerWriter, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Task[] _writers;
    private readonly EngineMetrics? _metrics;

    /// <summary>
    /// Starts <paramref name="writers"/> writer loops taking up to <paramref name="maxBatchSize"/> appends per transaction;
    /// each transaction's size and commit time go to <paramref name="metrics"/> when given.
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
        var batch = new List<Pending>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            AppendOutcome[]? outcomes = null;
            Exception? failure = null;
            // The span ends before anyone is answered, so that it is complete by the time its callers' spans are.
            using (var activity = EngineActivities.Source.HasListeners() ? EngineActivities.StartLedgerCommit(batch.ConvertAll(pending => pending.Caller)) : null)
            {
                activity?.SetTag("creditledger.ledger.batch.size", batch.Count);
                try
                {
                    outcomes = await CommitAsync(batch);
                }
                catch (Exception e)
                {
                    failure = e;
                    activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                }
            }

            _metrics?.LedgerCommitted(batch.Sum(pending => pending.Appends.Count), started, succeeded: failure is null);
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

            batch.Clear();
        }
    }

    private async Task<AppendOutcome[]> CommitAsync(List<Pending> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        var statements = new GroupCommitStatements(batch.Select(pending => pending.Appends));
        if (statements.IsEmpty)
        {
            return Enumerable.Repeat(AppendOutcome.Committed, batch.Count).ToArray();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var commands = new NpgsqlBatch(connection, transaction);
            statements.AddTo(commands);
            var held = true;
            try
            {
                await commands.ExecuteNonQueryAsync();
                held = statements.InvoiceUpdatesHeld;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                held = false;
            }

            if (held)
            {
                await transaction.CommitAsync();
                return Enumerable.Repeat(AppendOutcome.Committed, batch.Count).ToArray();
            }

            await transaction.RollbackAsync();
        }

        return await CommitOneByOneAsync(connection, batch);
    }

    private static async Task<AppendOutcome[]> CommitOneByOneAsync(NpgsqlConnection connection, List<Pending> batch)
    {
        var outcomes = new AppendOutcome[batch.Count];
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < batch.Count; i++)
        {
            await using var commands = new NpgsqlBatch(connection, transaction);
            commands.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT append"));
            var invoiceUpdates = batch[i].Appends.Select(append => PostgresLedgerWriter.AddCommands(commands, append)).OfType<NpgsqlBatchCommand>().ToList();
            if (commands.BatchCommands.Count == 1)
            {
                outcomes[i] = AppendOutcome.Committed;
                continue;
            }

            try
            {
                await commands.ExecuteNonQueryAsync();
                outcomes[i] = invoiceUpdates.Any(update => update.RecordsAffected == 0) ? AppendOutcome.VersionConflict : AppendOutcome.Committed;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                outcomes[i] = PostgresLedgerWriter.OutcomeOf(e);
            }

            if (outcomes[i] != AppendOutcome.Committed)
            {
                // Only this append's statements are undone. Savepoints are not released: each append opens a new one
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
