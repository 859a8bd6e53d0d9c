using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>The product guide walked through the HTTP API end to end, on a real PostgreSQL: exact amounts, versions and history.</summary>
[Collection(SharedEngine.Name)]
public sealed class GuideWalkthroughTests(ApiFixture api)
{
    [Fact]
    public async Task Guide_GrantApplyPayVoid_BalancesAndHistoryAsDocumented()
    {
        var customer = await api.CustomerAsync("guide");
        using var http = api.Client();
        var now = DateTimeOffset.UtcNow;
        var c = $"/v1/customers/{customer}";

        var welcome = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new
        {
            type = "monetary", amount = "25.00", currency = "USD", reason = "Welcome credit", expiresAt = now.AddDays(90), category = "promotional",
        }))).JsonAsync(HttpStatusCode.Created);
        var service = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new
        {
            type = "monetary", amount = 25, currency = "USD", reason = "Service credit INC-42", expiresAt = now.AddDays(20),
        }))).JsonAsync(HttpStatusCode.Created);
        var package = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new
        {
            type = "units", amount = "10000", unit = "api_calls", reason = "Purchased package", expiresAt = now.AddMonths(12),
        }))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("active", "25.00", "USD", "promotional", 1L), (welcome.Str("status"), welcome.Str("remaining"), welcome.Str("creditType"), welcome.Str("category"), welcome.GetProperty("version").GetInt64()));
        Assert.Equal(("units", "10000", 3L), (package.Str("type"), package.Str("amount"), package.GetProperty("version").GetInt64()));

        var before = await http.GetAsync($"{c}/credit-balances").OkAsync();
        var usd = Balance(before, "USD");
        Assert.Equal(("50.00", "25.00", "0.00"), (usd.Str("available"), usd.Str("expiringSoon"), usd.Str("pending")));
        Assert.Equal(("10000", "0"), (Balance(before, "api_calls").Str("available"), Balance(before, "api_calls").Str("expiringSoon")));

        var applied = await http.PostAsync($"{c}/invoices/inv_1/apply-credits", ApiFixture.Json(new { currency = "USD", total = "150.00" })).OkAsync();
        Assert.Equal(("50.00", "100.00", "pending", 5L), (applied.Str("creditApplied"), applied.Str("totalDue"), applied.Str("status"), applied.GetProperty("version").GetInt64()));
        Assert.Equal(
            [service.Str("grantId"), welcome.Str("grantId")],
            applied.GetProperty("applications").EnumerateArray().Select(a => a.Str("grantId")).ToArray());
        var pending = Balance(await http.GetAsync($"{c}/credit-balances").OkAsync(), "USD");
        Assert.Equal(("0.00", "50.00"), (pending.Str("available"), pending.Str("pending")));

        var paid = await http.PostAsync($"{c}/invoices/inv_1/pay", null).OkAsync();
        Assert.Equal(("paid", 7L), (paid.Str("status"), paid.GetProperty("version").GetInt64()));
        var consumed = Balance(await http.GetAsync($"{c}/credit-balances").OkAsync(), "USD");
        Assert.Equal(("0.00", "50.00"), (consumed.Str("pending"), consumed.Str("consumed")));

        var usage = await http.PostAsync($"{c}/invoices/inv_2/apply-credits", ApiFixture.Json(new { usage = new[] { new { unit = "api_calls", quantity = "12000" } } })).OkAsync();
        var line = Assert.Single(usage.GetProperty("usage").EnumerateArray());
        Assert.Equal(("10000", "2000"), (line.Str("creditApplied"), line.Str("billableQuantity")));
        Assert.False(usage.TryGetProperty("currency", out _));
        var voided = await http.PostAsync($"{c}/invoices/inv_2/void", null).OkAsync();
        Assert.Equal("voided", voided.Str("status"));
        Assert.Equal("10000", Balance(await http.GetAsync($"{c}/credit-balances").OkAsync(), "api_calls").Str("available"));

        var voidGrant = await http.PostAsync($"{c}/credit-grants/{package.Str("grantId")}/void", ApiFixture.Json(new { reason = "Customer cancelled" })).OkAsync();
        Assert.Equal(("voided", "10000", "0"), (voidGrant.Str("status"), voidGrant.Str("voidedAmount"), voidGrant.Str("remaining")));
        var history = await http.GetAsync($"{c}/credit-transactions?creditType=api_calls").OkAsync();
        var newest = history.GetProperty("data")[0];
        Assert.Equal(("voided", "Customer cancelled", "key:bootstrap", "-10000", "0"), (newest.Str("kind"), newest.Str("reason"), newest.Str("actor"), newest.Str("amount"), newest.Str("availableAfter")));

        var invoice = await http.GetAsync($"{c}/invoices/inv_1").OkAsync();
        Assert.Equal(("paid", "50.00"), (invoice.Str("status"), invoice.Str("creditApplied")));
        var grants = await http.GetAsync($"{c}/credit-grants?status=voided").OkAsync();
        Assert.Equal(package.Str("grantId"), Assert.Single(grants.GetProperty("data").EnumerateArray()).Str("grantId"));
    }

    [Fact]
    public async Task ExpiringSoon_OnlyGrantsExpiringWithinTheHorizon()
    {
        var customer = await api.CustomerAsync("soon");
        using var http = api.Client();
        var now = DateTimeOffset.UtcNow;
        foreach (var (amount, days) in new[] { ("10.00", 29), ("20.00", 31), ("40.00", 400) })
        {
            await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new
            {
                type = "monetary", amount, currency = "EUR", reason = "Referral bonus", expiresAt = now.AddDays(days),
            }))).JsonAsync(HttpStatusCode.Created);
        }

        var thirty = Balance(await http.GetAsync($"/v1/customers/{customer}/credit-balances").OkAsync(), "EUR");
        var sixty = Balance(await http.GetAsync($"/v1/customers/{customer}/credit-balances?expiringWithinDays=60").OkAsync(), "EUR");

        Assert.Equal(("70.00", "10.00", 30), (thirty.Str("available"), thirty.Str("expiringSoon"), thirty.GetProperty("expiringWithinDays").GetInt32()));
        Assert.Equal("30.00", sixty.Str("expiringSoon"));
    }

    [Fact]
    public async Task History_500Entries_PagesNewestFirstWithConsistentAvailableAfter()
    {
        var customer = await api.CustomerAsync("history");
        using var http = api.Client();
        var c = $"/v1/customers/{customer}";
        await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "1000.00", currency = "USD", reason = "Prepaid" })))
            .JsonAsync(HttpStatusCode.Created);
        for (var i = 0; i < 499; i++)
        {
            await http.PostAsync($"{c}/invoices/inv_{i}/apply-credits", ApiFixture.Json(new { currency = "USD", total = "1.25" })).OkAsync();
        }

        var entries = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await http.GetAsync($"{c}/credit-transactions?limit=37" + (cursor is null ? string.Empty : $"&cursor={cursor}")).OkAsync();
            entries.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.Equal(500L, page.GetProperty("version").GetInt64());
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(14, pages);
        Assert.Equal(Enumerable.Range(1, 500).Reverse().Select(v => (long)v), entries.Select(e => e.GetProperty("version").GetInt64()));
        for (var i = 0; i < entries.Count - 1; i++)
        {
            var after = Dec(entries[i].Str("availableAfter"));
            var previous = Dec(entries[i + 1].Str("availableAfter"));
            Assert.Equal(previous + Dec(entries[i].Str("amount")), after);
        }

        Assert.Equal("376.25", entries[0].Str("availableAfter"));
    }

    [Theory]
    [InlineData("9999-12-31T00:00:00Z", null)]
    [InlineData("2400-01-01T00:00:00Z", "2300-01-01T00:00:00Z")]
    public async Task Grant_FarFutureExpiryOrEffectiveDate_AcceptedAndReadable(string expiresAt, string? effectiveAt)
    {
        var customer = await api.CustomerAsync("far");
        using var http = api.Client();

        var grant = await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new
        {
            type = "monetary", amount = "1.00", currency = "USD", reason = "Long-lived", expiresAt, effectiveAt,
        }))).JsonAsync(HttpStatusCode.Created);
        var balances = await http.GetAsync($"/v1/customers/{customer}/credit-balances?expiringWithinDays=365").OkAsync();

        Assert.Equal(effectiveAt is null ? "active" : "scheduled", grant.Str("status"));
        Assert.Equal(effectiveAt is null ? "1.00" : "0.00", Balance(balances, "USD").Str("available"));
    }

    private static JsonElement Balance(JsonElement balances, string creditType) =>
        balances.GetProperty("balances").EnumerateArray().Single(b => b.Str("creditType") == creditType);

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}
