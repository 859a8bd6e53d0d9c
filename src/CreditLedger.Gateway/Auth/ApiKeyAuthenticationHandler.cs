using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using CreditLedger.Gateway.Api;
using CreditLedger.Storage.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the stored key hashes. Missing, unknown or
/// revoked keys get 401 <c>unauthenticated</c>; a key without the route's scope gets 403 <c>forbidden</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache keys,
    ApiKeyUsage usage) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    private const int MaxKeyLength = 200;

    // The key's claims, built once per record the key cache hands out (it keeps a record for a few seconds) rather than
    // once per request. Nothing in the gateway adds claims to an identity, so requests can share it.
    private static readonly ConditionalWeakTable<ApiKeyRecord, ClaimsIdentity> Identities = new();

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxKeyLength + 7)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var secret = header[7..].Trim();
        var key = secret.Length == 0 ? null : await keys.FindActiveAsync(secret, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        usage.Record(key.KeyId);
        var principal = new ClaimsPrincipal(Identities.GetValue(key, Identity));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static ClaimsIdentity Identity(ApiKeyRecord key)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key.Name),
            new(Scopes.KeyIdClaimType, key.KeyId),
        };
        claims.AddRange(key.Scopes.Select(scope => new Claim(Scopes.ClaimType, scope)));
        return new ClaimsIdentity(claims, SchemeName);
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, "unauthenticated", "Send a valid, unrevoked API key as 'Authorization: Bearer <key>'.");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, "forbidden", "The API key does not have the scope this request needs.");
}
