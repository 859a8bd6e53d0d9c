using System.Globalization;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Storage.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>
/// Exactly once under contention: with the reporting grain kept off, four aggregators fold the same ledger at
/// once in small batches, and the report still equals the ledger's sums.
/// </summary>
[StartEarly(5)]
public sealed class ReportAggregationTests(ReportAggregationTests.UnaggregatedApi api) : IClassFixture<ReportAggregationTests.UnaggregatedApi>
{
    [Fact]
    public async Task Aggregation_FourAggregatorsAtOnce_CountEveryEntryOnce()
    {
        var customers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => api.CustomerAsync("contended")));
        await Workload.RunAsync(api.Services.GetRequiredService<IGrainFactory>(), customers, DateTimeOffset.UtcNow.AddSeconds(1));
        var store = api.Services.GetRequiredService<ReportStore>();
        Assert.NotNull(await store.OldestPendingAsync());

        var folded = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            long total = 0;
            int batch;
            while ((batch = await store.AggregateNextBatchAsync(7)) > 0)
            {
                total += batch;
            }

            return total;
        }));

        Assert.Equal(await api.ScalarAsync("SELECT count(*) FROM ledger_entries"), folded.Sum());
        Assert.Null(await store.OldestPendingAsync());
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var report = await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={today}&to={today}&groupBy=customer");
        LedgerSums.AssertEqual(await LedgerSums.ExpectedAsync(api.DataSource, "customer"), LedgerSums.Actual(report, "customer"));
    }

    /// <summary>The API with no silo keeping the reporting grain running.</summary>
    public sealed class UnaggregatedApi : ApiFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("CreditLedger:Reports:Enabled", "false")];
    }
}
