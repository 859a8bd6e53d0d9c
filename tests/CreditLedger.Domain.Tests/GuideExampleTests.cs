namespace CreditLedger.Domain.Tests;

/// <summary>The examples of the product guide, as exact assertions on the domain.</summary>
public sealed class GuideExampleTests
{
    private static readonly DateTimeOffset T = Credits.Start;

    [Fact]
    public void Apply_InvoiceLargerThanAvailable_AppliesAvailableAndReportsRestDue()
    {
        var credits = new CustomerCredits();
        credits.Grant("welcome", 50.00m, T);

        var decision = credits.Apply("inv_1", 150.00m, T.AddHours(1));

        var line = Assert.Single(decision.Invoice!.Lines);
        Assert.Equal(50.00m, line.Applied);
        Assert.Equal(100.00m, line.Due);
        Assert.Equal(0m, credits.Balance(T.AddHours(1)).Available);
        Assert.Equal(50.00m, credits.Balance(T.AddHours(1)).Pending);
    }

    [Fact]
    public void Apply_ThreeGrantsExpiringIn10_20_90Days_DrawsSoonestFirst()
    {
        var credits = new CustomerCredits();
        credits.Grant("d90", 30m, T, expiresAt: T.AddDays(90));
        credits.Grant("d10", 30m, T, expiresAt: T.AddDays(10));
        credits.Grant("d20", 30m, T, expiresAt: T.AddDays(20));

        var decision = credits.Apply("inv_1", 75m, T.AddDays(1));

        Assert.Equal(
            [("d10", 30m), ("d20", 30m), ("d90", 15m)],
            decision.Invoice!.Applications.Select(a => (a.GrantId, a.Amount)).ToArray());
    }

    [Fact]
    public void VoidGrant_PartlyApplied_RemovesRemainingAndLeavesAppliedPending()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 100m, T);
        credits.Apply("inv_1", 30m, T.AddMinutes(1));

        var decision = credits.Committed(credits.PlanVoidGrant("g", "Duplicate grant", Credits.Api, T.AddMinutes(2)));

        var entry = Assert.Single(decision.Entries);
        Assert.Equal(EntryKind.Voided, entry.Kind);
        Assert.Equal(-70m, entry.Amount);
        var balance = credits.Balance(T.AddMinutes(2));
        Assert.Equal(0m, balance.Available);
        Assert.Equal(30m, balance.Pending);
        Assert.Equal(70m, balance.Voided);
        Assert.Equal(GrantStatus.Voided, credits.FindGrant("g")!.StatusAt(T.AddMinutes(2)));
    }

    [Fact]
    public void Expiry_ExpiredCredits_CannotBeRecoveredByApplyOrVoidGrant()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 25m, T, expiresAt: T.AddDays(90));
        var after = T.AddDays(90);

        var apply = credits.Apply("inv_1", 10m, after);
        var voidGrant = credits.PlanVoidGrant("g", "Too late", Credits.Api, after);

        Assert.Equal(0m, apply.Invoice!.Lines[0].Applied);
        Assert.Equal([EntryKind.Expired], apply.Entries.Select(e => e.Kind).ToArray());
        Assert.Equal(after, apply.Entries[0].OccurredAt);
        // Expired with nothing pending, the grant has ended and left memory: the grain answers grant_not_active from the ledger.
        Assert.Equal(Rejection.GrantNotFound, voidGrant.Rejection);
        Assert.Null(credits.FindGrant("g"));
        Assert.Equal(25m, credits.Balance(after).Expired);
        Assert.Equal(25m, credits.Balance(after).Granted);
        Assert.Equal(0m, credits.Balance(after).Available);
    }
}
