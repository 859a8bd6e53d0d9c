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
