using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Api.Wire;

namespace CreditLedger.Gateway.Api;

/// <summary>Turns the grains' records into the API's JSON shapes, formatting every amount for its credit type.</summary>
public static class Responses
{
    /// <summary>A grant.</summary>
    public static GrantResponse Grant(string customerId, GrantView grant, long version, decimal? voidedAmount = null) => new(
        grant.GrantId,
        customerId,
        grant.Type,
        grant.CreditType,
        ApiRequest.Amount(grant.Amount, grant.CreditType),
        ApiRequest.Amount(grant.Remaining, grant.CreditType),
        grant.Status,
        grant.ExpiresAt,
        grant.EffectiveAt,
        grant.Priority,
        grant.Category,
        grant.Reason,
        grant.CreatedAt,
        version,
        voidedAmount is { } voided ? ApiRequest.Amount(voided, grant.CreditType) : null,
        grant.ScheduleId,
        grant.Period,
        grant.RolloverOf);

    /// <summary>The balances of one credit type.</summary>
    public static BalanceItem Balance(BalanceView balance, int expiringWithinDays) => new(
        balance.CreditType,
        balance.Type,
        ApiRequest.Amount(balance.Available, balance.CreditType),
        ApiRequest.Amount(balance.Pending, balance.CreditType),
        ApiRequest.Amount(balance.ExpiringSoon, balance.CreditType),
        expiringWithinDays,
        ApiRequest.Amount(balance.Granted, balance.CreditType),
        ApiRequest.Amount(balance.Consumed, balance.CreditType),
        ApiRequest.Amount(balance.Expired, balance.CreditType),
        ApiRequest.Amount(balance.Voided, balance.CreditType));

    /// <summary>A customer, with its balances when known.</summary>
    public static CustomerResponse Customer(CustomerView customer, long version, BalancesResult? balances) => new(
        customer.CustomerId,
        customer.Name,
        customer.Email,
        customer.CreatedAt,
        customer.UpdatedAt,
        version,
        balances?.Balances.Select(b => Balance(b, balances.ExpiringWithinDays)).ToList());

    /// <summary>A ledger entry of the history.</summary>
    public static TransactionItem Transaction(EntryView entry) => new(
        entry.EntryId,
        entry.Version,
        entry.Kind,
        entry.GrantId,
        entry.CreditType,
        ApiRequest.Amount(entry.Amount, entry.CreditType),
        ApiRequest.Amount(entry.AvailableAfter, entry.CreditType),
        entry.InvoiceId,
        entry.Reason,
        entry.Actor,
        entry.Source,
        entry.OccurredAt,
        entry.Kind == "paid" ? ApiRequest.Amount(entry.Consumed, entry.CreditType) : null,
        entry.ScheduleId,
        entry.Period,
        entry.RolloverOf);

    /// <summary>A top-up request.</summary>
    public static TopUpRequestResponse TopUpRequest(string customerId, TopUpRequestView request) => new(
        request.RequestId,
        customerId,
        request.CreditType,
        request.Status,
        ApiRequest.Amount(request.Amount, request.CreditType),
        ApiRequest.Amount(request.Available, request.CreditType),
        ApiRequest.Amount(request.Threshold, request.CreditType),
        request.CreatedAt,
        request.GrantId,
        request.FailReason,
        request.EndedAt);

    /// <summary>A top-up rule.</summary>
    public static TopUpRuleResponse TopUpRule(string customerId, TopUpRuleView rule, long version) => new(
        customerId,
        rule.CreditType,
        ApiRequest.Amount(rule.Threshold, rule.CreditType),
        ApiRequest.Amount(rule.TargetBalance, rule.CreditType),
        rule.OutstandingRequest is { } request ? TopUpRequest(customerId, request) : null,
        version);

    /// <summary>A credit schedule.</summary>
    public static ScheduleResponse Schedule(string customerId, ScheduleView schedule, long version)
    {
        var monetary = schedule.Type == "monetary";
        return new ScheduleResponse(
            schedule.ScheduleId,
            customerId,
            schedule.Type,
            schedule.CreditType,
            monetary ? schedule.CreditType : null,
            monetary ? null : schedule.CreditType,
            ApiRequest.Amount(schedule.Amount, schedule.CreditType),
            schedule.Reason,
            schedule.Every,
            schedule.StartsAt,
            schedule.Periods,
            schedule.RolloverMax is { } max ? new RolloverWire(ApiRequest.Amount(max, schedule.CreditType)) : null,
            schedule.Priority,
            schedule.Category,
            schedule.Status,
            schedule.PeriodsGranted,
            schedule.NextPeriodAt,
            schedule.CreatedAt,
            schedule.CancelledAt,
            schedule.CancelReason,
            version);
    }

    /// <summary>An invoice: its currency line as total, applied and due; its unit lines as usage.</summary>
    public static InvoiceResponse Invoice(string customerId, InvoiceView invoice, long version)
    {
        var money = invoice.Lines.FirstOrDefault(l => l.Type == "monetary");
        return new InvoiceResponse(
            customerId,
            invoice.InvoiceId,
            invoice.Status,
            version,
            money?.CreditType,
            money is null ? null : ApiRequest.Amount(money.Requested, money.CreditType),
            money is null ? null : ApiRequest.Amount(money.Applied, money.CreditType),
            money is null ? null : ApiRequest.Amount(money.Due, money.CreditType),
            invoice.Lines
                .Where(l => l.Type == "units")
                .Select(l => new UsageItem(
                    l.CreditType,
                    ApiRequest.Amount(l.Requested, l.CreditType),
                    ApiRequest.Amount(l.Applied, l.CreditType),
                    ApiRequest.Amount(l.Due, l.CreditType)))
                .ToList(),
            invoice.Applications.Select(a => new ApplicationItem(a.GrantId, a.CreditType, ApiRequest.Amount(a.Amount, a.CreditType))).ToList(),
            invoice.AppliedAt);
    }
}
