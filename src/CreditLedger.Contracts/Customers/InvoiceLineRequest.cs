using CreditLedger.Domain;

namespace CreditLedger.Contracts.Customers;

/// <summary>One credit type an apply asks credits for: the invoice's currency total or a unit's quantity.</summary>
/// <param name="CreditType">The credit type, parsed at the edge, once per request (on the wire: its code).</param>
/// <param name="Requested">At least zero, in the credit type's scale.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.InvoiceLineRequest")]
public sealed record InvoiceLineRequest([property: Id(0)] CreditType CreditType, [property: Id(1)] decimal Requested);
