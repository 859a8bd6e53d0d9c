using System.Globalization;
using System.Text.Json;
using System.Net;
using CreditLedger.Contracts.Reports;
using CreditLedger.Gateway.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>
/// The credits report against the ledger: after concurrent grants, applies, pays, voids and expiries across 200
/// customers and 3 credit types, every grouping equals the sums computed from <c>ledger_entries</c> with SQL to the
/// last decimal; filters and CSV are checked against the same numbers.
/// </summary>
[StartEarly(3)]
public sealed class ReportTests(ReportTests.ReportApi api) : IClassFixture<ReportTests.ReportApi>
{
    [Fact]
    public async Task Report_After200CustomersOfConcurrentCommands_EveryGroupingEqualsLedgerSums()
    {
        await api.WorkloadAsync();
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        foreach (var groupBy in new[] { "creditType", "customer", "day" })
        {
            var query = $"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}";
            var report = groupBy == "customer" ? await LedgerSums.AllPagesAsync(http, query) : await http.GetAsync(query).OkAsync();
            LedgerSums.AssertEqual(await LedgerSums.ExpectedAsync(api.DataSource, groupBy), LedgerSums.Actual(report, groupBy));
            Assert.Equal(0, report.GetProperty("lagSeconds").GetDouble());
        }

        var byType = await http.GetAsync($"/v1/reports/credits?from={today}&to={today}").OkAsync();
        Assert.Equal(["EUR", "USD", "api_calls"], byType.GetProperty("totals").EnumerateObject().Select(p => p.Name));
        Assert.True(decimal.Parse(byType.GetProperty("totals").GetProperty("EUR").Str("expired"), CultureInfo.InvariantCulture) > 0, "expiries are counted");
    }

    [Fact]
    public async Task Report_Filters_DateRangeCustomerCreditTypeAndKind()
    {
        var customers = await api.WorkloadAsync();
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var empty = await http.GetAsync($"/v1/reports/credits?from={Day(-10)}&to={Day(-1)}&groupBy=day").OkAsync();
        Assert.Empty(empty.GetProperty("rows").EnumerateArray());
        Assert.Empty(empty.GetProperty("totals").EnumerateObject());

        var customer = customers[7];
        var one = await http.GetAsync($"/v1/reports/credits?from={Day(-1)}&to={Day(1)}&groupBy=customer&customerId={customer}").OkAsync();
        var expected = (await LedgerSums.ExpectedAsync(api.DataSource, "customer")).Where(e => e.Key.StartsWith(customer + "|", StringComparison.Ordinal)).ToDictionary();
        LedgerSums.AssertEqual(expected, LedgerSums.Actual(one, "customer"));

        var usd = await http.GetAsync($"/v1/reports/credits?from={Day(0)}&to={Day(0)}&creditType=USD").OkAsync();
        Assert.Equal("USD", Assert.Single(usd.GetProperty("rows").EnumerateArray()).Str("creditType"));

        var units = await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={Day(0)}&to={Day(0)}&type=units&groupBy=customer");
        Assert.All(units.GetProperty("rows").EnumerateArray(), r => Assert.Equal("api_calls", r.Str("creditType")));
        var monetary = await http.GetAsync($"/v1/reports/credits?from={Day(0)}&to={Day(0)}&type=monetary").OkAsync();
        Assert.Equal(["EUR", "USD"], monetary.GetProperty("rows").EnumerateArray().Select(r => r.Str("creditType")));

        var bad = await http.GetAsync($"/v1/reports/credits?from={Day(1)}&to={Day(0)}");
        Assert.Equal("validation_failed", (await bad.JsonAsync(HttpStatusCode.BadRequest)).Str("code"));
    }

    [Fact]
    public async Task Report_ByCustomer_PagedWithLimitAndCursor_TotalsCoverTheWholeFilter()
    {
        await api.WorkloadAsync();
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var query = $"/v1/reports/credits?from={today}&to={today}&groupBy=customer";
        var byType = await http.GetAsync($"/v1/reports/credits?from={today}&to={today}").OkAsync();
        var all = await LedgerSums.AllPagesAsync(http, query, limit: 200);

        var first = await http.GetAsync(query).OkAsync();
        Assert.Equal(50, first.GetProperty("rows").GetArrayLength());
        Assert.Equal(JsonValueKind.String, first.GetProperty("nextCursor").ValueKind);
        // Every page's totals are the whole filter's: the same as the report by credit type.
        Assert.Equal(byType.GetProperty("totals").GetRawText(), first.GetProperty("totals").GetRawText());

        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await http.GetAsync($"{query}&limit=37" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))).OkAsync();
            Assert.InRange(page.GetProperty("rows").GetArrayLength(), 1, 37);
            Assert.Equal(byType.GetProperty("totals").GetRawText(), page.GetProperty("totals").GetRawText());
            pages.Add(page);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // The pages together are every row once, in the same order as one walk with bigger pages.
        var keys = pages.SelectMany(p => p.GetProperty("rows").EnumerateArray()).Select(r => r.Str("customerId") + "|" + r.Str("creditType")).ToList();
        Assert.Equal(all.GetProperty("rows").EnumerateArray().Select(r => r.Str("customerId") + "|" + r.Str("creditType")), keys);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.True(keys.Count > 200, $"The workload has {keys.Count} rows by customer.");

        Assert.Equal(JsonValueKind.Null, byType.GetProperty("nextCursor").ValueKind);
        foreach (var bad in new[] { $"{query}&limit=0", $"{query}&limit=201", $"{query}&cursor=not-a-cursor", $"/v1/reports/credits?from={today}&to={today}&groupBy=day&limit=5" })
        {
            Assert.Equal("validation_failed", (await (await http.GetAsync(bad)).JsonAsync(HttpStatusCode.BadRequest)).Str("code"));
        }
    }

    [Theory]
    [InlineData("customer", "format=csv", null)]
    [InlineData("day", null, "text/csv")]
    [InlineData("creditType", null, "text/csv")]
    public async Task Report_Csv_ParsesBackToTheSameNumbers(string groupBy, string? format, string? accept)
    {
        await api.WorkloadAsync();
        using var http = api.Client();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var query = $"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}" + (format is null ? string.Empty : "&" + format);
        var json = groupBy == "customer"
            ? await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}")
            : await http.GetAsync($"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}").OkAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await http.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(Csv.Fields).ToList();
        var jsonRows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(jsonRows.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            for (var column = 0; column < header.Length; column++)
            {
                Assert.Equal(jsonRows[i].Str(header[column]), rows[i][column]);
            }
        }
    }

    /// <summary>The API with a quick reporting timer and one shared workload, after which the tests also fold on demand.</summary>
    public sealed class ReportApi : ApiFixture
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private string[]? _customers;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("CreditLedger:Reports:Interval", "00:00:00.100"),
        ];

        /// <summary>Runs the workload once (200 customers), then lets the reporting grain catch up.</summary>
        public async Task<string[]> WorkloadAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_customers is null)
                {
                    var customers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => CustomerAsync("report")));
                    await Workload.RunAsync(Services.GetRequiredService<IGrainFactory>(), customers, DateTimeOffset.UtcNow.AddSeconds(2));
                    _customers = customers;
                }

                await Services.GetRequiredService<IGrainFactory>().GetGrain<IReportingGrain>(0).CatchUpAsync();
                return _customers;
            }
            finally
            {
                _gate.Release();
            }
        }

        public override async Task DisposeAsync()
        {
            _gate.Dispose();
            await base.DisposeAsync();
        }
    }
}
