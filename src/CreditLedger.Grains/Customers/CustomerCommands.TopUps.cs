using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using static CreditLedger.Grains.CommandPlanner;

namespace CreditLedger.Grains.Customers;

/// <summary>Automatic top-ups: the rule per credit type, and the requests the engine records under it.</summary>
internal sealed partial class CustomerCommands
{
    /// <summary>Sets the top-up rule of a credit type. It never requests: the next entry of the credit type is judged.</summary>
    public Task<TopUpRuleResult> PutTopUpRuleAsync(CreditType type, decimal threshold, decimal targetBalance) => InTurnAsync(async () =>
    {
        if (!await CustomerExistsAsync())
        {
            return new TopUpRuleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        // Validated at the edge with the same rule; here a bad value is the caller's bug.
        var rule = new TopUpRule(threshold, targetBalance);
        if (CustomerCredits.TopUpRuleError(type, rule) is { } error)
        {
            throw new ArgumentException(error, nameof(threshold));
        }

        await ReadAsync(async () =>
        {
            await _queries.UpsertTopUpRuleAsync(_customerId, type.Code, rule, Now());
            return true;
        });
        _credits.SetTopUpRule(type, rule);
        return new TopUpRuleResult(CommandStatus.Ok, _credits.Version, RuleView(type, rule), null);
    });

    /// <summary>The top-up rule of a credit type with its outstanding request.</summary>
    public async Task<TopUpRuleResult> GetTopUpRuleAsync(CreditType type)
    {
        if (!await CustomerExistsAsync())
        {
            return new TopUpRuleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        return _credits.TopUpRules.TryGetValue(type, out var rule)
            ? new TopUpRuleResult(CommandStatus.Ok, _credits.Version, RuleView(type, rule), null)
            : RuleNotFound(type);
    }

    /// <summary>Removes the top-up rule of a credit type; an outstanding request stays, to be fulfilled or failed.</summary>
    public Task<TopUpRuleResult> DeleteTopUpRuleAsync(CreditType type) => InTurnAsync(async () =>
    {
        if (!await CustomerExistsAsync())
        {
            return new TopUpRuleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        if (!_credits.TopUpRules.TryGetValue(type, out var rule))
        {
            return RuleNotFound(type);
        }

        await ReadAsync(() => _queries.DeleteTopUpRuleAsync(_customerId, type.Code));
        _credits.SetTopUpRule(type, null);
        return new TopUpRuleResult(CommandStatus.Ok, _credits.Version, RuleView(type, rule), null);
    });

    /// <summary>
    /// Fails the outstanding request <paramref name="requestId"/>: it ends and the rule is armed again. Failing a
    /// request that already failed answers it again; one that was fulfilled is not outstanding.
    /// </summary>
    public Task<TopUpRequestResult> FailTopUpRequestAsync(CreditType type, string requestId, string reason, CommandContext context) => InTurnAsync(async () =>
    {
        if (!await CustomerExistsAsync())
        {
            return new TopUpRequestResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var decision = _credits.PlanFailTopUp(type, requestId, reason, Now());
        TopUpRequestResult answer;
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            var failed = CustomerViews.TopUpRequest(_credits.OutstandingTopUp(type)!) with { Status = "failed", FailReason = reason, EndedAt = decision.At };
            answer = new TopUpRequestResult(CommandStatus.Ok, _credits.Version, failed, null);
        }
        else
        {
            var stored = await ReadAsync(() => _queries.FindTopUpRequestAsync(_customerId, requestId));
            answer = stored is null || stored.Request.CreditType != type
                ? RequestNotFound(type, requestId)
                : stored.Status == "failed"
                    ? new TopUpRequestResult(CommandStatus.Ok, _credits.Version, CustomerViews.TopUpRequest(stored), null)
                    : new TopUpRequestResult(CommandStatus.TopUpRequestNotOutstanding, _credits.Version, null, ErrorOf(decision));
        }

        var planned = new Planned<TopUpRequestResult>(decision, FailTopUpOperation, RequestFingerprint.Of(FailTopUpOperation, type.Code, requestId, reason), answer);
        return await RunAsync(planned, context, GrainJsonContext.Default.TopUpRequestResult);
    });

    /// <summary>A top-up request of a credit type, whatever became of it.</summary>
    public async Task<TopUpRequestResult> GetTopUpRequestAsync(CreditType type, string requestId)
    {
        if (!await CustomerExistsAsync())
        {
            return new TopUpRequestResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        if (_credits.OutstandingTopUp(type) is { } outstanding && outstanding.RequestId == requestId)
        {
            return new TopUpRequestResult(CommandStatus.Ok, _credits.Version, CustomerViews.TopUpRequest(outstanding), null);
        }

        var stored = await ReadAsync(() => _queries.FindTopUpRequestAsync(_customerId, requestId));
        return stored is null || stored.Request.CreditType != type
            ? RequestNotFound(type, requestId)
            : new TopUpRequestResult(CommandStatus.Ok, _credits.Version, CustomerViews.TopUpRequest(stored), null);
    }

    private TopUpRuleView RuleView(CreditType type, TopUpRule rule) =>
        new(type.Code, rule.Threshold, rule.TargetBalance, _credits.OutstandingTopUp(type) is { } outstanding ? CustomerViews.TopUpRequest(outstanding) : null);

    private TopUpRuleResult RuleNotFound(CreditType type) =>
        new(CommandStatus.TopUpRuleNotFound, _credits.Version, null, new CommandError($"The customer has no top-up rule for {type.Code}."));

    private TopUpRequestResult RequestNotFound(CreditType type, string requestId) =>
        new(CommandStatus.TopUpRequestNotFound, _credits.Version, null, new CommandError($"The customer has no top-up request {requestId} for {type.Code}."));
}
