namespace CreditLedger.Domain;

/// <summary>
/// What a grant was created with; never changes afterwards. The grant is usable in the half-open interval
/// [<see cref="EffectiveAt"/>, <see cref="ExpiresAt"/>); without an expiry it never expires. The grants a schedule makes also name the schedule and period.
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
    DateTimeOffset? ExpiresAt)
{
    /// <summary>The schedule that made the grant, if a schedule did.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>The schedule's period the grant belongs to (a rollover grant: the period it rolls into).</summary>
    public long? Period { get; init; }

    /// <summary>For a rollover grant, the ended period grant whose credits it carries on.</summary>
    public string? RolloverOf { get; init; }

    /// <summary>Whether a schedule made the grant for its period (not a rollover).</summary>
    public bool IsPeriodGrant => ScheduleId is not null && RolloverOf is null;
}
