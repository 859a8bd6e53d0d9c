namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to a grant, a void of a grant, or a read of one grant.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's version after it.</param>
/// <param name="Grant">The grant, on success.</param>
/// <param name="VoidedAmount">For a void, the remaining credits it removed.</param>
/// <param name="Error">Why it was refused, when it was.</param>
/// <param name="Replayed">Whether this is the remembered answer to an earlier request with the same idempotency key.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.GrantResult")]
public sealed record GrantResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] GrantView? Grant,
    [property: Id(3)] decimal? VoidedAmount,
    [property: Id(4)] CommandError? Error,
    [property: Id(5)] bool Replayed = false) : ICommandResult<GrantResult>
{
    /// <inheritdoc />
    public static GrantResult KeyReused(long version, CommandError reason) => new(CommandStatus.IdempotencyKeyReused, version, null, null, reason);

    /// <inheritdoc />
    public GrantResult AsReplayed() => this with { Replayed = true };
}
