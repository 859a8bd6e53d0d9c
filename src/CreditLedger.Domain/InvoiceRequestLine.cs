namespace CreditLedger.Domain;

/// <summary>One credit type an apply request asks credits for: the invoice's currency total or a unit's quantity.</summary>
/// <param name="CreditType">The currency or unit; each at most once per request.</param>
/// <param name="Requested">The total or quantity, at least zero, in the credit type's scale.</param>
public sealed record InvoiceRequestLine(CreditType CreditType, decimal Requested);
