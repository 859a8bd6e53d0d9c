namespace CreditLedger.Contracts.Customers;

/// <summary>A customer with its balances.</summary>
/// <param name="Status">Created, Ok, or CustomerNotFound.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="Customer">The customer, when it exists.</param>
/// <param name="Balances">Its balances now.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CustomerResult")]
public sealed record CustomerResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] CustomerView? Customer,
    [property: Id(3)] BalancesResult? Balances);
