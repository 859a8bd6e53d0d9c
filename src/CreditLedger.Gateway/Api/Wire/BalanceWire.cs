using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of balances and the transaction history.

/// <summary>The balances of one credit type.</summary>
public sealed record BalanceItem(
    string CreditType,
    string Type,
    string Available,
    string Pending,
    string ExpiringSoon,
    int ExpiringWithinDays,
    string Granted,
    string Consumed,
    string Expired,
    string Voided);

/// <summary>A customer's balances.</summary>
public sealed record BalancesResponse(string CustomerId, DateTimeOffset AsOf, long Version, IReadOnlyList<BalanceItem> Balances);

/// <summary>One ledger entry in the history.</summary>
public sealed record TransactionItem(
    string EntryId,
    long Version,
    string Kind,
    string GrantId,
    string CreditType,
    string Amount,
    string AvailableAfter,
    string? InvoiceId,
    string? Reason,
    string Actor,
    string Source,
    DateTimeOffset OccurredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Consumed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScheduleId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Period = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RolloverOf = null);

/// <summary>A page of the history, newest first, with the customer's version.</summary>
public sealed record TransactionPage(IReadOnlyList<TransactionItem> Data, string? NextCursor, long Version);
