namespace CreditLedger.Domain.Tests;

/// <summary>
/// Grants that have ended (expired, or voided, with nothing pending) leave memory and leave only their totals: the
/// balances do not change, the grant limit stops counting them, a one-minute schedule runs for months in constant
/// memory, and a replay and a restored snapshot agree on what is held.
/// </summary>
public sealed class EndedGrantTests
{
    [Fact]
    public void Expired_WithNothingPending_LeavesMemory_BalancesUnchanged()
    {
        var credits = new CustomerCredits();
        credits.Grant("g_exp", 30m, Credits.Start, expiresAt: Credits.Start.AddDays(1));
        credits.Grant("g_void", 20m, Credits.Start);
        credits.Grant("g_pending", 10m, Credits.Start, expiresAt: Credits.Start.AddDays(1), priority: 0);
        credits.Apply("inv_1", 4m, Credits.Start);
        credits.Committed(credits.PlanVoidGrant("g_void", "Duplicate", Credits.Api, Credits.Start.AddHours(1)));
        Assert.Null(credits.FindGrant("g_void"));

        var later = Credits.Start.AddDays(2);
        credits.Committed(credits.PlanExpiries(Provenance.Reminder, later));

        // g_pending expired with 4 still pending: an invoice void could reinstate into it, so it stays until paid.
        Assert.Equal(["g_pending"], credits.Grants.Select(g => g.GrantId));
        Assert.Equal(
            (60m, 0m, 4m, 36m, 20m, 0m),
            (credits.Balance(later).Granted, credits.Balance(later).Available, credits.Balance(later).Pending, credits.Balance(later).Expired,
             credits.Balance(later).Voided, credits.Balance(later).Consumed));
        credits.Committed(credits.PlanPay("inv_1", Credits.Api, later));
        Assert.Empty(credits.Grants);
        Assert.Equal(new EndedGrants(60m, 4m, 36m, 20m), credits.EndedGrantTotals[Credits.Usd]);
        Assert.Equal((60m, 0m, 4m, 36m, 20m), (credits.Balance(later).Granted, credits.Balance(later).Pending + credits.Balance(later).Available, credits.Balance(later).Consumed, credits.Balance(later).Expired, credits.Balance(later).Voided));
    }

    [Fact]
    public void Depleted_EndsWhenAnEntryPassesItsExpiry_WithoutAnEntryOfItsOwn()
    {
        var credits = new CustomerCredits();
        credits.Grant("g_used", 5m, Credits.Start, expiresAt: Credits.Start.AddHours(1));
        credits.Apply("inv_1", 5m, Credits.Start);
        credits.Committed(credits.PlanPay("inv_1", Credits.Api, Credits.Start.AddMinutes(1)));
        var version = credits.Version;

        credits.Grant("g_next", 1m, Credits.Start.AddMinutes(59));
        Assert.NotNull(credits.FindGrant("g_used"));
        credits.Grant("g_after", 1m, Credits.Start.AddHours(1));

        Assert.Null(credits.FindGrant("g_used"));
        Assert.Equal(version + 2, credits.Version);
        Assert.Equal((7m, 5m, 0m), (credits.Balance(Credits.Start.AddHours(1)).Granted, credits.Balance(Credits.Start.AddHours(1)).Consumed, credits.Balance(Credits.Start.AddHours(1)).Expired));
    }

    [Fact]
    public void OneMinuteSchedule_ForFiveWeeks_HoldsOnlyTheCurrentPeriod_AndGrantsAreNotRefused()
    {
        var credits = new CustomerCredits();
        var schedule = new ScheduleRequest(
            "sch_min", Credits.ApiCalls, 10m, "Per minute", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromMinutes(1)), null, null, 5m);
        credits.Committed(credits.PlanCreateSchedule(schedule, Credits.Api, Credits.Start));
        const int hours = 5 * 7 * 24;
        for (var hour = 1; hour <= hours; hour++)
        {
            credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(hour)));
        }

        var end = Credits.Start.AddHours(hours);
        var periods = (hours * 60) + 1;
        Assert.Equal(periods, credits.PeriodsRecorded("sch_min"));
        // The current period and the rollover into it.
        Assert.Equal([$"sch_min:r{periods - 1}", $"sch_min:p{periods - 1}"], credits.Grants.Select(g => g.GrantId));
        var balance = credits.Balance(end, Credits.ApiCalls);
        Assert.Equal((15m, (periods * 10m) + ((periods - 1) * 5m)), (balance.Available, balance.Granted));
        Assert.Equal(DecisionOutcome.Changed, credits.PlanGrant(new GrantRequest("grt_more", Credits.ApiCalls, 1m, "More", null, GrantCategory.Paid, null, null), Credits.Api, end).Outcome);
    }

    [Fact]
    public void CatchUp_InBoundedSteps_WritesTheEntriesOneDecisionWould()
    {
        CustomerCredits Untouched()
        {
            var credits = new CustomerCredits();
            credits.Committed(credits.PlanCreateSchedule(
                new ScheduleRequest("sch_day", Credits.ApiCalls, 10m, "Per minute", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromMinutes(1)), null, null, 5m),
                Credits.Api,
                Credits.Start));
            credits.Grant("g_hour", 7m, Credits.Start, creditType: Credits.ApiCalls, expiresAt: Credits.Start.AddMinutes(90));
            return credits;
        }

        var day = Credits.Start.AddDays(1);
        var whole = Untouched();
        var once = whole.Committed(whole.PlanExpiries(Provenance.Reminder, day)).Entries;
        var stepped = Untouched();
        var steps = new List<Decision>();
        while (stepped.PlanExpiries(Provenance.Reminder, day, maxEntries: 100) is { HasWrites: true } step)
        {
            steps.Add(stepped.Committed(step));
        }

        // An instant's entries (here at most five: two expiries, a rollover, a period, the hour grant's expiry) are
        // never split: a step ends after the instant that reaches the bound.
        Assert.All(steps, step => Assert.InRange(step.Entries.Count, 1, 104));
        Assert.True(steps.Count >= 40, $"{steps.Count} steps");
        Assert.Equal(once.Count, steps.Sum(step => step.Entries.Count));
        Assert.Equal(
            once.Select(e => (e.Version, e.Kind, e.GrantId, e.Amount, e.AvailableAfter, e.OccurredAt, e.Events)),
            steps.SelectMany(step => step.Entries).Select(e => (e.Version, e.Kind, e.GrantId, e.Amount, e.AvailableAfter, e.OccurredAt, e.Events)));
        Assert.Equal(whole.BalancesAt(day, 30), stepped.BalancesAt(day, 30));
        Assert.Equal(whole.Grants.Select(g => g.GrantId), stepped.Grants.Select(g => g.GrantId));
    }

    [Fact]
    public void Restore_FromASnapshotStillHoldingEndedGrants_HoldsWhatAReplayHolds()
    {
        var entries = new List<LedgerEntry>();
        var credits = new CustomerCredits();
        void Keep(Decision decision) => entries.AddRange(credits.Committed(decision).Entries);
        Keep(credits.PlanGrant(new GrantRequest("g1", Credits.Usd, 10m, "One", null, GrantCategory.Paid, null, Credits.Start.AddHours(1)), Credits.Api, Credits.Start));
        Keep(credits.PlanGrant(new GrantRequest("g2", Credits.Usd, 10m, "Two", null, GrantCategory.Paid, null, null), Credits.Api, Credits.Start));
        Keep(credits.PlanApply("inv_1", [new InvoiceRequestLine(Credits.Usd, 12m)], Credits.Api, Credits.Start));
        Keep(credits.PlanPay("inv_1", Credits.Api, Credits.Start.AddHours(2)));

        // A snapshot written before ended grants left memory holds every grant; its state after replay of nothing
        // more must be the same as the live one's.
        var everyGrant = new CustomerCredits();
        foreach (var entry in entries)
        {
            everyGrant.Replay(entry);
        }

        var restored = CustomerCredits.Restore(credits.Version, credits.LastOccurredAt, ReplayAll(entries), credits.PeriodsRecordedBySchedule);
        Assert.Equal(credits.Grants.Select(g => g.GrantId), restored.Grants.Select(g => g.GrantId));
        Assert.Equal(["g2"], restored.Grants.Select(g => g.GrantId));
        Assert.Equal(credits.BalancesAt(Credits.Start.AddHours(3), 30), restored.BalancesAt(Credits.Start.AddHours(3), 30));
        Assert.Equal(credits.BalancesAt(Credits.Start.AddHours(3), 30), everyGrant.BalancesAt(Credits.Start.AddHours(3), 30));
    }

    // The grants as a snapshot taken before ended grants left memory would hold them: every grant ever made.
    private static List<Grant> ReplayAll(List<LedgerEntry> entries)
    {
        var grants = new Dictionary<string, Grant>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Kind == EntryKind.Granted)
            {
                grants[entry.GrantId] = Grant.Restore(entry.Grant!, entry.Version, entry.OccurredAt, entry.Amount, 0, 0, 0, 0, false);
                continue;
            }

            var g = grants[entry.GrantId];
            grants[entry.GrantId] = entry.Kind switch
            {
                EntryKind.Applied => Grant.Restore(g.Terms, g.CreatedVersion, g.CreatedAt, g.Remaining + entry.Amount, g.Pending - entry.Amount, g.Consumed, g.Expired, g.Voided, g.IsVoided),
                EntryKind.Paid => Grant.Restore(g.Terms, g.CreatedVersion, g.CreatedAt, g.Remaining, g.Pending - entry.Consumed, g.Consumed + entry.Consumed, g.Expired, g.Voided, g.IsVoided),
                EntryKind.Expired => Grant.Restore(g.Terms, g.CreatedVersion, g.CreatedAt, g.Remaining + entry.Amount, g.Pending, g.Consumed, g.Expired - entry.Amount, g.Voided, g.IsVoided),
                _ => throw new InvalidOperationException($"{entry.Kind} is not used here."),
            };
        }

        return [.. grants.Values];
    }
}
