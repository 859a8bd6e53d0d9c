using System.Net;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.AspNetCore.Hosting;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// A silo-only process serves <c>/metrics</c> next to health (and no API); with
/// <c>CreditLedger:Metrics:RequireAdminKey=true</c> it checks API keys for it like a gateway does.
/// </summary>
public sealed class SiloMetricsTests(SiloMetricsTests.Fixture silo) : IClassFixture<SiloMetricsTests.Fixture>
{
    [Fact]
    public async Task SiloMetrics_NoKey_Unauthenticated()
    {
        using var anonymous = silo.Client(key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SiloMetrics_AdminKey_ScrapedWithSiloSeries()
    {
        using var admin = silo.Client();

        var response = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samples = PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(samples, s => s.Name == "orleans_catalog_activations");
        Assert.Contains(samples, s => s.Name == "creditledger_webhook_pending");
    }

    [Fact]
    public async Task SiloApi_NotServed()
    {
        using var admin = silo.Client();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/v1/customers", UriKind.Relative))).StatusCode);
    }

    public sealed class Fixture : ApiFixture
    {
        // The role and the metrics setting decide which services are registered, so they are host settings.
        protected override void ConfigureHost(IWebHostBuilder web) => web
            .UseSetting("CreditLedger:Role", "silo")
            .UseSetting("CreditLedger:Metrics:RequireAdminKey", "true");
    }
}
