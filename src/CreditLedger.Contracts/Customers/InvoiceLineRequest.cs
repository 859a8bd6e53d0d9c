namespace CreditLedger.Contracts.Customers;

/// <summary>One credit type an apply asks credits for: the invoice's currency total or a unit's quantity.</summary>
/// <param name="CreditType">ISO 4217 code or unit key, once per request.</param>
/// <param name="Requested">At least zero, in the credit type's scale.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.InvoiceLineRequest")]
public sealed record InvoiceLineRequest([property: Id(0)] string CreditType, [property: Id(1)] decimal Requested);
