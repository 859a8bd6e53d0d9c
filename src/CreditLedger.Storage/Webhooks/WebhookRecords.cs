using CreditLedger.Domain;

namespace CreditLedger.Storage.Webhooks;

// The rows of the webhook tables and the event feed, as the store reads them.

/// <summary>An endpoint's status: <c>healthy</c>, <c>failing</c> (no first attempts, probed) or <c>disabled</c>.</summary>
public static class EndpointStatus
{
    /// <summary>Takes first attempts of new events as they are committed.</summary>
    public const string Healthy = "healthy";

    /// <summary>Failed <c>FailingAfterAttempts</c> times in a row: no first attempts; its oldest undelivered event is probed on the retry schedule.</summary>
    public const string Failing = "failing";

    /// <summary>Failed for the whole retry schedule, or disabled: nothing is attempted until it is enabled.</summary>
    public const string Disabled = "disabled";
}

/// <summary>A webhook endpoint as operators see it (its secrets are never part of this record).</summary>
/// <param name="EndpointId">Public id (<c>we_...</c>).</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Description">The operator's note.</param>
/// <param name="Events">The event types it receives; empty means all.</param>
/// <param name="Status">See <see cref="EndpointStatus"/>.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="DisabledAt">When it was disabled, while it is.</param>
/// <param name="FailingSince">When its current run of failed attempts began, while it is failing or disabled.</param>
/// <param name="LastDeliveredEventId">The event it accepted last.</param>
/// <param name="LastDeliveredAt">When it accepted it.</param>
/// <param name="EventsDelivered">How many events it has accepted.</param>
/// <param name="PreviousSecretExpiresAt">Until when deliveries are also signed with the secret before the last rotation; null once that has passed.</param>
public sealed record WebhookEndpointRecord(
    string EndpointId,
    string Url,
    string Description,
    IReadOnlyList<string> Events,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    string? LastDeliveredEventId,
    DateTimeOffset? LastDeliveredAt,
    long EventsDelivered,
    DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A position in the ledger's commit order: after every entry up to (transaction, customer, version).</summary>
/// <param name="TxId">The entry's transaction id (xid8, as text).</param>
/// <param name="CustomerId">The entry's customer; empty for "before every entry of the transaction".</param>
/// <param name="Seq">The entry's version.</param>
public sealed record FeedPosition(string TxId, string CustomerId, long Seq);

/// <summary>What a delivery worker needs of its endpoint: where, what, signed how, and from where in the ledger.</summary>
/// <param name="Endpoint">The endpoint as operators see it.</param>
/// <param name="Secret">The signing secret.</param>
/// <param name="PreviousSecret">The secret before the last rotation, while it still signs.</param>
/// <param name="Checkpoint">Every event up to here was delivered or has a delivery row.</param>
/// <param name="DeliverFrom">Events recorded before this are skipped (a replay's start), if set.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
public sealed record EndpointState(
    WebhookEndpointRecord Endpoint,
    string Secret,
    string? PreviousSecret,
    FeedPosition Checkpoint,
    DateTimeOffset? DeliverFrom,
    int ConsecutiveFailures);

/// <summary>A ledger entry read by the webhook feed, with what its events' bodies need.</summary>
/// <param name="Position">Its place in commit order.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Entry">The entry, with the events it carries (none for entries older than the event columns).</param>
/// <param name="Terms">The terms of the entry's grant, for granted, voided and expired entries.</param>
/// <param name="RecordedAt">When it was recorded (the events' <c>createdAt</c>).</param>
public sealed record FeedEntry(FeedPosition Position, CustomerId CustomerId, LedgerEntry Entry, GrantTerms? Terms, DateTimeOffset RecordedAt);

/// <summary>A delivery that needs a retry: the event's body is kept with it.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="EventId">The event id, sent as <c>webhook-id</c> on every attempt.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Payload">The JSON body.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due.</param>
public sealed record DueDelivery(long DeliveryId, string EventId, string EventType, string Payload, int Attempts, DateTimeOffset NextAttemptAt);

/// <summary>One delivery of an event to an endpoint that needed more than one attempt, with its attempts.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="EventId">The event.</param>
/// <param name="EventType">Its type.</param>
/// <param name="Status"><c>pending</c>, <c>succeeded</c> or <c>failed</c> (retries exhausted).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="CreatedAt">When its first attempt failed.</param>
/// <param name="AttemptLog">Every attempt, in order.</param>
public sealed record DeliveryRecord(
    long DeliveryId, string EventId, string EventType, string Status, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, IReadOnlyList<AttemptRecord> AttemptLog);

/// <summary>One attempt of a delivery.</summary>
/// <param name="Attempt">1 for the first.</param>
/// <param name="AttemptedAt">When it started.</param>
/// <param name="StatusCode">The HTTP status the endpoint answered, if it answered.</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="NextRetryAt">When the next attempt was scheduled after this one, if any.</param>
public sealed record AttemptRecord(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs, DateTimeOffset? NextRetryAt);

/// <summary>The outcome of one attempt.</summary>
/// <param name="AttemptedAt">When it started.</param>
/// <param name="StatusCode">The endpoint's HTTP status, if it answered.</param>
/// <param name="Error">Why it failed; null on success.</param>
/// <param name="Duration">How long it took.</param>
public sealed record AttemptOutcome(DateTimeOffset AttemptedAt, int? StatusCode, string? Error, TimeSpan Duration)
{
    /// <summary>Whether the endpoint accepted the event.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>An endpoint's progress since the worker last saved it.</summary>
/// <param name="Checkpoint">The new checkpoint.</param>
/// <param name="Delivered">Events accepted since the last save.</param>
/// <param name="LastDeliveredEventId">The event accepted last, if any since the last save.</param>
/// <param name="LastDeliveredAt">When.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
public sealed record EndpointProgress(FeedPosition Checkpoint, long Delivered, string? LastDeliveredEventId, DateTimeOffset? LastDeliveredAt, int ConsecutiveFailures);
