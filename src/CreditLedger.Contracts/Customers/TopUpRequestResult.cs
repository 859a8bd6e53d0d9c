namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to failing or reading a top-up request.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="Request">The request, on success.</param>
/// <param name="Error">Why it was refused, when it was.</param>
/// <param name="Replayed">Whether this is the remembered answer to an earlier request with the same idempotency key.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.TopUpRequestResult")]
public sealed record TopUpRequestResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] TopUpRequestView? Request,
    [property: Id(3)] CommandError? Error,
    [property: Id(4)] bool Replayed = false) : ICommandResult<TopUpRequestResult>
{
    /// <inheritdoc />
    public static TopUpRequestResult KeyReused(long version, CommandError reason) => new(CommandStatus.IdempotencyKeyReused, version, null, reason);

    /// <inheritdoc />
    public TopUpRequestResult AsReplayed() => this with { Replayed = true };
}
