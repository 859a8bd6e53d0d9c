using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of webhook endpoints, their deliveries, and credit alerts.

/// <summary>The body of <c>POST /v1/webhook-endpoints</c>.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="Events">Event types to receive; empty or absent means all.</param>
/// <param name="Description">An operator's note, up to 500 characters.</param>
public sealed record WebhookEndpointBody(string Url, IReadOnlyList<string>? Events, string? Description);

/// <summary>A webhook endpoint; <see cref="Secret"/> only in the answer to its creation.</summary>
public sealed record WebhookEndpointResponse(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    string Description,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt,
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
