namespace CreditLedger.Contracts.Customers;

/// <summary>A credit schedule as the API shows it, at the instant it was read.</summary>
/// <param name="ScheduleId">The schedule's id (<c>sch_...</c>).</param>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Amount">Granted at the start of each period.</param>
/// <param name="Reason">The reason of each period's grant.</param>
/// <param name="Priority">0-100.</param>
/// <param name="Category"><c>paid</c> or <c>promotional</c>.</param>
/// <param name="Every"><c>month</c>, <c>week</c>, <c>day</c> or an ISO 8601 duration.</param>
/// <param name="StartsAt">When period 0 starts.</param>
/// <param name="Periods">How many periods are granted; null: until cancelled.</param>
/// <param name="RolloverMax">With rollover, the most of an ending period's grant that rolls into the next; null: no rollover.</param>
/// <param name="Status"><c>active</c>, <c>completed</c> or <c>cancelled</c>.</param>
/// <param name="PeriodsGranted">How many periods have been granted (started, whether or not their entry is written yet).</param>
/// <param name="NextPeriodAt">When the next period starts; null when none will.</param>
/// <param name="CreatedAt">When the schedule was created.</param>
/// <param name="CancelledAt">When it was cancelled, if it was.</param>
/// <param name="CancelReason">Why it was cancelled, if it was.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ScheduleView")]
public sealed record ScheduleView(
    [property: Id(0)] string ScheduleId,
    [property: Id(1)] string Type,
    [property: Id(2)] string CreditType,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] string Reason,
    [property: Id(5)] int Priority,
    [property: Id(6)] string Category,
    [property: Id(7)] string Every,
    [property: Id(8)] DateTimeOffset StartsAt,
    [property: Id(9)] int? Periods,
    [property: Id(10)] decimal? RolloverMax,
    [property: Id(11)] string Status,
    [property: Id(12)] long PeriodsGranted,
    [property: Id(13)] DateTimeOffset? NextPeriodAt,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset? CancelledAt,
    [property: Id(16)] string? CancelReason);
