namespace CreditLedger.Domain;

/// <summary>How an outstanding top-up request ended: fulfilled by a grant, or failed with a reason.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="CreditType">Its credit type.</param>
/// <param name="GrantId">The grant that fulfilled it; null when it failed.</param>
/// <param name="FailReason">Why it failed; null when fulfilled.</param>
/// <param name="EndedAt">When the command that ended it was evaluated.</param>
public sealed record TopUpOutcome(string RequestId, CreditType CreditType, string? GrantId, string? FailReason, DateTimeOffset EndedAt);
