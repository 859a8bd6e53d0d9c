namespace CreditLedger.Contracts.Customers;

/// <summary>Credits drawn from one grant for an invoice.</summary>
/// <param name="GrantId">The grant.</param>
/// <param name="CreditType">Its credit type.</param>
/// <param name="Amount">How much.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ApplicationView")]
public sealed record ApplicationView([property: Id(0)] string GrantId, [property: Id(1)] string CreditType, [property: Id(2)] decimal Amount);
