using System.Collections.Concurrent;
using CreditLedger.Storage.Keys;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Remembers valid API keys for a short while (<c>CreditLedger:Auth:KeyCacheSeconds</c>, default 2 s), so that
/// a busy client does not cost a database lookup per request. Revoking a key removes it here at once; another
/// gateway process notices within the cache time. Unknown keys are never cached.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore keys, TimeProvider time, IConfiguration configuration)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
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

    /// <summary>Forgets a key at once (it was revoked).</summary>
    public void Forget(string keyId)
    {
        foreach (var entry in _entries.Where(e => e.Value.Key.KeyId == keyId))
        {
            _entries.TryRemove(entry.Key, out _);
        }
    }
}
