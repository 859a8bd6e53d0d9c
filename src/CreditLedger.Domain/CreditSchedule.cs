namespace CreditLedger.Domain;

/// <summary>
/// A recurring grant: at the start of each period it grants <see cref="Amount"/>, expiring when the next period
/// starts. Period k starts at <c>StartsAt + k x Every</c> (see <see cref="ScheduleInterval"/>). A period is granted
/// when it is within <see cref="Periods"/> and starts no later than a cancel: a cancel at a boundary records that
/// boundary's period first. Its grant ids derive from (schedule, period), so every reader names the same grant before
/// and after its entry is written, and a period can be granted only once.
/// </summary>
/// <param name="ScheduleId">The schedule's id (<c>sch_...</c>).</param>
/// <param name="CreditType">What each period grants.</param>
/// <param name="Amount">How much each period grants.</param>
/// <param name="Reason">The reason of each period's grant.</param>
/// <param name="Priority">The priority of each period's grant.</param>
/// <param name="Category">The category of each period's grant.</param>
/// <param name="Every">How often periods start.</param>
/// <param name="StartsAt">When period 0 starts.</param>
/// <param name="Periods">How many periods are granted; null: until cancelled.</param>
/// <param name="RolloverMax">With rollover, the most of an ending period's own grant that is granted again into the next period.</param>
public sealed record CreditSchedule(
    string ScheduleId,
    CreditType CreditType,
    decimal Amount,
    string Reason,
    int Priority,
    GrantCategory Category,
    ScheduleInterval Every,
    DateTimeOffset StartsAt,
    int? Periods,
    decimal? RolloverMax)
{
    /// <summary>When the schedule was created: schedules whose periods start at the same instant are granted in creation order.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the schedule was cancelled, if it was.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>Why the schedule was cancelled, if it was.</summary>
    public string? CancelReason { get; init; }

    /// <summary>The reason of the grants that roll a period's credits over.</summary>
    public string RolloverReason => $"Rollover: {Reason}";

    /// <summary>The id of period <paramref name="period"/>'s grant.</summary>
    public string PeriodGrantId(long period) => $"{ScheduleId}:p{period}";

    /// <summary>The id of the grant that rolls the end of period <paramref name="period"/> - 1 over into period <paramref name="period"/>.</summary>
    public string RolloverGrantId(long period) => $"{ScheduleId}:r{period}";

    /// <summary>When period <paramref name="period"/> starts.</summary>
    public DateTimeOffset PeriodStart(long period) => Every.PeriodStart(StartsAt, period);

    /// <summary>When period <paramref name="period"/> ends (and its grant expires): when the next one starts.</summary>
    public DateTimeOffset PeriodEnd(long period) => Every.PeriodStart(StartsAt, period + 1);

    /// <summary>Whether period <paramref name="period"/> is granted at all: within <see cref="Periods"/>, and starting no later than a cancel.</summary>
    public bool IsGranted(long period) =>
        period >= 0 && (Periods is null || period < Periods) && (CancelledAt is not { } cancelled || PeriodStart(period) <= cancelled);

    /// <summary>How many periods have started and are granted by <paramref name="at"/>: periods 0 to this count - 1.</summary>
    public long PeriodsStartedBy(DateTimeOffset at)
    {
        var started = Every.PeriodAt(StartsAt, at) + 1;
        if (Periods is { } periods)
        {
            started = Math.Min(started, periods);
        }

        if (CancelledAt is { } cancelled)
        {
            started = Math.Min(started, Every.PeriodAt(StartsAt, cancelled) + 1);
        }

        return Math.Max(started, 0);
    }

    /// <summary>When the next granted period after <paramref name="at"/> starts; null when none will.</summary>
    public DateTimeOffset? NextPeriodAt(DateTimeOffset at)
    {
        var next = PeriodsStartedBy(at);
        if (PeriodStart(next) <= at)
        {
            // Every period up to an end (its count or a cancel) has started: none is left after it.
            return null;
        }

        return IsGranted(next) ? PeriodStart(next) : null;
    }

    /// <summary>
    /// The most that rolls into period <paramref name="period"/> from the ending period's own grant; null when
    /// nothing may roll (no rollover, the first period, or a period not granted: after the last, or after a cancel).
    /// </summary>
    public decimal? RolloverCapInto(long period) =>
        RolloverMax is { } max && period >= 1 && IsGranted(period) ? max : null;

    /// <summary>
    /// Cancelled once cancelled; completed when every period was granted and the last has ended; otherwise active.
    /// </summary>
    public ScheduleStatus StatusAt(DateTimeOffset at) =>
        CancelledAt is not null ? ScheduleStatus.Cancelled
        : Periods is { } periods && at >= PeriodEnd(periods - 1) ? ScheduleStatus.Completed
        : ScheduleStatus.Active;
}
