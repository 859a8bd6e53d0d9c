namespace CreditLedger.Domain.Tests;

/// <summary>
/// Automatic top-up requests: a command or reminder that leaves available below the rule's threshold records one
/// request (once while it is outstanding) on its last entry of the credit type, for what brings available to the
/// target; a grant naming it fulfils it and a fail fails it, either re-arming the rule; nothing else requests.
/// </summary>
public sealed class TopUpTests
{
    private static readonly TopUpRule Rule = new(10m, 50m);

    [Fact]
    public void Crossing_RequestsOnce_OnTheCommandsLastEntry_ForTheAmountToTheTarget()
    {
        var credits = WithRule();
        credits.Grant("g1", 30m, Credits.Start);

        var apply = credits.Apply("inv_1", 25m, Credits.Start.AddMinutes(1));
        var again = credits.Apply("inv_2", 1m, Credits.Start.AddMinutes(2));

        var entry = Assert.Single(apply.Entries);
        Assert.Equal(EntryEvents.Own | EntryEvents.TopUpRequested, entry.Events);
        Assert.Equal(new TopUpRequest("tur_2", Credits.Usd, 45m, 5m, 10m, 2, Credits.Start.AddMinutes(1)), entry.TopUp);
        Assert.Equal([CreditEventType.Applied, CreditEventType.TopUpRequested], apply.Events.Select(e => e.Type));
        Assert.Empty(again.RequestedTopUps);
        Assert.Equal("tur_2", credits.OutstandingTopUp(Credits.Usd)!.RequestId);
    }

    [Fact]
    public void Fulfilled_ByAGrantNamingIt_ReArms_AndAGrantStillBelowRequestsAgainAtOnce()
    {
        var credits = WithRule();
        credits.Grant("g1", 30m, Credits.Start);
        credits.Apply("inv_1", 25m, Credits.Start);

        var small = credits.Committed(credits.PlanGrant(TopUp("g_small", 2m, "tur_2"), Credits.Api, Credits.Start.AddMinutes(1)));

        // 7 is still below 10: the fulfilling grant's own entry requests again, for 43.
        Assert.Equal(new TopUpOutcome("tur_2", Credits.Usd, "g_small", null, Credits.Start.AddMinutes(1)), small.EndedTopUp);
        Assert.Equal(("tur_3", 43m), (small.Entries[0].TopUp!.RequestId, small.Entries[0].TopUp!.Amount));
        var full = credits.Committed(credits.PlanGrant(TopUp("g_full", 43m, "tur_3"), Credits.Api, Credits.Start.AddMinutes(2)));
        Assert.Empty(full.RequestedTopUps);
        Assert.Null(credits.OutstandingTopUp(Credits.Usd));

        // Drawn from three grants: the request sits on the last of the three entries.
        var crossed = credits.Apply("inv_2", 45m, Credits.Start.AddMinutes(3));
        Assert.Equal(3, crossed.Entries.Count);
        Assert.Equal(("tur_7", 45m), (crossed.Entries[^1].TopUp!.RequestId, crossed.Entries[^1].TopUp!.Amount));
        Assert.Single(crossed.RequestedTopUps);
    }

    [Fact]
    public void Failed_WritesNoEntry_NeverRequests_AndReArms()
    {
        var credits = WithRule();
        credits.Grant("g1", 30m, Credits.Start);
        credits.Apply("inv_1", 25m, Credits.Start);
        var version = credits.Version;

        var failed = credits.Committed(credits.PlanFailTopUp(Credits.Usd, "tur_2", "Card declined", Credits.Start.AddMinutes(1)));
        var twice = credits.PlanFailTopUp(Credits.Usd, "tur_2", "Card declined", Credits.Start.AddMinutes(1));

        Assert.Equal((new TopUpOutcome("tur_2", Credits.Usd, null, "Card declined", Credits.Start.AddMinutes(1)), 0, version), (failed.EndedTopUp, failed.Entries.Count, credits.Version));
        Assert.Null(credits.OutstandingTopUp(Credits.Usd));
        Assert.Equal(Rejection.TopUpRequestNotOutstanding, twice.Rejection);
        var next = credits.Apply("inv_2", 1m, Credits.Start.AddMinutes(2));
        Assert.Equal(("tur_3", 46m), (next.Entries[^1].TopUp!.RequestId, next.Entries[^1].TopUp!.Amount));
    }

    [Fact]
    public void GrantNamingARequestNotOutstanding_OrOfAnotherCreditType_IsRefused()
    {
        var credits = WithRule();
        credits.Grant("g1", 30m, Credits.Start);
        credits.Apply("inv_1", 25m, Credits.Start);

        var unknown = credits.PlanGrant(TopUp("g_x", 5m, "tur_99"), Credits.Api, Credits.Start);
        var otherType = credits.PlanGrant(TopUp("g_y", 5m, "tur_2") with { CreditType = Credits.ApiCalls }, Credits.Api, Credits.Start);

        Assert.Equal((Rejection.TopUpRequestNotOutstanding, Rejection.TopUpRequestNotOutstanding), (unknown.Rejection, otherType.Rejection));
        Assert.Equal("tur_2", credits.OutstandingTopUp(Credits.Usd)!.RequestId);
    }

    [Fact]
    public void SettingTheRule_AndReads_NeverRequest_ButAReminderBelowTheThresholdDoes()
    {
        var credits = new CustomerCredits();
        credits.Grant("g_short", 8m, Credits.Start, expiresAt: Credits.Start.AddHours(1));
        credits.Grant("g_long", 20m, Credits.Start);
        credits.SetTopUpRule(Credits.Usd, new TopUpRule(25m, 100m));
        // A read after the expiry sees 20, below 25, and requests nothing.
        Assert.Equal(20m, credits.Balance(Credits.Start.AddHours(2)).Available);
        Assert.Null(credits.OutstandingTopUp(Credits.Usd));

        var reminder = credits.Committed(credits.PlanExpiries(Provenance.Reminder, Credits.Start.AddHours(2)));

        Assert.Equal(("tur_3", 80m, 20m), (reminder.Entries[^1].TopUp!.RequestId, reminder.Entries[^1].TopUp!.Amount, reminder.Entries[^1].TopUp!.Available));
        Assert.NotNull(TopUpRuleErrorOf(new TopUpRule(10m, 10m)));
        Assert.NotNull(TopUpRuleErrorOf(new TopUpRule(10.001m, 20m)));
        Assert.Null(TopUpRuleErrorOf(new TopUpRule(0m, 0.01m)));
    }

    private static string? TopUpRuleErrorOf(TopUpRule rule) => CustomerCredits.TopUpRuleError(Credits.Usd, rule);

    private static CustomerCredits WithRule()
    {
        var credits = new CustomerCredits();
        credits.SetTopUpRule(Credits.Usd, Rule);
        return credits;
    }

    private static GrantRequest TopUp(string grantId, decimal amount, string requestId) =>
        new(grantId, Credits.Usd, amount, "Top-up", null, GrantCategory.Paid, null, null) { TopUpRequestId = requestId };
}
