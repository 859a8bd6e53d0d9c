using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// Credit schedules in the customer grain on a real PostgreSQL with a fake ledger clock: a schedule and its first
/// period are written together, reads and commands at a boundary see its period before any reminder, a cancel
/// records its boundary and stops later periods, everything survives reactivation, and two activations racing a
/// boundary write its period once.
/// </summary>
public sealed class CreditScheduleGrainTests(GrainFixture fixture) : IClassFixture<GrainFixture>
{
    private CustomerSilo Silo => fixture.Silo;

    [Fact]
    public async Task Create_StartingNow_WritesScheduleAndPeriodZeroInOneCommand_WithDerivedIdAndScheduleFields()
    {
        var customerId = fixture.NewCustomerId("sched");
        var grain = await Silo.CreatedAsync(customerId);
        var now = fixture.Clock.GetUtcNow();

        var created = await grain.CreateScheduleAsync(Hourly(100m, rollover: 30m), Commands.Api);

        Assert.Equal((CommandStatus.Created, 1L), (created.Status, created.Version));
        var schedule = created.Schedule!;
        Assert.StartsWith("sch_", schedule.ScheduleId, StringComparison.Ordinal);
        Assert.Equal(("active", 1L, now.AddHours(1), "PT1H"), (schedule.Status, schedule.PeriodsGranted, schedule.NextPeriodAt, schedule.Every));
        var grant = (await grain.GetGrantAsync($"{schedule.ScheduleId}:p0")).Grant!;
        Assert.Equal((100m, now, now.AddHours(1), schedule.ScheduleId, 0L, "Hourly allowance"), (grant.Amount, grant.EffectiveAt, grant.ExpiresAt, grant.ScheduleId, grant.Period, grant.Reason));
        Assert.Equal(
            [$"1 granted {schedule.ScheduleId}:p0"],
            await fixture.StringsAsync("SELECT seq || ' ' || kind || ' ' || grant_id FROM ledger_entries WHERE customer_id = $1 ORDER BY seq", customerId));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_schedules WHERE customer_id = $1 AND schedule_id = $2", customerId, schedule.ScheduleId));
        var history = Assert.Single((await grain.GetHistoryAsync(null, null, 10)).Entries);
        Assert.Equal((schedule.ScheduleId, 0L, (string?)null), (history.ScheduleId, history.Period, history.RolloverOf));
    }

    [Fact]
    public async Task Boundary_ReadsAndCommandsSeeThePeriodBeforeAnyReminder_AndItIsWrittenOnce()
    {
        var customerId = fixture.NewCustomerId("boundary");
        var grain = await Silo.CreatedAsync(customerId);
        var start = fixture.Clock.GetUtcNow();
        var scheduleId = (await grain.CreateScheduleAsync(Hourly(100m, rollover: 30m), Commands.Api)).Schedule!.ScheduleId;
        await grain.ApplyAsync("inv_1", Commands.Total(60m), Commands.Api);
        await grain.PayInvoiceAsync("inv_1", Commands.Api);

        fixture.Clock.Advance(TimeSpan.FromHours(1));

        // A read sees period 1 and the rollover of period 0's last 40 (capped at 30), and writes nothing.
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);
        Assert.Equal((130m, 3L), (usd.Available, (await grain.GetBalancesAsync(30)).Version));
        var rollover = (await grain.GetGrantAsync($"{scheduleId}:r1")).Grant!;
        Assert.Equal((30m, $"{scheduleId}:p0", 1L, "Rollover: Hourly allowance"), (rollover.Amount, rollover.RolloverOf, rollover.Period, rollover.Reason));
        Assert.Equal(3L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customerId));
        Assert.Equal(2L, (await grain.GetScheduleAsync(scheduleId)).Schedule!.PeriodsGranted);

        // The next command writes them first, in order: expiry, rollover, period; then itself.
        var applied = await grain.ApplyAsync("inv_2", Commands.Total(10m), Commands.Api);
        Assert.Equal(7L, applied.Version);
        Assert.Equal(
            [$"4 expired {scheduleId}:p0", $"5 granted {scheduleId}:r1", $"6 granted {scheduleId}:p1", $"7 applied {scheduleId}:r1"],
            await fixture.StringsAsync("SELECT seq || ' ' || kind || ' ' || grant_id FROM ledger_entries WHERE customer_id = $1 AND seq > 3 ORDER BY seq", customerId));
        Assert.Equal(
            start.AddHours(1),
            (await fixture.StringsAsync("SELECT DISTINCT occurred_at FROM ledger_entries WHERE customer_id = $1 AND seq BETWEEN 4 AND 6", customerId)).Select(DateTimeOffset.Parse).Single());

        // Reactivation finds the same state and writes nothing again.
        var before = await grain.DescribeAsync();
        await CustomerSilo.DeactivateAsync(grain);
        Assert.Equal(before, await grain.DescribeAsync());
        await grain.ApplyAsync("inv_3", Commands.Total(1m), Commands.Api);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND grant_id = $2", customerId, $"{scheduleId}:p1"));
    }

    [Fact]
    public async Task Cancel_AtABoundary_RecordsItsPeriodThenNoMore_AndRefusesASecondCancel()
    {
        var customerId = fixture.NewCustomerId("cancel");
        var grain = await Silo.CreatedAsync(customerId);
        var scheduleId = (await grain.CreateScheduleAsync(Hourly(10m), Commands.Api)).Schedule!.ScheduleId;
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var cancelled = await grain.CancelScheduleAsync(scheduleId, "Plan changed", Commands.WithKey("c1"));
        var replayed = await grain.CancelScheduleAsync(scheduleId, "Plan changed", Commands.WithKey("c1"));
        var again = await grain.CancelScheduleAsync(scheduleId, "Plan changed", Commands.Api);
        var unknown = await grain.CancelScheduleAsync("sch_unknown", "Plan changed", Commands.Api);
        fixture.Clock.Advance(TimeSpan.FromHours(5));
        await CustomerSilo.DeactivateAsync(grain);
        var read = await grain.GetScheduleAsync(scheduleId);

        Assert.Equal((CommandStatus.Ok, "cancelled", 3L, (DateTimeOffset?)null), (cancelled.Status, cancelled.Schedule!.Status, cancelled.Schedule.PeriodsGranted, cancelled.Schedule.NextPeriodAt));
        Assert.Equal((true, cancelled.Version), (replayed.Replayed, replayed.Version));
        Assert.Equal(CommandStatus.ScheduleNotActive, again.Status);
        Assert.Equal(CommandStatus.ScheduleNotFound, unknown.Status);
        Assert.Equal(("cancelled", "Plan changed", 3L), (read.Schedule!.Status, read.Schedule.CancelReason, read.Schedule.PeriodsGranted));
        Assert.Equal(
            3L,
            await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'granted'", customerId));
        Assert.Equal("Plan changed", (await fixture.StringsAsync("SELECT cancel_reason FROM credit_schedules WHERE customer_id = $1", customerId)).Single());
    }

    [Fact]
    public async Task Create_SameIdempotencyKey_ReplaysTheSameSchedule_AndRefusalsWriteNothing()
    {
        var customerId = fixture.NewCustomerId("schedkey");
        var grain = await Silo.CreatedAsync(customerId);

        var first = await grain.CreateScheduleAsync(Hourly(5m), Commands.WithKey("s1"));
        var again = await grain.CreateScheduleAsync(Hourly(5.00m), Commands.WithKey("s1"));
        var different = await grain.CreateScheduleAsync(Hourly(6m), Commands.WithKey("s1"));
        var tooOld = await grain.CreateScheduleAsync(Hourly(5m) with { StartsAt = fixture.Clock.GetUtcNow().AddMinutes(-6) }, Commands.Api);
        var unknownCustomer = await Silo.Customer(fixture.NewCustomerId("nobody")).CreateScheduleAsync(Hourly(5m), Commands.Api);

        Assert.Equal((true, first.Schedule!.ScheduleId), (again.Replayed, again.Schedule!.ScheduleId));
        Assert.Equal(CommandStatus.IdempotencyKeyReused, different.Status);
        Assert.Equal((CommandStatus.InvalidRequest, "startsAt"), (tooOld.Status, tooOld.Error!.Field));
        Assert.Equal(CommandStatus.CustomerNotFound, unknownCustomer.Status);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM credit_schedules WHERE customer_id = $1", customerId));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1", customerId));
    }

    [Fact]
    public async Task List_InCreationOrder_PagesWithACursor()
    {
        var customerId = fixture.NewCustomerId("schedlist");
        var grain = await Silo.CreatedAsync(customerId);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await grain.CreateScheduleAsync(Hourly(1m + i) with { StartsAt = fixture.Clock.GetUtcNow().AddDays(1) }, Commands.Api)).Schedule!.ScheduleId);
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await grain.ListSchedulesAsync(null, 3);
        var second = await grain.ListSchedulesAsync(first.NextAfter, 3);

        Assert.Equal(ids.Take(3), first.Schedules.Select(s => s.ScheduleId));
        Assert.Equal(ids.Skip(3), second.Schedules.Select(s => s.ScheduleId));
        Assert.Null(second.NextAfter);
        Assert.All(second.Schedules, s => Assert.Equal((0L, "active"), (s.PeriodsGranted, s.Status)));
    }

    [Fact]
    public async Task TwoActivations_RacingABoundary_WriteItsPeriodOnce()
    {
        var connectionString = await TestPostgres.CreateMigratedDatabaseAsync("schedule-race");
        var clock = new FakeTimeProvider(GrainFixture.Start);
        try
        {
            // Two silos of different clusters on one database: each has an activation of the same customer.
            await using var first = await CustomerSilo.StartAsync(connectionString, "race-a-" + Environment.ProcessId, clock);
            await using var second = await CustomerSilo.StartAsync(connectionString, "race-b-" + Environment.ProcessId, clock);
            var a = await first.CreatedAsync("acme");
            var scheduleId = (await a.CreateScheduleAsync(Hourly(10m), Commands.Api)).Schedule!.ScheduleId;
            var b = second.Customer("acme");
            Assert.Equal(1L, (await b.GetBalancesAsync(30)).Version);

            clock.Advance(TimeSpan.FromHours(1));
            var outcomes = await Task.WhenAll(
                Record.ExceptionAsync(() => a.GrantAsync(Commands.Usd(1m), Commands.WithKey("a"))),
                Record.ExceptionAsync(() => b.GrantAsync(Commands.Usd(2m), Commands.WithKey("b"))));

            // One wins the boundary's versions; the other is fenced, reloads, and its retry writes only its own grant.
            Assert.Single(outcomes, o => o is LedgerUnavailableException);
            var loser = outcomes[0] is null ? b : a;
            var retried = await loser.GrantAsync(Commands.Usd(outcomes[0] is null ? 2m : 1m), Commands.WithKey(outcomes[0] is null ? "b" : "a"));
            Assert.Equal(CommandStatus.Created, retried.Status);
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
            Assert.Equal(
                [$"{scheduleId}:p0", $"{scheduleId}:p1"],
                await dataSource.StringsAsync("SELECT grant_id FROM ledger_entries WHERE customer_id = 'acme' AND grant_id LIKE 'sch_%' AND kind = 'granted' ORDER BY seq"));
            Assert.Equal(5L, await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'acme'"));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task EndedGrants_LeaveMemory_AndAreStillRead_Listed_AndRefusedAVoid_FromTheLedger()
    {
        var customerId = fixture.NewCustomerId("ended");
        var grain = await Silo.CreatedAsync(customerId);
        var expiring = await grain.GrantedAsync(Commands.Usd(30m, fixture.Clock.GetUtcNow().AddDays(1), reason: "Trial"));
        var voided = await grain.GrantedAsync(Commands.Usd(20m, reason: "Duplicate"));
        var kept = await grain.GrantedAsync(Commands.Usd(10m, reason: "Kept"));
        await grain.VoidGrantAsync(voided.GrantId, "Granted twice", Commands.Api);
        await grain.ApplyAsync("inv_1", Commands.Total(5m), Commands.Api);
        await grain.PayInvoiceAsync("inv_1", Commands.Api);
        fixture.Clock.Advance(TimeSpan.FromDays(2));
        await grain.ApplyAsync("inv_2", Commands.Total(1m), Commands.Api);
        await CustomerSilo.DeactivateAsync(grain);

        Assert.Equal(1, (await grain.GetActivationInfoAsync()).GrantsHeld);
        var read = (await grain.GetGrantAsync(expiring.GrantId)).Grant!;
        var all = await grain.ListGrantsAsync(null, null, 10);
        var firstPage = await grain.ListGrantsAsync(null, null, 2);
        var secondPage = await grain.ListGrantsAsync(null, firstPage.NextBeforeVersion, 2);
        var expired = await grain.ListGrantsAsync(GrantStatus.Expired, null, 10);
        var voidedList = await grain.ListGrantsAsync(GrantStatus.Voided, null, 10);
        var voidAgain = await grain.VoidGrantAsync(expiring.GrantId, "Too late", Commands.WithKey("late"));
        var replay = await grain.VoidGrantAsync(expiring.GrantId, "Too late", Commands.WithKey("late"));
        var usd = Assert.Single((await grain.GetBalancesAsync(30)).Balances);

        Assert.Equal(("expired", 0m, 25m, 5m, "Trial"), (read.Status, read.Remaining, read.Expired, read.Consumed, read.Reason));
        Assert.Equal([kept.GrantId, voided.GrantId, expiring.GrantId], all.Grants.Select(g => g.GrantId));
        Assert.Equal([kept.GrantId, voided.GrantId], firstPage.Grants.Select(g => g.GrantId));
        Assert.Equal([expiring.GrantId], secondPage.Grants.Select(g => g.GrantId));
        Assert.Null(secondPage.NextBeforeVersion);
        Assert.Equal([expiring.GrantId], expired.Grants.Select(g => g.GrantId));
        Assert.Equal(("voided", 20m, "Duplicate"), (voidedList.Grants.Single().Status, voidedList.Grants.Single().Voided, voidedList.Grants.Single().Reason));
        Assert.Equal((CommandStatus.GrantNotActive, true), (voidAgain.Status, replay.Replayed));
        Assert.Equal((9m, 60m, 5m, 25m, 20m), (usd.Available, usd.Granted, usd.Consumed, usd.Expired, usd.Voided));
    }

    [Fact]
    public async Task CommandAfterALongOutage_WritesTheBacklogInStepsFirst_EveryPeriodOnce()
    {
        var customerId = fixture.NewCustomerId("backlog");
        var grain = await Silo.CreatedAsync(customerId);
        await grain.GrantedAsync(Commands.Usd(100m));
        var perMinute = new ScheduleCommand(CreditType.Parse("api_calls"), 10m, "Per minute", null, GrantCategory.Paid, "PT1M", null, null, null);
        var scheduleId = (await grain.CreateScheduleAsync(perMinute, Commands.Api)).Schedule!.ScheduleId;
        await CustomerSilo.DeactivateAsync(grain);

        // Three days nobody touches the customer (its reminder follows the real clock, the ledger's is moved): 4,320
        // boundaries, each an expiry and a period's grant.
        fixture.Clock.Advance(TimeSpan.FromDays(3));
        var applied = await grain.ApplyAsync("inv_after", Commands.Total(1m), Commands.Api);

        Assert.Equal((CommandStatus.Ok, 1m), (applied.Status, applied.Invoice!.Lines[0].Applied));
        Assert.Equal(
            4_321L,
            await fixture.ScalarAsync<long>("SELECT count(DISTINCT grant_id) FROM ledger_entries WHERE customer_id = $1 AND kind = 'granted' AND grant_id LIKE $2", customerId, scheduleId + ":p%"));
        Assert.Equal(
            4_321L,
            await fixture.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = $1 AND kind = 'granted' AND grant_id LIKE $2", customerId, scheduleId + ":p%"));
        // Written in steps of at most 2,000 entries before the apply, not in one transaction.
        Assert.True(
            await fixture.ScalarAsync<long>("SELECT count(DISTINCT tx_id) FROM ledger_entries WHERE customer_id = $1 AND seq > 2", customerId) >= 4,
            "The backlog was written in one transaction.");
        Assert.True(
            await fixture.ScalarAsync<long>("SELECT max(n) FROM (SELECT count(*) AS n FROM ledger_entries WHERE customer_id = $1 GROUP BY tx_id) AS t", customerId) <= 2_002,
            "A step held more than 2,000 entries and its last instant.");
        Assert.Equal(applied.Version, await fixture.ScalarAsync<long>("SELECT max(seq) FROM ledger_entries WHERE customer_id = $1", customerId));
        var calls = Assert.Single((await grain.GetBalancesAsync(30)).Balances, b => b.CreditType == "api_calls");
        Assert.Equal((10m, 43_210m, 43_200m), (calls.Available, calls.Granted, calls.Expired));
    }

    private static ScheduleCommand Hourly(decimal amount, decimal? rollover = null) =>
        new(CreditType.Currency("USD"), amount, "Hourly allowance", null, GrantCategory.Paid, "PT1H", null, null, rollover);
}
