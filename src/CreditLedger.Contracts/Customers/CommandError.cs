namespace CreditLedger.Contracts.Customers;

/// <summary>Why a call was refused: a sentence, and for invalid requests the field it is about.</summary>
/// <param name="Detail">One or two sentences for the caller.</param>
/// <param name="Field">The request field at fault, for <see cref="CommandStatus.InvalidRequest"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CommandError")]
public sealed record CommandError([property: Id(0)] string Detail, [property: Id(1)] string? Field = null);
