namespace CreditLedger.Domain;

/// <summary>A request to create a credit schedule, as the edge parsed it. The domain checks the rules that need the time.</summary>
/// <param name="ScheduleId">The new schedule's id (from the caller's id generator), unique within the customer.</param>
/// <param name="CreditType">What each period grants.</param>
/// <param name="Amount">How much each period grants: above zero, at most <see cref="LedgerLimits.MaxAmount"/>, in the credit type's scale.</param>
/// <param name="Reason">The reason of each period's grant: 1 to <see cref="LedgerLimits.MaxReasonLength"/> characters.</param>
/// <param name="Priority">0-100; absent means <see cref="LedgerLimits.DefaultPriority"/>.</param>
/// <param name="Category">Paid or promotional.</param>
/// <param name="Every">How often periods start.</param>
/// <param name="StartsAt">When period 0 starts; absent means now; at most <see cref="LedgerLimits.MaxStartsAtInPast"/> in the past.</param>
/// <param name="Periods">1 to <see cref="LedgerLimits.MaxSchedulePeriods"/>; absent means until cancelled.</param>
/// <param name="RolloverMax">With rollover, the most of an ending period's own grant that is granted again (above zero).</param>
public sealed record ScheduleRequest(
    string ScheduleId,
    CreditType CreditType,
    decimal Amount,
    string Reason,
    int? Priority,
    GrantCategory Category,
    ScheduleInterval Every,
    DateTimeOffset? StartsAt,
    int? Periods,
    decimal? RolloverMax);
