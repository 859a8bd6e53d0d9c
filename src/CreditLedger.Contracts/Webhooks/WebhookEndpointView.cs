namespace CreditLedger.Contracts.Webhooks;

/// <summary>A webhook endpoint as an endpoint's grain answers it: what operators see, and its secret only when just made.</summary>
/// <param name="EndpointId">The endpoint's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Description">The operator's note.</param>
/// <param name="Events">The event types subscribed to (empty: all).</param>
/// <param name="Status"><c>healthy</c>, <c>failing</c> or <c>disabled</c>.</param>
/// <param name="CreatedAt">When it was created; it receives events recorded from then on.</param>
/// <param name="DisabledAt">When it was disabled, if it is.</param>
/// <param name="FailingSince">When its failures in a row began, if it is failing or disabled.</param>
/// <param name="LastDeliveredEventId">The last event it accepted.</param>
/// <param name="LastDeliveredAt">When it accepted that event.</param>
/// <param name="EventsDelivered">Events it has accepted.</param>
/// <param name="PreviousSecretExpiresAt">Until when deliveries also carry the signature of the secret before the last rotation.</param>
/// <param name="Secret">The signing secret: only in the answer that created it (creation, rotation).</param>
[GenerateSerializer]
[Immutable]
[Alias("CreditLedger.WebhookEndpointView")]
public sealed record WebhookEndpointView(
    [property: Id(0)] string EndpointId,
    [property: Id(1)] string Url,
    [property: Id(2)] string Description,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? DisabledAt,
    [property: Id(7)] DateTimeOffset? FailingSince,
    [property: Id(8)] string? LastDeliveredEventId,
    [property: Id(9)] DateTimeOffset? LastDeliveredAt,
    [property: Id(10)] long EventsDelivered,
    [property: Id(11)] DateTimeOffset? PreviousSecretExpiresAt,
    [property: Id(12)] string? Secret);
