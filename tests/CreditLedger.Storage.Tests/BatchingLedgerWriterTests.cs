using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using CreditLedger.Testing;

namespace CreditLedger.Storage.Tests;

/// <summary>
/// Group commit on a real PostgreSQL: many customers' appends share transactions, a conflicting append is refused
/// alone while the others in its batch commit, and every append is answered with its own outcome.
/// </summary>
public sealed class BatchingLedgerWriterTests(LedgerDatabaseFixture database) : IClassFixture<LedgerDatabaseFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Append_ConcurrentCustomersWithDuplicates_EachDuplicateRefusedAloneOthersCommit()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource, writers: 2, maxBatchSize: 64);
        var appends = Enumerable.Range(0, 200).Select(i => Grant($"batch-{i}", $"grt_{i}")).ToList();
        var duplicates = Enumerable.Range(0, 20).Select(i => Grant($"batch-{i}", $"grt_dup_{i}")).ToList();

        var outcomes = await Task.WhenAll(appends.Concat(duplicates).Select(a => writer.AppendAsync(a)));

        Assert.Equal(200, outcomes.Count(o => o == AppendOutcome.Committed));
        Assert.Equal(20, outcomes.Count(o => o == AppendOutcome.VersionConflict));
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id LIKE 'batch-%'"));
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(DISTINCT customer_id) FROM ledger_entries WHERE customer_id LIKE 'batch-%'"));
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE customer_id LIKE 'batch-%'"));
    }

    [Fact]
    public async Task Append_LoneRequest_CommitsWithoutWaitingForOthers()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource);

        var outcome = await writer.AppendAsync(Grant("lone", "grt_lone"));

        Assert.Equal(AppendOutcome.Committed, outcome);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'lone'"));
    }

    [Fact]
    public async Task Append_DatabaseGone_EveryAppendOfTheBatchFails()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("batching-gone");
        var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await using var writer = new BatchingLedgerWriter(dataSource);
        await dataSource.DisposeAsync();

        var failures = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
            await Record.ExceptionAsync(() => writer.AppendAsync(Grant($"gone-{i}", "grt_gone")))));

        Assert.All(failures, Assert.NotNull);
        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    private static LedgerAppend Grant(string customer, string grantId)
    {
        var credits = new CustomerCredits();
        var decision = credits.PlanGrant(
            new GrantRequest(grantId, CreditType.Currency("USD"), 10m, "Batch", null, GrantCategory.Paid, null, null),
            new Provenance("key:test", "api", null, null),
            At);
        var outbox = decision.Events.Select(e => new OutboxMessage($"evt_{customer}_{grantId}", e.Entry.Version, e.Type, "{}", e.Entry.OccurredAt)).ToList();
        return new LedgerAppend(CustomerId.Parse(customer), decision.Entries, outbox, InvoiceWrite.None, null, null);
    }
}
