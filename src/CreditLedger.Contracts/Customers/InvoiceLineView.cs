namespace CreditLedger.Contracts.Customers;

/// <summary>What an invoice asked of one credit type and what credits covered.</summary>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Type"><c>monetary</c> (the invoice total) or <c>units</c> (a usage line).</param>
/// <param name="Requested">The total or quantity.</param>
/// <param name="Applied">What credits covered.</param>
/// <param name="Due">What is left to charge.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.InvoiceLineView")]
public sealed record InvoiceLineView(
    [property: Id(0)] string CreditType,
    [property: Id(1)] string Type,
    [property: Id(2)] decimal Requested,
    [property: Id(3)] decimal Applied,
    [property: Id(4)] decimal Due);
