using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Testing;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// Webhook behaviour that takes time to show: an endpoint that fails for the whole retry window is disabled and
/// enabled again with a replay, and delivery at 300 applies a second beside a dead endpoint is complete, once, with
/// no row per event for the dead one.
/// </summary>
public sealed class WebhookAtLengthTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    [Fact]
    public async Task Endpoint_FailingForTheWholeWindow_IsDisabledAndEnableReplaysFromAnInstant()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("down", new WebhookReceiver.Behaviour(AlwaysFail: true));
        var (endpointId, _) = await api.CreateEndpointAsync(receiver, "down", "account.credits.granted");
        var customer = await api.CustomerAsync("down");
        using var http = api.Client();
        var before = DateTimeOffset.UtcNow;
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"1","unit":"seats","reason":"Trial"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var eventId = (await api.EventIdsAsync(customer)).Single();

        await Eventually.UntilAsync(
            async () => (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).Str("status") == "disabled",
            TimeSpan.FromSeconds(90),
            "the endpoint to be disabled");

        var endpoint = await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync();
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("disabledAt").ValueKind);
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("failingSince").ValueKind);
        var delivery = (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync()).GetProperty("data")
            .EnumerateArray().Single(d => d.Str("eventId") == eventId);
        // Retried on the schedule until the endpoint had failed for all of it (the last retry may still be pending).
        Assert.InRange(delivery.GetProperty("attempts").GetInt32(), 6, 7);
        Assert.Equal(delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("attemptLog").GetArrayLength());

        // Back up, enabled with a replay from before the grant: its event arrives again, accepted this time.
        receiver.Set("down", WebhookReceiver.Behaviour.Accept);
        var attemptsBefore = receiver.For("down").Count(r => r.Headers["webhook-id"] == eventId);
        var enabled = await http.PostAsync($"/v1/webhook-endpoints/{endpointId}/enable", ApiFixture.Json(new { from = before.AddSeconds(-1) })).OkAsync();
        Assert.Equal(("healthy", JsonValueKind.Null), (enabled.Str("status"), enabled.GetProperty("disabledAt").ValueKind));
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.For("down").Count(r => r.Headers["webhook-id"] == eventId) > attemptsBefore),
            WebhookApi.Patience,
            "the replayed event");
    }

    [Fact]
    public async Task Delivery_300AppliesPerSecondBesideADeadEndpoint_CompleteOnceAndNoRowPerEventForTheDead()
    {
        var receiver = await api.ReceiverAsync();
        await api.CreateEndpointAsync(receiver, "volume");
        using var http = api.Client();
        var dead = await (await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url = "http://127.0.0.1:1/refused" }))).JsonAsync(HttpStatusCode.Created);
        var customers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => api.CustomerAsync("volume")));
        foreach (var customer in customers)
        {
            await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"100000.00","currency":"USD","reason":"Volume"}""")))
                .JsonAsync(HttpStatusCode.Created);
        }

        // 300 applies a second for 10 s, open loop: each tick of 100 ms sends 30, one per customer.
        var applies = new List<Task>();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var tick = 0; tick < 100; tick++)
        {
            await ticks.WaitForNextTickAsync();
            applies.AddRange(customers.Select(customer => http.PostAsync(
                $"/v1/customers/{customer}/invoices/inv_{tick}/apply-credits", ApiFixture.Raw("""{"currency":"USD","total":"1.00"}""")).OkAsync()));
        }

        await Task.WhenAll(applies);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            expected.UnionWith(await api.EventIdsAsync(customer));
        }

        Assert.Equal(30 * 101, expected.Count);
        await Eventually.UntilAsync(
            () => Task.FromResult(receiver.For("volume").Select(r => r.Headers["webhook-id"]).Where(expected.Contains).Distinct().Count() == expected.Count),
            WebhookApi.Patience,
            $"{expected.Count} events at the live endpoint");
        var duplicates = receiver.For("volume").GroupBy(r => r.Headers["webhook-id"]).Where(g => expected.Contains(g.Key) && g.Count() > 1).Count();
        var deadRows = await api.ScalarAsync($"SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '{dead.Str("id")}'");
        Assert.Equal(0, duplicates);
        Assert.InRange(deadRows, 1, 10);
        var deadStatus = (await http.GetAsync($"/v1/webhook-endpoints/{dead.Str("id")}").OkAsync()).Str("status");
        Assert.True(deadStatus is "failing" or "disabled", $"The dead endpoint is {deadStatus}.");
    }
}
