namespace CreditLedger.Domain;

// Credit schedules: recurring grants, each period granted once at its start, with optional rollover.
public sealed partial class CustomerCredits
{
    private readonly Dictionary<string, CreditSchedule> _schedules = new(StringComparer.Ordinal);

    // How many periods of each schedule have their grant in the ledger (periods 0 to this - 1). It follows the
    // ledger (a period grant's entry advances it), so a period is recorded once whoever writes it, and it outlives
    // the grants themselves.
    private readonly Dictionary<string, long> _periodsRecorded = new(StringComparer.Ordinal);

    /// <summary>Every credit schedule, in creation order.</summary>
    public IEnumerable<CreditSchedule> Schedules => _schedules.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.ScheduleId, StringComparer.Ordinal);

    /// <summary>How many periods of each schedule are recorded in the ledger, by schedule id (only schedules with one).</summary>
    public IReadOnlyDictionary<string, long> PeriodsRecordedBySchedule => _periodsRecorded;

    /// <summary>The schedule with <paramref name="scheduleId"/>, if the customer has it.</summary>
    public CreditSchedule? FindSchedule(string scheduleId) => _schedules.GetValueOrDefault(scheduleId);

    /// <summary>How many periods of schedule <paramref name="scheduleId"/> have their grant in the ledger.</summary>
    public long PeriodsRecorded(string scheduleId) => _periodsRecorded.GetValueOrDefault(scheduleId);

    /// <summary>Adds a schedule loaded from storage (on activation; its recorded periods follow from the entries).</summary>
    /// <exception cref="LedgerInvariantException">The customer has the schedule already.</exception>
    public void TrackSchedule(CreditSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!_schedules.TryAdd(schedule.ScheduleId, schedule))
        {
            throw new LedgerInvariantException($"Schedule {schedule.ScheduleId} is loaded twice.");
        }
    }

    /// <summary>
    /// Plans creating a schedule. Its periods that have started by the evaluation instant (period 0 when it starts
    /// now) are granted in the same decision, so the schedule and its first grant are written together.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The amount, reason, priority, period count or rollover cap breaks the rules the edge validates, or the schedule
    /// id is taken (ids come from the engine's generator): a bug in the caller.
    /// </exception>
    public Decision PlanCreateSchedule(ScheduleRequest request, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        RequireAmount(request.Amount, request.CreditType, allowZero: false, nameof(request));
        RequireReason(request.Reason, nameof(request));
        var priority = request.Priority ?? LedgerLimits.DefaultPriority;
        if (priority is < LedgerLimits.MinPriority or > LedgerLimits.MaxPriority
            || request.Periods is < 1 or > LedgerLimits.MaxSchedulePeriods)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Priorities and period counts are validated before a command is planned.");
        }

        if (request.RolloverMax is { } rolloverMax)
        {
            RequireAmount(rolloverMax, request.CreditType, allowZero: false, nameof(request));
        }

        if (_schedules.ContainsKey(request.ScheduleId))
        {
            throw new ArgumentException($"Schedule id {request.ScheduleId} is taken.", nameof(request));
        }

        var startsAt = request.StartsAt ?? at;
        if (startsAt < at - LedgerLimits.MaxStartsAtInPast)
        {
            return Reject(Rejection.InvalidRequest, "Must not be more than 5 minutes in the past.", at, "startsAt");
        }

        // Every instant the schedule's calendar names must exist: its last period's end, or the first period's end
        // of a schedule without an end.
        if (!request.Every.TryPeriodStart(startsAt, request.Periods ?? 1, out _))
        {
            return request.Periods is null
                ? Reject(Rejection.InvalidRequest, "The schedule's first period must end by the end of the year 9999.", at, "startsAt")
                : Reject(Rejection.InvalidRequest, "The schedule's last period must end by the end of the year 9999; ask for fewer periods or a shorter interval.", at, "periods");
        }

        if (_schedules.Values.Count(s => s.StatusAt(at) == ScheduleStatus.Active) >= LedgerLimits.MaxActiveSchedulesPerCustomer)
        {
            return Reject(Rejection.ScheduleLimitReached, $"A customer can have at most {LedgerLimits.MaxActiveSchedulesPerCustomer} active schedules.", at);
        }

        var schedule = new CreditSchedule(
            request.ScheduleId, request.CreditType, request.Amount, request.Reason, priority, request.Category, request.Every, startsAt,
            request.Periods, request.RolloverMax)
        {
            CreatedAt = at,
        };
        var plan = new Planner(this, at, provenance);
        plan.AddSchedule(schedule);
        plan.RecordDue();
        return plan.Finish(schedule: schedule, scheduleWrite: ScheduleWrite.Insert);
    }

    /// <summary>
    /// Plans cancelling a schedule: no period starting after the evaluation instant is granted. Periods that have
    /// started by then (one starting at that very instant included) are recorded first; grants made stay.
    /// </summary>
    /// <exception cref="ArgumentException">The reason breaks the rules the edge validates: a bug in the caller.</exception>
    public Decision PlanCancelSchedule(string scheduleId, string reason, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(scheduleId);
        ArgumentNullException.ThrowIfNull(provenance);
        RequireReason(reason, nameof(reason));
        var at = EvaluationInstant(asOf);
        if (FindSchedule(scheduleId) is not { } schedule)
        {
            return Reject(Rejection.ScheduleNotFound, $"The customer has no credit schedule {scheduleId}.", at);
        }

        if (schedule.StatusAt(at) != ScheduleStatus.Active)
        {
            return Reject(Rejection.ScheduleNotActive, $"Schedule {scheduleId} is {schedule.StatusAt(at).ToString().ToLowerInvariant()}; only an active schedule can be cancelled.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        return plan.Finish(schedule: schedule with { CancelledAt = at, CancelReason = reason }, scheduleWrite: ScheduleWrite.Cancel);
    }

    /// <summary>
    /// The state as a read at <paramref name="instant"/> sees it: with every expiry and schedule period due by then
    /// folded in, as the next command would record them. The state itself when nothing is due; otherwise a copy, and
    /// this state is untouched.
    /// </summary>
    public CustomerCredits SeenAt(DateTimeOffset instant)
    {
        var at = EvaluationInstant(instant);
        if (NextDueAt() is not { } due || due > at)
        {
            return this;
        }

        var copy = new CustomerCredits { Version = Version, LastOccurredAt = LastOccurredAt };
        foreach (var (grantId, grant) in _grants)
        {
            copy._grants.Add(grantId, grant.Copy());
        }

        foreach (var (invoiceId, invoice) in _pendingInvoices)
        {
            copy._pendingInvoices.Add(invoiceId, invoice);
        }

        foreach (var (creditType, threshold) in _lowBalanceThresholds)
        {
            copy._lowBalanceThresholds.Add(creditType, threshold);
        }

        foreach (var (scheduleId, schedule) in _schedules)
        {
            copy._schedules.Add(scheduleId, schedule);
        }

        foreach (var (scheduleId, periods) in _periodsRecorded)
        {
            copy._periodsRecorded.Add(scheduleId, periods);
        }

        foreach (var (creditType, totals) in _ended)
        {
            copy._ended.Add(creditType, totals);
        }

        foreach (var grant in copy._grants.Values)
        {
            copy.TrackExpiry(grant);
        }

        copy.Commit(copy.PlanExpiries(Provenance.Reminder, at));
        return copy;
    }

    // The start of the next period of a schedule that is still to be recorded, if one will be granted.
    private static DateTimeOffset? NextPeriodStart(CreditSchedule schedule, long periodsRecorded) =>
        schedule.IsGranted(periodsRecorded) ? schedule.PeriodStart(periodsRecorded) : null;
}
