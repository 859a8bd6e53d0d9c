using CreditLedger.Testing;
using System.Net;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// What the engine logs, captured at Trace level from every category by a provider added to the in-memory host: no
/// API key, webhook secret or connection-string password ever (nor in the metrics), and each request's id and
/// customer in the scope of what is logged while it runs.
/// </summary>
[Collection(ObservedEngine.Name)]
public sealed class LogTests(ObservedApi api)
{
    [Fact]
    public async Task Logs_KeysWebhookSecretsAndPassword_NeverWritten()
    {
        var customer = await api.CustomerAsync("logs");
        var key = await api.KeyAsync("logs-writer", "credits:write", "read");
        using var writer = api.Client(key);
        var grant = await writer.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "5.00", currency = "USD", reason = "Logs" }));
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync(new Uri($"/v1/customers/{customer}", UriKind.Relative))).StatusCode);
        using var wrongKey = api.Client(key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(new Uri($"/v1/customers/{customer}", UriKind.Relative))).StatusCode);
        using var admin = api.Client();
        var endpoint = await (await admin.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url = "https://hooks.example.com/logs" }))).JsonAsync(HttpStatusCode.Created);
        var secret = endpoint.Str("secret");
        // A second event, so that the dispatcher signs a delivery with the secret while the logs are captured.
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "1.00", currency = "USD", reason = "Logs" }))).StatusCode);
        await Eventually.UntilAsync(
            async () => await api.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = $1", endpoint.Str("id")) > 0,
            TimeSpan.FromSeconds(10),
            "a delivery to the new endpoint");

        var entries = api.Logs.Entries.ToList();
        Assert.True(entries.Count > 100, $"Only {entries.Count} entries were captured.");
        Assert.Contains(entries, e => e.Level == LogLevel.Trace);
        Assert.DoesNotContain(entries, e => e.Mentions(key));
        Assert.DoesNotContain(entries, e => e.Mentions(ApiFixture.AdminKey));
        Assert.DoesNotContain(entries, e => e.Mentions(secret));
        Assert.DoesNotContain(entries, e => e.Mentions(secret["whsec_".Length..]));
        Assert.DoesNotContain(entries, e => e.Mentions(ObservedApi.Password));

        // Metrics label connection pools; they name the pool, never the password.
        var metrics = await admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("db_client_connection_count", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(ObservedApi.Password, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(key, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_DuringCommand_CarryRequestIdAndCustomerIdInScope()
    {
        var customer = await api.CustomerAsync("scope");
        using var admin = api.Client();

        var grant = await admin.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "5.00", currency = "USD", reason = "Scope" }));

        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var executed = api.Logs.Entries.Where(e =>
            e.Category == "Microsoft.AspNetCore.Routing.EndpointMiddleware"
            && e.Message.Contains("/credit-grants", StringComparison.Ordinal)
            && e.ScopeValue("CustomerId") == customer).ToList();
        Assert.NotEmpty(executed);
        Assert.All(executed, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.ScopeValue("RequestId")));
            Assert.Equal($"/v1/customers/{customer}/credit-grants", e.ScopeValue("RequestPath"));
        });
        // One request, one id: everything logged during it shares the request id.
        Assert.Single(executed.Select(e => e.ScopeValue("RequestId")).Distinct());
    }
}
