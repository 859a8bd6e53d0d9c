using static CreditLedger.Domain.Tests.Credits;

namespace CreditLedger.Domain.Tests;

/// <summary>Grant pages (newest first, by status, with the cursor of the next page) and low-balance thresholds.</summary>
public sealed class GrantPageAndThresholdTests
{
    [Fact]
    public void GrantPage_NewestFirst_PagesByCreationVersion()
    {
        var credits = new CustomerCredits();
        foreach (var id in new[] { "grt_a", "grt_b", "grt_c" })
        {
            credits.Grant(id, 10m, Start);
        }

        var (first, next) = credits.GrantPage(null, null, 2, Start);
        var (second, last) = credits.GrantPage(null, next, 2, Start);

        Assert.Equal(["grt_c", "grt_b"], first.Select(g => g.GrantId));
        Assert.Equal(2L, next);
        Assert.Equal(["grt_a"], second.Select(g => g.GrantId));
        Assert.Null(last);
    }

    [Fact]
    public void GrantPage_ByStatus_AtTheInstant()
    {
        var credits = new CustomerCredits();
        credits.Grant("grt_short", 10m, Start, expiresAt: Start.AddDays(1));
        credits.Grant("grt_gone", 10m, Start, expiresAt: Start.AddDays(1), priority: 90);
        credits.Grant("grt_long", 10m, Start, priority: 95);
        credits.Apply("inv_1", 4m, Start);

        Assert.Equal(["grt_long", "grt_gone", "grt_short"], credits.GrantPage(GrantStatus.Active, null, 10, Start).Page.Select(g => g.GrantId));
        // Expired with credits still pending: it can change again, so it stays. grt_gone has ended and left memory.
        Assert.Equal(["grt_short"], credits.GrantPage(GrantStatus.Expired, null, 10, Start.AddDays(2)).Page.Select(g => g.GrantId));
    }

    [Theory]
    [InlineData(-0.01, "USD")]
    [InlineData(10.001, "USD")]
    [InlineData(1.5, "JPY")]
    [InlineData(1_000_000_000_001, "USD")]
    public void ThresholdError_OutOfRangeOrTooPrecise_Explains(double threshold, string currency)
    {
        Assert.NotNull(CustomerCredits.ThresholdError(CreditType.Currency(currency), (decimal)threshold));
        Assert.Throws<LedgerInvariantException>(() => new CustomerCredits().SetLowBalanceThreshold(CreditType.Currency(currency), (decimal)threshold));
    }

    [Fact]
    public void ThresholdError_ZeroAndCents_None()
    {
        Assert.Null(CustomerCredits.ThresholdError(Usd, 0m));
        Assert.Null(CustomerCredits.ThresholdError(Usd, 10.25m));
    }
}
