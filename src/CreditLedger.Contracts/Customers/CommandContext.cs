namespace CreditLedger.Contracts.Customers;

/// <summary>Who sends a command, from where, under which request and idempotency key.</summary>
/// <param name="Actor">Who: <c>key:&lt;name&gt;</c> for an API key, <c>user:&lt;name&gt;</c> on the dashboard.</param>
/// <param name="Source">From where: <c>api</c> or <c>dashboard</c>.</param>
/// <param name="RequestId">The request id, for the audit trail.</param>
/// <param name="IdempotencyKey">The caller's idempotency key (1-255 characters), if any.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CommandContext")]
public sealed record CommandContext(
    [property: Id(0)] string Actor,
    [property: Id(1)] string Source,
    [property: Id(2)] string? RequestId,
    [property: Id(3)] string? IdempotencyKey);
