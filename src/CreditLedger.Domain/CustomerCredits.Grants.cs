namespace CreditLedger.Domain;

// Grants: granting, voiding and recording expiries.
public sealed partial class CustomerCredits
{
    /// <summary>
    /// Plans a grant. Rejects instants that are not valid at the evaluation instant and a grant beyond
    /// <see cref="LedgerLimits.MaxGrantsPerCustomer"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The amount, reason or priority breaks the rules the edge validates, or the grant id is taken (ids come from the
    /// engine's generator): a bug in the caller.
    /// </exception>
    public Decision PlanGrant(GrantRequest request, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        var effectiveAt = request.EffectiveAt ?? at;
        var priority = request.Priority ?? LedgerLimits.DefaultPriority;

        RequireAmount(request.Amount, request.CreditType, allowZero: false, nameof(request));
        RequireReason(request.Reason, nameof(request));
        if (priority is < LedgerLimits.MinPriority or > LedgerLimits.MaxPriority)
        {
            throw new ArgumentOutOfRangeException(nameof(request), priority, $"Priorities are {LedgerLimits.MinPriority} to {LedgerLimits.MaxPriority}, validated before a command is planned.");
        }

        // The instants are checked here: only the customer's clock knows "now".
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

        if (request.TopUpRequestId is { } requestId && OutstandingTopUp(request.CreditType)?.RequestId != requestId)
        {
            return Reject(
                Rejection.TopUpRequestNotOutstanding, $"Top-up request {requestId} is not an outstanding request of {request.CreditType.Code}.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        if (request.TopUpRequestId is { } fulfilled)
        {
            plan.EndTopUp(new TopUpOutcome(fulfilled, request.CreditType, request.GrantId, null, at));
        }

        var terms = new GrantTerms(request.GrantId, request.CreditType, request.Amount, priority, request.Category, effectiveAt, request.ExpiresAt);
        plan.Append(EntryKind.Granted, terms.GrantId, terms.CreditType, terms.Amount, invoiceId: null, reason: request.Reason, terms: terms);
        return plan.Finish(grantId: terms.GrantId);
    }

    /// <summary>
    /// Plans voiding a grant: its remaining credits are removed now (zero for a depleted grant); pending
    /// applications from it stand. A grant already voided or expired is rejected.
    /// </summary>
    /// <exception cref="ArgumentException">The reason breaks the rules the edge validates: a bug in the caller.</exception>
    public Decision PlanVoidGrant(string grantId, string reason, Provenance provenance, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(grantId);
        ArgumentNullException.ThrowIfNull(provenance);
        RequireReason(reason, nameof(reason));
        var at = EvaluationInstant(asOf);

        // A schedule's period grant is found as soon as its period has started, whether or not it is recorded yet.
        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        var grant = plan.TryGrant(grantId);
        if (grant is null)
        {
            return Reject(Rejection.GrantNotFound, $"The customer has no grant {grantId}.", at);
        }

        if (grant.StatusAt(at) is GrantStatus.Voided or GrantStatus.Expired)
        {
            return Reject(Rejection.GrantNotActive, $"Grant {grantId} is {grant.StatusAt(at).ToString().ToLowerInvariant()}; only a grant that has not expired or been voided can be voided.", at);
        }

        plan.Append(EntryKind.Voided, grantId, grant.CreditType, -grant.Remaining, invoiceId: null, reason: reason);
        return plan.Finish(grantId: grantId);
    }

    /// <summary>
    /// Plans recording the expiries and schedule periods due at <paramref name="asOf"/> (what the reminder does), in
    /// time order; it may write nothing. With <paramref name="maxEntries"/>, it stops after the first instant that
    /// brings the entries to that many: a long catch-up is then recorded in several decisions, each committed before
    /// the next is planned, and ended grants leave memory between them.
    /// </summary>
    public Decision PlanExpiries(Provenance provenance, DateTimeOffset asOf, int maxEntries = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        var plan = new Planner(this, EvaluationInstant(asOf), provenance);
        plan.RecordDue(maxEntries);
        return plan.Finish();
    }
}
