using System.Text.Json;
using CreditLedger.Gateway.Api.Wire;
using CreditLedger.Gateway.Auth;
using CreditLedger.Storage.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Api;

/// <summary><c>/v1/api-keys</c> (admin only): create a scoped key (its secret shown once), list keys without secrets, revoke.</summary>
public static class ApiKeyEndpoints
{
    private const string CursorKind = "keys";
    private const int MaxNameLength = 100;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder v1)
    {
        var keys = v1.MapGroup("/api-keys").WithTags("API keys").RequireScope(Scopes.Admin);

        keys.MapPost("/", CreateAsync)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("Scopes: admin (everything), credits:write (customers, grants, voids), invoices:write (apply, pay, void invoices), read (the GETs). The secret `key` is in this answer only; it is stored as a hash.")
            .Accepts<ApiKeyBody>("application/json")
            .Produces<ApiKeyResponse>(StatusCodes.Status201Created)
            .WithProblems(400, 413, 415);

        keys.MapGet("/", ListAsync)
            .WithName("ListApiKeys")
            .WithSummary("List API keys (never their secrets)")
            .Produces<PageResponse<ApiKeyResponse>>()
            .WithProblems(400);

        keys.MapDelete("/{keyId}", RevokeAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key at once")
            .Produces<ApiKeyResponse>()
            .WithProblems(400, 404);

        return v1;
    }

    private static async Task<Results<JsonHttpResult<ApiKeyResponse>, JsonHttpResult<Problem>>> CreateAsync(HttpRequest request, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var (document, problem) = await RequestBody.ReadAsync(request);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var fields = new RequestFields(document!.RootElement, "name", "scopes");
            var name = fields.Text("name", required: true, MaxNameLength);
            var scopes = new List<string>();
            if (fields.Array("scopes", Scopes.All.Count) is { } items)
            {
                foreach (var item in items)
                {
                    var scope = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    if (scope is null || !Scopes.All.Contains(scope) || scopes.Contains(scope))
                    {
                        fields.Error("scopes", $"Each scope once, from: {string.Join(", ", Scopes.All)}.");
                        break;
                    }

                    scopes.Add(scope);
                }
            }
            else if (!fields.Has("scopes"))
            {
                fields.Error("scopes", "Required.");
            }

            if (!fields.IsValid)
            {
                return fields.Problem();
            }

            var (key, secret) = await store.CreateAsync(name!, scopes, cancellationToken);
            return TypedResults.Json(Response(key, secret), GatewayJsonContext.Default.ApiKeyResponse, statusCode: StatusCodes.Status201Created);
        }
    }

    private static async Task<Results<JsonHttpResult<PageResponse<ApiKeyResponse>>, JsonHttpResult<Problem>>> ListAsync(HttpRequest request, ApiKeyStore store, CancellationToken cancellationToken)
    {
        if (!ApiRequest.TryLimit(request, out var limit, out var badLimit))
        {
            return badLimit!;
        }

        if (!Cursor.TryRead(request, CursorKind, out string? after, out var badCursor))
        {
            return badCursor!;
        }

        var page = await store.ListAsync(after, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(k => Response(k, null)).ToList();
        var next = page.Count > limit ? Cursor.Encode(CursorKind, items[^1].Id) : null;
        return TypedResults.Json(new PageResponse<ApiKeyResponse>(items, next), GatewayJsonContext.Default.PageResponseApiKeyResponse);
    }

    private static async Task<Results<JsonHttpResult<ApiKeyResponse>, JsonHttpResult<Problem>>> RevokeAsync(
        string keyId, ApiKeyStore store, ApiKeyCache cache, CancellationToken cancellationToken)
    {
        if (ApiRequest.CheckId("keyId", keyId) is { } badId)
        {
            return badId;
        }

        var key = await store.RevokeAsync(keyId, cancellationToken);
        cache.Forget(keyId);
        return key is null
            ? Problems.Create("api_key_not_found", $"No API key has the id {keyId}.")
            : TypedResults.Json(Response(key, null), GatewayJsonContext.Default.ApiKeyResponse);
    }

    private static ApiKeyResponse Response(ApiKeyRecord key, string? secret) =>
        new(key.KeyId, key.Name, key.Scopes, key.CreatedAt, key.RevokedAt, key.LastUsedAt, secret);
}
