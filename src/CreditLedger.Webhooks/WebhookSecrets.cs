using System.Security.Cryptography;

namespace CreditLedger.Webhooks;

/// <summary>Signing secrets in the Standard Webhooks form: <c>whsec_</c> and 32 random bytes in base64.</summary>
public static class WebhookSecrets
{
    /// <summary>A new secret.</summary>
    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new endpoint id: <c>we_</c> and 20 random base-32 characters.</summary>
    public static string NewEndpointId() => "we_" + RandomNumberGenerator.GetString("0123456789abcdefghjkmnpqrstvwxyz", 20);
}
