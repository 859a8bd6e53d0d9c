using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of webhook endpoints, their deliveries, and credit alerts.

/// <summary>The body of <c>POST /v1/webhook-endpoints</c>.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="Events">Event types to receive; empty or absent means all.</param>
/// <param name="Description">An operator's note, up to 500 characters.</param>
public sealed record WebhookEndpointBody(string Url, IReadOnlyList<string>? Events, string? Description);

/// <summary>The body of <c>POST /v1/webhook-endpoints/{id}/enable</c> (optional).</summary>
/// <param name="From">Replay the events recorded from this instant on (never before the endpoint's creation).</param>
public sealed record EnableWebhookEndpointBody(DateTimeOffset? From);

/// <summary>A webhook endpoint; <see cref="Secret"/> only in the answer to its creation or a secret rotation.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Events">The event types it receives; empty means all.</param>
/// <param name="Description">The operator's note.</param>
/// <param name="Status"><c>healthy</c>, <c>failing</c> or <c>disabled</c>.</param>
/// <param name="CreatedAt">When it was created: it receives the events committed from then on.</param>
/// <param name="DisabledAt">When it was disabled, while it is.</param>
/// <param name="FailingSince">When its current run of failed attempts began, while it is failing or disabled.</param>
/// <param name="LastDeliveredEventId">The event it accepted last.</param>
/// <param name="LastDeliveredAt">When it accepted it.</param>
/// <param name="EventsDelivered">How many events it has accepted.</param>
/// <param name="PreviousSecretExpiresAt">After a rotation: until when deliveries are also signed with the previous secret.</param>
/// <param name="Secret">The signing secret, only when it is new.</param>
public sealed record WebhookEndpointResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    string Description,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince,
    string? LastDeliveredEventId,
    DateTimeOffset? LastDeliveredAt,
    long EventsDelivered,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PreviousSecretExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

/// <summary>One delivery of an event to an endpoint.</summary>
public sealed record DeliveryResponse(
    long Id, string EventId, string EventType, string Status, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, IReadOnlyList<AttemptResponse> AttemptLog);

/// <summary>One attempt of a delivery.</summary>
public sealed record AttemptResponse(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs, DateTimeOffset? NextRetryAt);

/// <summary>The body of <c>PUT /v1/customers/{customerId}/credit-alerts/{creditType}</c>.</summary>
/// <param name="Threshold">Decimal string, zero or more, in the credit type's precision.</param>
public sealed record CreditAlertBody(string Threshold);

/// <summary>A low-balance threshold.</summary>
public sealed record CreditAlertResponse(string CustomerId, string CreditType, string Threshold, long Version);
