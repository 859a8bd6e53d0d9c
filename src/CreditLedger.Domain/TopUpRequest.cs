namespace CreditLedger.Domain;

/// <summary>
/// A top-up request as the engine recorded it, in the same transaction as the entry that left available below the
/// rule's threshold (that entry carries it, and the <c>account.credits.top_up_requested</c> event).
/// </summary>
/// <param name="RequestId">The request's id, <c>tur_</c> and the number of the entry that made it: unique within the customer.</param>
/// <param name="CreditType">The credit type to top up.</param>
/// <param name="Amount">What brings available to the rule's target balance.</param>
/// <param name="Available">Available after the entry.</param>
/// <param name="Threshold">The rule's threshold then.</param>
/// <param name="Version">The entry that made it.</param>
/// <param name="CreatedAt">That entry's instant.</param>
public sealed record TopUpRequest(string RequestId, CreditType CreditType, decimal Amount, decimal Available, decimal Threshold, long Version, DateTimeOffset CreatedAt)
{
    /// <summary>The id of the request made by entry <paramref name="version"/>.</summary>
    public static string IdFor(long version) => $"tur_{version}";
}
