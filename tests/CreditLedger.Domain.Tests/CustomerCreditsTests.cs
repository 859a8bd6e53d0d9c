namespace CreditLedger.Domain.Tests;

/// <summary>The rules of section "Rules" one by one: drawdown order, expiry boundaries, invoices, voids, entries and events.</summary>
public sealed class CustomerCreditsTests
{
    private static readonly DateTimeOffset T = Credits.Start;

    [Fact]
    public void Apply_LowerPriority_DrawnBeforeSoonerExpiry()
    {
        var credits = new CustomerCredits();
        credits.Grant("soon", 10m, T, expiresAt: T.AddDays(1), priority: 60);
        credits.Grant("later", 10m, T, expiresAt: T.AddDays(30), priority: 10);

        var decision = credits.Apply("inv", 5m, T);

        Assert.Equal("later", Assert.Single(decision.Invoice!.Applications).GrantId);
    }

    [Fact]
    public void Apply_NeverExpiring_DrawnAfterExpiring()
    {
        var credits = new CustomerCredits();
        credits.Grant("never", 10m, T);
        credits.Grant("expiring", 10m, T, expiresAt: T.AddDays(365));

        var decision = credits.Apply("inv", 5m, T);

        Assert.Equal("expiring", Assert.Single(decision.Invoice!.Applications).GrantId);
    }

    [Fact]
    public void Apply_SameExpiry_PromotionalBeforePaid_ThenOlderFirst()
    {
        var credits = new CustomerCredits();
        credits.Grant("paid", 10m, T, expiresAt: T.AddDays(10));
        credits.Grant("promo-new", 10m, T.AddSeconds(2), expiresAt: T.AddDays(10), category: GrantCategory.Promotional);
        credits.Grant("promo-old", 10m, T.AddSeconds(1), expiresAt: T.AddDays(10), category: GrantCategory.Promotional, effectiveAt: T);

        var decision = credits.Apply("inv", 30m, T.AddSeconds(3));

        Assert.Equal(["promo-old", "promo-new", "paid"], decision.Invoice!.Applications.Select(a => a.GrantId).ToArray());
    }

    [Fact]
    public void Apply_TwoGrantsSameTerms_DrawsOlderFirst()
    {
        var credits = new CustomerCredits();
        credits.Grant("first", 10m, T, effectiveAt: T);
        credits.Grant("second", 10m, T, effectiveAt: T);

        var decision = credits.Apply("inv", 5m, T);

        Assert.Equal("first", Assert.Single(decision.Invoice!.Applications).GrantId);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    public void Available_AroundExpiresAt_HalfOpenInterval(long ticksFromExpiry, int expectedAvailable)
    {
        var credits = new CustomerCredits();
        var expiresAt = T.AddDays(10);
        credits.Grant("g", 10m, T, expiresAt: expiresAt);

        var at = expiresAt.AddTicks(ticksFromExpiry);

        Assert.Equal(expectedAvailable, credits.Balance(at).Available);
        Assert.Equal(10 - expectedAvailable, credits.Balance(at).Expired);
        Assert.Equal(expectedAvailable == 0 ? GrantStatus.Expired : GrantStatus.Active, credits.FindGrant("g")!.StatusAt(at));
    }

    [Theory]
    [InlineData(-1, 10, 0)]
    [InlineData(0, 0, 1)]
    [InlineData(1, 0, 1)]
    public void Apply_AroundExpiresAt_RecordsExpiryFirstOnlyWhenDue(long ticksFromExpiry, int expectedApplied, int expectedExpiryEntries)
    {
        var credits = new CustomerCredits();
        var expiresAt = T.AddDays(10);
        credits.Grant("g", 10m, T, expiresAt: expiresAt);

        var decision = credits.Apply("inv", 10m, expiresAt.AddTicks(ticksFromExpiry));

        Assert.Equal(expectedApplied, decision.Invoice!.Lines[0].Applied);
        Assert.Equal(expectedExpiryEntries, decision.Entries.Count(e => e.Kind == EntryKind.Expired));
        if (expectedExpiryEntries == 1)
        {
            Assert.Equal(EntryKind.Expired, decision.Entries[0].Kind);
            Assert.Equal(expiresAt, decision.Entries[0].OccurredAt);
            Assert.Equal(Provenance.EngineActor, decision.Entries[0].Provenance.Actor);
        }
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    public void Available_AroundEffectiveAt_ScheduledUntilEffective(long ticksFromEffective, int expectedAvailable)
    {
        var credits = new CustomerCredits();
        var effectiveAt = T.AddDays(1);
        credits.Grant("g", 10m, T, effectiveAt: effectiveAt);

        var at = effectiveAt.AddTicks(ticksFromEffective);

        Assert.Equal(expectedAvailable, credits.Balance(at).Available);
        Assert.Equal(expectedAvailable == 0 ? GrantStatus.Scheduled : GrantStatus.Active, credits.FindGrant("g")!.StatusAt(at));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    public void ExpiringSoon_AroundHorizon_IncludesExpiryAtHorizon(long ticksFromHorizon, int expected)
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 10m, T, expiresAt: T.AddDays(30).AddTicks(ticksFromHorizon));

        Assert.Equal(expected, credits.Balance(T, expiringWithinDays: 30).ExpiringSoon);
    }

    [Fact]
    public void Apply_SeveralCreditTypes_CoversEachSeparately()
    {
        var credits = new CustomerCredits();
        credits.Grant("usd", 50m, T);
        credits.Grant("calls", 10_000m, T, creditType: Credits.ApiCalls);

        var decision = credits.Committed(credits.PlanApply(
            "inv", [new InvoiceRequestLine(Credits.Usd, 150m), new InvoiceRequestLine(Credits.ApiCalls, 12_000m)], Credits.Api, T));

        Assert.Equal([(50m, 100m), (10_000m, 2_000m)], decision.Invoice!.Lines.Select(l => (l.Applied, l.Due)).ToArray());
        Assert.Equal(2, decision.Entries.Count);
        Assert.Equal(2, decision.VersionAfter - decision.VersionBefore);
    }

    [Fact]
    public void Apply_SameRequestAgain_AlreadyDoneWithOriginalInvoice_DifferentRequestRejected()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 50m, T);
        var first = credits.Apply("inv", 20m, T);
        credits.Committed(credits.PlanPay("inv", Credits.Api, T.AddMinutes(1)));
        var paidInvoice = first.Invoice! with { Status = InvoiceStatus.Paid };

        var again = credits.PlanApply("inv", [new InvoiceRequestLine(Credits.Usd, 20.00m)], Credits.Api, T.AddMinutes(2), paidInvoice);
        var different = credits.PlanApply("inv", [new InvoiceRequestLine(Credits.Usd, 21m)], Credits.Api, T.AddMinutes(2), paidInvoice);

        Assert.Equal(DecisionOutcome.AlreadyDone, again.Outcome);
        Assert.Equal(InvoiceStatus.Pending, again.Invoice!.Status);
        Assert.Equal(first.VersionAfter, again.Invoice.AppliedVersion);
        Assert.Empty(again.Entries);
        Assert.Equal(Rejection.InvoiceAlreadyApplied, different.Rejection);
    }

    [Fact]
    public void Pay_MovesPendingToConsumed_TwiceIsAlreadyDone_VoidAfterIsConflict()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 50m, T);
        credits.Apply("inv", 20m, T);

        var pay = credits.Committed(credits.PlanPay("inv", Credits.Api, T));
        var paid = pay.Invoice!;

        var entry = Assert.Single(pay.Entries);
        Assert.Equal((EntryKind.Paid, 0m, 20m), (entry.Kind, entry.Amount, entry.Consumed));
        Assert.Equal((0m, 20m), (credits.Balance(T).Pending, credits.Balance(T).Consumed));
        Assert.Equal(DecisionOutcome.AlreadyDone, credits.PlanPay("inv", Credits.Api, T, paid).Outcome);
        Assert.Equal(Rejection.InvoiceStateConflict, credits.PlanVoidInvoice("inv", Credits.Api, T, paid).Rejection);
        Assert.Empty(credits.PendingInvoices);
    }

    [Fact]
    public void VoidInvoice_ReinstatesIntoActiveGrant_TwiceIsAlreadyDone_PayAfterIsConflict()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 50m, T);
        credits.Apply("inv", 20m, T);

        var voided = credits.Committed(credits.PlanVoidInvoice("inv", Credits.Api, T)).Invoice!;

        Assert.Equal(50m, credits.Balance(T).Available);
        Assert.Equal(DecisionOutcome.AlreadyDone, credits.PlanVoidInvoice("inv", Credits.Api, T, voided).Outcome);
        Assert.Equal(Rejection.InvoiceStateConflict, credits.PlanPay("inv", Credits.Api, T, voided).Rejection);
        Assert.Equal(Rejection.InvoiceNotFound, credits.PlanPay("other", Credits.Api, T).Rejection);
    }

    [Fact]
    public void VoidInvoice_GrantExpiredSince_ReinstatesThenExpiresAtOnce()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 50m, T, expiresAt: T.AddDays(1));
        credits.Apply("inv", 50m, T);
        var later = T.AddDays(2);

        var decision = credits.Committed(credits.PlanVoidInvoice("inv", Credits.Api, later));

        Assert.Equal(
            [(EntryKind.Reinstated, 50m, 0m), (EntryKind.Expired, -50m, 0m)],
            decision.Entries.Select(e => (e.Kind, e.Amount, e.AvailableAfter)).ToArray());
        Assert.All(decision.Entries, e => Assert.Equal(later, e.OccurredAt));
        Assert.Equal((0m, 0m, 50m), (credits.Balance(later).Available, credits.Balance(later).Pending, credits.Balance(later).Expired));
        Assert.DoesNotContain(decision.Events, e => e.Type == CreditEventType.BalanceDepleted);
    }

    [Fact]
    public void VoidInvoice_GrantVoidedSince_ReinstatesThenVoidsAtOnce()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 50m, T);
        credits.Apply("inv", 30m, T);
        credits.Committed(credits.PlanVoidGrant("g", "Fraud", Credits.Api, T));

        var decision = credits.Committed(credits.PlanVoidInvoice("inv", Credits.Api, T));

        Assert.Equal([EntryKind.Reinstated, EntryKind.Voided], decision.Entries.Select(e => e.Kind).ToArray());
        Assert.Equal((0m, 0m, 50m), (credits.Balance(T).Available, credits.Balance(T).Pending, credits.Balance(T).Voided));
    }

    [Fact]
    public void VoidGrant_Depleted_VoidsZero_Scheduled_VoidsAll_Twice_Rejected()
    {
        var credits = new CustomerCredits();
        credits.Grant("depleted", 10m, T);
        credits.Apply("inv", 10m, T);
        credits.Grant("scheduled", 10m, T, effectiveAt: T.AddDays(1));

        var depleted = credits.Committed(credits.PlanVoidGrant("depleted", "Cleanup", Credits.Api, T));
        var scheduled = credits.Committed(credits.PlanVoidGrant("scheduled", "Cancelled", Credits.Api, T));

        Assert.Equal(0m, Assert.Single(depleted.Entries).Amount);
        Assert.Equal(-10m, Assert.Single(scheduled.Entries).Amount);
        Assert.Equal(Rejection.GrantNotActive, credits.PlanVoidGrant("depleted", "Again", Credits.Api, T).Rejection);
        Assert.Equal(Rejection.GrantNotFound, credits.PlanVoidGrant("nope", "Why", Credits.Api, T).Rejection);
        Assert.Throws<ArgumentException>("reason", () => credits.PlanVoidGrant("scheduled", " ", Credits.Api, T));
    }

    [Fact]
    public void PlanGrant_InstantsNotValidNow_RejectedNamingTheField()
    {
        var credits = new CustomerCredits();
        GrantRequest Valid() => new("g", Credits.Usd, 10m, "Reason", null, GrantCategory.Paid, null, null);

        Assert.Equal("expiresAt", credits.PlanGrant(Valid() with { ExpiresAt = T }, Credits.Api, T).RejectionField);
        Assert.Equal("expiresAt", credits.PlanGrant(Valid() with { EffectiveAt = T.AddDays(2), ExpiresAt = T.AddDays(2) }, Credits.Api, T).RejectionField);
        Assert.Equal("effectiveAt", credits.PlanGrant(Valid() with { EffectiveAt = T.AddMinutes(-5).AddTicks(-1) }, Credits.Api, T).RejectionField);
        Assert.Equal(0, credits.Version);
        Assert.Equal(DecisionOutcome.Changed, credits.PlanGrant(Valid() with { EffectiveAt = T.AddMinutes(-5) }, Credits.Api, T).Outcome);
    }

    [Fact]
    public void PlanGrant_ValuesTheEdgeValidates_ThrownBackAsTheCallersBug()
    {
        var credits = new CustomerCredits();
        GrantRequest Valid() => new("g", Credits.Usd, 10m, "Reason", null, GrantCategory.Paid, null, null);

        Assert.Throws<ArgumentOutOfRangeException>(() => credits.PlanGrant(Valid() with { Amount = 10.001m }, Credits.Api, T));
        Assert.Throws<ArgumentOutOfRangeException>(() => credits.PlanGrant(Valid() with { Amount = 0m }, Credits.Api, T));
        Assert.Throws<ArgumentOutOfRangeException>(() => credits.PlanGrant(Valid() with { Amount = LedgerLimits.MaxAmount + 1 }, Credits.Api, T));
        Assert.Throws<ArgumentOutOfRangeException>(() => credits.PlanGrant(Valid() with { Priority = 101 }, Credits.Api, T));
        Assert.Throws<ArgumentException>(() => credits.PlanGrant(Valid() with { Reason = new string('r', 501) }, Credits.Api, T));
        Assert.Throws<ArgumentException>(() => credits.PlanApply("inv", [], Credits.Api, T));
        Assert.Throws<ArgumentException>(() => credits.PlanApply("inv", [new(Credits.Usd, 1m), new(Credits.Usd, 2m)], Credits.Api, T));
        Assert.Throws<ArgumentOutOfRangeException>(() => credits.PlanApply("inv", [new(Credits.Usd, 1.001m)], Credits.Api, T));
        Assert.Equal(0, credits.Version);
    }

    [Fact]
    public void Entries_NumberedGaplessAndCarryAvailableAfter()
    {
        var credits = new CustomerCredits();
        credits.Grant("a", 10m, T, expiresAt: T.AddDays(1));
        credits.Grant("b", 10m, T);

        var decision = credits.Apply("inv", 15m, T.AddDays(2));

        Assert.Equal([3L, 4L], decision.Entries.Select(e => e.Version).ToArray());
        Assert.Equal(
            [(EntryKind.Expired, -10m, 10m), (EntryKind.Applied, -10m, 0m)],
            decision.Entries.Select(e => (e.Kind, e.Amount, e.AvailableAfter)).ToArray());
        Assert.Equal(4, credits.Version);
        Assert.Equal(5m, decision.Invoice!.Lines[0].Due);
    }

    [Fact]
    public void Events_DepletedWhenAvailableReachesZero_OncePerCrossing()
    {
        var credits = new CustomerCredits();
        var grant = credits.Grant("g", 10m, T);
        var partial = credits.Apply("inv1", 4m, T);
        var depleting = credits.Apply("inv2", 6m, T);

        Assert.Equal([CreditEventType.Granted], grant.Events.Select(e => e.Type).ToArray());
        Assert.Equal([CreditEventType.Applied], partial.Events.Select(e => e.Type).ToArray());
        Assert.Equal([CreditEventType.Applied, CreditEventType.BalanceDepleted], depleting.Events.Select(e => e.Type).ToArray());
        Assert.Equal((0m, 10m), (depleting.Events[1].Available, depleting.Events[1].Pending));
    }

    [Fact]
    public void Events_SimultaneousExpiries_StepDownAndDepleteOnce()
    {
        var credits = new CustomerCredits();
        var expiresAt = T.AddDays(5);
        credits.Grant("a", 10m, T, expiresAt: expiresAt);
        credits.Grant("b", 5m, T, expiresAt: expiresAt);

        var decision = credits.Committed(credits.PlanExpiries(Provenance.Reminder, expiresAt.AddHours(1)));

        Assert.Equal([5m, 0m], decision.Entries.Select(e => e.AvailableAfter).ToArray());
        Assert.Equal(
            [CreditEventType.Expired, CreditEventType.Expired, CreditEventType.BalanceDepleted],
            decision.Events.Select(e => e.Type).ToArray());
        Assert.All(decision.Entries, e => Assert.Equal(expiresAt, e.OccurredAt));
        Assert.All(decision.Entries, e => Assert.Equal(Provenance.ReminderSource, e.Provenance.Source));
    }

    [Fact]
    public void Events_LowBalance_FiresOnCrossingAndRearmsAboveThreshold()
    {
        var credits = new CustomerCredits();
        credits.SetLowBalanceThreshold(Credits.Usd, 10m);
        credits.Grant("g", 30m, T);

        var crossing = credits.Apply("inv1", 25m, T);
        var stillLow = credits.Apply("inv2", 1m, T);
        credits.Committed(credits.PlanVoidInvoice("inv1", Credits.Api, T));
        var again = credits.Apply("inv3", 22m, T);

        var low = Assert.Single(crossing.Events, e => e.Type == CreditEventType.BalanceLow);
        Assert.Equal((5m, 10m), (low.Available, low.Threshold!.Value));
        Assert.DoesNotContain(stillLow.Events, e => e.Type == CreditEventType.BalanceLow);
        Assert.Single(again.Events, e => e.Type == CreditEventType.BalanceLow);
    }

    [Fact]
    public void Commands_ClockBehindLatestEntry_EvaluatedAtLatestEntry()
    {
        var credits = new CustomerCredits();
        credits.Grant("g", 10m, T.AddHours(1));

        var decision = credits.Apply("inv", 5m, T);

        Assert.Equal(T.AddHours(1), decision.Entries[0].OccurredAt);
    }

    [Fact]
    public void Commit_DecisionFromOlderVersion_Throws()
    {
        var credits = new CustomerCredits();
        var stale = credits.PlanGrant(new GrantRequest("a", Credits.Usd, 1m, "r", null, GrantCategory.Paid, null, null), Credits.Api, T);
        credits.Grant("b", 1m, T);

        Assert.Throws<InvalidOperationException>(() => credits.Commit(stale));
    }

    [Fact]
    public void Replay_EntryOutOfOrder_ThrowsInvariant()
    {
        var credits = new CustomerCredits();
        var decision = credits.Grant("g", 10m, T);
        var replayed = new CustomerCredits();

        Assert.Throws<LedgerInvariantException>(() => replayed.Replay(decision.Entries[0] with { Version = 2 }));
    }

    [Fact]
    public void Apply_ManyGrants_StopsAtApplicationLimitAndReportsRestDue()
    {
        var credits = new CustomerCredits();
        for (var i = 0; i < LedgerLimits.MaxApplicationsPerInvoice + 1; i++)
        {
            credits.Grant($"g{i}", 1m, T);
        }

        var decision = credits.Apply("inv", 1_000m, T);

        Assert.Equal(LedgerLimits.MaxApplicationsPerInvoice, decision.Invoice!.Applications.Count);
        Assert.Equal(1_000m - LedgerLimits.MaxApplicationsPerInvoice, decision.Invoice.Lines[0].Due);
    }
}
