namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to creating, cancelling or reading one credit schedule.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's version after it.</param>
/// <param name="Schedule">The schedule, on success.</param>
/// <param name="Error">Why it was refused, when it was.</param>
/// <param name="Replayed">Whether this is the remembered answer to an earlier request with the same idempotency key.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ScheduleResult")]
public sealed record ScheduleResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] ScheduleView? Schedule,
    [property: Id(3)] CommandError? Error,
    [property: Id(4)] bool Replayed = false) : ICommandResult<ScheduleResult>
{
    /// <inheritdoc />
    public static ScheduleResult KeyReused(long version, CommandError reason) => new(CommandStatus.IdempotencyKeyReused, version, null, reason);

    /// <inheritdoc />
    public ScheduleResult AsReplayed() => this with { Replayed = true };
}
