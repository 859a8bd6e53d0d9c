using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of the customers resource: what PUT accepts and what the endpoints answer.

/// <summary>The body of <c>PUT /v1/customers/{customerId}</c>.</summary>
/// <param name="Name">Display name, up to 200 characters.</param>
/// <param name="Email">Billing e-mail, up to 320 characters.</param>
public sealed record CustomerBody(string? Name, string? Email);

/// <summary>A customer with its balances and version.</summary>
public sealed record CustomerResponse(
    string CustomerId,
    string? Name,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BalanceItem>? Balances);

/// <summary>A customer in the list.</summary>
public sealed record CustomerListItem(string CustomerId, string? Name, string? Email, DateTimeOffset CreatedAt);
