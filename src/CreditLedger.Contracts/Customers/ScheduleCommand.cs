using CreditLedger.Domain;

namespace CreditLedger.Contracts.Customers;

/// <summary>A request to create a credit schedule, parsed and validated at the edge (the grain checks the time-dependent rules).</summary>
/// <param name="CreditType">What each period grants (on the wire: its code).</param>
/// <param name="Amount">How much each period grants: above zero, in the credit type's scale.</param>
/// <param name="Reason">The reason of each period's grant, 1-500 characters.</param>
/// <param name="Priority">0-100; null means 50.</param>
/// <param name="Category">Paid or promotional.</param>
/// <param name="Every">How often periods start, as the API writes it (<c>month</c>, <c>week</c>, <c>day</c> or an ISO 8601 duration); parsed at the edge.</param>
/// <param name="StartsAt">When period 0 starts; null means now.</param>
/// <param name="Periods">1-10,000; null means until cancelled.</param>
/// <param name="RolloverMax">With rollover, the most of an ending period's own grant that is granted again.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ScheduleCommand")]
public sealed record ScheduleCommand(
    [property: Id(0)] CreditType CreditType,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Reason,
    [property: Id(3)] int? Priority,
    [property: Id(4)] GrantCategory Category,
    [property: Id(5)] string Every,
    [property: Id(6)] DateTimeOffset? StartsAt,
    [property: Id(7)] int? Periods,
    [property: Id(8)] decimal? RolloverMax);
