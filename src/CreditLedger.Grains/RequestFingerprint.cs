using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CreditLedger.Grains;

/// <summary>
/// The identity of a request for idempotency: SHA-256 over its fields in canonical form, so that the same
/// request written differently (<c>"50"</c> and <c>"50.00"</c>) is the same request.
/// </summary>
internal static class RequestFingerprint
{
    public static byte[] Of(string operation, params object?[] fields)
    {
        var canonical = new string?[fields.Length + 1];
        canonical[0] = operation;
        for (var i = 0; i < fields.Length; i++)
        {
            canonical[i + 1] = fields[i] switch
            {
                null => null,
                decimal amount => amount.ToString("G29", CultureInfo.InvariantCulture),
                DateTimeOffset instant => instant.UtcTicks.ToString(CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            };
        }

        // A JSON array keeps field boundaries unambiguous whatever the fields contain.
        return SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical, GrainJsonContext.Default.StringArray)));
    }
}
