using CreditLedger.Contracts.Webhooks;
using CreditLedger.Storage.Webhooks;

namespace CreditLedger.Webhooks;

/// <summary>Webhook endpoints as stored, turned into what the API shows.</summary>
public static class WebhookEndpointViews
{
    /// <summary>The endpoint as the API shows it; <paramref name="secret"/> only in the answer that made it.</summary>
    public static WebhookEndpointView From(WebhookEndpointRecord endpoint, string? secret)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(
            endpoint.EndpointId,
            endpoint.Url,
            endpoint.Description,
            endpoint.Events,
            endpoint.Status,
            endpoint.CreatedAt,
            endpoint.Status == EndpointStatus.Disabled ? endpoint.DisabledAt : null,
            endpoint.Status == EndpointStatus.Healthy ? null : endpoint.FailingSince,
            endpoint.LastDeliveredEventId,
            endpoint.LastDeliveredAt,
            endpoint.EventsDelivered,
            endpoint.PreviousSecretExpiresAt,
            secret);
    }
}
