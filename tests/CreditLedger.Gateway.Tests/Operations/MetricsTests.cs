using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Telemetry;
using CreditLedger.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// <c>/metrics</c> after real traffic on the in-memory host: the engine's own series, the request series by route and
/// status, and the Orleans and backlog series are there with values that count what the test did.
/// </summary>
[Collection(MetricsTestGroup.Name)]
public sealed class MetricsTests(MetricsTests.MetricsApi api) : IClassFixture<MetricsTests.MetricsApi>
{
    private const string ApplyRoute = "/v1/customers/{customerId}/invoices/{invoiceId}/apply-credits";

    [Fact]
    public async Task Metrics_AfterGrantsAndApplies_CountThem()
    {
        const int applies = 3;
        var customer = await api.CustomerAsync("metrics");
        using var admin = api.Client();
        var grant = await admin.PostAsync($"/v1/customers/{customer}/credit-grants", ApiFixture.Json(new { type = "monetary", amount = "50.00", currency = "USD", reason = "Metrics" }));
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        for (var i = 0; i < applies; i++)
        {
            var apply = await admin.PostAsync($"/v1/customers/{customer}/invoices/inv-{i}/apply-credits", ApiFixture.Json(new { currency = "USD", total = "1.00" }));
            Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        }

        using var anonymous = api.Client(key: null);
        IReadOnlyList<PrometheusSample> samples = [];
        // The exporter may answer a scrape from its short response cache; the next one sees the traffic.
        await Eventually.UntilAsync(
            async () =>
            {
                var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
                samples = PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
                return Sum(samples, "http_server_request_duration_seconds_count", ("http_route", ApplyRoute), ("http_response_status_code", "200")) >= applies;
            },
            TimeSpan.FromSeconds(30),
            "the apply requests in the request duration series");

        Assert.True(Sum(samples, "creditledger_apply_duration_seconds_count", ("outcome", "ok")) >= applies);
        Assert.True(Sum(samples, "creditledger_apply_duration_seconds_sum") > 0);
        // Buckets fit a ledger that answers in milliseconds: an apply here takes well under a second.
        Assert.True(Sum(samples, "creditledger_apply_duration_seconds_bucket", ("outcome", "ok"), ("le", "1")) >= applies);
        Assert.Contains(samples, s => s.Name == "creditledger_apply_duration_seconds_bucket" && s.Labels["le"] == "0.005");
        Assert.Contains(samples, s => s.Name == "creditledger_ledger_batch_size_bucket" && s.Labels["le"] == "256");
        Assert.True(Sum(samples, "creditledger_ledger_batch_size_count", ("outcome", "committed")) > 0);
        // Every committed transaction holds at least one append: a grant and three applies were written.
        Assert.True(Sum(samples, "creditledger_ledger_batch_size_sum") >= applies + 1);
        Assert.True(Sum(samples, "creditledger_ledger_commit_duration_seconds_count") > 0);
        Assert.True(Sum(samples, "orleans_catalog_activations") >= 1);
        Assert.Contains(samples, s => s.Name == "creditledger_webhook_pending");
        Assert.Contains(samples, s => s.Name == "creditledger_report_lag_seconds" && s.Value >= 0);
    }

    [Fact]
    public async Task WebhookLag_NewEndpoint_ReportedPerEndpoint()
    {
        using var admin = api.Client();
        var endpoint = await admin.PostAsync("/v1/webhook-endpoints", ApiFixture.Json(new { url = "https://203.0.113.10/lag-hook" }));
        Assert.Equal(HttpStatusCode.Created, endpoint.StatusCode);
        var endpointId = JsonDocument.Parse(await endpoint.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // Read from this host's meter: several test hosts share the process, and each exporter reports one of them.
        var meter = api.Services.GetRequiredService<EngineMetrics>().Meter;
        var lags = new ConcurrentDictionary<string, (double Lag, string Status)>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == "creditledger.webhook.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? id = null, status = null;
            foreach (var tag in tags)
            {
                id = tag.Key == "endpoint" ? tag.Value as string : id;
                status = tag.Key == "status" ? tag.Value as string : status;
            }

            lags[id!] = (value, status!);
        });
        listener.Start();

        await Eventually.UntilAsync(
            () =>
            {
                listener.RecordObservableInstruments();
                return Task.FromResult(lags.ContainsKey(endpointId));
            },
            TimeSpan.FromSeconds(30),
            "the new endpoint's lag gauge");
        Assert.True(lags[endpointId].Lag >= 0);
        Assert.True(lags[endpointId].Status is "healthy" or "failing", $"The endpoint's status tag is {lags[endpointId].Status}.");
    }

    [Fact]
    public async Task Metrics_NoKeyByDefault_Open()
    {
        using var anonymous = api.Client(key: null);

        var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Host_NoOtlpEndpoint_RecordsNoTraces() =>
        Assert.Null(api.Services.GetService<TracerProvider>());

    /// <summary>The engine with its backlog gauges read afresh every 200 ms, so a new endpoint shows without a long wait.</summary>
    public sealed class MetricsApi : ApiFixture
    {
        // Read while the host's services are registered, so given as a host setting.
        protected override void ConfigureHost(IWebHostBuilder web) => web.UseSetting("CreditLedger:Metrics:BacklogInterval", "00:00:00.200");
    }

    private static double Sum(IEnumerable<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);
}

/// <summary>
/// The metrics tests run alone: OpenTelemetry's providers in one process listen to every meter of a name, so the
/// series of test hosts that start and stop beside this one share and retire its metric streams.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsTestGroup
{
    public const string Name = "Metrics";
}
