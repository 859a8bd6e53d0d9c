using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>With <c>CreditLedger:Metrics:RequireAdminKey=true</c>, <c>/metrics</c> answers only admin keys.</summary>
[Collection(ObservedEngine.Name)]
public sealed class SecuredMetricsTests(ObservedApi api)
{
    [Fact]
    public async Task Metrics_NoKey_Unauthenticated()
    {
        using var anonymous = api.Client(key: null);

        var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("code"));
    }

    [Fact]
    public async Task Metrics_NonAdminKey_Forbidden()
    {
        using var reader = api.Client(await api.KeyAsync("metrics-reader", "read", "credits:write", "invoices:write"));

        var response = await reader.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("code"));
    }

    [Fact]
    public async Task Metrics_AdminKey_Scraped()
    {
        using var admin = api.Client();

        var response = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("creditledger_webhook_pending", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
