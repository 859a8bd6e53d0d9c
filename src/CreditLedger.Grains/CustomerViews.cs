using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;

namespace CreditLedger.Grains;

/// <summary>Maps the domain's state to the records that cross the wire.</summary>
internal static class CustomerViews
{
    public static GrantView Grant(Grant grant, string reason, DateTimeOffset at) => new GrantView(
        grant.GrantId,
        WireNames.Of(grant.CreditType.Kind),
        grant.CreditType.Code,
        grant.Terms.Amount,
        grant.Remaining,
        grant.Pending,
        grant.Consumed,
        grant.Expired + (grant.StatusAt(at) == GrantStatus.Expired ? grant.Remaining : 0),
        grant.Voided,
        WireNames.Of(grant.StatusAt(at)),
        grant.Terms.Priority,
        WireNames.Of(grant.Terms.Category),
        grant.Terms.EffectiveAt,
        grant.Terms.ExpiresAt,
        reason,
        grant.CreatedAt,
        grant.CreatedVersion,
        grant.Terms.ScheduleId,
        grant.Terms.Period,
        grant.Terms.RolloverOf) with
    {
        // An expired grant whose expiry entry is not written yet shows what the entry will record.
        Remaining = grant.StatusAt(at) == GrantStatus.Expired ? 0 : grant.Remaining,
    };

    public static InvoiceView Invoice(Invoice invoice) => new(
        invoice.InvoiceId,
        WireNames.Of(invoice.Status),
        invoice.Lines.Select(l => new InvoiceLineView(l.CreditType.Code, WireNames.Of(l.CreditType.Kind), l.Requested, l.Applied, l.Due)).ToList(),
        invoice.Applications.Select(a => new ApplicationView(a.GrantId, a.CreditType.Code, a.Amount)).ToList(),
        invoice.AppliedAt);

    public static BalanceView Balance(CreditBalance balance) => new(
        balance.CreditType.Code,
        WireNames.Of(balance.CreditType.Kind),
        balance.Available,
        balance.Pending,
        balance.ExpiringSoon,
        balance.Granted,
        balance.Consumed,
        balance.Expired,
        balance.Voided);

    public static EntryView Entry(CustomerId customerId, LedgerEntry entry) => new(
        EntryId(customerId, entry.Version),
        entry.Version,
        WireNames.Of(entry.Kind),
        entry.GrantId,
        entry.CreditType.Code,
        entry.Amount,
        entry.Consumed,
        entry.AvailableAfter,
        entry.InvoiceId,
        entry.Reason,
        entry.Provenance.Actor,
        entry.Provenance.Source,
        entry.Provenance.RequestId,
        entry.OccurredAt,
        entry.Grant?.ScheduleId,
        entry.Grant?.Period,
        entry.Grant?.RolloverOf);

    /// <summary>
    /// A credit schedule as a command or read at <paramref name="at"/> sees it: every period started by then is granted
    /// (recorded by that command, or seen by that read as the next command records it).
    /// </summary>
    public static ScheduleView Schedule(CreditSchedule schedule, DateTimeOffset at) => new(
        schedule.ScheduleId,
        WireNames.Of(schedule.CreditType.Kind),
        schedule.CreditType.Code,
        schedule.Amount,
        schedule.Reason,
        schedule.Priority,
        WireNames.Of(schedule.Category),
        schedule.Every.ToString(),
        schedule.StartsAt,
        schedule.Periods,
        schedule.RolloverMax,
        WireNames.Of(schedule.StatusAt(at)),
        schedule.PeriodsStartedBy(at),
        schedule.NextPeriodAt(at),
        schedule.CreatedAt,
        schedule.CancelledAt,
        schedule.CancelReason);

    /// <summary>An outstanding top-up request, as memory holds it.</summary>
    public static TopUpRequestView TopUpRequest(TopUpRequest request) => new(
        request.RequestId, request.CreditType.Code, "outstanding", request.Amount, request.Available, request.Threshold, request.CreatedAt, request.Version, null, null, null);

    /// <summary>A top-up request as stored, whatever became of it.</summary>
    public static TopUpRequestView TopUpRequest(TopUpRequestRecord record) =>
        TopUpRequest(record.Request) with { Status = record.Status, GrantId = record.GrantId, FailReason = record.FailReason, EndedAt = record.EndedAt };

    public static CustomerView Customer(CustomerRecord customer) =>
        new(customer.CustomerId, customer.Name, customer.Email, customer.CreatedAt, customer.UpdatedAt);

    /// <summary>An entry's id: unique across customers, because a customer's versions are.</summary>
    public static string EntryId(CustomerId customerId, long version) => $"{customerId.Value}/{version}";
}
