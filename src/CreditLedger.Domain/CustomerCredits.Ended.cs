namespace CreditLedger.Domain;

// Ended grants leave memory: a grant that has expired, or been voided, with nothing pending, can never change
// again (only a pending application could bring credits back to it). Folding an entry retires such grants, so a
// customer's memory holds what can still change, whatever its history, and the grant limit counts only those.
public sealed partial class CustomerCredits
{
    private readonly Dictionary<CreditType, EndedGrants> _ended = [];

    // Grants with an expiry, soonest first: a grant that is depleted when its expiry passes ends without an entry of
    // its own, found here once an entry at or after its expiry is folded.
    private readonly PriorityQueue<string, DateTimeOffset> _expiryOrder = new();

    /// <summary>The totals of the grants that have ended and left memory, per credit type.</summary>
    public IReadOnlyDictionary<CreditType, EndedGrants> EndedGrantTotals => _ended;

    /// <summary>
    /// Whether <paramref name="grant"/> has ended by <paramref name="instant"/>: nothing remaining or pending, and voided
    /// or expired. An ended grant never changes again.
    /// </summary>
    public static bool HasEnded(Grant grant, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.Remaining == 0 && grant.Pending == 0 && (grant.IsVoided || grant.HasExpiredAt(instant));
    }

    /// <summary>
    /// The refusal of voiding a grant that has ended and left memory: the caller found it in the ledger, as
    /// <paramref name="status"/> (expired or voided).
    /// </summary>
    public Decision RejectVoidOfEndedGrant(string grantId, GrantStatus status, DateTimeOffset asOf) =>
        Reject(
            Rejection.GrantNotActive,
            $"Grant {grantId} is {status.ToString().ToLowerInvariant()}; only a grant that has not expired or been voided can be voided.",
            EvaluationInstant(asOf));

    /// <summary>
    /// Whether something fell due before <paramref name="instant"/> (<see cref="NextDueAt"/> is earlier). Cheap when
    /// nothing did: the soonest expiry tracked and the schedules' next starts are looked at first, and the grants are
    /// scanned only when one of them is that early.
    /// </summary>
    public bool HasDueBefore(DateTimeOffset instant)
    {
        var early = _expiryOrder.TryPeek(out _, out var soonest) && soonest < instant;
        foreach (var schedule in _schedules.Values)
        {
            early |= NextPeriodStart(schedule, PeriodsRecorded(schedule.ScheduleId)) < instant;
        }

        return early && NextDueAt() < instant;
    }

    private void TrackExpiry(Grant grant)
    {
        if (grant.Terms.ExpiresAt is { } expiresAt)
        {
            _expiryOrder.Enqueue(grant.GrantId, expiresAt);
        }
    }

    // After an entry is folded: the grant it touched, and every grant whose expiry has passed by the latest entry,
    // leave memory if they have ended. Depends on the ledger alone, so a replay and a restored snapshot agree.
    private void RetireEnded(string touchedGrantId)
    {
        if (LastOccurredAt is not { } latest)
        {
            return;
        }

        if (_grants.TryGetValue(touchedGrantId, out var touched) && HasEnded(touched, latest))
        {
            Retire(touched);
        }

        while (_expiryOrder.TryPeek(out var grantId, out var expiresAt) && expiresAt <= latest)
        {
            _expiryOrder.Dequeue();
            if (_grants.TryGetValue(grantId, out var grant) && HasEnded(grant, latest))
            {
                Retire(grant);
            }
        }
    }

    private void Retire(Grant grant)
    {
        _grants.Remove(grant.GrantId);
        _ended[grant.CreditType] = _ended.GetValueOrDefault(grant.CreditType, EndedGrants.None).Add(grant);
    }
}
