namespace CreditLedger.Contracts.Customers;

/// <summary>A customer.</summary>
/// <param name="CustomerId">The caller's id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">Billing e-mail.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CustomerView")]
public sealed record CustomerView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Email,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);
