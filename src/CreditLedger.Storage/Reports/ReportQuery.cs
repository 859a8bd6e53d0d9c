using CreditLedger.Domain;

namespace CreditLedger.Storage.Reports;

/// <summary>What the credits report is asked for: inclusive UTC days, optional filters, and the grouping.</summary>
/// <param name="From">First UTC day (included).</param>
/// <param name="To">Last UTC day (included).</param>
/// <param name="CustomerId">Only this customer, when given.</param>
/// <param name="CreditType">Only this credit type code, when given.</param>
/// <param name="Kind">Only monetary or only unit credit types, when given.</param>
/// <param name="GroupBy">Rows per credit type, per customer and credit type, or per day and credit type.</param>
public sealed record ReportQuery(DateOnly From, DateOnly To, string? CustomerId, string? CreditType, CreditKind? Kind, ReportGrouping GroupBy);

/// <summary>A page of the rows grouped by customer: the rows after (<paramref name="AfterCustomerId"/>, <paramref name="AfterCreditType"/>) in key order, at most <paramref name="Limit"/>.</summary>
/// <param name="AfterCustomerId">The customer of the last row of the previous page, or null for the first page.</param>
/// <param name="AfterCreditType">The credit type of the last row of the previous page.</param>
/// <param name="Limit">Rows to read at most (a caller that wants to know whether a next page exists asks for one more than it shows).</param>
public sealed record ReportPage(string? AfterCustomerId, string? AfterCreditType, int Limit);

/// <summary>How report rows are grouped; every grouping also splits by credit type.</summary>
public enum ReportGrouping
{
    /// <summary>One row per credit type.</summary>
    CreditType,

    /// <summary>One row per customer and credit type.</summary>
    Customer,

    /// <summary>One row per UTC day and credit type.</summary>
    Day,
}

/// <summary>One report row: the six flows over the range, and the outstanding available balance (not for days).</summary>
/// <param name="CreditType">The credit type.</param>
/// <param name="CustomerId">The customer, when grouped by customer.</param>
/// <param name="Day">The UTC day, when grouped by day.</param>
/// <param name="Granted">Credits granted.</param>
/// <param name="Applied">Credits applied to invoices.</param>
/// <param name="Consumed">Credits consumed by paid invoices.</param>
/// <param name="Reinstated">Credits returned by voided invoices.</param>
/// <param name="Expired">Credits expired.</param>
/// <param name="Voided">Credits voided.</param>
/// <param name="Available">Available now (as of each customer's latest entry), when grouped by credit type or customer.</param>
public sealed record ReportRow(
    string CreditType, string? CustomerId, DateOnly? Day, decimal Granted, decimal Applied, decimal Consumed, decimal Reinstated, decimal Expired, decimal Voided, decimal? Available);
