namespace CreditLedger.Domain;

/// <summary>
/// One customer's credits: its grants, its unpaid invoices and its version, and every rule that changes them.
/// Commands are planned first (<c>Plan*</c>: pure, nothing changes) into a <see cref="Decision"/>; once the
/// decision's entries are durable, <see cref="Commit"/> folds them in. Folding the same entries from an empty
/// state (<see cref="Replay"/>) gives the same grants: the ledger is the source of truth, this is its cache.
/// Time is always an argument; an instant earlier than the latest entry is read as that entry's instant, so
/// entries stay in time order even when clocks disagree.
/// </summary>
public sealed class CustomerCredits
{
    private readonly Dictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> _pendingInvoices = new(StringComparer.Ordinal);
    private readonly Dictionary<CreditType, decimal> _lowBalanceThresholds = [];

    /// <summary>The version: the sequence number of the latest entry, 0 before the first.</summary>
    public long Version { get; private set; }

    /// <summary>When the latest entry occurred, if there is one.</summary>
    public DateTimeOffset? LastOccurredAt { get; private set; }

    /// <summary>Every grant, in creation order.</summary>
    public IEnumerable<Grant> Grants => _grants.Values.OrderBy(g => g.CreatedVersion);

    /// <summary>The number of grants.</summary>
    public int GrantCount => _grants.Count;

    /// <summary>The unpaid invoices (paid and voided ones are kept by the caller's storage, not here).</summary>
    public IReadOnlyCollection<Invoice> PendingInvoices => _pendingInvoices.Values;

    /// <summary>The low-balance thresholds per credit type.</summary>
    public IReadOnlyDictionary<CreditType, decimal> LowBalanceThresholds => _lowBalanceThresholds;

    /// <summary>Rebuilds the state a snapshot describes; later entries are then folded in with <see cref="Replay"/>.</summary>
    /// <exception cref="LedgerInvariantException">A grant breaks conservation, or two grants share an id.</exception>
    public static CustomerCredits Restore(long version, DateTimeOffset? lastOccurredAt, IEnumerable<Grant> grants)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(grants);
        var credits = new CustomerCredits { Version = version, LastOccurredAt = lastOccurredAt };
        foreach (var grant in grants)
        {
            if (grant.CreatedVersion > version || !credits._grants.TryAdd(grant.GrantId, grant))
            {
                throw new LedgerInvariantException($"Snapshot at version {version} holds grant {grant.GrantId} twice or from a later version.");
            }
        }

        return credits;
    }

    /// <summary>The grant with <paramref name="grantId"/>, if the customer has it.</summary>
    public Grant? FindGrant(string grantId) => _grants.GetValueOrDefault(grantId);

    /// <summary>The unpaid invoice with <paramref name="invoiceId"/>, if there is one.</summary>
    public Invoice? FindPendingInvoice(string invoiceId) => _pendingInvoices.GetValueOrDefault(invoiceId);

    /// <summary>Adds an unpaid invoice loaded from storage (on activation, after the entries are folded).</summary>
    /// <exception cref="LedgerInvariantException">An application names a grant the customer does not have.</exception>
    public void TrackPendingInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.Status != InvoiceStatus.Pending || invoice.Applications.Any(a => !_grants.ContainsKey(a.GrantId)))
        {
            throw new LedgerInvariantException($"Invoice {invoice.InvoiceId} is not pending or draws from an unknown grant.");
        }

        _pendingInvoices[invoice.InvoiceId] = invoice;
    }

    /// <summary>Sets (or with <see langword="null"/> clears) the threshold below which available of a credit type raises a low-balance event.</summary>
    public void SetLowBalanceThreshold(CreditType creditType, decimal? threshold)
    {
        if (threshold is { } value)
        {
            _lowBalanceThresholds[creditType] = value;
        }
        else
        {
            _lowBalanceThresholds.Remove(creditType);
        }
    }

    /// <summary>The instant a command or read asked for at <paramref name="asOf"/> is evaluated at: never before the latest entry.</summary>
    public DateTimeOffset EvaluationInstant(DateTimeOffset asOf) =>
        LastOccurredAt is { } last && last > asOf ? last : asOf;

    /// <summary>Available of <paramref name="creditType"/> at <paramref name="instant"/>: the remaining credits of grants usable then.</summary>
    public decimal AvailableAt(CreditType creditType, DateTimeOffset instant) =>
        _grants.Values.Where(g => g.CreditType == creditType && g.IsUsableAt(instant)).Sum(g => g.Remaining);

    /// <summary>
    /// The balances of every credit type the customer has grants in, at <paramref name="instant"/>, ordered by
    /// credit type code. "Expiring soon" counts available credits whose grant expires at or before
    /// <paramref name="instant"/> + <paramref name="expiringWithinDays"/> x 24 h. Credits of grants past their
    /// expiry count as expired even before the expiry entry is written.
    /// </summary>
    public IReadOnlyList<CreditBalance> BalancesAt(DateTimeOffset instant, int expiringWithinDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expiringWithinDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expiringWithinDays, LedgerLimits.MaxExpiringWithinDays);
        var horizon = instant.AddDays(expiringWithinDays);
        return _grants.Values
            .GroupBy(g => g.CreditType)
            .OrderBy(group => group.Key.Code, StringComparer.Ordinal)
            .Select(group =>
            {
                decimal available = 0, pending = 0, expiringSoon = 0, granted = 0, consumed = 0, expired = 0, voided = 0;
                foreach (var grant in group)
                {
                    granted += grant.Terms.Amount;
                    pending += grant.Pending;
                    consumed += grant.Consumed;
                    expired += grant.Expired;
                    voided += grant.Voided;
                    if (grant.IsUsableAt(instant))
                    {
                        available += grant.Remaining;
                        if (grant.Terms.ExpiresAt <= horizon)
                        {
                            expiringSoon += grant.Remaining;
                        }
                    }
                    else if (!grant.IsVoided && grant.HasExpiredAt(instant))
                    {
                        expired += grant.Remaining;
                    }
                }

                return new CreditBalance(group.Key, available, pending, expiringSoon, granted, consumed, expired, voided);
            })
            .ToList();
    }

    /// <summary>
    /// The next instant an expiry entry falls due: the earliest <c>expiresAt</c> of a grant with credits
    /// remaining. <see langword="null"/> when nothing is left to expire.
    /// </summary>
    public DateTimeOffset? NextExpiry() =>
        _grants.Values
            .Where(g => !g.IsVoided && g.Remaining > 0 && g.Terms.ExpiresAt is not null)
            .Min(g => g.Terms.ExpiresAt);

    /// <summary>Plans a grant. Rejects an invalid request or one beyond <see cref="LedgerLimits.MaxGrantsPerCustomer"/>.</summary>
    /// <exception cref="ArgumentException">The grant id is taken (ids come from the engine's generator, so this is a bug).</exception>
    public Decision PlanGrant(GrantRequest request, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        var effectiveAt = request.EffectiveAt ?? at;
        var priority = request.Priority ?? LedgerLimits.DefaultPriority;

        if (Invalid(CheckAmount(request.Amount, request.CreditType, allowZero: false), "amount", at) is { } badAmount)
        {
            return badAmount;
        }

        if (Invalid(CheckReason(request.Reason), "reason", at) is { } badReason)
        {
            return badReason;
        }

        if (priority is < LedgerLimits.MinPriority or > LedgerLimits.MaxPriority)
        {
            return Reject(Rejection.InvalidRequest, $"Must be from {LedgerLimits.MinPriority} to {LedgerLimits.MaxPriority}.", at, "priority");
        }

        if (effectiveAt < at - LedgerLimits.MaxEffectiveAtInPast)
        {
            return Reject(Rejection.InvalidRequest, "Must not be more than 5 minutes in the past.", at, "effectiveAt");
        }

        if (request.ExpiresAt is { } expiresAt && (expiresAt <= at || expiresAt <= effectiveAt))
        {
            return Reject(Rejection.InvalidRequest, "Must be later than now and than effectiveAt.", at, "expiresAt");
        }

        if (_grants.ContainsKey(request.GrantId))
        {
            throw new ArgumentException($"Grant id {request.GrantId} is taken.", nameof(request));
        }

        if (_grants.Count >= LedgerLimits.MaxGrantsPerCustomer)
        {
            return Reject(Rejection.GrantLimitReached, $"A customer can hold at most {LedgerLimits.MaxGrantsPerCustomer} grants.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDueExpiries();
        var terms = new GrantTerms(request.GrantId, request.CreditType, request.Amount, priority, request.Category, effectiveAt, request.ExpiresAt);
        plan.Append(EntryKind.Granted, terms.GrantId, terms.CreditType, terms.Amount, invoiceId: null, reason: request.Reason, terms: terms);
        return plan.Finish(grantId: terms.GrantId);
    }

    /// <summary>
    /// Plans applying credits to an invoice: per credit type, applied = min(requested, available), drawn from
    /// usable grants in <see cref="DrawdownOrder"/>; the rest is due. An invoice id is applied at most once: the
    /// same request again is <see cref="DecisionOutcome.AlreadyDone"/> with the invoice as first applied, a
    /// different one is rejected. <paramref name="stored"/> is the invoice as storage knows it, when it is not
    /// pending here.
    /// </summary>
    public Decision PlanApply(string invoiceId, IReadOnlyList<InvoiceRequestLine> lines, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);

        if (lines.Count == 0 || lines.Count > LedgerLimits.MaxCreditTypesPerInvoice)
        {
            return Reject(Rejection.InvalidRequest, $"An invoice asks credits for 1 to {LedgerLimits.MaxCreditTypesPerInvoice} credit types.", at, "usage");
        }

        if (lines.Select(l => l.CreditType).Distinct().Count() != lines.Count)
        {
            return Reject(Rejection.InvalidRequest, "Each credit type may appear once per invoice.", at, "usage");
        }

        foreach (var line in lines)
        {
            if (Invalid(CheckAmount(line.Requested, line.CreditType, allowZero: true), line.CreditType.Kind == CreditKind.Monetary ? "total" : "usage", at) is { } bad)
            {
                return bad;
            }
        }

        if ((FindPendingInvoice(invoiceId) ?? stored) is { } existing)
        {
            return existing.IsSameRequest(lines)
                ? new Decision(DecisionOutcome.AlreadyDone, Version, at, []) { Invoice = existing with { Status = InvoiceStatus.Pending } }
                : Reject(Rejection.InvoiceAlreadyApplied, $"Invoice {invoiceId} already has credits applied with a different request.", at);
        }

        if (_pendingInvoices.Count >= LedgerLimits.MaxPendingInvoicesPerCustomer)
        {
            return Reject(Rejection.PendingInvoiceLimitReached, $"A customer can have at most {LedgerLimits.MaxPendingInvoicesPerCustomer} unpaid invoices with credits applied.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDueExpiries();
        var applications = new List<CreditApplication>();
        var applied = new List<InvoiceLine>(lines.Count);
        foreach (var line in lines)
        {
            var due = line.Requested;
            foreach (var grantId in plan.UsableInDrawdownOrder(line.CreditType))
            {
                if (due == 0 || applications.Count >= LedgerLimits.MaxApplicationsPerInvoice)
                {
                    break;
                }

                var take = Math.Min(due, plan.Grant(grantId).Remaining);
                plan.Append(EntryKind.Applied, grantId, line.CreditType, -take, invoiceId);
                applications.Add(new CreditApplication(grantId, line.CreditType, take));
                due -= take;
            }

            applied.Add(new InvoiceLine(line.CreditType, line.Requested, line.Requested - due));
        }

        var invoice = new Invoice(invoiceId, InvoiceStatus.Pending, applied, applications, plan.Version, at);
        return plan.Finish(invoice: invoice, invoiceWrite: InvoiceWrite.Insert);
    }

    /// <summary>
    /// Plans paying an invoice: its pending applications become consumed. Paying a paid invoice again is
    /// <see cref="DecisionOutcome.AlreadyDone"/>; paying a voided one is rejected.
    /// </summary>
    public Decision PlanPay(string invoiceId, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        if (PendingOrAnswer(invoiceId, stored, InvoiceStatus.Paid, at) is { } answer)
        {
            return answer;
        }

        var invoice = FindPendingInvoice(invoiceId) ?? stored!;
        var plan = new Planner(this, at, provenance);
        plan.RecordDueExpiries();
        foreach (var application in invoice.Applications)
        {
            plan.Append(EntryKind.Paid, application.GrantId, application.CreditType, 0, invoiceId, consumed: application.Amount);
        }

        return plan.Finish(invoice: invoice with { Status = InvoiceStatus.Paid }, invoiceWrite: InvoiceWrite.Update);
    }

    /// <summary>
    /// Plans voiding an invoice: every application returns to its grant (reinstated); credits returning to a
    /// grant that has expired or been voided since are expired or voided at once, both steps recorded. Voiding
    /// a voided invoice again is <see cref="DecisionOutcome.AlreadyDone"/>; voiding a paid one is rejected.
    /// </summary>
    public Decision PlanVoidInvoice(string invoiceId, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        if (PendingOrAnswer(invoiceId, stored, InvoiceStatus.Voided, at) is { } answer)
        {
            return answer;
        }

        var invoice = FindPendingInvoice(invoiceId) ?? stored!;
        var plan = new Planner(this, at, provenance);
        plan.RecordDueExpiries();
        foreach (var application in invoice.Applications)
        {
            plan.Append(EntryKind.Reinstated, application.GrantId, application.CreditType, application.Amount, invoiceId);
            var grant = plan.Grant(application.GrantId);
            if (grant.IsVoided)
            {
                plan.Append(EntryKind.Voided, application.GrantId, application.CreditType, -application.Amount, invoiceId, engine: true);
            }
            else if (grant.HasExpiredAt(at))
            {
                plan.Append(EntryKind.Expired, application.GrantId, application.CreditType, -application.Amount, invoiceId, engine: true);
            }
        }

        return plan.Finish(invoice: invoice with { Status = InvoiceStatus.Voided }, invoiceWrite: InvoiceWrite.Update);
    }

    /// <summary>
    /// Plans voiding a grant: its remaining credits are removed now (zero for a depleted grant); pending
    /// applications from it stand. A grant already voided or expired is rejected.
    /// </summary>
    public Decision PlanVoidGrant(string grantId, string reason, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        if (Invalid(CheckReason(reason), "reason", at) is { } badReason)
        {
            return badReason;
        }

        var grant = FindGrant(grantId);
        if (grant is null)
        {
            return Reject(Rejection.GrantNotFound, $"The customer has no grant {grantId}.", at);
        }

        if (grant.StatusAt(at) is GrantStatus.Voided or GrantStatus.Expired)
        {
            return Reject(Rejection.GrantNotActive, $"Grant {grantId} is {grant.StatusAt(at).ToString().ToLowerInvariant()}; only a grant that has not expired or been voided can be voided.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDueExpiries();
        plan.Append(EntryKind.Voided, grantId, grant.CreditType, -plan.Grant(grantId).Remaining, invoiceId: null, reason: reason);
        return plan.Finish(grantId: grantId);
    }

    /// <summary>Plans recording every expiry due at <paramref name="asOf"/> (what the expiry reminder does). It may write nothing.</summary>
    public Decision PlanExpiries(Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var plan = new Planner(this, EvaluationInstant(asOf), provenance);
        plan.RecordDueExpiries();
        return plan.Finish();
    }

    /// <summary>
    /// Folds a committed decision in: its entries, and its invoice (kept while pending, dropped once paid or
    /// voided). Only for <see cref="DecisionOutcome.Changed"/> decisions planned on this state at its version.
    /// </summary>
    /// <exception cref="InvalidOperationException">The decision was planned on another version, or is not a change.</exception>
    public void Commit(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Outcome != DecisionOutcome.Changed || decision.VersionBefore != Version)
        {
            throw new InvalidOperationException($"A {decision.Outcome} decision planned at version {decision.VersionBefore} cannot be committed at version {Version}.");
        }

        foreach (var entry in decision.Entries)
        {
            Replay(entry);
        }

        if (decision.Invoice is { } invoice && decision.InvoiceWrite != InvoiceWrite.None)
        {
            if (invoice.Status == InvoiceStatus.Pending)
            {
                _pendingInvoices[invoice.InvoiceId] = invoice;
            }
            else
            {
                _pendingInvoices.Remove(invoice.InvoiceId);
            }
        }
    }

    /// <summary>Folds one entry in. Entries must come in version order, each exactly one after the last.</summary>
    /// <exception cref="LedgerInvariantException">The entry is out of order, names an unknown grant, or breaks conservation.</exception>
    public void Replay(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Version != Version + 1)
        {
            throw new LedgerInvariantException($"Entry {entry.Version} cannot follow version {Version}: versions are gapless.");
        }

        Fold(entry, _grants);
        Version = entry.Version;
        LastOccurredAt = LastOccurredAt is { } last && last > entry.OccurredAt ? last : entry.OccurredAt;
    }

    // The one place where entries change grants: commits, replays and plans all come through here.
    private static void Fold(LedgerEntry entry, Dictionary<string, Grant> grants)
    {
        if (entry.Kind == EntryKind.Granted)
        {
            if (entry.Grant is null || entry.Grant.GrantId != entry.GrantId || entry.Amount != entry.Grant.Amount
                || !grants.TryAdd(entry.GrantId, new Grant(entry.Grant, entry.Version, entry.OccurredAt)))
            {
                throw new LedgerInvariantException($"Granted entry {entry.Version} does not create a new grant {entry.GrantId}.");
            }

            return;
        }

        if (!grants.TryGetValue(entry.GrantId, out var grant) || grant.CreditType != entry.CreditType)
        {
            throw new LedgerInvariantException($"Entry {entry.Version} touches grant {entry.GrantId}, which the customer does not have in {entry.CreditType}.");
        }

        var moved = entry.Kind == EntryKind.Paid ? entry.Consumed : entry.Amount;
        var signOk = entry.Kind switch
        {
            EntryKind.Applied or EntryKind.Expired or EntryKind.Voided => moved <= 0,
            EntryKind.Reinstated or EntryKind.Paid => moved >= 0,
            _ => false,
        };
        if (!signOk || (entry.Kind == EntryKind.Paid && entry.Amount != 0))
        {
            throw new LedgerInvariantException($"Entry {entry.Version} ({entry.Kind}) moves {moved}, which has the wrong sign.");
        }

        switch (entry.Kind)
        {
            case EntryKind.Applied:
                grant.Remaining += entry.Amount;
                grant.Pending -= entry.Amount;
                break;
            case EntryKind.Paid:
                grant.Pending -= entry.Consumed;
                grant.Consumed += entry.Consumed;
                break;
            case EntryKind.Reinstated:
                grant.Pending -= entry.Amount;
                grant.Remaining += entry.Amount;
                break;
            case EntryKind.Expired:
                grant.Remaining += entry.Amount;
                grant.Expired -= entry.Amount;
                break;
            case EntryKind.Voided:
                grant.Remaining += entry.Amount;
                grant.Voided -= entry.Amount;
                grant.IsVoided = true;
                break;
        }

        grant.CheckConservation();
    }

    // Closing an invoice (pay or void) goes ahead only from pending: otherwise the answer is not found, already
    // done (closed the same way), or a conflict (closed the other way).
    private Decision? PendingOrAnswer(string invoiceId, Invoice? stored, InvoiceStatus target, DateTimeOffset at)
    {
        var invoice = FindPendingInvoice(invoiceId) ?? stored;
        if (invoice is null)
        {
            return Reject(Rejection.InvoiceNotFound, $"No credits were applied to invoice {invoiceId}.", at);
        }

        if (invoice.Status == InvoiceStatus.Pending)
        {
            return null;
        }

        if (invoice.Status == target)
        {
            return new Decision(DecisionOutcome.AlreadyDone, Version, at, []) { Invoice = invoice };
        }

        var (status, action) = invoice.Status == InvoiceStatus.Paid ? ("paid", "voided") : ("voided", "paid");
        return Reject(Rejection.InvoiceStateConflict, $"Invoice {invoiceId} is {status}; a {status} invoice cannot be {action}.", at);
    }

    private static string? CheckAmount(decimal amount, CreditType creditType, bool allowZero)
    {
        if (amount < 0 || (amount == 0 && !allowZero))
        {
            return allowZero ? "Must be zero or more." : "Must be above zero.";
        }

        if (amount > LedgerLimits.MaxAmount)
        {
            return $"Must be at most {LedgerLimits.MaxAmount:N0}.";
        }

        return decimal.Round(amount, creditType.Scale) != amount
            ? $"{creditType.Code} amounts have at most {creditType.Scale} decimal place(s)."
            : null;
    }

    private static string? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > LedgerLimits.MaxReasonLength
            ? $"A reason of 1 to {LedgerLimits.MaxReasonLength} characters is required."
            : null;

    private Decision? Invalid(string? error, string field, DateTimeOffset at) =>
        error is null ? null : Reject(Rejection.InvalidRequest, error, at, field);

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

        public Planner(CustomerCredits origin, DateTimeOffset at, Provenance provenance)
        {
            _origin = origin;
            At = at;
            _provenance = provenance;
            Version = origin.Version;
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

        // Expiries due at the command's instant come first, each dated at its grant's expiresAt, in time order.
        public void RecordDueExpiries()
        {
            if (!AllGrants().Any(IsDue))
            {
                return;
            }

            var due = AllGrants()
                .Where(IsDue)
                .OrderBy(g => g.Terms.ExpiresAt)
                .ThenBy(g => g, DrawdownOrder.Instance)
                .Select(g => g.GrantId)
                .ToList();
            foreach (var grantId in due)
            {
                var grant = Grant(grantId);
                Append(EntryKind.Expired, grantId, grant.CreditType, -grant.Remaining, invoiceId: null, engine: true, occurredAt: grant.Terms.ExpiresAt);
            }
        }

        private bool IsDue(Grant grant) => !grant.IsVoided && grant.Remaining > 0 && grant.HasExpiredAt(At);

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
            var at = occurredAt ?? At;

            // While due expiries are recorded, a grant expiring at the entry's instant still counts as available
            // until its own entry is written, so that simultaneous expiries step available down one by one.
            var catchingUp = occurredAt is not null;
            var before = Available(creditType, at, catchingUp);
            var provenance = engine
                ? _provenance with { Actor = Provenance.EngineActor, IdempotencyKey = null }
                : _provenance;
            var entry = new LedgerEntry(Version + 1, kind, grantId, creditType, amount, consumed, 0, invoiceId, reason, provenance, at, terms);

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
            if (before > 0 && after == 0)
            {
                events |= EntryEvents.BalanceDepleted;
            }

            decimal? crossed = null;
            if (_origin._lowBalanceThresholds.TryGetValue(creditType, out var threshold) && before >= threshold && after < threshold)
            {
                events |= EntryEvents.BalanceLow;
                crossed = threshold;
            }

            entry = entry with { AvailableAfter = after, PendingAfter = pending, Events = events, Threshold = crossed };
            _entries.Add(entry);
        }

        public Decision Finish(string? grantId = null, Invoice? invoice = null, InvoiceWrite invoiceWrite = InvoiceWrite.None) =>
            new(DecisionOutcome.Changed, _origin.Version, At, _entries)
            {
                Grant = grantId is null ? null : Grant(grantId),
                Invoice = invoice,
                InvoiceWrite = invoiceWrite,
            };

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
