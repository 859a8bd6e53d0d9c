namespace CreditLedger.Domain.Tests;

/// <summary>A schedule's grants in a customer's credits: the boundary's order of effects, rollover rules, cancels and reads.</summary>
public sealed class ScheduleGrantTests
{
    private static readonly ScheduleInterval Hourly = ScheduleInterval.Of(TimeSpan.FromHours(1));

    private static ScheduleRequest Allowance(DateTimeOffset? startsAt = null, int? periods = null, decimal? rollover = null, string id = "sch_a") =>
        new(id, Credits.ApiCalls, 1000m, "Monthly allowance", null, GrantCategory.Paid, Hourly, startsAt, periods, rollover);

    [Fact]
    public void Create_StartingNow_GrantsPeriodZeroInTheSameDecision()
    {
        var credits = new CustomerCredits();

        var decision = credits.Committed(credits.PlanCreateSchedule(Allowance(), Credits.Api, Credits.Start));

        var entry = Assert.Single(decision.Entries);
        Assert.Equal((EntryKind.Granted, "sch_a:p0", 1000m, Credits.Start), (entry.Kind, entry.GrantId, entry.Amount, entry.OccurredAt));
        Assert.Equal(("sch_a", 0L, (string?)null), (entry.Grant!.ScheduleId, entry.Grant.Period!.Value, entry.Grant.RolloverOf));
        Assert.Equal((Credits.Start, Credits.Start.AddHours(1)), (entry.Grant.EffectiveAt, entry.Grant.ExpiresAt!.Value));
        Assert.Equal(Provenance.EngineActor, entry.Provenance.Actor);
        Assert.Equal(ScheduleWrite.Insert, decision.ScheduleWrite);
        Assert.Equal(1, credits.PeriodsRecorded("sch_a"));
    }

    [Fact]
    public void Read_AfterABoundary_SeesTheNewPeriodWithoutWritingIt()
    {
        var credits = new CustomerCredits();
        credits.Committed(credits.PlanCreateSchedule(Allowance(), Credits.Api, Credits.Start));
        credits.Apply("inv1", 400m, Credits.Start.AddMinutes(5), Credits.ApiCalls);
        var version = credits.Version;

        var balance = credits.Balance(Credits.Start.AddHours(1), Credits.ApiCalls);

        Assert.Equal((1000m, 400m, 2000m, 600m), (balance.Available, balance.Pending, balance.Granted, balance.Expired));
        Assert.Equal(version, credits.Version);
        Assert.Equal(1, credits.PeriodsRecorded("sch_a"));
        Assert.Contains(credits.GrantPage(null, null, 10, Credits.Start.AddHours(1)).Page, g => g.GrantId == "sch_a:p1");
        Assert.Equal(Credits.Start.AddHours(1), credits.NextDueAt());
    }

    [Fact]
    public void Boundary_ExpiresThenRollsOverThenGrants_AndReportsNoDepletion()
    {
        var credits = new CustomerCredits();
        credits.Committed(credits.PlanCreateSchedule(Allowance(rollover: 300m), Credits.Api, Credits.Start));
        credits.Apply("inv1", 200m, Credits.Start.AddMinutes(5), Credits.ApiCalls);

        var boundary = credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(1)));

        Assert.Equal(
            [(EntryKind.Expired, "sch_a:p0", -800m), (EntryKind.Granted, "sch_a:r1", 300m), (EntryKind.Granted, "sch_a:p1", 1000m)],
            boundary.Entries.Select(e => (e.Kind, e.GrantId, e.Amount)).ToArray());
        Assert.All(boundary.Entries, e => Assert.Equal(Credits.Start.AddHours(1), e.OccurredAt));
        Assert.Equal("sch_a:p0", boundary.Entries[1].Grant!.RolloverOf);
        Assert.Equal(1L, boundary.Entries[1].Grant!.Period);
        Assert.Equal("Rollover: Monthly allowance", boundary.Entries[1].Reason);
        Assert.DoesNotContain(boundary.Entries, e => e.Events.HasFlag(EntryEvents.BalanceDepleted));

        // Equal expiry: the rollover grant, created first, is drawn first.
        var apply = credits.Apply("inv2", 350m, Credits.Start.AddHours(1).AddMinutes(1), Credits.ApiCalls);
        Assert.Equal([("sch_a:r1", 300m), ("sch_a:p1", 50m)], apply.Invoice!.Applications.Select(a => (a.GrantId, a.Amount)).ToArray());
    }

    [Fact]
    public void Rollover_OnlyFromThePeriodsOwnGrant_NeverFromARollover_NorAfterTheLastPeriod()
    {
        var credits = new CustomerCredits();
        credits.Committed(credits.PlanCreateSchedule(Allowance(periods: 2, rollover: 5000m), Credits.Api, Credits.Start));

        // Nothing is applied: period 0's 1,000 roll into period 1; at the end of period 1 nothing rolls (last period),
        // and the rollover grant's credits expire with it.
        var later = credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(5)));

        Assert.Equal(
            ["expired sch_a:p0", "granted sch_a:r1", "granted sch_a:p1", "expired sch_a:r1", "expired sch_a:p1"],
            later.Entries.Select(e => $"{e.Kind.ToString().ToLowerInvariant()} {e.GrantId}").ToArray());
        Assert.Equal(2, credits.PeriodsRecorded("sch_a"));
        Assert.Null(credits.NextDueAt());
        Assert.Equal(ScheduleStatus.Completed, credits.FindSchedule("sch_a")!.StatusAt(Credits.Start.AddHours(2)));
    }

    [Fact]
    public void Rollover_NotFromAVoidedGrant()
    {
        var credits = new CustomerCredits();
        credits.Committed(credits.PlanCreateSchedule(Allowance(rollover: 300m), Credits.Api, Credits.Start));
        credits.Committed(credits.PlanVoidGrant("sch_a:p0", "mistake", Credits.Api, Credits.Start.AddMinutes(1)));

        var boundary = credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(1)));

        Assert.Equal(["sch_a:p1"], boundary.Entries.Select(e => e.GrantId).ToArray());
    }

    [Fact]
    public void Cancel_AtABoundary_RecordsThatPeriodFirst_ThenNoMore()
    {
        var credits = new CustomerCredits();
        credits.Committed(credits.PlanCreateSchedule(Allowance(), Credits.Api, Credits.Start));

        var cancel = credits.Committed(credits.PlanCancelSchedule("sch_a", "plan ended", Credits.Api, Credits.Start.AddHours(1)));

        Assert.Equal(["sch_a:p0", "sch_a:p1"], cancel.Entries.Select(e => e.GrantId).ToArray());
        Assert.Equal((ScheduleWrite.Cancel, "plan ended"), (cancel.ScheduleWrite, cancel.Schedule!.CancelReason));
        Assert.Equal(ScheduleStatus.Cancelled, credits.FindSchedule("sch_a")!.StatusAt(Credits.Start.AddHours(1)));
        Assert.DoesNotContain(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(9)).Entries, e => e.Kind == EntryKind.Granted);
        Assert.Equal(Rejection.ScheduleNotActive, credits.PlanCancelSchedule("sch_a", "again", Credits.Api, Credits.Start.AddHours(2)).Rejection);
        Assert.Equal(Rejection.ScheduleNotFound, credits.PlanCancelSchedule("sch_b", "unknown", Credits.Api, Credits.Start.AddHours(2)).Rejection);
    }

    [Fact]
    public void Create_Refuses_StartsAtTooFarInThePast_AndTheHundredAndFirstActiveSchedule()
    {
        var credits = new CustomerCredits();

        var late = credits.PlanCreateSchedule(Allowance(startsAt: Credits.Start.AddMinutes(-5).AddTicks(-10)), Credits.Api, Credits.Start);
        Assert.Equal((Rejection.InvalidRequest, "startsAt"), (late.Rejection!.Value, late.RejectionField));

        for (var i = 0; i < LedgerLimits.MaxActiveSchedulesPerCustomer; i++)
        {
            credits.Committed(credits.PlanCreateSchedule(Allowance(startsAt: Credits.Start.AddDays(1), id: $"sch_{i}"), Credits.Api, Credits.Start));
        }

        Assert.Equal(Rejection.ScheduleLimitReached, credits.PlanCreateSchedule(Allowance(id: "sch_x"), Credits.Api, Credits.Start).Rejection);
    }

    [Fact]
    public void Create_Refuses_ACalendarThatEndsAfterTheLastRepresentableInstant_WritingNothing()
    {
        var credits = new CustomerCredits();
        var longest = Allowance(periods: LedgerLimits.MaxSchedulePeriods) with { Every = ScheduleInterval.Of(ScheduleInterval.MaxLength) };
        var farMonthly = Allowance(startsAt: new DateTimeOffset(9999, 12, 1, 0, 0, 0, TimeSpan.Zero)) with { Every = ScheduleInterval.Month };

        var tooLong = credits.PlanCreateSchedule(longest, Credits.Api, Credits.Start);
        var tooLate = credits.PlanCreateSchedule(farMonthly, Credits.Api, Credits.Start);
        var fits = credits.PlanCreateSchedule(longest with { Periods = 700 }, Credits.Api, Credits.Start);

        Assert.Equal((Rejection.InvalidRequest, "periods"), (tooLong.Rejection!.Value, tooLong.RejectionField));
        Assert.Equal((Rejection.InvalidRequest, "startsAt"), (tooLate.Rejection!.Value, tooLate.RejectionField));
        Assert.Equal(ScheduleStatus.Active, fits.Schedule!.StatusAt(Credits.Start));
        Assert.Empty(credits.Schedules);
    }

    [Fact]
    public void Entries_AreNeverDatedBeforeTheLatestOne()
    {
        var credits = new CustomerCredits();
        credits.Grant("g1", 10m, Credits.Start);

        var decision = credits.Committed(credits.PlanCreateSchedule(Allowance(startsAt: Credits.Start.AddMinutes(-3)), Credits.Api, Credits.Start));

        var entry = Assert.Single(decision.Entries);
        Assert.Equal(Credits.Start, entry.OccurredAt);
        Assert.Equal(Credits.Start.AddMinutes(-3), entry.Grant!.EffectiveAt);
    }

    [Fact]
    public void Replay_AndRestore_KeepThePeriodsRecorded()
    {
        var credits = new CustomerCredits();
        var entries = new List<LedgerEntry>();
        entries.AddRange(credits.Committed(credits.PlanCreateSchedule(Allowance(rollover: 10m), Credits.Api, Credits.Start)).Entries);
        entries.AddRange(credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(3))).Entries);
        var schedule = credits.FindSchedule("sch_a")!;

        var replayed = new CustomerCredits();
        replayed.TrackSchedule(schedule);
        entries.ForEach(replayed.Replay);

        Assert.Equal(4, replayed.PeriodsRecorded("sch_a"));
        Assert.Empty(replayed.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(3)).Entries);
        Assert.Equal(Credits.Start.AddHours(4), replayed.NextDueAt());
    }
}
