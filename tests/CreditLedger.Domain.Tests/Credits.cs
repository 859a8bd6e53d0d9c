namespace CreditLedger.Domain.Tests;

/// <summary>Builders for domain tests: a customer's credits driven command by command at explicit instants.</summary>
internal static class Credits
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly CreditType Usd = CreditType.Currency("USD");

    public static readonly CreditType Jpy = CreditType.Currency("JPY");

    public static readonly CreditType ApiCalls = CreditType.Unit("api_calls");

    public static readonly Provenance Api = new("key:test", "api", "req_1", null);

    /// <summary>Plans and commits a grant, asserting it was accepted.</summary>
    public static Decision Grant(
        this CustomerCredits credits,
        string grantId,
        decimal amount,
        DateTimeOffset at,
        CreditType? creditType = null,
        DateTimeOffset? expiresAt = null,
        int? priority = null,
        GrantCategory category = GrantCategory.Paid,
        DateTimeOffset? effectiveAt = null)
    {
        var decision = credits.PlanGrant(
            new GrantRequest(grantId, creditType ?? Usd, amount, "Welcome credit", priority, category, effectiveAt, expiresAt), Api, at);
        return credits.Committed(decision);
    }

    /// <summary>Plans and commits an apply of a currency total.</summary>
    public static Decision Apply(this CustomerCredits credits, string invoiceId, decimal total, DateTimeOffset at, CreditType? creditType = null) =>
        credits.Committed(credits.PlanApply(invoiceId, [new InvoiceRequestLine(creditType ?? Usd, total)], Api, at));

    /// <summary>Commits a decision that changes something; returns it for assertions.</summary>
    public static Decision Committed(this CustomerCredits credits, Decision decision)
    {
        Assert.True(decision.Outcome == DecisionOutcome.Changed, $"Expected a change, got {decision.Outcome} {decision.Rejection}: {decision.RejectionDetail}");
        credits.Commit(decision);
        return decision;
    }

    /// <summary>The balance of one credit type, or a zero balance when the customer has none.</summary>
    public static CreditBalance Balance(this CustomerCredits credits, DateTimeOffset at, CreditType? creditType = null, int expiringWithinDays = 30)
    {
        var type = creditType ?? Usd;
        return credits.BalancesAt(at, expiringWithinDays).SingleOrDefault(b => b.CreditType == type)
            ?? new CreditBalance(type, 0, 0, 0, 0, 0, 0, 0);
    }
}
