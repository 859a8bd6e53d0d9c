namespace CreditLedger.Domain;

// The checks every command shares and the planner that builds a decision's entries.
public sealed partial class CustomerCredits
{
    // The shape of a command's values (amounts, reasons, priorities, invoice lines) is validated once, at the edge,
    // with the same rules (AmountText, LedgerLimits). Here it is a precondition: a value that breaks it is a bug in
    // the caller, thrown back to it, never a rejection recorded or answered as the customer's.
    private static void RequireAmount(decimal amount, CreditType creditType, bool allowZero, string name)
    {
        if (amount < 0 || (amount == 0 && !allowZero) || amount > LedgerLimits.MaxAmount || decimal.Round(amount, creditType.Scale) != amount)
        {
            throw new ArgumentOutOfRangeException(name, amount, $"Not a valid {creditType.Code} amount{(allowZero ? string.Empty : " above zero")}; amounts are validated before a command is planned.");
        }
    }

    private static void RequireReason(string? reason, string name)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > LedgerLimits.MaxReasonLength)
        {
            throw new ArgumentException($"A reason of 1 to {LedgerLimits.MaxReasonLength} characters is required; reasons are validated before a command is planned.", name);
        }
    }

    private Decision Reject(Rejection rejection, string detail, DateTimeOffset at, string? field = null) =>
        new(DecisionOutcome.Rejected, Version, at, [])
        {
            Rejection = rejection,
            RejectionDetail = detail,
            RejectionField = field,
        };

    /// <summary>
    /// A command being planned: a copy-on-write view of the grants that the planned entries are folded into,
    /// so that each entry sees the ones before it and the real state stays untouched.
    /// </summary>
    private sealed class Planner
    {
        private readonly CustomerCredits _origin;
        private readonly Provenance _provenance;
        private readonly Dictionary<string, Grant> _touched = new(StringComparer.Ordinal);
        private readonly List<LedgerEntry> _entries = [];
        private readonly Dictionary<string, long> _periodsRecorded = new(StringComparer.Ordinal);
        private readonly Dictionary<CreditType, decimal> _availableBeforeInstant = [];
        private CreditSchedule? _added;
        private List<CreditSchedule>? _schedulesInOrder;
        private DateTimeOffset? _latest;
        private DateTimeOffset? _instant;
        private TopUpOutcome? _endedTopUp;

        public Planner(CustomerCredits origin, DateTimeOffset at, Provenance provenance)
        {
            _origin = origin;
            At = at;
            _provenance = provenance;
            Version = origin.Version;
            _latest = origin.LastOccurredAt;
        }

        public DateTimeOffset At { get; }

        public long Version { get; private set; }

        public Grant Grant(string grantId) =>
            _touched.TryGetValue(grantId, out var grant) ? grant : _origin._grants[grantId];

        public List<string> UsableInDrawdownOrder(CreditType creditType) =>
            AllGrants()
                .Where(g => g.CreditType == creditType && g.IsUsableAt(At))
                .Order(DrawdownOrder.Instance)
                .Select(g => g.GrantId)
                .ToList();

        /// <summary>A schedule the command creates: its periods are recorded like those of the customer's schedules.</summary>
        public void AddSchedule(CreditSchedule schedule) => _added = schedule;

        /// <summary>
        /// Records everything the engine does on its own by the command's instant, before the command's own entries:
        /// instant by instant in time order, the expiries due (each dated at its grant's <c>expiresAt</c>), then at a
        /// schedule's period start the rollover of the ending period's grant and the new period's grant (dated at the
        /// start). Entries are never dated before the customer's latest one. Low and depleted balances are judged once
        /// per instant, on the state after all of it, so a boundary alone never reports a depletion. It stops after an
        /// instant once <paramref name="maxEntries"/> entries are planned (a reminder's catch-up in bounded steps).
        /// </summary>
        public void RecordDue(int maxEntries = int.MaxValue)
        {
            while (_entries.Count < maxEntries && NextDueInstant() is { } instant)
            {
                BeginInstant(instant);
                var expiring = AllGrants()
                    .Where(g => IsDue(g) && g.Terms.ExpiresAt == instant)
                    .Order(DrawdownOrder.Instance)
                    .Select(g => g.GrantId)
                    .ToList();
                foreach (var grantId in expiring)
                {
                    var grant = Grant(grantId);
                    Append(EntryKind.Expired, grantId, grant.CreditType, -grant.Remaining, invoiceId: null, engine: true, occurredAt: instant);
                }

                foreach (var schedule in SchedulesInOrder())
                {
                    var period = PeriodsRecorded(schedule.ScheduleId);
                    if (NextPeriodStart(schedule, period) == instant)
                    {
                        RecordPeriod(schedule, period, instant);
                    }
                }

                EndInstant();
            }
        }

        private bool IsDue(Grant grant) => !grant.IsVoided && grant.Remaining > 0 && grant.HasExpiredAt(At);

        private DateTimeOffset? NextDueInstant()
        {
            DateTimeOffset? next = null;
            foreach (var grant in AllGrants())
            {
                if (IsDue(grant) && (next is null || grant.Terms.ExpiresAt < next))
                {
                    next = grant.Terms.ExpiresAt;
                }
            }

            // Every command asks this: finding the next start needs no order, so the schedules are only ordered when
            // one is due.
            foreach (var schedule in _origin._schedules.Values)
            {
                next = EarlierStart(next, schedule);
            }

            return _added is null ? next : EarlierStart(next, _added);
        }

        private DateTimeOffset? EarlierStart(DateTimeOffset? next, CreditSchedule schedule) =>
            NextPeriodStart(schedule, PeriodsRecorded(schedule.ScheduleId)) is { } start && start <= At && (next is null || start < next)
                ? start
                : next;

        // At a period's start: the rollover of the ending period's own grant (what expired of it just now, up to the
        // cap; never from a voided grant), then the period's grant, both expiring when the period ends.
        private void RecordPeriod(CreditSchedule schedule, long period, DateTimeOffset start)
        {
            var end = schedule.PeriodEnd(period);
            if (schedule.RolloverCapInto(period) is { } cap
                && TryGrant(schedule.PeriodGrantId(period - 1)) is { IsVoided: false, Expired: > 0 } ending)
            {
                var carried = Math.Min(ending.Expired, cap);
                var rollover = new GrantTerms(schedule.RolloverGrantId(period), schedule.CreditType, carried, schedule.Priority, schedule.Category, start, end)
                {
                    ScheduleId = schedule.ScheduleId,
                    Period = period,
                    RolloverOf = ending.GrantId,
                };
                Append(EntryKind.Granted, rollover.GrantId, rollover.CreditType, carried, invoiceId: null, reason: schedule.RolloverReason, terms: rollover, engine: true, occurredAt: start);
            }

            var terms = new GrantTerms(schedule.PeriodGrantId(period), schedule.CreditType, schedule.Amount, schedule.Priority, schedule.Category, start, end)
            {
                ScheduleId = schedule.ScheduleId,
                Period = period,
            };
            Append(EntryKind.Granted, terms.GrantId, terms.CreditType, terms.Amount, invoiceId: null, reason: schedule.Reason, terms: terms, engine: true, occurredAt: start);
            _periodsRecorded[schedule.ScheduleId] = period + 1;
        }

        private long PeriodsRecorded(string scheduleId) =>
            _periodsRecorded.TryGetValue(scheduleId, out var periods) ? periods : _origin.PeriodsRecorded(scheduleId);

        private List<CreditSchedule> SchedulesInOrder() => _schedulesInOrder ??= _added is null ? [.. _origin.Schedules] : [.. _origin.Schedules, _added];

        public Grant? TryGrant(string grantId) =>
            _touched.TryGetValue(grantId, out var grant) ? grant : _origin._grants.GetValueOrDefault(grantId);

        private void BeginInstant(DateTimeOffset instant)
        {
            _instant = instant;
            _availableBeforeInstant.Clear();
        }

        // The events of one instant, on the last entry of each credit type it touched: low and depleted as the
        // balance went from just before the instant to just after it.
        private void EndInstant()
        {
            foreach (var (creditType, before) in _availableBeforeInstant)
            {
                var last = _entries.FindLastIndex(e => e.CreditType == creditType);
                var entry = _entries[last];
                _entries[last] = entry with
                {
                    Events = entry.Events | Crossings(creditType, before, entry.AvailableAfter, out var crossed),
                    Threshold = crossed,
                };
            }

            _instant = null;
        }

        private EntryEvents Crossings(CreditType creditType, decimal before, decimal after, out decimal? crossed)
        {
            var events = EntryEvents.None;
            crossed = null;
            if (before > 0 && after == 0)
            {
                events |= EntryEvents.BalanceDepleted;
            }

            if (_origin._lowBalanceThresholds.TryGetValue(creditType, out var threshold) && before >= threshold && after < threshold)
            {
                events |= EntryEvents.BalanceLow;
                crossed = threshold;
            }

            return events;
        }

        public void Append(
            EntryKind kind,
            string grantId,
            CreditType creditType,
            decimal amount,
            string? invoiceId,
            string? reason = null,
            GrantTerms? terms = null,
            decimal consumed = 0,
            bool engine = false,
            DateTimeOffset? occurredAt = null)
        {
            // An entry the engine records at an instant of its own (an expiry, a period's grant) is judged at that
            // instant; it is dated there too, unless that is before the latest entry, so entries stay in time order.
            var at = occurredAt ?? At;
            var stamp = _latest is { } latest && latest > at ? latest : at;
            _latest = stamp;

            // While due expiries are recorded, a grant expiring at the entry's instant still counts as available
            // until its own entry is written, so that simultaneous expiries step available down one by one.
            var catchingUp = occurredAt is not null;
            var before = Available(creditType, at, catchingUp);
            if (_instant is not null)
            {
                _availableBeforeInstant.TryAdd(creditType, before);
            }

            var provenance = engine
                ? _provenance with { Actor = Provenance.EngineActor, IdempotencyKey = null }
                : _provenance;
            var entry = new LedgerEntry(Version + 1, kind, grantId, creditType, amount, consumed, 0, invoiceId, reason, provenance, stamp, terms);

            if (kind == EntryKind.Granted)
            {
                if (_origin._grants.ContainsKey(grantId))
                {
                    throw new LedgerInvariantException($"Grant {grantId} exists already.");
                }
            }
            else if (!_touched.ContainsKey(grantId))
            {
                _touched[grantId] = _origin._grants[grantId].Copy();
            }

            // The touched copies are the planner's grants: folding into them leaves the origin untouched.
            Fold(entry, _touched);

            Version++;
            var after = Available(creditType, at, catchingUp);
            var pending = 0m;
            foreach (var grant in AllGrants())
            {
                if (grant.CreditType == creditType)
                {
                    pending += grant.Pending;
                }
            }

            var events = CreditEventType.Of(kind) is null ? EntryEvents.None : EntryEvents.Own;
            decimal? crossed = null;
            if (_instant is null)
            {
                events |= Crossings(creditType, before, after, out crossed);
            }

            entry = entry with { AvailableAfter = after, PendingAfter = pending, Events = events, Threshold = crossed };
            _entries.Add(entry);
        }

        /// <summary>The command ends an outstanding top-up request (a grant fulfils it).</summary>
        public void EndTopUp(TopUpOutcome outcome) => _endedTopUp = outcome;

        public Decision Finish(
            string? grantId = null,
            Invoice? invoice = null,
            InvoiceWrite invoiceWrite = InvoiceWrite.None,
            CreditSchedule? schedule = null,
            ScheduleWrite scheduleWrite = ScheduleWrite.None)
        {
            RequestTopUps();
            return new(DecisionOutcome.Changed, _origin.Version, At, _entries)
            {
                Grant = grantId is null ? null : Grant(grantId),
                Invoice = invoice,
                InvoiceWrite = invoiceWrite,
                Schedule = schedule,
                ScheduleWrite = scheduleWrite,
                EndedTopUp = _endedTopUp,
            };
        }

        // Judged once per command, per credit type with a rule, on the command's last entry of that credit type: below
        // the threshold with no request outstanding (or the one outstanding ended by this command) records one, for
        // what brings available to the target.
        private void RequestTopUps()
        {
            foreach (var (creditType, rule) in _origin._topUpRules)
            {
                var last = _entries.FindLastIndex(e => e.CreditType == creditType);
                if (last < 0
                    || (_origin.OutstandingTopUp(creditType) is { } outstanding && _endedTopUp?.RequestId != outstanding.RequestId)
                    || _entries[last].AvailableAfter >= rule.Threshold)
                {
                    continue;
                }

                var entry = _entries[last];
                var request = new TopUpRequest(
                    TopUpRequest.IdFor(entry.Version), creditType, rule.TargetBalance - entry.AvailableAfter, entry.AvailableAfter, rule.Threshold, entry.Version, entry.OccurredAt);
                _entries[last] = entry with { Events = entry.Events | EntryEvents.TopUpRequested, TopUp = request };
            }
        }

        private IEnumerable<Grant> AllGrants()
        {
            foreach (var grant in _origin._grants.Values)
            {
                yield return _touched.TryGetValue(grant.GrantId, out var copy) ? copy : grant;
            }

            foreach (var (grantId, grant) in _touched)
            {
                if (!_origin._grants.ContainsKey(grantId))
                {
                    yield return grant;
                }
            }
        }

        // A loop rather than a query: it runs twice for every entry a command plans.
        private decimal Available(CreditType creditType, DateTimeOffset at, bool includeExpiringNow)
        {
            var available = 0m;
            foreach (var g in AllGrants())
            {
                if (g.CreditType == creditType && !g.IsVoided && g.Remaining > 0 && g.Terms.EffectiveAt <= at
                    && (g.Terms.ExpiresAt is not { } expiresAt || expiresAt > at || (includeExpiringNow && expiresAt == at)))
                {
                    available += g.Remaining;
                }
            }

            return available;
        }
    }
}
