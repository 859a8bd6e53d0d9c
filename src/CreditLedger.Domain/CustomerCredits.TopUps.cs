namespace CreditLedger.Domain;

// Automatic top-up requests: a rule per credit type, and at most one outstanding request per credit type. A command
// or reminder whose entries leave available below the rule's threshold, with no request outstanding, records one on
// its last entry of that credit type; a grant naming the request fulfils it, a fail fails it; either re-arms the rule.
public sealed partial class CustomerCredits
{
    private readonly Dictionary<CreditType, TopUpRule> _topUpRules = [];
    private readonly Dictionary<CreditType, TopUpRequest> _outstandingTopUps = [];

    /// <summary>The top-up rules per credit type.</summary>
    public IReadOnlyDictionary<CreditType, TopUpRule> TopUpRules => _topUpRules;

    /// <summary>The outstanding top-up request of <paramref name="creditType"/>, if there is one.</summary>
    public TopUpRequest? OutstandingTopUp(CreditType creditType) => _outstandingTopUps.GetValueOrDefault(creditType);

    /// <summary>
    /// Sets (or with <see langword="null"/> removes) the top-up rule of a credit type. Setting a rule never requests:
    /// the next command or reminder that writes an entry of the credit type judges it. Removing it leaves an
    /// outstanding request to be fulfilled or failed.
    /// </summary>
    /// <exception cref="LedgerInvariantException">The rule breaks <see cref="TopUpRuleError"/>.</exception>
    public void SetTopUpRule(CreditType creditType, TopUpRule? rule)
    {
        if (rule is null)
        {
            _topUpRules.Remove(creditType);
            return;
        }

        if (TopUpRuleError(creditType, rule) is { } error)
        {
            throw new LedgerInvariantException($"Top-up rule for {creditType.Code}: {error}");
        }

        _topUpRules[creditType] = rule;
    }

    /// <summary>
    /// Why <paramref name="rule"/> cannot be a top-up rule of <paramref name="creditType"/> (threshold zero or more,
    /// target above it, both at most <see cref="LedgerLimits.MaxAmount"/> at the credit type's precision), or null.
    /// </summary>
    public static string? TopUpRuleError(CreditType creditType, TopUpRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return ThresholdError(creditType, rule.Threshold) is { } thresholdError ? $"threshold: {thresholdError}"
            : ThresholdError(creditType, rule.TargetBalance) is { } targetError ? $"targetBalance: {targetError}"
            : rule.TargetBalance <= rule.Threshold ? "targetBalance: Must be above the threshold."
            : null;
    }

    /// <summary>Adds an outstanding request loaded from storage (on activation).</summary>
    /// <exception cref="LedgerInvariantException">The credit type has an outstanding request already.</exception>
    public void TrackOutstandingTopUp(TopUpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_outstandingTopUps.TryAdd(request.CreditType, request))
        {
            throw new LedgerInvariantException($"Credit type {request.CreditType.Code} has two outstanding top-up requests.");
        }
    }

    /// <summary>
    /// Plans failing the outstanding request <paramref name="requestId"/> of <paramref name="creditType"/> (the
    /// billing system could not charge): it ends, and the rule is armed again. It writes no entry and never requests.
    /// </summary>
    /// <exception cref="ArgumentException">The reason breaks the rules the edge validates: a bug in the caller.</exception>
    public Decision PlanFailTopUp(CreditType creditType, string requestId, string reason, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        RequireReason(reason, nameof(reason));
        var at = EvaluationInstant(asOf);
        if (OutstandingTopUp(creditType) is not { } outstanding || outstanding.RequestId != requestId)
        {
            return Reject(Rejection.TopUpRequestNotOutstanding, $"Top-up request {requestId} of {creditType.Code} is not outstanding.", at);
        }

        return new Decision(DecisionOutcome.Changed, Version, at, [])
        {
            EndedTopUp = new TopUpOutcome(requestId, creditType, null, reason, at),
        };
    }

    // Folds a committed decision's top-up changes in: the request it ended, then the ones it recorded.
    private void CommitTopUps(Decision decision)
    {
        if (decision.EndedTopUp is { } ended && OutstandingTopUp(ended.CreditType)?.RequestId == ended.RequestId)
        {
            _outstandingTopUps.Remove(ended.CreditType);
        }

        foreach (var request in decision.RequestedTopUps)
        {
            _outstandingTopUps[request.CreditType] = request;
        }
    }
}
