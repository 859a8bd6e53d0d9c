using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of the credits report.

/// <summary>The credits report: rows, totals per credit type, and how current it is.</summary>
/// <param name="Rows">One row per grouping key and credit type.</param>
/// <param name="Totals">The rows summed per credit type.</param>
/// <param name="AsOf">Every ledger entry recorded before this instant is counted.</param>
/// <param name="LagSeconds">How far the report trails the ledger (0 when caught up).</param>
/// <param name="NextCursor">Grouped by customer: the cursor of the next page; null on the last page and for the other groupings, which are not paged.</param>
public sealed record ReportResponse(
    IReadOnlyList<ReportRowItem> Rows,
    IReadOnlyDictionary<string, ReportTotals> Totals,
    DateTimeOffset AsOf,
    double LagSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);

/// <summary>One report row: the six flows over the range, and available now when grouped by credit type or customer.</summary>
public sealed record ReportRowItem(
    string CreditType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CustomerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Day,
    string Granted,
    string Applied,
    string Consumed,
    string Reinstated,
    string Expired,
    string Voided,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Available);

/// <summary>The sums of one credit type's rows.</summary>
public sealed record ReportTotals(
    string Granted,
    string Applied,
    string Consumed,
    string Reinstated,
    string Expired,
    string Voided,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Available);
