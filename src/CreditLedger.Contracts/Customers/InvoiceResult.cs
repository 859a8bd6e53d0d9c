namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to an apply, pay, void or read of an invoice.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's version after it (a repeated apply: the version of the original apply).</param>
/// <param name="Invoice">The invoice, on success.</param>
/// <param name="Error">Why it was refused, when it was.</param>
/// <param name="Replayed">Whether this is the original answer to a repeated request.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.InvoiceResult")]
public sealed record InvoiceResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] InvoiceView? Invoice,
    [property: Id(3)] CommandError? Error,
    [property: Id(4)] bool Replayed = false) : ICommandResult<InvoiceResult>
{
    /// <inheritdoc />
    public static InvoiceResult KeyReused(long version, CommandError reason) => new(CommandStatus.IdempotencyKeyReused, version, null, reason);

    /// <inheritdoc />
    public InvoiceResult AsReplayed() => this with { Replayed = true };
}
