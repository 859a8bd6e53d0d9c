namespace CreditLedger.Contracts.Customers;

/// <summary>A page of a customer's ledger entries, newest first.</summary>
/// <param name="Status">Ok, or CustomerNotFound.</param>
/// <param name="Version">The customer's current version.</param>
/// <param name="Entries">The page.</param>
/// <param name="NextBeforeVersion">The cursor of the next page, or null on the last page.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.HistoryResult")]
public sealed record HistoryResult(
    [property: Id(0)] CommandStatus Status,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<EntryView> Entries,
    [property: Id(3)] long? NextBeforeVersion);
