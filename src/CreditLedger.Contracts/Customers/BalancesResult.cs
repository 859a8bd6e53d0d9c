namespace CreditLedger.Contracts.Customers;

/// <summary>A customer's balances at an instant.</summary>
/// <param name="Status">Ok, or CustomerNotFound.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="AsOf">The instant the balances are for.</param>
/// <param name="ExpiringWithinDays">The horizon of "expiring soon".</param>
/// <param name="Balances">Per credit type, ordered by code.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.BalancesResult")]
public sealed record BalancesResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset AsOf,
    [property: Id(3)] int ExpiringWithinDays,
    [property: Id(4)] IReadOnlyList<BalanceView> Balances);
