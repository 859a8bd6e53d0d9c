using System.Globalization;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Api;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Reports;

/// <summary>The report's numbers computed straight from <c>ledger_entries</c> with SQL, to compare the report with.</summary>
internal static class LedgerSums
{
    private static readonly string[] Columns = ["granted", "applied", "consumed", "reinstated", "expired", "voided", "available"];

    private const string Flows = """
        coalesce(sum(amount) FILTER (WHERE kind = 'granted'), 0),
        coalesce(-sum(amount) FILTER (WHERE kind = 'applied'), 0),
        coalesce(sum((data ->> 'consumed')::numeric) FILTER (WHERE kind = 'paid'), 0),
        coalesce(sum(amount) FILTER (WHERE kind = 'reinstated'), 0),
        coalesce(-sum(amount) FILTER (WHERE kind = 'expired'), 0),
        coalesce(-sum(amount) FILTER (WHERE kind = 'voided'), 0)
        """;

    /// <summary>Per grouping key: the six flows and (unless by day) the available balance as of each customer's latest entry.</summary>
    public static async Task<Dictionary<string, decimal[]>> ExpectedAsync(NpgsqlDataSource dataSource, string groupBy)
    {
        var key = groupBy switch
        {
            "customer" => "customer_id || '|' || credit_type",
            "day" => "to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') || '|' || credit_type",
            _ => "credit_type",
        };
        var expected = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand($"SELECT {key}, {Flows} FROM ledger_entries GROUP BY 1"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                expected[reader.GetString(0)] = [.. Enumerable.Range(1, 6).Select(reader.GetDecimal), 0m];
            }
        }

        if (groupBy == "day")
        {
            return expected.ToDictionary(e => e.Key, e => e.Value[..6], StringComparer.Ordinal);
        }

        var balanceKey = groupBy == "customer" ? "customer_id || '|' || credit_type" : "credit_type";
        await using (var command = dataSource.CreateCommand($"""
            SELECT {balanceKey}, sum(available_after) FROM (
                SELECT DISTINCT ON (customer_id, credit_type) customer_id, credit_type, available_after
                FROM ledger_entries ORDER BY customer_id, credit_type, seq DESC) latest
            GROUP BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                expected[reader.GetString(0)][6] = reader.GetDecimal(1);
            }
        }

        return expected;
    }

    /// <summary>The report's rows in the same shape.</summary>
    /// <summary>
    /// The report at <paramref name="query"/> with every page of its rows (grouped by customer, the rows come in pages of
    /// <paramref name="limit"/>; the other groupings are one page): one object with all the rows and the first page's totals.
    /// </summary>
    public static async Task<JsonElement> AllPagesAsync(HttpClient http, string query, int limit = 200)
    {
        if (!query.Contains("groupBy=customer", StringComparison.Ordinal))
        {
            return await http.GetAsync(query).OkAsync();
        }

        var rows = new List<JsonElement>();
        JsonElement first = default;
        string? cursor = null;
        do
        {
            var page = await http.GetAsync($"{query}&limit={limit}" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))).OkAsync();
            first = rows.Count == 0 ? page : first;
            rows.AddRange(page.GetProperty("rows").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["rows"] = rows,
            ["totals"] = first.GetProperty("totals"),
            ["lagSeconds"] = first.GetProperty("lagSeconds"),
        });
    }

    public static Dictionary<string, decimal[]> Actual(JsonElement report, string groupBy) =>
        report.GetProperty("rows").EnumerateArray().ToDictionary(
            row => groupBy switch
            {
                "customer" => row.GetProperty("customerId").GetString() + "|" + row.GetProperty("creditType").GetString(),
                "day" => row.GetProperty("day").GetString() + "|" + row.GetProperty("creditType").GetString(),
                _ => row.GetProperty("creditType").GetString()!,
            },
            row => Columns
                .Where(field => groupBy != "day" || field != "available")
                .Select(field => decimal.Parse(row.GetProperty(field).GetString()!, CultureInfo.InvariantCulture))
                .ToArray(),
            StringComparer.Ordinal);

    public static void AssertEqual(Dictionary<string, decimal[]> expected, Dictionary<string, decimal[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, values) in expected)
        {
            Assert.True(values.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(", ", values)}], report has [{string.Join(", ", actual[key])}]");
        }
    }
}
