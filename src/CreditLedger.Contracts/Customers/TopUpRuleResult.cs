namespace CreditLedger.Contracts.Customers;

/// <summary>The answer to setting, reading or removing a top-up rule.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's current version (a rule writes no ledger entry).</param>
/// <param name="Rule">The rule (for a removal, the one removed).</param>
/// <param name="Error">Why it was refused, when it was.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.TopUpRuleResult")]
public sealed record TopUpRuleResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] TopUpRuleView? Rule,
    [property: Id(3)] CommandError? Error);
