using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of invoices.

/// <summary>The body of <c>POST .../invoices/{invoiceId}/apply-credits</c>: the currency total, usage, or both.</summary>
/// <param name="Currency">ISO 4217 code of <paramref name="Total"/>.</param>
/// <param name="Total">The invoice total: decimal string, zero or more.</param>
/// <param name="Usage">Quantities used per unit, each unit once.</param>
public sealed record ApplyBody(string? Currency, string? Total, IReadOnlyList<UsageBody>? Usage);

/// <summary>A usage line of an apply request.</summary>
/// <param name="Unit">Unit key.</param>
/// <param name="Quantity">Decimal string, zero or more, up to 6 decimals.</param>
public sealed record UsageBody(string Unit, string Quantity);

/// <summary>An invoice and the credits applied to it.</summary>
public sealed record InvoiceResponse(
    string CustomerId,
    string InvoiceId,
    string Status,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Total,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreditApplied,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TotalDue,
    IReadOnlyList<UsageItem> Usage,
    IReadOnlyList<ApplicationItem> Applications,
    DateTimeOffset AppliedAt);

/// <summary>What credits covered of one unit's usage.</summary>
public sealed record UsageItem(string Unit, string Quantity, string CreditApplied, string BillableQuantity);

/// <summary>Credits drawn from one grant.</summary>
public sealed record ApplicationItem(string GrantId, string CreditType, string Amount);
