using CreditLedger.Domain;
using CreditLedger.Grains.Pipeline;
using CreditLedger.Storage.Ledger;
using CsCheck;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// The command pipeline alone, with no silo and no database, under random interleavings: applies of a few invoice
/// ids arrive while earlier writes are in flight, and each write commits, fails before writing, fails after
/// writing (an unknown outcome), meets an invoice id the ledger already holds, or loses to another writer. Everything
/// runs on one thread in a fixed order, so a failing case replays exactly. After every step: no answer leaves before
/// its write is durable; no read sees a change that is not durable yet; a sound activation with nothing in flight
/// holds no invoice the ledger does not. In the end every answer is the one a sequential run over the ledger's
/// history gives: an invoice is applied by the command whose write the ledger holds and by no other (recovery never
/// applies twice), and every other command for it is a replay.
/// </summary>
public sealed class CommandPipelineTests
{
    private static readonly Gen<Step[]> Steps = Gen.Select(Gen.Int[0, 99], Gen.Int[0, 3], Gen.Int[0, 3])
        .Select(t => new Step(t.Item1 switch
        {
            < 42 => StepKind.Apply,
            < 50 => StepKind.Read,
            < 65 => StepKind.Commit,
            < 72 => StepKind.FailBefore,
            < 79 => StepKind.FailAfter,
            < 86 => StepKind.CommitLater,
            < 90 => StepKind.ForeignWrite,
            _ => StepKind.Reactivate,
        }, "inv_" + t.Item2, t.Item3))
        .Array[1, 40];

    [Fact]
    public void RandomInterleavings_AnswerOnlyWhatIsDurable_AsASequentialRunWould()
    {
        Steps.Sample(steps => { new Scenario().Run(steps); }, iter: 2_000);
    }

    [Fact]
    public void GroupRefusedForAnInvoiceTheLedgerHolds_ReloadsAndAnswersEachAlone()
    {
        // inv_0 is applied, then the activation is lost; the next one does not know inv_0 (an activation holds only
        // what it applied itself, as idempotency keys are not held in memory), so it plans inv_1 and inv_0 into one
        // group, which the ledger refuses: inv_1 is then applied alone and inv_0 answered as a replay.
        var commands = new Scenario().Run(
        [
            new(StepKind.Apply, "inv_0", 0),
            new(StepKind.Commit, "", 0),
            new(StepKind.Apply, "inv_3", 0),
            new(StepKind.FailBefore, "", 0),
            new(StepKind.Reactivate, "", 0),
            new(StepKind.Apply, "inv_2", 0),
            new(StepKind.Apply, "inv_1", 0),
            new(StepKind.Apply, "inv_0", 0),
            new(StepKind.Commit, "", 0),
            new(StepKind.Commit, "", 0),
        ]);

        Assert.Equal(
            ["inv_0 Applied", "inv_3 failed", "inv_2 Applied", "inv_1 Applied", "inv_0 Replayed"],
            commands.Select(c => c.Task!.IsFaulted ? $"{c.Invoice} failed" : $"{c.Invoice} {c.Task.Result}"));
    }

    private enum StepKind
    {
        Apply,
        Read,
        Commit,
        CommitLater,
        FailBefore,
        FailAfter,
        ForeignWrite,
        Reactivate,
    }

    private sealed record Step(StepKind Kind, string Invoice, int Which);

    private enum Answer
    {
        Applied,
        Replayed,
    }

    // One run: the ledger (durable rows), the writer's writes in flight, the activations, and every command's answer.
    private sealed class Scenario
    {
        private readonly SingleThread _thread = new();
        private readonly List<Row> _ledger = [];
        private readonly List<PendingWrite> _inFlight = [];
        private readonly List<Command> _commands = [];
        private readonly List<string> _readsOfUnwritten = [];
        private Activation _activation;

        public Scenario()
        {
            _activation = new Activation(this);
        }

        public List<Command> Run(Step[] steps)
        {
            foreach (var step in steps)
            {
                Do(step);
                _thread.Drain();
                Check();
            }

            // Let everything finish: commit what is in flight until nothing is.
            for (var round = 0; _inFlight.Count > 0 || _commands.Any(c => c.Task is not { IsCompleted: true }); round++)
            {
                Assert.True(round < 200, "The pipeline did not settle.");
                if (_inFlight.Count > 0)
                {
                    Complete(_inFlight[0], Outcome.Commit);
                }

                _thread.Drain();
                Check();
            }

            CheckAnswersAgainstTheLedger();
            return _commands;
        }

        private void Do(Step step)
        {
            switch (step.Kind)
            {
                case StepKind.Apply:
                    var activation = _activation;
                    var command = new Command(_commands.Count, step.Invoice);
                    _commands.Add(command);
                    _thread.Post(() => command.Task = activation.ApplyAsync(command));
                    break;
                case StepKind.Read:
                    var reader = _activation;
                    _thread.Post(async () =>
                    {
                        // A read sees no change that is not durable yet.
                        await reader.Pipeline.SettledAsync();
                        var unwritten = reader.Stale ? [] : reader.Memory.Where(invoice => !_ledger.Any(r => r.Invoice == invoice)).ToList();
                        _readsOfUnwritten.AddRange(unwritten);
                    });
                    break;
                case StepKind.Commit or StepKind.FailBefore or StepKind.FailAfter when _inFlight.Count > 0:
                    Complete(_inFlight[0], step.Kind switch
                    {
                        StepKind.Commit => Outcome.Commit,
                        StepKind.FailBefore => Outcome.FailBefore,
                        _ => Outcome.FailAfter,
                    });
                    break;
                case StepKind.CommitLater when _inFlight.Count > 0:
                    // Writes of different activations may complete in any order.
                    Complete(_inFlight[step.Which % _inFlight.Count], Outcome.Commit);
                    break;
                case StepKind.ForeignWrite:
                    _ledger.Add(new Row("foreign", -1, _ledger.Count + 1));
                    break;
                case StepKind.Reactivate when _activation.Stale:
                    _activation = new Activation(this);
                    break;
            }
        }

        private void Complete(PendingWrite write, Outcome outcome)
        {
            _inFlight.Remove(write);
            if (outcome == Outcome.FailBefore)
            {
                write.Result.SetException(new IOException("The connection broke before the commit."));
                return;
            }

            // As PostgreSQL would: the version must follow the ledger's, and an invoice id is written once.
            var result = write.Rows[0].Version != _ledger.Count + 1 ? AppendOutcome.VersionConflict
                : write.Rows.Any(r => _ledger.Any(l => l.Invoice == r.Invoice)) || write.Rows.DistinctBy(r => r.Invoice).Count() < write.Rows.Count ? AppendOutcome.InvoiceExists
                : AppendOutcome.Committed;
            if (result == AppendOutcome.Committed)
            {
                _ledger.AddRange(write.Rows);
            }

            if (outcome == Outcome.FailAfter)
            {
                write.Result.SetException(new IOException("The connection broke after the commit was sent."));
                return;
            }

            write.Result.SetResult(result);
        }

        private void Check()
        {
            // No answer before its write is durable: every apply answered so far is in the ledger.
            foreach (var command in _commands.Where(c => c.Task is { IsCompletedSuccessfully: true }))
            {
                Assert.True(_ledger.Any(r => r.Invoice == command.Invoice), $"Command {command.Id} was answered {command.Task!.Result} for {command.Invoice}, which the ledger does not hold.");
            }

            Assert.Empty(_readsOfUnwritten);

            // A sound activation with nothing in flight holds nothing the ledger does not.
            if (!_activation.Stale && _activation.Pipeline.SettledAsync().IsCompleted && _inFlight.Count == 0)
            {
                Assert.Subset(_ledger.Select(r => r.Invoice).ToHashSet(), _activation.Memory);
            }
        }

        // The sequential model: the command whose write the ledger holds applied its invoice; any later command for
        // it is a replay; a command before it (in arrival order) that got an answer cannot have seen it.
        private void CheckAnswersAgainstTheLedger()
        {
            foreach (var command in _commands)
            {
                if (command.Task!.IsFaulted)
                {
                    Assert.IsType<UnavailableException>(command.Task.Exception!.InnerException);
                    continue;
                }

                var written = _ledger.Single(r => r.Invoice == command.Invoice);
                Assert.Equal(written.Command == command.Id ? Answer.Applied : Answer.Replayed, command.Task.Result);
                Assert.True(written.Command <= command.Id, $"Command {command.Id} was answered with a write of a later command.");
            }

            Assert.Equal(_ledger.Count(r => r.Command >= 0), _ledger.Where(r => r.Command >= 0).Select(r => r.Invoice).Distinct().Count());
        }

        private Task<AppendOutcome> Write(IReadOnlyList<LedgerAppend> appends)
        {
            var write = new PendingWrite(appends.Select(a => new Row(a.Idempotency!.Key, int.Parse(a.Idempotency.Response, System.Globalization.CultureInfo.InvariantCulture), a.Idempotency.Version)).ToList());
            _inFlight.Add(write);
            return write.Result.Task;
        }

        // One activation of the customer: its memory (the invoices applied, the version) and its pipeline.
        private sealed class Activation : ICommandPipelineHost, ILedgerWriter
        {
            private readonly Scenario _scenario;

            public Activation(Scenario scenario)
            {
                _scenario = scenario;
                Load();
                Pipeline = new CommandPipeline(this, this, maxGroupSize: 3);
            }

            public CommandPipeline Pipeline { get; }

            public HashSet<string> Memory { get; private set; } = [];

            public long Version { get; private set; }

            public bool Stale { get; private set; }

            public Task<Answer> ApplyAsync(Command command) => Pipeline.EnqueueAsync(() => AloneAsync(command), () => Stale ? null : Plan(command));

            // Planned into a group: a replay when memory has the invoice, otherwise its write, folded into memory now.
            // Memory holds only the invoices this activation applied.
            private (LedgerAppend? Append, Answer Answer)? Plan(Command command)
            {
                if (Memory.Contains(command.Invoice))
                {
                    return (null, Answer.Replayed);
                }

                Memory.Add(command.Invoice);
                Version++;
                return (AppendOf(command, Version), Answer.Applied);
            }

            // Alone: reads the ledger for a replay, otherwise written by itself and answered once durable.
            private async Task<Answer> AloneAsync(Command command)
            {
                await Pipeline.SettledAsync();
                if (Stale)
                {
                    throw new UnavailableException();
                }

                if (Memory.Contains(command.Invoice) || _scenario._ledger.Any(r => r.Invoice == command.Invoice))
                {
                    return Answer.Replayed;
                }

                AppendOutcome outcome;
                try
                {
                    outcome = await AppendAsync(AppendOf(command, Version + 1));
                }
                catch (IOException)
                {
                    Discard();
                    throw new UnavailableException();
                }

                switch (outcome)
                {
                    case AppendOutcome.Committed:
                        Memory.Add(command.Invoice);
                        Version++;
                        return Answer.Applied;
                    case AppendOutcome.InvoiceExists:
                        Load();
                        return Answer.Replayed;
                    default:
                        Discard();
                        throw new UnavailableException();
                }
            }

            private static LedgerAppend AppendOf(Command command, long version) =>
                new(Acme, [], InvoiceWrite.None, null, new IdempotencyRecord("apply", command.Invoice, [], command.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), version));

            private void Load()
            {
                Memory = [];
                Version = _scenario._ledger.Count;
            }

            public void Discard() => Stale = true;

            public Task ReloadAsync()
            {
                Load();
                return Task.CompletedTask;
            }

            public Task AfterChangeAsync() => Task.CompletedTask;

            public bool IsStorageFailure(Exception exception) => exception is IOException;

            public Exception Unavailable(string what, Exception? cause) => new UnavailableException();

            public void GroupFailed(Exception exception, int commands)
            {
            }

            public void ConcurrentWriter()
            {
            }

            public Task<AppendOutcome> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default) => _scenario.Write([append]);

            public Task<AppendOutcome> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default) => _scenario.Write(appends);
        }
    }

    private enum Outcome
    {
        Commit,
        FailBefore,
        FailAfter,
    }

    // A row of the ledger: the invoice, the command whose write it is (-1 for another writer's), its version.
    private sealed record Row(string Invoice, int Command, long Version);

    private static readonly CustomerId Acme = CustomerId.Parse("acme");

    private sealed record PendingWrite(List<Row> Rows)
    {
        public TaskCompletionSource<AppendOutcome> Result { get; } = new();
    }

    private sealed class Command(int id, string invoice)
    {
        public int Id { get; } = id;

        public string Invoice { get; } = invoice;

        public Task<Answer>? Task { get; set; }
    }

    private sealed class UnavailableException : Exception;

    // Runs posted work, and every continuation it causes, on the calling thread, in order.
    private sealed class SingleThread : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public void Post(Action action) => Post(_ => action(), null);

        public override void Post(SendOrPostCallback d, object? state) => _queue.Enqueue((d, state));

        public void Drain()
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                while (_queue.TryDequeue(out var work))
                {
                    work.Callback(work.State);
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }
}
