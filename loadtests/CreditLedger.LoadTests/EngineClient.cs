using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CreditLedger.LoadTests;

/// <summary>The calls the scenarios make, over one pooled HttpClient.</summary>
internal sealed class EngineClient : IDisposable
{
    private readonly HttpClient _http;

    public EngineClient(LoadOptions options)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        })
        {
            BaseAddress = options.Url,
            Timeout = options.RequestTimeout,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
    }

    /// <summary>Creates the customer with <paramref name="grants"/> grants: USD 1,000,000.00 paid, then 1.00 USD promotional ones.</summary>
    public async Task SeedCustomerAsync(string customerId, int grants, CancellationToken cancellationToken)
    {
        using var put = await _http.PutAsync(new Uri($"/v1/customers/{customerId}", UriKind.Relative), Json("""{"name":"Load test"}"""), cancellationToken);
        Ensure(put, HttpStatusCode.OK, HttpStatusCode.Created);
        for (var i = 0; i < grants; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/credit-grants")
            {
                Content = Json(i == 0
                    ? """{"type":"monetary","amount":"1000000.00","currency":"USD","reason":"Load test","category":"paid"}"""
                    : """{"type":"monetary","amount":"1.00","currency":"USD","reason":"Load test extra","category":"promotional"}"""),
            };
            request.Headers.Add("Idempotency-Key", i == 0 ? $"seed-{customerId}" : $"seed-{customerId}-{i}");
            using var grant = await _http.SendAsync(request, cancellationToken);
            Ensure(grant, HttpStatusCode.Created);
        }
    }

    /// <summary>Applies 1.00 USD; returns the status and, on 200, the credit applied.</summary>
    public async Task<(int Status, decimal? Applied)> ApplyAsync(string customerId, string invoiceId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(
            new Uri($"/v1/customers/{customerId}/invoices/{invoiceId}/apply-credits", UriKind.Relative), Json("""{"currency":"USD","total":"1.00"}"""), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return ((int)response.StatusCode, null);
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (200, decimal.Parse(body.RootElement.GetProperty("creditApplied").GetString()!, CultureInfo.InvariantCulture));
    }

    public async Task<int> PayAsync(string customerId, string invoiceId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri($"/v1/customers/{customerId}/invoices/{invoiceId}/pay", UriKind.Relative), null, cancellationToken);
        return (int)response.StatusCode;
    }

    public async Task<int> BalancesAsync(string customerId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"/v1/customers/{customerId}/credit-balances", UriKind.Relative), cancellationToken);
        return (int)response.StatusCode;
    }

    public async Task<(int Status, string? GrantId)> GrantAsync(string customerId, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/credit-grants")
        {
            Content = Json("""{"type":"monetary","amount":"1.00","currency":"USD","reason":"Load test top-up","category":"promotional"}"""),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return ((int)response.StatusCode, null);
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return (201, body.RootElement.GetProperty("grantId").GetString());
    }

    /// <summary>Grants 1.00 USD expiring at <paramref name="expiresAt"/> (idempotent per customer).</summary>
    public async Task GrantExpiringAsync(string customerId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var at = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/credit-grants")
        {
            Content = Json($$"""{"type":"monetary","amount":"1.00","currency":"USD","reason":"Load test expiry","category":"promotional","expiresAt":"{{at}}"}"""),
        };
        request.Headers.Add("Idempotency-Key", $"expiring-{customerId}");
        using var response = await _http.SendAsync(request, cancellationToken);
        Ensure(response, HttpStatusCode.Created);
    }

    public async Task CreateMinuteScheduleAsync(string customerId, DateTimeOffset startsAt, int periods, CancellationToken cancellationToken)
    {
        var at = startsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/credit-schedules")
        {
            Content = Json($$$"""{"type":"units","amount":"100","unit":"api_calls","reason":"Load test allowance","every":"PT1M","periods":{{{periods}}},"startsAt":"{{{at}}}","rollover":{"maxAmount":"50"}}"""),
        };
        request.Headers.Add("Idempotency-Key", $"schedule-{customerId}");
        using var response = await _http.SendAsync(request, cancellationToken);
        Ensure(response, HttpStatusCode.Created);
    }

    public async Task<int> VoidGrantAsync(string customerId, string grantId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(
            new Uri($"/v1/customers/{customerId}/credit-grants/{grantId}/void", UriKind.Relative), Json("""{"reason":"Load test"}"""), cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>The credits report's lag behind the ledger, in seconds.</summary>
    public async Task<double?> ReportLagAsync(string customerId, CancellationToken cancellationToken)
    {
        // The lag covers the whole ledger whatever the filter; one customer's rows keep the sampling itself cheap.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await _http.GetAsync(
            new Uri($"/v1/reports/credits?from={today}&to={today}&customerId={Uri.EscapeDataString(customerId)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return body.RootElement.GetProperty("lagSeconds").GetDouble();
    }

    /// <summary>Registers a webhook endpoint subscribed to every event (needs an admin key); returns its id.</summary>
    public async Task<string> CreateWebhookEndpointAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(
            new Uri("/v1/webhook-endpoints", UriKind.Relative), Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["url"] = url.ToString() })), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"Creating a webhook endpoint answered {(int)response.StatusCode} (needs an admin key, and CreditLedger:Webhooks:AllowPrivateTargets for loopback): {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public async Task DeleteWebhookEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync(new Uri($"/v1/webhook-endpoints/{endpointId}", UriKind.Relative), cancellationToken);
    }

    /// <summary>Grants 1.00 USD; returns the grant id.</summary>
    public async Task<string> GrantOneAsync(string customerId, CancellationToken cancellationToken)
    {
        var (status, grantId) = await GrantAsync(customerId, $"one-{Guid.NewGuid():N}", cancellationToken);
        return grantId ?? throw new InvalidOperationException($"A grant to {customerId} answered {status}.");
    }

    public void Dispose() => _http.Dispose();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void Ensure(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}.");
        }
    }
}
