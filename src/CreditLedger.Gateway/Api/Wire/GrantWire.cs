using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of the credit-grants resource.

/// <summary>The body of <c>POST /v1/customers/{customerId}/credit-grants</c>.</summary>
/// <param name="Type"><c>monetary</c> or <c>units</c>.</param>
/// <param name="Amount">Decimal string (or JSON number) above zero, in the credit type's precision.</param>
/// <param name="Currency">ISO 4217 code, for monetary grants.</param>
/// <param name="Unit">Unit key (<c>^[a-z][a-z0-9_]{0,63}$</c>), for unit grants.</param>
/// <param name="Reason">Why, 1-500 characters.</param>
/// <param name="ExpiresAt">When the remaining credits expire; later than now and than effectiveAt; absent: never.</param>
/// <param name="EffectiveAt">When the credits become usable; absent: now; at most 5 minutes in the past.</param>
/// <param name="Priority">0 (drawn first) to 100; default 50.</param>
/// <param name="Category"><c>paid</c> (default) or <c>promotional</c> (drawn first among equals).</param>
/// <param name="TopUpRequestId">The outstanding top-up request of the grant's credit type that the grant fulfils.</param>
public sealed record GrantBody(
    string Type, string Amount, string? Currency, string? Unit, string Reason, DateTimeOffset? ExpiresAt, DateTimeOffset? EffectiveAt, int? Priority, string? Category,
    string? TopUpRequestId);

/// <summary>The body of <c>POST .../credit-grants/{grantId}/void</c>.</summary>
/// <param name="Reason">Why, 1-500 characters.</param>
public sealed record VoidGrantBody(string Reason);

/// <summary>A grant.</summary>
public sealed record GrantResponse(
    string GrantId,
    string CustomerId,
    string Type,
    string CreditType,
    string Amount,
    string Remaining,
    string Status,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset EffectiveAt,
    int Priority,
    string Category,
    string Reason,
    DateTimeOffset CreatedAt,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? VoidedAmount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScheduleId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Period = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RolloverOf = null);

/// <summary>A page of grants with the customer's version.</summary>
public sealed record GrantPage(IReadOnlyList<GrantResponse> Data, string? NextCursor, long Version);
