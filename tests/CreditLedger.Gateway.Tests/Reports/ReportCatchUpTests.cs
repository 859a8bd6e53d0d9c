using System.Net;
using CreditLedger.Contracts.Reports;
using CreditLedger.Gateway.Tests.Api;
using CreditLedger.Storage.Reports;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>
/// The report feed folds only below the oldest transaction still running: a fold that takes nothing is not proof of
/// being caught up, which is why the reporting grain's catch-up waits until everything committed before it is folded.
/// With the reporting grain kept off, on a database of its own.
/// </summary>
public sealed class ReportCatchUpTests(ReportAggregationTests.UnaggregatedApi api) : IClassFixture<ReportAggregationTests.UnaggregatedApi>
{
    [Fact]
    public async Task Fold_BehindATransactionStillRunning_IsNotCaughtUpUntilItEnds()
    {
        var store = api.Services.GetRequiredService<ReportStore>();
        var customer = await api.CustomerAsync("held");
        await using var connection = await api.DataSource.OpenConnectionAsync();
        await using var running = await connection.BeginTransactionAsync();
        await using (var begin = new NpgsqlCommand("SELECT pg_current_xact_id()", connection, running))
        {
            await begin.ExecuteScalarAsync();
        }

        using var http = api.Client();
        var grant = await http.PostAsync(
            $"/v1/customers/{customer}/credit-grants",
            ApiFixture.Json(new { type = "monetary", currency = "USD", amount = "7.00", reason = "Held back" }));
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var horizon = await store.CommittedHorizonAsync();

        // The grant committed, but behind a transaction that began before it: folding takes nothing of it yet.
        await FoldAllAsync(store);
        Assert.False(await store.FoldedBelowAsync(horizon));

        // Once it ends, the reporting grain's catch-up folds everything committed before it was called.
        await running.CommitAsync();
        await api.Services.GetRequiredService<IGrainFactory>().GetGrain<IReportingGrain>(0).CatchUpAsync();
        Assert.True(await store.FoldedBelowAsync(horizon));
        Assert.Equal("true", await api.ScalarTextAsync("SELECT (sum(granted) = 7.00)::text FROM report_daily WHERE customer_id = $1", customer));
    }

    private static async Task FoldAllAsync(ReportStore store)
    {
        while (await store.AggregateNextBatchAsync(100) > 0)
        {
        }
    }
}
