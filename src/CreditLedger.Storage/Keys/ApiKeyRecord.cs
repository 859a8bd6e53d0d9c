namespace CreditLedger.Storage.Keys;

/// <summary>An API key as stored: never its secret, only the secret's hash.</summary>
/// <param name="KeyId">Public id (<c>key_...</c>).</param>
/// <param name="Name">Who or what uses it; recorded as the actor of its changes (<c>key:&lt;name&gt;</c>).</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="LastUsedAt">When it last authenticated a request (updated at most once a minute).</param>
public sealed record ApiKeyRecord(
    string KeyId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
