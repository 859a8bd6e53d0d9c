namespace CreditLedger.Contracts.Customers;

/// <summary>An invoice credits were applied to.</summary>
/// <param name="InvoiceId">The caller's invoice id.</param>
/// <param name="Status"><c>pending</c>, <c>paid</c> or <c>voided</c>.</param>
/// <param name="Lines">Per credit type: requested, applied, due (request order).</param>
/// <param name="Applications">The grants drawn from.</param>
/// <param name="AppliedAt">When credits were applied.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.InvoiceView")]
public sealed record InvoiceView(
    [property: Id(0)] string InvoiceId,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyList<InvoiceLineView> Lines,
    [property: Id(3)] IReadOnlyList<ApplicationView> Applications,
    [property: Id(4)] DateTimeOffset AppliedAt);
