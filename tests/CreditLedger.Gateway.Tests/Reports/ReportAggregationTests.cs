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

        // Batches folded until the oldest entry left is younger than the ledger's first: the lag and the catch-up
        // test then have to start after the checkpoint, not at the ledger's start.
        var first = await api.ScalarAsync(MicrosecondsOf("min(recorded_at)") + " FROM ledger_entries");
        var foldedFirst = 0L;
        while (await OldestUnfoldedAsync() == first)
        {
            var batch = await store.AggregateNextBatchAsync(7);
            Assert.True(batch > 0, "a fold made no progress while entries were left");
            foldedFirst += batch;
        }

        var horizon = await store.CommittedHorizonAsync();
        Assert.False(await store.FoldedBelowAsync(horizon));
        Assert.Equal(await OldestUnfoldedAsync(), ((await store.OldestPendingAsync())!.Value - DateTimeOffset.UnixEpoch).Ticks / 10);

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

        Assert.Equal(await api.ScalarAsync("SELECT count(*) FROM ledger_entries"), foldedFirst + folded.Sum());
        Assert.Null(await store.OldestPendingAsync());
        Assert.True(await store.FoldedBelowAsync(horizon));
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var report = await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={today}&to={today}&groupBy=customer");
        LedgerSums.AssertEqual(await LedgerSums.ExpectedAsync(api.DataSource, "customer"), LedgerSums.Actual(report, "customer"));
    }

    // The recording time (microseconds since the epoch) of the oldest entry after the report's checkpoint.
    private Task<long> OldestUnfoldedAsync() => api.ScalarAsync(MicrosecondsOf("min(e.recorded_at)") + """
         FROM ledger_entries e, report_checkpoint c
        WHERE c.name = 'credits' AND (e.tx_id, e.customer_id, e.seq) > (c.tx_id, c.customer_id, c.seq)
        """);

    private static string MicrosecondsOf(string timestamp) => $"SELECT (extract(epoch FROM {timestamp}) * 1000000)::bigint";

    /// <summary>The API with no silo keeping the reporting grain running.</summary>
    public sealed class UnaggregatedApi : ApiFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("CreditLedger:Reports:Enabled", "false")];
    }
}
