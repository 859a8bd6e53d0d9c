using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of the credit-schedules resource.

/// <summary>The body of <c>POST /v1/customers/{customerId}/credit-schedules</c>.</summary>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="Amount">Granted at the start of each period: a decimal string (or JSON number) above zero, in the credit type's precision.</param>
/// <param name="Currency">ISO 4217 code, for monetary schedules.</param>
/// <param name="Unit">Unit key (<c>^[a-z][a-z0-9_]{0,63}$</c>), for unit schedules.</param>
/// <param name="Reason">The reason of each period's grant, 1-500 characters.</param>
/// <param name="Every"><c>day</c>, <c>week</c>, <c>month</c> (calendar months in UTC) or an ISO 8601 duration of weeks, days, hours and minutes, at least <c>PT1M</c>.</param>
/// <param name="StartsAt">When period 0 starts; absent: now; at most 5 minutes in the past.</param>
/// <param name="Periods">How many periods are granted, 1-10,000; absent: until cancelled.</param>
/// <param name="Rollover">With rollover, up to <c>maxAmount</c> of an ending period's own grant is granted again into the next period.</param>
/// <param name="Priority">0 (drawn first) to 100; default 50.</param>
/// <param name="Category"><c>paid</c> (default) or <c>promotional</c>.</param>
public sealed record ScheduleBody(
    string Type, string Amount, string? Currency, string? Unit, string Reason, string Every, DateTimeOffset? StartsAt, int? Periods, RolloverWire? Rollover,
    int? Priority, string? Category);

/// <summary>A schedule's rollover: how much of an ending period's own grant is granted again, at most.</summary>
/// <param name="MaxAmount">A decimal string above zero, in the credit type's precision.</param>
public sealed record RolloverWire(string MaxAmount);

/// <summary>The body of <c>POST .../credit-schedules/{scheduleId}/cancel</c>.</summary>
/// <param name="Reason">Why, 1-500 characters.</param>
public sealed record CancelScheduleBody(string Reason);

/// <summary>A credit schedule.</summary>
/// <param name="ScheduleId">Its id, <c>sch_...</c>.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="CreditType">ISO 4217 code or unit key.</param>
/// <param name="Currency">The currency, for monetary schedules.</param>
/// <param name="Unit">The unit, for unit schedules.</param>
/// <param name="Amount">Granted at the start of each period.</param>
/// <param name="Reason">The reason of each period's grant.</param>
/// <param name="Every">How often periods start.</param>
/// <param name="StartsAt">When period 0 starts.</param>
/// <param name="Periods">How many periods are granted; null: until cancelled.</param>
/// <param name="Rollover">The rollover, or null.</param>
/// <param name="Priority">The priority of each period's grant.</param>
/// <param name="Category">The category of each period's grant.</param>
/// <param name="Status"><c>active</c>, <c>completed</c> (all periods granted and ended) or <c>cancelled</c>.</param>
/// <param name="PeriodsGranted">How many periods have started and been granted.</param>
/// <param name="NextPeriodAt">When the next period starts; null when none will.</param>
/// <param name="CreatedAt">When the schedule was created.</param>
/// <param name="CancelledAt">When it was cancelled (absent unless cancelled).</param>
/// <param name="CancelReason">Why it was cancelled (absent unless cancelled).</param>
/// <param name="Version">The customer's version.</param>
public sealed record ScheduleResponse(
    string ScheduleId,
    string CustomerId,
    string Type,
    string CreditType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    string Amount,
    string Reason,
    string Every,
    DateTimeOffset StartsAt,
    int? Periods,
    RolloverWire? Rollover,
    int Priority,
    string Category,
    string Status,
    long PeriodsGranted,
    DateTimeOffset? NextPeriodAt,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CancelledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CancelReason,
    long Version);

/// <summary>A page of credit schedules in creation order, with the customer's version.</summary>
public sealed record SchedulePage(IReadOnlyList<ScheduleResponse> Data, string? NextCursor, long Version);
