namespace CreditLedger.Domain;

/// <summary>
/// What a grant was created with; never changes afterwards. The grant is usable in the half-open interval
/// [<see cref="EffectiveAt"/>, <see cref="ExpiresAt"/>); without an expiry it never expires.
/// </summary>
/// <param name="GrantId">The grant's id, unique within its customer.</param>
/// <param name="CreditType">The currency or unit its credits are in.</param>
/// <param name="Amount">The credits granted, above zero, in the credit type's scale.</param>
/// <param name="Priority">0 (drawn first) to 100 (drawn last); <see cref="LedgerLimits.DefaultPriority"/> by default.</param>
/// <param name="Category">Paid or promotional (promotional is drawn first among equals).</param>
/// <param name="EffectiveAt">When the credits become usable (included).</param>
/// <param name="ExpiresAt">When the remaining credits expire (excluded from the usable interval), or never.</param>
public sealed record GrantTerms(
    string GrantId,
    CreditType CreditType,
    decimal Amount,
    int Priority,
    GrantCategory Category,
    DateTimeOffset EffectiveAt,
    DateTimeOffset? ExpiresAt);
