using System.Collections.Concurrent;
using CreditLedger.Storage.Keys;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Records when keys were last used without a database write per request: at most one write per key per
/// minute, in the background, and a failed write is simply tried again next time.
/// </summary>
public sealed partial class ApiKeyUsage(ApiKeyStore keys, TimeProvider time, ILogger<ApiKeyUsage> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);

    /// <summary>Notes that <paramref name="keyId"/> authenticated a request.</summary>
    public void Record(string keyId)
    {
        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(keyId, out var last) && now - last < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _lastWritten[keyId] = now;
        _ = WriteAsync(keyId);
    }

    private async Task WriteAsync(string keyId)
    {
        try
        {
            await keys.TouchAsync(keyId);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            _lastWritten.TryRemove(keyId, out _);
            LogTouchFailed(logger, e, keyId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record the last use of API key {KeyId}")]
    private static partial void LogTouchFailed(ILogger logger, Exception exception, string keyId);
}
