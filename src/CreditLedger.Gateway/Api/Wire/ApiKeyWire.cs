using System.Text.Json.Serialization;

namespace CreditLedger.Gateway.Api.Wire;

// The JSON of API keys.

/// <summary>The body of <c>POST /v1/api-keys</c>.</summary>
/// <param name="Name">Who uses the key (1-100 characters); recorded as the actor <c>key:&lt;name&gt;</c>.</param>
/// <param name="Scopes">One or more of <c>admin</c>, <c>credits:write</c>, <c>invoices:write</c>, <c>read</c>.</param>
public sealed record ApiKeyBody(string Name, IReadOnlyList<string> Scopes);

/// <summary>An API key; <see cref="Key"/>, the secret, only in the answer to its creation.</summary>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key);
