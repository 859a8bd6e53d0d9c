using CreditLedger.Domain;

namespace CreditLedger.Storage.Ledger;

/// <summary>A top-up request as stored, whatever became of it.</summary>
/// <param name="Request">The request as recorded.</param>
/// <param name="Status"><c>outstanding</c>, <c>fulfilled</c> or <c>failed</c>.</param>
/// <param name="GrantId">The grant that fulfilled it.</param>
/// <param name="FailReason">Why it failed.</param>
/// <param name="EndedAt">When it was fulfilled or failed.</param>
public sealed record TopUpRequestRecord(TopUpRequest Request, string Status, string? GrantId, string? FailReason, DateTimeOffset? EndedAt);
