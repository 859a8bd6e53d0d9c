using System.Globalization;
using System.Text;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using CreditLedger.Storage.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/reports/credits</c>: credit usage across all customers by credit type, customer or day, as JSON or CSV.</summary>
public static class ReportEndpoints
{
    /// <summary>The longest range a report covers: 3,660 days.</summary>
    public const int MaxDays = 3_660;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/reports/credits", GetAsync)
            .WithTags("Reports")
            .RequireScope(Scopes.Read)
            .WithName("GetCreditsReport")
            .WithSummary("Credit usage across all customers")
            .WithDescription("Granted, applied, consumed, reinstated, expired and voided per credit type (groupBy=creditType, the default), per customer (groupBy=customer) or per UTC day (groupBy=day), over `from`-`to` (inclusive UTC days, default the last 30), filtered by `customerId`, `creditType` and `type` (monetary or units). `available` (now) comes with creditType and customer groupings. Grouped by customer, the rows come in pages: `limit` (1-200, default 50) and `cursor` (the previous page's `nextCursor`, null on the last page); `totals` always cover the whole filter. `Accept: text/csv` or `format=csv` gives every row as CSV, streamed.")
            .Produces<ReportResponse>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithProblems(400);
        return v1;
    }

    private const string CursorKind = "report-customer";

    private static async Task<Results<JsonHttpResult<ReportResponse>, EmptyHttpResult, JsonHttpResult<Problem>>> GetAsync(
        HttpRequest request, ReportStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (query, problem) = Parse(request, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (problem is not null)
        {
            return problem;
        }

        var csv = WantsCsv(request);
        ReportPage? page = null;
        if (query!.GroupBy == ReportGrouping.Customer && !csv)
        {
            if (!ApiRequest.TryLimit(request, out var limit, out problem) || !Cursor.TryRead(request, CursorKind, out string? position, out problem))
            {
                return problem!;
            }

            var after = position?.Split('\n', 2);
            // One more than the page: whether there is a next page.
            page = new ReportPage(after?[0], after?.ElementAtOrDefault(1), limit + 1);
        }
        else if (request.Query.ContainsKey("limit") || request.Query.ContainsKey("cursor"))
        {
            return Problems.Validation(request.Query.ContainsKey("cursor") ? "cursor" : "limit", "Only the JSON report grouped by customer is paged; the CSV form has every row.");
        }

        if (csv)
        {
            await WriteCsvAsync(request.HttpContext.Response, store.ReadAsync(query, page: null, cancellationToken), query.GroupBy, cancellationToken);
            return TypedResults.Empty;
        }

        var rows = new List<ReportRow>();
        await foreach (var row in store.ReadAsync(query, page, cancellationToken))
        {
            rows.Add(row);
        }

        string? nextCursor = null;
        if (page is not null && rows.Count == page.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            nextCursor = Cursor.Encode(CursorKind, $"{rows[^1].CustomerId}\n{rows[^1].CreditType}");
        }

        // The totals cover the whole filter, not the page: per customer, they are the rows per credit type.
        var totalRows = page is null ? rows : await store.QueryAsync(query with { GroupBy = ReportGrouping.CreditType }, cancellationToken);
        var oldestPending = await store.OldestPendingAsync(cancellationToken);
        var now = time.GetUtcNow();
        var lag = oldestPending is { } oldest && oldest < now ? Math.Round((now - oldest).TotalSeconds, 3) : 0;
        var asOf = oldestPending ?? now;

        var items = rows.Select(r => new ReportRowItem(
            r.CreditType,
            r.CustomerId,
            r.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Amount(r.Granted, r.CreditType),
            Amount(r.Applied, r.CreditType),
            Amount(r.Consumed, r.CreditType),
            Amount(r.Reinstated, r.CreditType),
            Amount(r.Expired, r.CreditType),
            Amount(r.Voided, r.CreditType),
            r.Available is { } available ? Amount(available, r.CreditType) : null)).ToList();
        var totals = totalRows
            .GroupBy(r => r.CreditType, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new ReportTotals(
                    Amount(g.Sum(r => r.Granted), g.Key),
                    Amount(g.Sum(r => r.Applied), g.Key),
                    Amount(g.Sum(r => r.Consumed), g.Key),
                    Amount(g.Sum(r => r.Reinstated), g.Key),
                    Amount(g.Sum(r => r.Expired), g.Key),
                    Amount(g.Sum(r => r.Voided), g.Key),
                    query.GroupBy == ReportGrouping.Day ? null : Amount(g.Sum(r => r.Available ?? 0), g.Key)),
                StringComparer.Ordinal);
        return TypedResults.Json(new ReportResponse(items, totals, asOf, lag, nextCursor), GatewayJsonContext.Default.ReportResponse);
    }

    private static (ReportQuery? Query, JsonHttpResult<Problem>? Problem) Parse(HttpRequest request, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var to = Day(request, "to", today, errors);
        var from = Day(request, "from", to.AddDays(-29), errors);
        if (errors.Count == 0 && (from > to || to.DayNumber - from.DayNumber >= MaxDays))
        {
            errors["from"] = [$"Must be on or before to, and at most {MaxDays} days before it."];
        }

        var customerId = request.Query["customerId"].ToString();
        if (customerId.Length > 0 && !CustomerId.TryParse(customerId, out _, out var customerError))
        {
            errors["customerId"] = [customerError];
        }

        var creditType = request.Query["creditType"].ToString();
        if (creditType.Length > 0 && !CreditType.TryParse(creditType, out _, out var typeError))
        {
            errors["creditType"] = [typeError];
        }

        CreditKind? kind = request.Query["type"].ToString() switch
        {
            "" => null,
            "monetary" => CreditKind.Monetary,
            "units" => CreditKind.Units,
            _ => Invalid<CreditKind>(errors, "type", "Must be monetary or units."),
        };
        var grouping = request.Query["groupBy"].ToString() switch
        {
            "" or "creditType" => ReportGrouping.CreditType,
            "customer" => ReportGrouping.Customer,
            "day" => ReportGrouping.Day,
            _ => Invalid<ReportGrouping>(errors, "groupBy", "Must be creditType, customer or day.") ?? ReportGrouping.CreditType,
        };
        var format = request.Query["format"].ToString();
        if (format is not ("" or "json" or "csv"))
        {
            errors["format"] = ["Must be json or csv."];
        }

        return errors.Count > 0
            ? (null, Problems.Validation(errors))
            : (new ReportQuery(from, to, customerId.Length > 0 ? customerId : null, creditType.Length > 0 ? creditType : null, kind, grouping), null);
    }

    private static DateOnly Day(HttpRequest request, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[name] = ["Must be a UTC day such as 2026-11-01."];
            return fallback;
        }

        return day;
    }

    private static T? Invalid<T>(Dictionary<string, string[]> errors, string field, string message)
        where T : struct
    {
        errors[field] = [message];
        return null;
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.Query["format"] == "csv"
        || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    // RFC 4180: CRLF line ends, a header line, and fields quoted when they hold a comma, quote or line break. Rows are
    // written as PostgreSQL returns them, so an answer of any size needs no more memory than one row.
    private static async Task WriteCsvAsync(HttpResponse response, IAsyncEnumerable<ReportRow> rows, ReportGrouping grouping, CancellationToken cancellationToken)
    {
        response.ContentType = "text/csv; charset=utf-8";
        await using var csv = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
        var header = new List<string> { "creditType" };
        if (grouping == ReportGrouping.Customer)
        {
            header.Add("customerId");
        }

        if (grouping == ReportGrouping.Day)
        {
            header.Add("day");
        }

        header.AddRange(["granted", "applied", "consumed", "reinstated", "expired", "voided"]);
        if (grouping != ReportGrouping.Day)
        {
            header.Add("available");
        }

        await csv.WriteAsync(string.Join(',', header) + "\r\n");
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var fields = new List<string> { row.CreditType };
            if (grouping == ReportGrouping.Customer)
            {
                fields.Add(row.CustomerId!);
            }

            if (grouping == ReportGrouping.Day)
            {
                fields.Add(row.Day!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            fields.AddRange(new[] { row.Granted, row.Applied, row.Consumed, row.Reinstated, row.Expired, row.Voided }.Select(v => Amount(v, row.CreditType)));
            if (grouping != ReportGrouping.Day)
            {
                fields.Add(Amount(row.Available ?? 0, row.CreditType));
            }

            await csv.WriteAsync(string.Join(',', fields.Select(Quote)) + "\r\n");
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string Amount(decimal amount, string creditType) => ApiRequest.Amount(amount, creditType);
}
