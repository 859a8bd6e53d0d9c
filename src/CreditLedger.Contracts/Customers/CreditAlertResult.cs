namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to setting a low-balance threshold.</summary>
/// <param name="Status">Ok or CustomerNotFound (the threshold is validated before the call).</param>
/// <param name="Version">The customer's current version (a threshold writes no ledger entry).</param>
/// <param name="CreditType">The credit type.</param>
/// <param name="Threshold">The threshold now in force.</param>
/// <param name="Error">Why it was refused, when it was.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.CreditAlertResult")]
public sealed record CreditAlertResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] string CreditType,
    [property: Id(3)] decimal? Threshold,
    [property: Id(4)] CommandError? Error);
