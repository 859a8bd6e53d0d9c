using System.Text.Json;
using CreditLedger.Contracts.Webhooks;
using CreditLedger.Domain;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// <c>/v1/webhook-endpoints</c> (admin only): subscribe a URL to events, list, read, delete, enable (with an optional
/// replay), rotate its signing secret, and see the deliveries that needed a retry. Every change goes through the
/// endpoint's grain, which stops its delivery worker, makes the change and starts a new one; reads go to the store.
/// </summary>
public static class WebhookEndpointEndpoints
{
    private const string CursorKind = "webhooks";
    private const string DeliveriesCursorKind = "deliveries";
    private const int MaxDescriptionLength = 500;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapWebhookEndpointEndpoints(this RouteGroupBuilder v1)
    {
        var endpoints = v1.MapGroup("/webhook-endpoints").WithTags("Webhooks").RequireScope(Scopes.Admin);

        endpoints.MapPost("/", CreateAsync)
            .WithName("CreateWebhookEndpoint")
            .WithSummary("Subscribe a URL to credit events")
            .WithDescription("Events are POSTed signed per Standard Webhooks with the `secret` returned here only. Empty or absent `events` subscribes to all. Loopback and private targets are refused unless CreditLedger:Webhooks:AllowPrivateTargets is on.")
            .Accepts<WebhookEndpointBody>("application/json")
            .Produces<WebhookEndpointResponse>(StatusCodes.Status201Created)
            .WithProblems(400, 413, 415);

        endpoints.MapGet("/", ListAsync)
            .WithName("ListWebhookEndpoints")
            .WithSummary("List webhook endpoints (never their secrets)")
            .Produces<PageResponse<WebhookEndpointResponse>>()
            .WithProblems(400);

        endpoints.MapGet("/{endpointId}", GetAsync)
            .WithName("GetWebhookEndpoint")
            .WithSummary("Get a webhook endpoint")
            .Produces<WebhookEndpointResponse>()
            .WithProblems(400, 404);

        endpoints.MapDelete("/{endpointId}", DeleteAsync)
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete a webhook endpoint and its delivery log")
            .Produces<WebhookEndpointResponse>()
            .WithProblems(400, 404);

        endpoints.MapPost("/{endpointId}/enable", EnableAsync)
            .WithName("EnableWebhookEndpoint")
            .WithSummary("Make an endpoint healthy again, optionally replaying from an instant")
            .WithDescription("Without a body it resumes where it stopped, its pending retries due at once. With `from` (RFC 3339) it replays the events recorded from that instant on, never from before its creation.")
            .Accepts<EnableWebhookEndpointBody>("application/json")
            .Produces<WebhookEndpointResponse>()
            .WithProblems(400, 404, 413, 415);

        endpoints.MapPost("/{endpointId}/rotate-secret", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("Give an endpoint a new signing secret")
            .WithDescription("The new `secret` is shown only in this answer. For 24 hours deliveries carry a signature by the old secret beside the new one.")
            .Produces<WebhookEndpointResponse>()
            .WithProblems(400, 404);

        endpoints.MapGet("/{endpointId}/deliveries", DeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries that needed a retry, newest first, with every attempt")
            .WithDescription("A delivery that succeeded at its first attempt is counted in the endpoint's progress, not listed. Each attempt has its status code or error, duration, and the next retry.")
            .Produces<PageResponse<DeliveryResponse>>()
            .WithProblems(400, 404);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<WebhookEndpointResponse>, JsonHttpResult<Problem>>> CreateAsync(
        HttpRequest request, IGrainFactory grains, IOptions<WebhookOptions> options)
    {
        var (document, problem) = await RequestBody.ReadAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var fields = new RequestFields(document!.RootElement, "url", "events", "description");
            var url = fields.Text("url", required: true, WebhookTargets.MaxUrlLength);
            Uri? target = null;
            if (url is not null && !WebhookTargets.TryValidate(url, options.Value.AllowPrivateTargets, out target, out var error))
            {
                fields.Error("url", error);
            }

            var events = new List<string>();
            if (fields.Has("events"))
            {
                var items = document.RootElement.GetProperty("events");
                if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() > CreditEventType.All.Count)
                {
                    fields.Error("events", "Must be an array of event types.");
                }
                else
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        var type = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                        if (type is null || !CreditEventType.All.Contains(type) || events.Contains(type))
                        {
                            fields.Error("events", $"Each event type once, from: {string.Join(", ", CreditEventType.All)}.");
                            break;
                        }

                        events.Add(type);
                    }
                }
            }

            // A description may be empty (the API's own example sends ""), so it is read here rather than as Text.
            var note = string.Empty;
            if (fields.Has("description"))
            {
                var description = document.RootElement.GetProperty("description");
                if (description.ValueKind != JsonValueKind.String || description.GetString()!.Length > MaxDescriptionLength
                    || description.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    fields.Error("description", $"Must be a string of at most {MaxDescriptionLength} characters, without the NUL character.");
                }
                else
                {
                    note = description.GetString()!;
                }
            }

            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            // The endpoint's grain creates it and starts its delivery at once.
            var endpoint = await grains.GetGrain<IWebhookEndpointGrain>(WebhookSecrets.NewEndpointId()).CreateAsync(target!.ToString(), note, events);
            return TypedResults.Json(Response(endpoint), GatewayJsonContext.Default.WebhookEndpointResponse, statusCode: StatusCodes.Status201Created);
        }
    }

    private static async Task<Results<JsonHttpResult<PageResponse<WebhookEndpointResponse>>, JsonHttpResult<Problem>>> ListAsync(
        HttpRequest request, WebhookStore store, CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryLimit(request, out var limit, out var badLimit))
        {
            return badLimit!;
        }

        if (!Cursor.TryRead(request, CursorKind, out string? after, out var badCursor))
        {
            return badCursor!;
        }

        var page = await store.ListEndpointsAsync(after, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(e => Response(WebhookEndpointViews.From(e, secret: null))).ToList();
        var next = page.Count > limit ? Cursor.Encode(CursorKind, items[^1].Id) : null;
        return TypedResults.Json(new PageResponse<WebhookEndpointResponse>(items, next), GatewayJsonContext.Default.PageResponseWebhookEndpointResponse);
    }

    private static async Task<Results<JsonHttpResult<WebhookEndpointResponse>, JsonHttpResult<Problem>>> GetAsync(
        string endpointId, WebhookStore store, CancellationToken cancellationToken)
    {
        if (ApiRequest.CheckId("endpointId", endpointId) is { } badId)
        {
            return badId;
        }

        var endpoint = await store.FindEndpointAsync(endpointId, cancellationToken);
        return endpoint is null
            ? NotFound(endpointId)
            : TypedResults.Json(Response(WebhookEndpointViews.From(endpoint, secret: null)), GatewayJsonContext.Default.WebhookEndpointResponse);
    }

    private static async Task<Results<JsonHttpResult<WebhookEndpointResponse>, JsonHttpResult<Problem>>> DeleteAsync(
        string endpointId, IGrainFactory grains)
    {
        if (ApiRequest.CheckId("endpointId", endpointId) is { } badId)
        {
            return badId;
        }

        return await grains.GetGrain<IWebhookEndpointGrain>(endpointId).DeleteAsync() is { } endpoint
            ? TypedResults.Json(Response(endpoint), GatewayJsonContext.Default.WebhookEndpointResponse)
            : NotFound(endpointId);
    }

    private static async Task<Results<JsonHttpResult<WebhookEndpointResponse>, JsonHttpResult<Problem>>> EnableAsync(
        string endpointId, HttpRequest request, WebhookStore store, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (ApiRequest.CheckId("endpointId", endpointId) is { } badId)
        {
            return badId;
        }

        var (document, problem) = await RequestBody.ReadAsync(request, required: false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var fields = new RequestFields(document!.RootElement, "from");
            var from = fields.Timestamp("from");
            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            if (await store.FindEndpointAsync(endpointId, cancellationToken) is null
                || !await grains.GetGrain<IWebhookEndpointGrain>(endpointId).EnableAsync(from))
            {
                return NotFound(endpointId);
            }

            var endpoint = await store.FindEndpointAsync(endpointId, cancellationToken);
            return endpoint is null
                ? NotFound(endpointId)
                : TypedResults.Json(Response(WebhookEndpointViews.From(endpoint, secret: null)), GatewayJsonContext.Default.WebhookEndpointResponse);
        }
    }

    private static async Task<Results<JsonHttpResult<WebhookEndpointResponse>, JsonHttpResult<Problem>>> RotateSecretAsync(
        string endpointId, IGrainFactory grains)
    {
        if (ApiRequest.CheckId("endpointId", endpointId) is { } badId)
        {
            return badId;
        }

        return await grains.GetGrain<IWebhookEndpointGrain>(endpointId).RotateSecretAsync(WebhookOptions.PreviousSecretLifetime) is { } endpoint
            ? TypedResults.Json(Response(endpoint), GatewayJsonContext.Default.WebhookEndpointResponse)
            : NotFound(endpointId);
    }

    private static async Task<Results<JsonHttpResult<PageResponse<DeliveryResponse>>, JsonHttpResult<Problem>>> DeliveriesAsync(
        string endpointId, HttpRequest request, WebhookStore store, CancellationToken cancellationToken)
    {
        if (ApiRequest.CheckId("endpointId", endpointId) is { } badId)
        {
            return badId;
        }

        if (!ApiRequest.TryLimit(request, out var limit, out var badLimit))
        {
            return badLimit!;
        }

        if (!Cursor.TryRead(request, DeliveriesCursorKind, out long? before, out var badCursor))
        {
            return badCursor!;
        }

        if (await store.FindEndpointAsync(endpointId, cancellationToken) is null)
        {
            return NotFound(endpointId);
        }

        var page = await store.ListDeliveriesAsync(endpointId, before, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(d => new DeliveryResponse(
            d.DeliveryId,
            d.EventId,
            d.EventType,
            d.Status,
            d.Attempts,
            d.NextAttemptAt,
            d.CreatedAt,
            d.AttemptLog.Select(a => new AttemptResponse(a.Attempt, a.AttemptedAt, a.StatusCode, a.Error, a.DurationMs, a.NextRetryAt)).ToList())).ToList();
        var next = page.Count > limit ? Cursor.Encode(DeliveriesCursorKind, items[^1].Id) : null;
        return TypedResults.Json(new PageResponse<DeliveryResponse>(items, next), GatewayJsonContext.Default.PageResponseDeliveryResponse);
    }

    private static JsonHttpResult<Problem> NotFound(string endpointId) =>
        Problems.Create("webhook_endpoint_not_found", $"No webhook endpoint has the id {endpointId}.");

    private static WebhookEndpointResponse Response(WebhookEndpointView endpoint) => new(
        endpoint.EndpointId,
        endpoint.Url,
        endpoint.Events,
        endpoint.Description,
        endpoint.Status,
        endpoint.CreatedAt,
        endpoint.DisabledAt,
        endpoint.FailingSince,
        endpoint.LastDeliveredEventId,
        endpoint.LastDeliveredAt,
        endpoint.EventsDelivered,
        endpoint.PreviousSecretExpiresAt,
        endpoint.Secret);
}
