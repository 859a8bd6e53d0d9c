using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Testing;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// Automatic top-ups over HTTP with a real webhook receiver: a crossing requests once (later entries below the
/// threshold request nothing), a grant naming the request fulfils it, the next crossing requests again, a failed
/// charge fails it (failing it again answers it again), the rule re-arms, and each request arrives once as a signed
/// <c>account.credits.top_up_requested</c> with its amount, available and threshold. Refusals write nothing.
/// </summary>
public sealed class TopUpCycleTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    [Fact]
    public async Task Cycle_CrossRequestOnce_Fulfil_CrossAgain_Fail_ReArm_EachRequestDeliveredOnce()
    {
        var receiver = await api.ReceiverAsync();
        var (_, secret) = await api.CreateEndpointAsync(receiver, "top-ups", "account.credits.top_up_requested");
        var customer = await api.CustomerAsync("topup");
        using var http = api.Client();
        var c = $"/v1/customers/{customer}";
        var rule = await http.PutAsync($"{c}/credit-top-ups/USD", ApiFixture.Raw("""{"threshold":"10.00","targetBalance":"50"}""")).OkAsync();
        Assert.Equal(("USD", "10.00", "50.00", JsonValueKind.Null), (rule.Str("creditType"), rule.Str("threshold"), rule.Str("targetBalance"), rule.GetProperty("outstandingRequest").ValueKind));

        await Grant(http, c, "30.00");
        await Apply(http, c, "inv_1", "25.00");
        await Apply(http, c, "inv_2", "1.00");
        var first = (await http.GetAsync($"{c}/credit-top-ups/USD").OkAsync()).GetProperty("outstandingRequest");
        Assert.Equal(("outstanding", "45.00", "5.00", "10.00"), (first.Str("status"), first.Str("amount"), first.Str("available"), first.Str("threshold")));

        var fulfilling = await Grant(http, c, "45.00", first.Str("requestId"));
        var fulfilled = await http.GetAsync($"{c}/credit-top-ups/USD/requests/{first.Str("requestId")}").OkAsync();
        Assert.Equal(("fulfilled", fulfilling.Str("grantId")), (fulfilled.Str("status"), fulfilled.Str("grantId")));

        await Apply(http, c, "inv_3", "45.00");
        var second = (await http.GetAsync($"{c}/credit-top-ups/USD").OkAsync()).GetProperty("outstandingRequest");
        Assert.Equal("46.00", second.Str("amount"));
        var failed = await http.PostAsync($"{c}/credit-top-ups/USD/requests/{second.Str("requestId")}/fail", ApiFixture.Raw("""{"reason":"Card declined"}""")).OkAsync();
        var failedAgain = await http.PostAsync($"{c}/credit-top-ups/USD/requests/{second.Str("requestId")}/fail", ApiFixture.Raw("""{"reason":"Card declined"}""")).OkAsync();
        Assert.Equal(("failed", "Card declined", "failed"), (failed.Str("status"), failed.Str("reason"), failedAgain.Str("status")));

        // A request no longer outstanding, or of another credit type, cannot be fulfilled; nothing is written.
        var before = await api.LedgerFingerprintAsync();
        var stale = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "46.00", currency = "USD", reason = "Top-up", topUpRequestId = second.Str("requestId") })))
            .JsonAsync(HttpStatusCode.Conflict);
        var fulfilledTwice = await (await http.PostAsync($"{c}/credit-top-ups/USD/requests/{first.Str("requestId")}/fail", ApiFixture.Raw("""{"reason":"Late"}""")))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("top_up_request_not_outstanding", "top_up_request_not_outstanding"), (stale.Str("code"), fulfilledTwice.Str("code")));
        Assert.Equal(before, await api.LedgerFingerprintAsync());

        // Re-armed: the next entry below the threshold requests again.
        await Apply(http, c, "inv_4", "1.00");
        var third = (await http.GetAsync($"{c}/credit-top-ups/USD").OkAsync()).GetProperty("outstandingRequest");
        Assert.Equal(("47.00", "3.00"), (third.Str("amount"), third.Str("available")));

        var expected = await api.DataSource.StringsAsync(
            "SELECT event_id FROM credit_events WHERE customer_id = $1 AND event_type = 'account.credits.top_up_requested' ORDER BY version", customer);
        Assert.Equal(3, expected.Count);
        await Eventually.UntilAsync(
            () => Task.FromResult(expected.All(id => receiver.For("top-ups").Any(r => r.Headers["webhook-id"] == id))),
            WebhookApi.Patience,
            "three top-up requests at the receiver");
        var bodies = receiver.For("top-ups").GroupBy(r => r.Headers["webhook-id"]).Select(g => g.First()).ToList();
        Assert.Equal(3, bodies.Count);
        foreach (var body in bodies)
        {
            var headers = new HeaderDictionary(body.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));
            new StandardWebhook(secret).Verify(body.Body, headers);
        }

        var data = bodies.Select(b => JsonDocument.Parse(b.Body).RootElement)
            .Select(root => (Type: root.Str("type"), Data: root.GetProperty("data")))
            .OrderBy(e => e.Data.GetProperty("version").GetInt64())
            .ToList();
        Assert.All(data, e => Assert.Equal("account.credits.top_up_requested", e.Type));
        Assert.Equal(
            [(first.Str("requestId"), "45.00", "5.00", "10.00"), (second.Str("requestId"), "46.00", "4.00", "10.00"), (third.Str("requestId"), "47.00", "3.00", "10.00")],
            data.Select(e => (e.Data.Str("requestId"), e.Data.Str("amount"), e.Data.Str("available"), e.Data.Str("threshold"))));
        Assert.All(data, e => Assert.Equal(e.Data.Str("available"), e.Data.GetProperty("balance").Str("available")));
    }

    [Fact]
    public async Task Rule_Deleted_LeavesItsOutstandingRequestToFulfil_AndUnknownsAre404()
    {
        var customer = await api.CustomerAsync("topup-rule");
        using var http = api.Client();
        var c = $"/v1/customers/{customer}";
        await http.PutAsync($"{c}/credit-top-ups/api_calls", ApiFixture.Raw("""{"threshold":"100","targetBalance":"1000"}""")).OkAsync();
        await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"50","unit":"api_calls","reason":"Starter"}"""))).JsonAsync(HttpStatusCode.Created);
        var requestId = (await http.GetAsync($"{c}/credit-top-ups/api_calls").OkAsync()).GetProperty("outstandingRequest").Str("requestId");

        var deleted = await http.DeleteAsync($"{c}/credit-top-ups/api_calls").OkAsync();
        var gone = await (await http.GetAsync($"{c}/credit-top-ups/api_calls")).JsonAsync(HttpStatusCode.NotFound);
        var grant = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new { type = "units", amount = "950", unit = "api_calls", reason = "Top-up", topUpRequestId = requestId })))
            .JsonAsync(HttpStatusCode.Created);
        var unknownRequest = await (await http.GetAsync($"{c}/credit-top-ups/api_calls/requests/tur_999")).JsonAsync(HttpStatusCode.NotFound);
        var otherType = await (await http.GetAsync($"{c}/credit-top-ups/USD/requests/{requestId}")).JsonAsync(HttpStatusCode.NotFound);

        Assert.Equal(("950", requestId), (deleted.GetProperty("outstandingRequest").Str("amount"), deleted.GetProperty("outstandingRequest").Str("requestId")));
        Assert.Equal("top_up_rule_not_found", gone.Str("code"));
        Assert.Equal("fulfilled", (await http.GetAsync($"{c}/credit-top-ups/api_calls/requests/{requestId}").OkAsync()).Str("status"));
        Assert.Equal(("top_up_request_not_found", "top_up_request_not_found"), (unknownRequest.Str("code"), otherType.Str("code")));
        Assert.StartsWith("grt_", grant.Str("grantId"), StringComparison.Ordinal);
        // Without a rule nothing more is requested.
        await http.PostAsync($"{c}/invoices/inv_1/apply-credits", ApiFixture.Raw("""{"usage":[{"unit":"api_calls","quantity":"990"}]}""")).OkAsync();
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM credit_top_up_requests WHERE customer_id = $1", customer));
    }

    private static async Task<JsonElement> Grant(HttpClient http, string customerPath, string amount, string? topUpRequestId = null) =>
        await (await http.PostAsync($"{customerPath}/credit-grants", ApiFixture.Json(new { type = "monetary", amount, currency = "USD", reason = "Top-up", topUpRequestId })))
            .JsonAsync(HttpStatusCode.Created);

    private static async Task Apply(HttpClient http, string customerPath, string invoiceId, string total) =>
        await http.PostAsync($"{customerPath}/invoices/{invoiceId}/apply-credits", ApiFixture.Json(new { currency = "USD", total })).OkAsync();
}
