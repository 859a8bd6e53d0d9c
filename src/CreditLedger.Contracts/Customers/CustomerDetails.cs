namespace CreditLedger.Contracts.Customers;

/// <summary>A customer's descriptive fields.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Email">Billing e-mail.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CustomerDetails")]
public sealed record CustomerDetails([property: Id(0)] string? Name, [property: Id(1)] string? Email);
