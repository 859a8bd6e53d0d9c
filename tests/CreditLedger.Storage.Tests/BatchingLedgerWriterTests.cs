using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using CreditLedger.Testing;

namespace CreditLedger.Storage.Tests;

/// <summary>
/// Group commit on a real PostgreSQL: many customers' appends share transactions, a conflicting append is refused
/// alone while the others in its batch commit, every append is answered with its own outcome, and the entries carry
/// their events (no other row is written for them).
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
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(*) FROM credit_events WHERE customer_id LIKE 'batch-%' AND event_type = 'account.credits.granted'"));
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

    [Fact]
    public async Task Append_WritersConnectionTerminated_FailsOnceThenCommitsOnANewConnection()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("batching-terminated");
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString))
        await using (var writer = new BatchingLedgerWriter(dataSource, writers: 1))
        {
            Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(Grant("kept-1", "grt_kept_1")));
            var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
            await using (var admin = Npgsql.NpgsqlDataSource.Create(connectionString))
            await using (var terminate = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"))
            {
                terminate.Parameters.Add(new Npgsql.NpgsqlParameter { Value = database });
                Assert.Equal(1L, (long)(await terminate.ExecuteScalarAsync())!);
            }

            // The loop's own connection is gone: the batch that meets it fails, and the next one opens a new connection.
            Assert.NotNull(await Record.ExceptionAsync(() => writer.AppendAsync(Grant("lost", "grt_lost"))));
            Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(Grant("kept-2", "grt_kept_2")));

            await using var written = dataSource.CreateCommand("SELECT string_agg(customer_id, ',' ORDER BY customer_id) FROM ledger_entries");
            Assert.Equal("kept-1,kept-2", (string?)await written.ExecuteScalarAsync());
        }

        await TestPostgres.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task Append_GrantApplyPayWithIdempotency_RowsEqualThoseOfOneTransactionPerAppend()
    {
        await using var batching = new BatchingLedgerWriter(database.DataSource, writers: 1, maxBatchSize: 256);
        await using var simple = new BatchingLedgerWriter(database.DataSource, writers: 1, maxBatchSize: 1);

        // The same three commands for 40 customers: written concurrently (grouped), and one by one for a twin each.
        for (var step = 0; step < 3; step++)
        {
            var group = Enumerable.Range(0, 40).Select(i => Lifecycle($"same-b-{i}")[step]).ToList();
            var outcomes = await Task.WhenAll(group.Select(a => batching.AppendAsync(a)));
            Assert.All(outcomes, o => Assert.Equal(AppendOutcome.Committed, o));
            foreach (var i in Enumerable.Range(0, 40))
            {
                Assert.Equal(AppendOutcome.Committed, await simple.AppendAsync(Lifecycle($"same-s-{i}")[step]));
            }
        }

        // Every column but the customer and the transaction id, per table.
        const string Rows = """
            SELECT string_agg(row_text, E'\n' ORDER BY row_text) FROM (
              SELECT concat_ws('|', 'entry', replace(customer_id, $1, ''), seq, kind, grant_id, credit_type, amount, available_after, invoice_id,
                               reason, actor, source, request_id, idempotency_key, occurred_at, data, events, pending_after) AS row_text
              FROM ledger_entries WHERE customer_id LIKE $1 || '%'
              UNION ALL
              SELECT concat_ws('|', 'invoice', replace(customer_id, $1, ''), invoice_id, status, lines, applications, applied_version, applied_at,
                               updated_version, updated_at) FROM invoices WHERE customer_id LIKE $1 || '%'
              UNION ALL
              SELECT concat_ws('|', 'idempotency', replace(customer_id, $1, ''), operation, idempotency_key, encode(request_hash, 'hex'), status_code,
                               response, version) FROM idempotency_records WHERE customer_id LIKE $1 || '%') r
            """;
        var grouped = await database.ScalarAsync<string>(Rows, "same-b-");
        var oneByOne = await database.ScalarAsync<string>(Rows, "same-s-");

        Assert.Equal(oneByOne, grouped);
        var lines = grouped.Split('\n');
        foreach (var row in new[] { @"^entry\|\d+\|1\|granted\|.*\|1\|0$", @"^entry\|\d+\|2\|applied\|.*\|1\|4$", @"^entry\|\d+\|3\|paid\|.*\|0\|0$", @"^invoice\|\d+\|inv_1\|paid\|", @"^idempotency\|\d+\|apply\|idem_1\|" })
        {
            Assert.Equal(40, lines.Count(line => System.Text.RegularExpressions.Regex.IsMatch(line, row)));
        }
    }

    [Fact]
    public async Task Append_InvoiceNoLongerPendingInAGroup_ThatAppendRefusedAloneOthersCommit()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource, writers: 1, maxBatchSize: 256);
        var lifecycles = Enumerable.Range(0, 30).Select(i => Lifecycle($"stale-{i}")).ToList();
        foreach (var step in new[] { 0, 1 })
        {
            Assert.All(await Task.WhenAll(lifecycles.Select(l => writer.AppendAsync(l[step]))), o => Assert.Equal(AppendOutcome.Committed, o));
        }

        // Another writer settles customer 7's invoice first: its pay is stale when the group arrives.
        await database.ScalarAsync<int>("UPDATE invoices SET status = 'voided' WHERE customer_id = 'stale-7' RETURNING 1");
        var outcomes = await Task.WhenAll(lifecycles.Select(l => writer.AppendAsync(l[2])));

        Assert.Equal(AppendOutcome.VersionConflict, outcomes[7]);
        Assert.Equal(29, outcomes.Count(o => o == AppendOutcome.Committed));
        Assert.Equal(29L, await database.ScalarAsync<long>("SELECT count(*) FROM invoices WHERE customer_id LIKE 'stale-%' AND status = 'paid'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'stale-7' AND kind = 'paid'"));
    }

    [Fact]
    public async Task Append_InsertOnlyGroupMeetsAnInvoiceTaken_NothingOfThatAppendStandsOthersCommit()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource, writers: 1, maxBatchSize: 256);
        var lifecycles = Enumerable.Range(0, 30).Select(i => Lifecycle($"taken-{i}")).ToList();
        Assert.All(await Task.WhenAll(lifecycles.Select(l => writer.AppendAsync(l[0]))), o => Assert.Equal(AppendOutcome.Committed, o));

        // Customer 5's invoice id is taken before the applies arrive. The group only inserts, so it runs as one
        // implicit transaction: its entries are written before the invoice insert fails, and must not stand.
        await database.ScalarAsync<int>("""
            INSERT INTO invoices (customer_id, invoice_id, status, lines, applications, applied_version, applied_at, updated_version, updated_at)
            VALUES ('taken-5', 'inv_1', 'voided', '[]', '[]', 1, now(), 1, now()) RETURNING 1
            """);
        var outcomes = await Task.WhenAll(lifecycles.Select(l => writer.AppendAsync(l[1])));

        Assert.Equal(AppendOutcome.InvoiceExists, outcomes[5]);
        Assert.Equal(29, outcomes.Count(o => o == AppendOutcome.Committed));
        Assert.Equal(29L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id LIKE 'taken-%' AND kind = 'applied'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'taken-5' AND kind = 'applied'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM idempotency_records WHERE customer_id = 'taken-5'"));
        Assert.Equal(29L, await database.ScalarAsync<long>("SELECT count(*) FROM idempotency_records WHERE customer_id LIKE 'taken-%'"));
    }

    [Fact]
    public async Task ScheduleGrants_ReadBackWithScheduleAndPeriodAndRolloverSource_ReplayToTheSamePeriods()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource);
        var id = CustomerId.Parse("schedule-entries");
        var credits = new CustomerCredits();
        var create = credits.PlanCreateSchedule(
            new ScheduleRequest("sch_rt", CreditType.Unit("api_calls"), 100m, "Allowance", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromHours(1)), At, null, 40m),
            new Provenance("key:test", "api", null, null),
            At);
        credits.Commit(create);
        var boundaries = credits.PlanExpiries(Provenance.Reminder, At.AddHours(2));
        credits.Commit(boundaries);
        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(new LedgerAppend(id, create.Entries, InvoiceWrite.None, null, null)));
        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(new LedgerAppend(id, boundaries.Entries, InvoiceWrite.None, null, null)));

        var read = new List<LedgerEntry>();
        await foreach (var entry in new LedgerQueries(database.DataSource).ReadEntriesAsync(id, 0))
        {
            read.Add(entry);
        }

        Assert.Equal(
            create.Entries.Concat(boundaries.Entries).Select(e => (e.Kind, e.GrantId, e.Grant?.ScheduleId, e.Grant?.Period, e.Grant?.RolloverOf)),
            read.Select(e => (e.Kind, e.GrantId, e.Grant?.ScheduleId, e.Grant?.Period, e.Grant?.RolloverOf)));
        Assert.Contains(read, e => e.Grant is { RolloverOf: "sch_rt:p0", Period: 1 });
        var replayed = new CustomerCredits();
        read.ForEach(replayed.Replay);
        Assert.Equal(3, replayed.PeriodsRecorded("sch_rt"));
    }

    [Fact]
    public async Task Schedules_WrittenWithTheirCommands_ReadBackAsPlanned_AndStaleCreatesAndCancelsWriteNothing()
    {
        await using var writer = new BatchingLedgerWriter(database.DataSource);
        var id = CustomerId.Parse("schedule-rows");
        var provenance = new Provenance("key:test", "api", null, null);
        var credits = new CustomerCredits();
        var create = credits.PlanCreateSchedule(
            new ScheduleRequest("sch_rows", CreditType.Currency("USD"), 12.5m, "Monthly allowance", 20, GrantCategory.Promotional, ScheduleInterval.Month, At, 12, 5m),
            provenance,
            At.AddSeconds(30));
        credits.Commit(create);
        var future = credits.PlanCreateSchedule(
            new ScheduleRequest("sch_later", CreditType.Unit("api_calls"), 1000m, "Hourly", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromMinutes(90)), At.AddMonths(3), null, null),
            provenance,
            At.AddMinutes(1));
        credits.Commit(future);
        var cancel = credits.PlanCancelSchedule("sch_rows", "Plan changed", provenance, At.AddMonths(1));
        credits.Commit(cancel);
        var staleCancel = new CustomerCredits();
        staleCancel.TrackSchedule(create.Schedule!);
        var stale = staleCancel.PlanCancelSchedule("sch_rows", "Twice", provenance, At.AddMonths(2));

        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(Append(id, create)));
        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(Append(id, future)));
        Assert.Equal(AppendOutcome.Committed, await writer.AppendAsync(Append(id, cancel)));
        // Its entries' versions are taken, and its cancel finds the schedule cancelled: nothing of it stands.
        Assert.Equal(AppendOutcome.VersionConflict, await writer.AppendAsync(Append(id, stale) with { Entries = [] }));

        // An activation that fell behind (it knows the customer at version 0) creates a schedule with no entry of its
        // own: the customer's entries past its version refuse it.
        var behind = new CustomerCredits().PlanCreateSchedule(
            new ScheduleRequest("sch_behind", CreditType.Currency("USD"), 1m, "Stale", null, GrantCategory.Paid, ScheduleInterval.Month, At.AddYears(1), null, null),
            provenance,
            At.AddMonths(2));
        Assert.Empty(behind.Entries);
        Assert.Equal(AppendOutcome.VersionConflict, await writer.AppendAsync(Append(id, behind)));

        var read = (await new LedgerQueries(database.DataSource).ReadSchedulesAsync(id)).OrderBy(s => s.CreatedAt).ToList();
        Assert.Equal([cancel.Schedule!, future.Schedule!], read);
        Assert.Equal("Plan changed", read[0].CancelReason);
        Assert.Equal(ScheduleInterval.Month, read[0].Every);
        Assert.Equal(ScheduleInterval.Of(TimeSpan.FromMinutes(90)), read[1].Every);
        // Period 0 at creation; at the cancel's boundary, period 1 and the rollover into it.
        Assert.Equal(
            ["sch_rows:p0", "sch_rows:p1", "sch_rows:r1"],
            await database.DataSource.StringsAsync("SELECT grant_id FROM ledger_entries WHERE customer_id = 'schedule-rows' AND kind = 'granted' ORDER BY grant_id"));
    }

    private static LedgerAppend Append(CustomerId id, Decision decision) =>
        new(id, decision.Entries, decision.InvoiceWrite, decision.Invoice, null, decision.ScheduleWrite, decision.Schedule, decision.EndedTopUp, decision.VersionAfter);

    // A grant, an apply of part of it (with its idempotency record) and the invoice's payment, as the grain plans them.
    private static LedgerAppend[] Lifecycle(string customer)
    {
        var credits = new CustomerCredits();
        var id = CustomerId.Parse(customer);
        var provenance = new Provenance("key:test", "api", "req_1", "idem_1");
        var grant = credits.PlanGrant(
            new GrantRequest("grt_same", CreditType.Currency("USD"), 10m, "Same", null, GrantCategory.Paid, null, null), provenance, At);
        credits.Commit(grant);
        var apply = credits.PlanApply("inv_1", [new InvoiceRequestLine(CreditType.Currency("USD"), 4m)], provenance, At.AddMinutes(1));
        credits.Commit(apply);
        var pay = credits.PlanPay("inv_1", provenance, At.AddMinutes(2));
        credits.Commit(pay);
        var record = new IdempotencyRecord("apply", "idem_1", [1, 2, 3], "{\"ok\": true}", apply.VersionAfter);
        return
        [
            new LedgerAppend(id, grant.Entries, InvoiceWrite.None, null, null),
            new LedgerAppend(id, apply.Entries, apply.InvoiceWrite, apply.Invoice, record),
            new LedgerAppend(id, pay.Entries, pay.InvoiceWrite, pay.Invoice, null),
        ];
    }

    private static LedgerAppend Grant(string customer, string grantId)
    {
        var credits = new CustomerCredits();
        var decision = credits.PlanGrant(
            new GrantRequest(grantId, CreditType.Currency("USD"), 10m, "Batch", null, GrantCategory.Paid, null, null),
            new Provenance("key:test", "api", null, null),
            At);
        return new LedgerAppend(CustomerId.Parse(customer), decision.Entries, InvoiceWrite.None, null, null);
    }
}
