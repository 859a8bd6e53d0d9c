namespace CreditLedger.Contracts.Customers;

/// <summary>A top-up rule with the request outstanding under it, if any.</summary>
/// <param name="CreditType">The credit type.</param>
/// <param name="Threshold">Requests are made when available drops below this.</param>
/// <param name="TargetBalance">What a request tops available up to.</param>
/// <param name="OutstandingRequest">The request outstanding, or null.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.TopUpRuleView")]
public sealed record TopUpRuleView(
    [property: Id(0)] string CreditType,
    [property: Id(1)] decimal Threshold,
    [property: Id(2)] decimal TargetBalance,
    [property: Id(3)] TopUpRequestView? OutstandingRequest);
