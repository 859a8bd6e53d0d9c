namespace CreditLedger.Contracts.Customers;

/// <summary>How a customer grain's activation loaded its state.</summary>
/// <param name="SnapshotVersion">The version of the snapshot it started from (0: none, or not trusted).</param>
/// <param name="EntriesReplayed">How many ledger entries it read and folded after the snapshot.</param>
/// <param name="Version">The customer's version now.</param>
/// <param name="GrantsHeld">How many grants memory holds now (ended ones are not held: they are read from the ledger).</param>
/// <param name="NextDueAt">When something next falls due (an expiry or a schedule period start), if anything will: the reminder follows it.</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.ActivationInfo")]
public sealed record ActivationInfo(
    [property: Id(0)] long SnapshotVersion,
    [property: Id(1)] long EntriesReplayed,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset? NextDueAt,
    [property: Id(4)] int GrantsHeld = 0);
