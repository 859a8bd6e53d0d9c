namespace CreditLedger.Contracts.Customers;

/// <summary>A page of credit schedules, in creation order.</summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="Schedules">The page.</param>
/// <param name="NextAfter">The id of the page's last schedule when more follow (the next page's cursor), else null.</param>
/// <param name="Error">Why it was refused, when it was (a cursor naming no schedule of the customer).</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ScheduleListResult")]
public sealed record ScheduleListResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<ScheduleView> Schedules,
    [property: Id(3)] string? NextAfter,
    [property: Id(4)] CommandError? Error = null);
