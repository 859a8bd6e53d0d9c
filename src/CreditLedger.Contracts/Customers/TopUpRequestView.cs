namespace CreditLedger.Contracts.Customers;

/// <summary>A top-up request as the API shows it.</summary>
/// <param name="RequestId">Its id, <c>tur_...</c>.</param>
/// <param name="CreditType">The credit type to top up.</param>
/// <param name="Status"><c>outstanding</c>, <c>fulfilled</c> or <c>failed</c>.</param>
/// <param name="Amount">What brings available to the rule's target balance.</param>
/// <param name="Available">Available when it was requested.</param>
/// <param name="Threshold">The rule's threshold then.</param>
/// <param name="CreatedAt">When it was requested (the instant of the entry that made it).</param>
/// <param name="CreatedVersion">The entry that made it.</param>
/// <param name="GrantId">The grant that fulfilled it.</param>
/// <param name="FailReason">Why it failed.</param>
/// <param name="EndedAt">When it was fulfilled or failed.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.TopUpRequestView")]
public sealed record TopUpRequestView(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string CreditType,
    [property: Id(2)] string Status,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal Available,
    [property: Id(5)] decimal Threshold,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] long CreatedVersion,
    [property: Id(8)] string? GrantId,
    [property: Id(9)] string? FailReason,
    [property: Id(10)] DateTimeOffset? EndedAt);
