using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CreditLedger.Webhooks;

/// <summary>
/// Which URLs webhooks may target: absolute <c>http</c> or <c>https</c> URLs without credentials, and unless
/// private targets are allowed, not loopback, private (RFC 1918, unique-local), link-local, unspecified or
/// <c>localhost</c> addresses. Names are checked again at delivery against the addresses they resolve to.
/// </summary>
public static class WebhookTargets
{
    /// <summary>The longest URL: 2,048 characters.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Checks a URL an operator gives for an endpoint.</summary>
    public static bool TryValidate(string? text, bool allowPrivate, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxUrlLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            error = "Must be an absolute http or https URL of at most 2048 characters.";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            error = "Must not contain credentials; authenticate deliveries with the signing secret.";
            return false;
        }

        if (!allowPrivate && (parsed.IsLoopback || IsLocalName(parsed.DnsSafeHost)
            || (IPAddress.TryParse(parsed.DnsSafeHost, out var address) && IsPrivate(address))))
        {
            error = "Loopback and private network targets are refused (CreditLedger:Webhooks:AllowPrivateTargets turns them on).";
            return false;
        }

        url = parsed;
        error = null;
        return true;
    }

    /// <summary>Whether an address is loopback, private, link-local, unique-local or unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] == 0;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }

    private static bool IsLocalName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
