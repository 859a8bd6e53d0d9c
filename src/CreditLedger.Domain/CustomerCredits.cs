namespace CreditLedger.Domain;

/// <summary>
/// One customer's credits: its grants (those that can still change; ended ones leave only totals), its unpaid
/// invoices, its credit schedules and its version, and every rule that changes them.
/// Commands are planned first (<c>Plan*</c>: pure, nothing changes) into a <see cref="Decision"/>; once the
/// decision's entries are durable, <see cref="Commit"/> folds them in. Folding the same entries from an empty
/// state (<see cref="Replay"/>) gives the same grants: the ledger is the source of truth, this is its cache.
/// Time is always an argument; an instant earlier than the latest entry is read as that entry's instant, so
/// entries stay in time order even when clocks disagree. The class is split by facet: its state and reads (here),
/// grants (CustomerCredits.Grants.cs), invoices (.Invoices.cs), folding entries in (.Fold.cs), and the checks and
/// the planner the commands share (.Planner.cs).
/// </summary>
public sealed partial class CustomerCredits
{
    private readonly Dictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> _pendingInvoices = new(StringComparer.Ordinal);
    private readonly Dictionary<CreditType, decimal> _lowBalanceThresholds = [];

    /// <summary>The version: the sequence number of the latest entry, 0 before the first.</summary>
    public long Version { get; private set; }

    /// <summary>When the latest entry occurred, if there is one.</summary>
    public DateTimeOffset? LastOccurredAt { get; private set; }

    /// <summary>Every grant that has not ended (see <see cref="HasEnded"/>), in creation order.</summary>
    public IEnumerable<Grant> Grants => _grants.Values.OrderBy(g => g.CreatedVersion);

    /// <summary>The number of grants that have not ended: what the grant limit counts.</summary>
    public int GrantCount => _grants.Count;

    /// <summary>The unpaid invoices (paid and voided ones are kept by the caller's storage, not here).</summary>
    public IReadOnlyCollection<Invoice> PendingInvoices => _pendingInvoices.Values;

    /// <summary>The low-balance thresholds per credit type.</summary>
    public IReadOnlyDictionary<CreditType, decimal> LowBalanceThresholds => _lowBalanceThresholds;

    /// <summary>Rebuilds the state a snapshot describes; later entries are then folded in with <see cref="Replay"/>.</summary>
    /// <exception cref="LedgerInvariantException">A grant breaks conservation, or two grants share an id.</exception>
    /// <param name="version">The version the snapshot describes.</param>
    /// <param name="lastOccurredAt">When its latest entry occurred.</param>
    /// <param name="grants">Its grants.</param>
    /// <param name="periodsRecorded">How many periods of each schedule are in the ledger by that version.</param>
    /// <param name="ended">The totals of the grants that had ended by that version, per credit type.</param>
    /// <remarks>Grants of the snapshot that have ended by its latest entry leave memory at once, as a replay would have them.</remarks>
    public static CustomerCredits Restore(
        long version,
        DateTimeOffset? lastOccurredAt,
        IEnumerable<Grant> grants,
        IReadOnlyDictionary<string, long>? periodsRecorded = null,
        IReadOnlyDictionary<CreditType, EndedGrants>? ended = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(grants);
        var credits = new CustomerCredits { Version = version, LastOccurredAt = lastOccurredAt };
        foreach (var (scheduleId, periods) in periodsRecorded ?? new Dictionary<string, long>())
        {
            credits._periodsRecorded[scheduleId] = periods;
        }

        foreach (var grant in grants)
        {
            if (grant.CreatedVersion > version || !credits._grants.TryAdd(grant.GrantId, grant))
            {
                throw new LedgerInvariantException($"Snapshot at version {version} holds grant {grant.GrantId} twice or from a later version.");
            }

            credits.TrackExpiry(grant);
        }

        foreach (var (creditType, totals) in ended ?? new Dictionary<CreditType, EndedGrants>())
        {
            credits._ended[creditType] = totals;
        }

        foreach (var grant in credits._grants.Values.ToList())
        {
            credits.RetireEnded(grant.GrantId);
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
        if (threshold is { } checkedValue && ThresholdError(creditType, checkedValue) is { } error)
        {
            throw new LedgerInvariantException($"Low-balance threshold {checkedValue} for {creditType.Code}: {error}");
        }

        if (threshold is { } value)
        {
            _lowBalanceThresholds[creditType] = value;
        }
        else
        {
            _lowBalanceThresholds.Remove(creditType);
        }
    }

    /// <summary>
    /// Why <paramref name="threshold"/> cannot be a low-balance threshold of <paramref name="creditType"/> (0 up to
    /// <see cref="LedgerLimits.MaxAmount"/>, at the credit type's precision), or null when it can.
    /// </summary>
    public static string? ThresholdError(CreditType creditType, decimal threshold) =>
        threshold < 0 || threshold > LedgerLimits.MaxAmount || decimal.Round(threshold, creditType.Scale) != threshold
            ? $"Must be 0 to {LedgerLimits.MaxAmount:N0} with at most {creditType.Scale} decimal place(s)."
            : null;

    /// <summary>
    /// One page of the customer's grants, newest first: those created before <paramref name="beforeVersion"/> (all
    /// when null) and, when <paramref name="status"/> is given, in that status at <paramref name="at"/>; with the
    /// version to ask for the next page before, or null on the last page.
    /// </summary>
    /// <remarks>Grants a read at <paramref name="at"/> sees (<see cref="SeenAt"/>) are listed, those of schedule periods started by then included.</remarks>
    public (IReadOnlyList<Grant> Page, long? NextBefore) GrantPage(GrantStatus? status, long? beforeVersion, int limit, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var page = SeenAt(at)._grants.Values
            .Where(g => g.CreatedVersion < (beforeVersion ?? long.MaxValue) && (status is null || g.StatusAt(at) == status))
            .OrderByDescending(g => g.CreatedVersion)
            .Take(limit + 1)
            .ToList();
        var hasMore = page.Count > limit;
        if (hasMore)
        {
            page.RemoveAt(limit);
        }

        return (page, hasMore ? page[^1].CreatedVersion : null);
    }

    /// <summary>The instant a command or read asked for at <paramref name="asOf"/> is evaluated at: never before the latest entry.</summary>
    public DateTimeOffset EvaluationInstant(DateTimeOffset asOf) =>
        LastOccurredAt is { } last && last > asOf ? last : asOf;

    /// <summary>Available of <paramref name="creditType"/> at <paramref name="instant"/>: the remaining credits of grants usable then.</summary>
    public decimal AvailableAt(CreditType creditType, DateTimeOffset instant) =>
        SeenAt(instant)._grants.Values.Where(g => g.CreditType == creditType && g.IsUsableAt(instant)).Sum(g => g.Remaining);

    /// <summary>
    /// The balances of every credit type the customer has or had grants in, at <paramref name="instant"/>, ordered by
    /// credit type code. "Expiring soon" counts available credits whose grant expires at or before
    /// <paramref name="instant"/> + <paramref name="expiringWithinDays"/> x 24 h. Expiries and schedule periods due
    /// by <paramref name="instant"/> count even before their entries are written (<see cref="SeenAt"/>).
    /// </summary>
    public IReadOnlyList<CreditBalance> BalancesAt(DateTimeOffset instant, int expiringWithinDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expiringWithinDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expiringWithinDays, LedgerLimits.MaxExpiringWithinDays);
        var horizon = instant.AddDays(expiringWithinDays);
        var seen = SeenAt(instant);
        var live = seen._grants.Values.ToLookup(g => g.CreditType);
        return live.Select(group => group.Key)
            .Union(seen._ended.Keys)
            .OrderBy(creditType => creditType.Code, StringComparer.Ordinal)
            .Select(creditType =>
            {
                var ended = seen._ended.GetValueOrDefault(creditType, EndedGrants.None);
                decimal available = 0, pending = 0, expiringSoon = 0;
                decimal granted = ended.Granted, consumed = ended.Consumed, expired = ended.Expired, voided = ended.Voided;
                foreach (var grant in live[creditType])
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

                return new CreditBalance(creditType, available, pending, expiringSoon, granted, consumed, expired, voided);
            })
            .ToList();
    }

    /// <summary>
    /// The next instant the engine records something on its own: the earliest <c>expiresAt</c> of a grant with
    /// credits remaining, or the start of a schedule's next period still to be recorded (which may have passed).
    /// <see langword="null"/> when nothing is left to expire or grant.
    /// </summary>
    public DateTimeOffset? NextDueAt()
    {
        DateTimeOffset? next = null;
        foreach (var grant in _grants.Values)
        {
            if (!grant.IsVoided && grant.Remaining > 0 && grant.Terms.ExpiresAt is { } expiresAt && (next is null || expiresAt < next))
            {
                next = expiresAt;
            }
        }

        foreach (var schedule in _schedules.Values)
        {
            if (NextPeriodStart(schedule, PeriodsRecorded(schedule.ScheduleId)) is { } start && (next is null || start < next))
            {
                next = start;
            }
        }

        return next;
    }
}
