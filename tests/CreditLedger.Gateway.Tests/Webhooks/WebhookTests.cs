using CreditLedger.Testing;
using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace CreditLedger.Gateway.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: the engine in memory with a short retry schedule, a real HTTP receiver on loopback that
/// verifies every signature with the StandardWebhooks package; every event kind with its documented payload,
/// retries with the same webhook-id and a full delivery log, endpoint validation, and disabling.
/// </summary>
public sealed class WebhookTests(WebhookTests.WebhookApi api) : IClassFixture<WebhookTests.WebhookApi>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_EveryKind_DeliveredSignedWithDocumentedPayloads()
    {
        var receiver = await api.ReceiverAsync();
        var (endpointId, secret) = await CreateEndpointAsync(receiver, "all-kinds");
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
        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > expiresAt), Patience, "the short grant to expire");
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
        Assert.Equal(endpointId, (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).Str("id"));
    }

    [Fact]
    public async Task Delivery_FailingFirst3Attempts_ArrivesOnThe4thWithSameIdAndLogsAllAttempts()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("flaky", new WebhookReceiver.Behaviour(FailFirst: 3));
        var (endpointId, _) = await CreateEndpointAsync(receiver, "flaky", "account.credits.granted");
        var customer = await api.CustomerAsync("flaky");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"100","unit":"api_calls","reason":"Package"}""")))
            .JsonAsync(HttpStatusCode.Created);
        var eventId = (await api.EventIdsAsync(customer)).Single();

        await Eventually.UntilAsync(() => Task.FromResult(receiver.For("flaky").Count(r => r.Headers["webhook-id"] == eventId) >= 4), Patience, "the 4th attempt");
        JsonElement delivery = default;
        await Eventually.UntilAsync(
            async () =>
            {
                var page = await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync();
                delivery = page.GetProperty("data").EnumerateArray().Single(d => d.Str("eventId") == eventId);
                return delivery.Str("status") == "succeeded";
            },
            Patience,
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
    public async Task Endpoint_FailingForTheWholeWindow_IsDisabled()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("down", new WebhookReceiver.Behaviour(AlwaysFail: true));
        var (endpointId, _) = await CreateEndpointAsync(receiver, "down", "account.credits.granted");
        var customer = await api.CustomerAsync("down");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"units","amount":"1","unit":"seats","reason":"Trial"}""")))
            .JsonAsync(HttpStatusCode.Created);

        await Eventually.UntilAsync(
            async () => (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}").OkAsync()).Str("status") == "disabled",
            Patience,
            "the endpoint to be disabled");

        var delivery = (await http.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries").OkAsync()).GetProperty("data")[0];
        Assert.Equal(("failed", 5), (delivery.Str("status"), delivery.GetProperty("attempts").GetInt32()));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.5/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("/relative")]
    public async Task Create_TargetRefusedByDefault_400NamingUrl(string url)
    {
        await using var strict = new ApiFixture();
        await strict.InitializeAsync();
        using var http = strict.Client();

        var response = await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url }));

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task Metrics_DeliveryFailsOnceThenSucceeds_CountedByOutcome()
    {
        var receiver = await api.ReceiverAsync();
        receiver.Set("metrics", new WebhookReceiver.Behaviour(FailFirst: 1));
        await CreateEndpointAsync(receiver, "metrics", "account.credits.granted");
        var customer = await api.CustomerAsync("webhook-metrics");
        using var http = api.Client();
        await (await http.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Raw("""{"type":"monetary","amount":"3.00","currency":"USD","reason":"Metrics"}""")))
            .JsonAsync(HttpStatusCode.Created);
        await Eventually.UntilAsync(() => Task.FromResult(receiver.For("metrics").Count() >= 2), Patience, "the retried delivery");

        // The attempt is counted once its outcome is recorded, just after the receiver answered.
        await Eventually.UntilAsync(
            async () =>
            {
                var samples = Operations.PrometheusSample.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
                double Count(string outcome) => samples.Where(s => s.Name == "creditledger_webhook_deliveries_total" && s.Labels.GetValueOrDefault("outcome") == outcome).Sum(s => s.Value);
                return Count("retrying") >= 1 && Count("succeeded") >= 1;
            },
            Patience,
            "creditledger_webhook_deliveries_total to count one retrying and one succeeded attempt");
    }

    private async Task<(string Id, string Secret)> CreateEndpointAsync(WebhookReceiver receiver, string name, params string[] events)
    {
        using var http = api.Client();
        var created = await (await http.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url = receiver.Url(name).ToString(), events, description = name })))
            .JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("whsec_", created.Str("secret"), StringComparison.Ordinal);
        return (created.Str("id"), created.Str("secret"));
    }

    private static async Task<List<(WebhookReceiver.Received Request, string Type, JsonElement Data)>> WaitForAsync(
        WebhookReceiver receiver, string name, IReadOnlyCollection<string> eventIds)
    {
        await Eventually.UntilAsync(
            () => Task.FromResult(eventIds.All(id => receiver.For(name).Any(r => r.Headers["webhook-id"] == id))),
            Patience,
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

    /// <summary>The API with webhooks allowed to loopback, a short retry schedule and a quick dispatcher.</summary>
    public sealed class WebhookApi : ApiFixture
    {
        private WebhookReceiver? _receiver;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("CreditLedger:Webhooks:AllowPrivateTargets", "true"),
            new("CreditLedger:Webhooks:RetrySchedule", "100ms,100ms,100ms,100ms"),
            new("CreditLedger:Webhooks:PollInterval", "00:00:00.050"),
            new("CreditLedger:Webhooks:Timeout", "00:00:05"),
            new("CreditLedger:Webhooks:Lease", "00:00:06"),
        ];

        public async Task<WebhookReceiver> ReceiverAsync() => _receiver ??= await WebhookReceiver.StartAsync();

        public async Task<IReadOnlyCollection<string>> EventIdsAsync(string customerId)
        {
            await using var command = DataSource.CreateCommand("SELECT event_id FROM outbox WHERE customer_id = $1");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = customerId });
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public override async Task DisposeAsync()
        {
            if (_receiver is not null)
            {
                await _receiver.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
