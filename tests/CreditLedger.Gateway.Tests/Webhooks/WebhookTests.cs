using CreditLedger.Testing;
using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: the engine in memory with a short retry schedule, a real HTTP receiver on loopback that
/// verifies every signature with the StandardWebhooks package; every event kind with its documented payload and the
/// endpoint's progress, retries with the same webhook-id and a full delivery log, failing and recovering, disabling,
/// and recovering, and secret rotation. Disabling after the whole retry window and delivery at
/// volume beside a dead endpoint take longer: they are in CreditLedger.EndToEnd.Tests (WebhookAtLengthTests).
/// </summary>
[StartEarly(4)]
public sealed class WebhookTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    [Fact]
    public async Task Events_EveryKind_DeliveredSignedWithDocumentedPayloads()
    {
        var receiver = await api.ReceiverAsync();
        var (endpointId, secret) = await api.CreateEndpointAsync(receiver, "all-kinds");
        var customer = await api.CustomerAsync("events");
        using var http = api.Client();
        var c = $"/v1/customers/{customer}";
        await http.PutAsync($"{c}/credit-alerts/USD", ApiFixture.Raw("""{"threshold":"10.00"}""")).OkAsync();
        var main = await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"30.00","currency":"USD","reason":"Welcome credit"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "5.00", currency = "USD", reason = "Short", expiresAt })))
            .JsonAsync(HttpStatusCode.Created);
        await http.PostAsync($"{c}/invoices/inv_1/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"26.00"}""")).OkAsync();
        await http.PostAsync($"{c}/invoices/inv_1/void", null).OkAsync();
        await http.PostAsync($"{c}/credit-grants/{main.Str("grantId")}/void", ApiFixture.Raw("""{"reason":"Duplicate"}""")).OkAsync();
        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > expiresAt), WebhookApi.Patience, "the short grant to expire");
        await http.PostAsync($"{c}/invoices/inv_2/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"1.00"}""")).OkAsync();

        var expected = await api.EventIdsAsync(customer);
        var received = await WaitForAsync(receiver, "all-kinds", expected);

        Assert.Equal(
            ["account.credits.applied", "account.credits.balance_depleted", "account.credits.balance_low", "account.credits.expired", "account.credits.granted", "account.credits.reinstated", "account.credits.voided"],
            received.Select(r => r.Type).Distinct().Order());
        foreach (var (request, type, data) in received)
        {
            var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));
            new StandardWebhook(secret).Verify(request.Body, headers);
            Assert.Equal(JsonDocument.Parse(request.Body).RootElement.Str("id"), request.Headers["webhook-id"]);
            Assert.Equal((customer, "USD"), (data.Str("customerId"), data.Str("creditType")));
            Assert.True(data.GetProperty("version").GetInt64() >= 1);
            Assert.Equal(data.GetProperty("version").GetInt64(), data.GetProperty("entry").GetProperty("version").GetInt64());
            Assert.Matches(@"^\d+\.\d{2}$", data.GetProperty("balance").Str("available"));
            Assert.Matches(@"^\d+\.\d{2}$", data.GetProperty("balance").Str("pending"));
            Assert.Equal(type is "account.credits.granted" or "account.credits.voided" or "account.credits.expired", data.TryGetProperty("grant", out _));
            Assert.Equal(type is "account.credits.applied" or "account.credits.reinstated", data.TryGetProperty("invoiceId", out _));
        }

        // Available crossed below 10.00 twice: the apply took it to 9.00; the reinstatement took it back above, and the void to 5.00.
        var lows = received.Where(r => r.Type == "account.credits.balance_low").Select(r => r.Data).OrderBy(d => d.GetProperty("version").GetInt64()).ToList();
        Assert.Equal([("10.00", "9.00"), ("10.00", "5.00")], lows.Select(d => (d.Str("threshold"), d.GetProperty("balance").Str("available"))));
        var depleted = received.Single(r => r.Type == "account.credits.balance_depleted").Data;
        Assert.Equal(("expired", "0.00"), (depleted.GetProperty("entry").Str("kind"), depleted.GetProperty("balance").Str("available")));
        var expired = received.Single(r => r.Type == "account.credits.expired").Data;
        Assert.Equal(("-5.00", "engine"), (expired.GetProperty("entry").Str("amount"), expired.GetProperty("entry").Str("actor")));
        await Eventually.UntilAsync(
            async () => (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).GetProperty("eventsDelivered").GetInt64() >= expected.Count,
            WebhookApi.Patience,
            "the endpoint's progress to count the deliveries");
        var endpoint = await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync();
        Assert.Equal(("healthy", JsonValueKind.Null), (endpoint.Str("status"), endpoint.GetProperty("failingSince").ValueKind));
        Assert.StartsWith("evt_", endpoint.Str("lastDeliveredEventId"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("lastDeliveredAt").ValueKind);

        // Every delivery succeeded at its first attempt: none is listed.
        Assert.Equal(0, (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync()).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Delivery_FailingFirst3Attempts_ArrivesOnThe4thWithSameIdAndLogsAllAttempts()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("flaky", new WebhookReceiver.Behaviour(FailFirst: 3));
        var (endpointId, _) = await api.CreateEndpointAsync(receiver, "flaky", "account.credits.granted");
        var customer = await api.CustomerAsync("flaky");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"100","unit":"api_calls","reason":"Package"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var eventId = (await api.EventIdsAsync(customer)).Single();

        await Eventually.UntilAsync(() => Task.FromResult(receiver.For("flaky").Count(r => r.Headers["webhook-id"] == eventId) >= 4), WebhookApi.Patience, "the 4th attempt");
        JsonElement delivery = default;
        await Eventually.UntilAsync(
            async () =>
            {
                var page = await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync();
                delivery = page.GetProperty("data").EnumerateArray().Single(d => d.Str("eventId") == eventId);
                return delivery.Str("status") == "succeeded";
            },
            WebhookApi.Patience,
            "the delivery to be recorded as succeeded");

        Assert.Equal(4, receiver.For("flaky").Count(r => r.Headers["webhook-id"] == eventId));
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        var attempts = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.All(attempts.Take(3), a => Assert.Equal(JsonValueKind.String, a.GetProperty("nextRetryAt").ValueKind));
        Assert.Equal(JsonValueKind.Null, attempts[3].GetProperty("error").ValueKind);
        Assert.Equal("HTTP 500", attempts[0].Str("error"));
    }

    [Fact]
    public async Task DeliveryRecords_FinishedAndOlderThanTheRetention_PurgedWithTheirAttempts_PendingAndRecentKept()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("purge-done", new WebhookReceiver.Behaviour(FailFirst: 1));
        receiver.Set("purge-pending", new WebhookReceiver.Behaviour(AlwaysFail: true));
        var (done, _) = await api.CreateEndpointAsync(receiver, "purge-done", "account.credits.granted");
        var (pending, _) = await api.CreateEndpointAsync(receiver, "purge-pending", "account.credits.granted");
        var customer = await api.CustomerAsync("purge");
        using var http = api.Client();
        foreach (var reason in new[] { "Old", "Recent" })
        {
            await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw($$"""{"type":"units","amount":"5","unit":"api_calls","reason":"{{reason}}"}""")))
                .JsonAsync(HttpStatusCode.Created);
        }

        await Eventually.UntilAsync(
            async () => await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'succeeded'", done) == 2
                && await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'", pending) == 2,
            WebhookApi.Patience,
            "two retried deliveries finished and two pending");
        var old = await api.ScalarAsync("SELECT min(delivery_id) FROM webhook_deliveries WHERE endpoint_id = $1", done);
        var oldPending = await api.ScalarAsync("SELECT min(delivery_id) FROM webhook_deliveries WHERE endpoint_id = $1", pending);
        Assert.Equal(2, await api.ScalarAsync("SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", old));

        // Their first attempts a month ago: past the 30-day retention.
        await api.ScalarAsync("WITH aged AS (UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE delivery_id IN ($1, $2) RETURNING 1) SELECT count(*) FROM aged", old, oldPending);

        await Eventually.UntilAsync(
            async () => await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = $1", old) == 0,
            WebhookApi.Patience,
            "the old finished delivery record to be purged");
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", old));
        Assert.Equal(1, await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1", done));
        Assert.Equal(1, await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = $1 AND status = 'pending'", oldPending));
        var listed = await http.GetAsync($"/v1/webhook-endpoints/{done}/deliveries").OkAsync();
        Assert.Single(listed.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Endpoint_Dead_FailingWithoutFirstAttemptsThenRecoversAndDeliversInOrder()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("dead", new WebhookReceiver.Behaviour(AlwaysFail: true));
        var (endpointId, _) = await api.CreateEndpointAsync(receiver, "dead");
        var customer = await api.CustomerAsync("dead");
        using var http = api.Client();
        async Task GrantAsync() => await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"5","unit":"seats","reason":"Seats"}""")))
            .JsonAsync(HttpStatusCode.Created);
        for (var i = 0; i < 3; i++)
        {
            await GrantAsync();
        }

        await Eventually.UntilAsync(
            async () => (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).Str("status") == "failing",
            WebhookApi.Patience,
            "the endpoint to be failing after 5 failed attempts in a row");

        // While failing, new events get no first attempt: only the probe of the oldest pending delivery is sent.
        var pendingBefore = (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync()).GetProperty("data").GetArrayLength();
        for (var i = 0; i < 20; i++)
        {
            await GrantAsync();
        }

        var ids = await api.EventIdsAsync(customer);
        var later = ids.Where(id => !receiver.For("dead").Any(r => r.Headers["webhook-id"] == id)).ToList();
        Assert.Equal(20, later.Count);
        Assert.Equal(pendingBefore, (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync()).GetProperty("data").GetArrayLength());

        receiver.Set("dead", WebhookReceiver.Behaviour.Accept);
        await Eventually.UntilAsync(
            () => Task.FromResult(ids.All(id => receiver.For("dead").Any(r => r.Headers["webhook-id"] == id && r.Attempt >= 1))),
            WebhookApi.Patience,
            "every event after a probe succeeds");
        Assert.Equal("healthy", (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).Str("status"));

        // Resumed from where it stopped: the events that waited in the ledger arrive once each, the earliest first.
        var resumed = receiver.For("dead").Where(r => later.Contains(r.Headers["webhook-id"])).ToList();
        Assert.Equal(later.Count, resumed.Count);
        var versions = resumed.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("version").GetInt64()).ToList();
        Assert.Equal(versions.Min(), versions[0]);
    }

    [Fact]
    public async Task RotateSecret_DeliveriesSignedWithBothSecretsForADay()
    {
        var receiver = await api.ReceiverAsync();
        var (endpointId, oldSecret) = await api.CreateEndpointAsync(receiver, "rotate", "account.credits.granted");
        using var http = api.Client();
        var rotated = await http.PostAsync($"/v1/webhook-endpoints/{endpointId}/rotate-secret", null).OkAsync();
        var newSecret = rotated.Str("secret");
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);
        var expires = rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.False((await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).TryGetProperty("secret", out _));

        var customer = await api.CustomerAsync("rotate");
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"1.00","currency":"USD","reason":"Rotate"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var received = (await WaitForAsync(receiver, "rotate", await api.EventIdsAsync(customer))).Single().Request;

        // The new secret's signature first, then the old one's; each verifies on its own.
        var signatures = received.Headers["webhook-signature"].Split(' ');
        Assert.Equal(2, signatures.Length);
        foreach (var (signature, secret) in signatures.Zip([newSecret, oldSecret]))
        {
            var headers = new HeaderDictionary(received.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)))
            {
                ["webhook-signature"] = signature,
            };
            new StandardWebhook(secret).Verify(received.Body, headers);
        }
    }

    [Fact]
    public async Task Endpoint_CreatedAfterAnEvent_ReceivesOnlyLaterEvents()
    {
        var receiver = await api.ReceiverAsync();
        var customer = await api.CustomerAsync("newcomer");
        using var http = api.Client();
        var c = $"/v1/customers/{customer}";
        await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"1.00","currency":"USD","reason":"Before"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var earlier = await api.EventIdsAsync(customer);

        await api.CreateEndpointAsync(receiver, "newcomer");
        await (await http.PostAsync($"{c}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"2.00","currency":"USD","reason":"After"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var later = (await api.EventIdsAsync(customer)).Except(earlier).ToList();

        var received = await WaitForAsync(receiver, "newcomer", later);
        Assert.Single(received);
        Assert.DoesNotContain(receiver.For("newcomer"), r => earlier.Contains(r.Headers["webhook-id"]));
    }

    [Fact]
    public async Task Metrics_DeliveryFailsOnceThenSucceeds_CountedByOutcome()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("metrics", new WebhookReceiver.Behaviour(FailFirst: 1));
        await api.CreateEndpointAsync(receiver, "metrics", "account.credits.granted");
        var customer = await api.CustomerAsync("webhook-metrics");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"3.00","currency":"USD","reason":"Metrics"}""")))
            .JsonAsync(HttpStatusCode.Created);
        await Eventually.UntilAsync(() => Task.FromResult(receiver.For("metrics").Count() >= 2), WebhookApi.Patience, "the retried delivery");

        // The attempt is counted once its outcome is recorded, just after the receiver answered.
        await Eventually.UntilAsync(
            async () =>
            {
                var samples = Operations.PrometheusSample.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
                double Count(string outcome) => samples.Where(s => s.Name == "creditledger_webhook_deliveries_total" && s.Labels.GetValueOrDefault("outcome") == outcome).Sum(s => s.Value);
                return Count("retrying") >= 1 && Count("succeeded") >= 1;
            },
            WebhookApi.Patience,
            "creditledger_webhook_deliveries_total to count one retrying and one succeeded attempt");
    }


    private static async Task<List<(WebhookReceiver.Received Request, string Type, JsonElement Data)>> WaitForAsync(
        WebhookReceiver receiver, string name, IReadOnlyCollection<string> eventIds)
    {
        await Eventually.UntilAsync(
            () => Task.FromResult(eventIds.All(id => receiver.For(name).Any(r => r.Headers["webhook-id"] == id))),
            WebhookApi.Patience,
            $"{eventIds.Count} events at {name}");
        return receiver.For(name)
            .Where(r => eventIds.Contains(r.Headers["webhook-id"]))
            .GroupBy(r => r.Headers["webhook-id"])
            .Select(g => g.First())
            .Select(r =>
            {
                var root = JsonDocument.Parse(r.Body).RootElement;
                return (r, root.Str("type"), root.GetProperty("data"));
            })
            .ToList();
    }
}
