namespace CreditLedger.Domain;

/// <summary>A request to grant credits, as the edge parsed it. The domain checks the rules that need the time.</summary>
/// <param name="GrantId">The new grant's id (from the caller's id generator), unique within the customer.</param>
/// <param name="CreditType">The currency or unit.</param>
/// <param name="Amount">Above zero, at most <see cref="LedgerLimits.MaxAmount"/>, in the credit type's scale.</param>
/// <param name="Reason">Why: 1 to <see cref="LedgerLimits.MaxReasonLength"/> characters.</param>
/// <param name="Priority">0-100; absent means <see cref="LedgerLimits.DefaultPriority"/>.</param>
/// <param name="Category">Paid or promotional.</param>
/// <param name="EffectiveAt">When usable from; absent means now; at most <see cref="LedgerLimits.MaxEffectiveAtInPast"/> in the past.</param>
/// <param name="ExpiresAt">When it expires; later than now and than <paramref name="EffectiveAt"/>; absent means never.</param>
public sealed record GrantRequest(
    string GrantId,
    CreditType CreditType,
    decimal Amount,
    string Reason,
    int? Priority,
    GrantCategory Category,
    DateTimeOffset? EffectiveAt,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>The outstanding top-up request the grant fulfils, if it fulfils one.</summary>
    public string? TopUpRequestId { get; init; }
}
