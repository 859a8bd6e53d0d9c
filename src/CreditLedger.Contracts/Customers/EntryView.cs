namespace CreditLedger.Contracts.Customers;

/// <summary>A ledger entry as the history shows it.</summary>
/// <param name="EntryId">Unique across customers: <c>customerId/version</c>.</param>
/// <param name="Version">The entry's number within its customer.</param>
/// <param name="Kind"><c>granted</c>, <c>applied</c>, <c>paid</c>, <c>reinstated</c>, <c>expired</c>, <c>voided</c>.</param>
/// <param name="GrantId">The grant it touches.</param>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Amount">Signed change to the grant's remaining credits (to available, for a usable grant).</param>
/// <param name="Consumed">For a paid entry, what moved from pending to consumed.</param>
/// <param name="AvailableAfter">Available of the credit type just after.</param>
/// <param name="InvoiceId">The invoice it concerns.</param>
/// <param name="Reason">The operator's reason.</param>
/// <param name="Actor">Who.</param>
/// <param name="Source">From where.</param>
/// <param name="RequestId">Which request.</param>
/// <param name="OccurredAt">When it took effect (an expiry: the grant's expiresAt).</param>
/// <param name="ScheduleId">For a granted entry of a schedule's grant, the schedule.</param>
/// <param name="Period">For a granted entry of a schedule's grant, its period.</param>
/// <param name="RolloverOf">For a granted entry of a rollover grant, the ended period grant it carries on.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.EntryView")]
public sealed record EntryView(
    [property: Id(0)] string EntryId,
    [property: Id(1)] long Version,
    [property: Id(2)] string Kind,
    [property: Id(3)] string GrantId,
    [property: Id(4)] string CreditType,
    [property: Id(5)] decimal Amount,
    [property: Id(6)] decimal Consumed,
    [property: Id(7)] decimal AvailableAfter,
    [property: Id(8)] string? InvoiceId,
    [property: Id(9)] string? Reason,
    [property: Id(10)] string Actor,
    [property: Id(11)] string Source,
    [property: Id(12)] string? RequestId,
    [property: Id(13)] DateTimeOffset OccurredAt,
    [property: Id(14)] string? ScheduleId = null,
    [property: Id(15)] long? Period = null,
    [property: Id(16)] string? RolloverOf = null);
