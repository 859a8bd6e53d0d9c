namespace CreditLedger.Storage.Ledger;

/// <summary>An event to deliver, written in the same transaction as the entry that caused it.</summary>
/// <param name="EventId">Stable id (<c>evt_...</c>): the same change always has the same id.</param>
/// <param name="Version">The version of the entry that caused it.</param>
/// <param name="EventType">The event type (<c>account.credits.granted</c>...).</param>
/// <param name="Payload">The JSON body delivered.</param>
/// <param name="OccurredAt">When the change took effect.</param>
public sealed record OutboxMessage(string EventId, long Version, string EventType, string Payload, DateTimeOffset OccurredAt);
