namespace CreditLedger.Contracts.Customers;

/// <summary>A grant as the API shows it.</summary>
/// <param name="GrantId">The grant's id.</param>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Amount">Granted.</param>
/// <param name="Remaining">Not yet applied, expired or voided.</param>
/// <param name="Pending">Applied to unpaid invoices.</param>
/// <param name="Consumed">Applied to paid invoices.</param>
/// <param name="Expired">Removed by expiry.</param>
/// <param name="Voided">Removed by voids.</param>
/// <param name="Status"><c>scheduled</c>, <c>active</c>, <c>depleted</c>, <c>expired</c> or <c>voided</c> now.</param>
/// <param name="Priority">0-100.</param>
/// <param name="Category"><c>paid</c> or <c>promotional</c>.</param>
/// <param name="EffectiveAt">Usable from (included).</param>
/// <param name="ExpiresAt">Expires at (excluded), or never.</param>
/// <param name="Reason">Why it was granted.</param>
/// <param name="CreatedAt">When it was granted.</param>
/// <param name="CreatedVersion">The version of its granted entry (the list cursor).</param>
/// <param name="ScheduleId">The credit schedule that made it, if one did.</param>
/// <param name="Period">The schedule's period it belongs to (a rollover grant: the period it rolls into).</param>
/// <param name="RolloverOf">For a rollover grant, the ended period grant whose credits it carries on.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.GrantView")]
public sealed record GrantView(
    [property: Id(0)] string GrantId,
    [property: Id(1)] string Type,
    [property: Id(2)] string CreditType,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal Remaining,
    [property: Id(5)] decimal Pending,
    [property: Id(6)] decimal Consumed,
    [property: Id(7)] decimal Expired,
    [property: Id(8)] decimal Voided,
    [property: Id(9)] string Status,
    [property: Id(10)] int Priority,
    [property: Id(11)] string Category,
    [property: Id(12)] DateTimeOffset EffectiveAt,
    [property: Id(13)] DateTimeOffset? ExpiresAt,
    [property: Id(14)] string Reason,
    [property: Id(15)] DateTimeOffset CreatedAt,
    [property: Id(16)] long CreatedVersion,
    [property: Id(17)] string? ScheduleId = null,
    [property: Id(18)] long? Period = null,
    [property: Id(19)] string? RolloverOf = null);
