namespace CreditLedger.Storage.Webhooks;

// The rows of the webhook tables, as the store reads them.

/// <summary>A webhook endpoint (its secret is never part of this record).</summary>
/// <param name="EndpointId">Public id (<c>we_...</c>).</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Description">The operator's note.</param>
/// <param name="Events">The event types it receives; empty means all.</param>
/// <param name="Status"><c>enabled</c> or <c>disabled</c> (after failing for the whole retry window).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="DisabledAt">When it was disabled.</param>
/// <param name="FailingSince">When its current run of failed attempts began; null after a success.</param>
public sealed record WebhookEndpointRecord(
    string EndpointId, string Url, string Description, IReadOnlyList<string> Events, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, DateTimeOffset? FailingSince);

/// <summary>A delivery claimed by a dispatcher: what to POST where, signed with which secret.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Url">Its URL.</param>
/// <param name="Secret">Its signing secret (<c>whsec_...</c>).</param>
/// <param name="EventId">The event id, sent as <c>webhook-id</c> on every attempt.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Payload">The JSON body.</param>
/// <param name="Attempts">Attempts made before this one.</param>
public sealed record DueDelivery(long DeliveryId, string EndpointId, string Url, string Secret, string EventId, string EventType, string Payload, int Attempts);

/// <summary>One delivery of an event to an endpoint, with its attempts.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="EventId">The event.</param>
/// <param name="EventType">Its type.</param>
/// <param name="Status"><c>pending</c>, <c>succeeded</c> or <c>failed</c> (retries exhausted).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="CreatedAt">When the event was queued for the endpoint.</param>
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

/// <summary>The outcome of one attempt, as the dispatcher reports it.</summary>
/// <param name="Delivery">The delivery attempted.</param>
/// <param name="AttemptedAt">When it started.</param>
/// <param name="StatusCode">The endpoint's HTTP status, if it answered.</param>
/// <param name="Error">Why it failed; null on success.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="RetryAfter">When failed: the wait before the next attempt, or null to give up.</param>
public sealed record AttemptOutcome(DueDelivery Delivery, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, TimeSpan Duration, TimeSpan? RetryAfter)
{
    /// <summary>Whether the endpoint accepted the event.</summary>
    public bool Succeeded => Error is null;
}
