using System.Text.Json;
using CreditLedger.Domain;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// Event bodies of credit programs, rendered from the entries that carry them: a schedule's grants name their
/// schedule, period and rollover source in <c>data.grant</c>; a top-up request adds its id, amount, available and
/// threshold; other grants name none of it.
/// </summary>
public sealed class CreditEventPayloadsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CustomerId Acme = CustomerId.Parse("acme");
    private static readonly Provenance Api = new("key:test", "api", null, null);

    [Fact]
    public void ScheduleGrants_NameScheduleAndPeriod_RolloversTheirSource_OtherGrantsNeither()
    {
        var credits = new CustomerCredits();
        credits.Commit(credits.PlanGrant(new GrantRequest("grt_plain", CreditType.Unit("api_calls"), 5m, "Plain", null, GrantCategory.Paid, null, null), Api, At));
        credits.Commit(credits.PlanCreateSchedule(
            new ScheduleRequest("sch_p", CreditType.Unit("api_calls"), 100m, "Allowance", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromHours(1)), At, null, 30m),
            Api,
            At));
        var boundary = credits.PlanExpiries(Provenance.Reminder, At.AddHours(1));

        var plain = Grant(credits.PlanGrant(new GrantRequest("grt_more", CreditType.Unit("api_calls"), 1m, "More", null, GrantCategory.Paid, null, null), Api, At).Entries[0]);
        var rollover = Grant(boundary.Entries.Single(e => e.GrantId == "sch_p:r1"));
        var period = Grant(boundary.Entries.Single(e => e.GrantId == "sch_p:p1"));

        Assert.False(plain.TryGetProperty("scheduleId", out _));
        Assert.False(plain.TryGetProperty("period", out _));
        Assert.Equal(("sch_p", 1, "sch_p:p0", "30", "Rollover: Allowance"), (rollover.GetProperty("scheduleId").GetString(), rollover.GetProperty("period").GetInt32(), rollover.GetProperty("rolloverOf").GetString(), rollover.GetProperty("amount").GetString(), rollover.GetProperty("reason").GetString()));
        Assert.Equal(("sch_p", 1), (period.GetProperty("scheduleId").GetString(), period.GetProperty("period").GetInt32()));
        Assert.False(period.TryGetProperty("rolloverOf", out _));
    }

    [Fact]
    public void TopUpRequested_AddsRequestAmountAvailableAndThreshold()
    {
        var credits = new CustomerCredits();
        credits.SetTopUpRule(CreditType.Currency("USD"), new TopUpRule(10m, 50m));
        credits.Commit(credits.PlanGrant(new GrantRequest("grt_1", CreditType.Currency("USD"), 12m, "Welcome", null, GrantCategory.Paid, null, null), Api, At));
        var apply = credits.PlanApply("inv_1", [new InvoiceRequestLine(CreditType.Currency("USD"), 4.5m)], Api, At);
        var requested = apply.Events.Single(e => e.Type == CreditEventType.TopUpRequested);

        using var json = JsonDocument.Parse(CreditEventPayloads.Render(Acme, "evt_x", requested, null, At));
        var data = json.RootElement.GetProperty("data");

        Assert.Equal("account.credits.top_up_requested", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(("tur_2", "42.50", "7.50", "10.00"), (data.GetProperty("requestId").GetString(), data.GetProperty("amount").GetString(), data.GetProperty("available").GetString(), data.GetProperty("threshold").GetString()));
        Assert.Equal("7.50", data.GetProperty("balance").GetProperty("available").GetString());
    }

    [Fact]
    public void EventId_IsTheFirstHalfOfTheSha256OfCustomerVersionAndType()
    {
        // Deliveries recorded before an upgrade are matched by these ids, so their form may never change.
        Assert.Equal("evt_c92109bcbda19116cdede0bf59b116f4", CreditEventPayloads.EventId(Acme, 7, CreditEventType.Granted));
        Assert.Equal(
            "evt_911d20950f777154eae1de47ef2ea94d",
            CreditEventPayloads.EventId(CustomerId.Parse(new string('c', LedgerLimits.MaxIdLength)), long.MaxValue, CreditEventType.TopUpRequested));
    }

    [Fact]
    public void Render_OneBodyAfterAnother_EachIsWholeAndOnlyItsOwn()
    {
        var credits = new CustomerCredits();
        var grant = credits.PlanGrant(
            new GrantRequest("grt_long", CreditType.Currency("USD"), 12m, new string('r', LedgerLimits.MaxReasonLength), null, GrantCategory.Paid, null, null), Api, At).Entries[0];
        credits.Commit(credits.PlanGrant(new GrantRequest("grt_1", CreditType.Currency("USD"), 12m, "Welcome", null, GrantCategory.Paid, null, null), Api, At));
        var applied = credits.PlanApply("inv_1", [new InvoiceRequestLine(CreditType.Currency("USD"), 1m)], Api, At).Events.Single(e => e.Type == CreditEventType.Applied);

        var first = CreditEventPayloads.Render(Acme, "evt_first", grant.CreditEvents().Single(e => e.Type == CreditEventType.Granted), grant.Grant, At);
        var second = CreditEventPayloads.Render(Acme, "evt_second", applied, null, At);

        using var firstJson = JsonDocument.Parse(first);
        using var secondJson = JsonDocument.Parse(second);
        Assert.Equal(new string('r', LedgerLimits.MaxReasonLength), firstJson.RootElement.GetProperty("data").GetProperty("grant").GetProperty("reason").GetString());
        Assert.Equal("evt_second", secondJson.RootElement.GetProperty("id").GetString());
        Assert.Equal("inv_1", secondJson.RootElement.GetProperty("data").GetProperty("invoiceId").GetString());
        Assert.False(secondJson.RootElement.GetProperty("data").TryGetProperty("grant", out _));
        Assert.DoesNotContain("rrrr", second, StringComparison.Ordinal);
    }

    private static JsonElement Grant(LedgerEntry entry)
    {
        var granted = entry.CreditEvents().Single(e => e.Type == CreditEventType.Granted);
        using var json = JsonDocument.Parse(CreditEventPayloads.Render(Acme, "evt_x", granted, entry.Grant, At));
        return json.RootElement.GetProperty("data").GetProperty("grant").Clone();
    }
}
