namespace CreditLedger.Contracts.Customers;

/// <summary>A page of grants, newest first.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="Grants">The page.</param>
/// <param name="NextBeforeVersion">The cursor of the next page, or null on the last page.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.GrantListResult")]
public sealed record GrantListResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<GrantView> Grants,
    [property: Id(3)] long? NextBeforeVersion);
