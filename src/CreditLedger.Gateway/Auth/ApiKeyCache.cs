using System.Collections.Concurrent;
using CreditLedger.Storage.Keys;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Remembers valid API keys for a short while (<c>CreditLedger:Auth:KeyCacheSeconds</c>, default 2 s), so that
/// a busy client does not cost a database lookup per request. Revoking a key removes it here at once; another
/// gateway process notices within the cache time. Unknown secrets are never cached.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore keys, TimeProvider time, IConfiguration configuration)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Active, DateTimeOffset Until)> _byId = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(configuration.GetValue("CreditLedger:Auth:KeyCacheSeconds", 2.0));

    /// <summary>The active key whose secret is <paramref name="secret"/>, if there is one.</summary>
    public async Task<ApiKeyRecord?> FindActiveAsync(string secret, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(secret, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var key = await keys.FindActiveAsync(secret, cancellationToken);
        if (key is null || _lifetime <= TimeSpan.Zero)
        {
            _entries.TryRemove(secret, out _);
            return key;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[secret] = (key, now + _lifetime);
        return key;
    }

    /// <summary>
    /// Whether the key with id <paramref name="keyId"/> exists and is not revoked (for sessions that carry a key's id,
    /// not its secret); remembered as long as a key is, so a revocation on another gateway ends them within that time.
    /// </summary>
    public async Task<bool> IsActiveAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_byId.TryGetValue(keyId, out var cached) && cached.Until > now)
        {
            return cached.Active;
        }

        var active = await keys.FindActiveByIdAsync(keyId, cancellationToken) is not null;
        if (_lifetime > TimeSpan.Zero)
        {
            if (_byId.Count >= MaxEntries)
            {
                _byId.Clear();
            }

            _byId[keyId] = (active, now + _lifetime);
        }

        return active;
    }

    /// <summary>Forgets a key at once (it was revoked).</summary>
    public void Forget(string keyId)
    {
        _byId.TryRemove(keyId, out _);
        foreach (var entry in _entries.Where(e => e.Value.Key.KeyId == keyId))
        {
            _entries.TryRemove(entry.Key, out _);
        }
    }
}
