using Microsoft.AspNetCore.DataProtection;

namespace CreditLedger.Storage.Secrets;

/// <summary>
/// Encrypts secrets the engine must read back (webhook signing secrets) before they are stored, with the shared
/// data protection key ring; stored values are opaque and useless without the key ring certificate.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private const string PlaintextPrefix = "whsec_";
    private readonly IDataProtector _protector = provider.CreateProtector("CreditLedger.WebhookSecrets.v1");

    /// <summary>The stored form of <paramref name="secret"/>.</summary>
    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret a stored value holds; a value stored in clear before secrets were encrypted is returned as it is.</summary>
    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return IsPlaintext(stored) ? stored : _protector.Unprotect(stored);
    }

    /// <summary>Whether a stored value is a secret still in clear (stored before secrets were encrypted).</summary>
    public static bool IsPlaintext(string stored) => stored.StartsWith(PlaintextPrefix, StringComparison.Ordinal);
}
