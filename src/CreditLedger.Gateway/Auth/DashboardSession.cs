using System.Security.Claims;
using CreditLedger.Gateway.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Admin access to the Orleans dashboard at <see cref="Path"/>. API clients send an admin key as a Bearer token; a
/// browser cannot add that header to the dashboard's page loads, so the operator dashboard's sign-in, given an
/// admin key, calls <c>POST /v1/dashboard/session</c>, which sets a session cookie: HttpOnly (scripts cannot read
/// it), SameSite=Strict (other sites cannot make the browser send it) and Path=/dashboard (no other route accepts
/// it). The cookie holds the key's id and scopes, signed and encrypted with the deployment's shared data protection
/// key ring (so any gateway accepts it), and lasts <see cref="Lifetime"/> or until its key is revoked (checked on
/// every request through the key cache); <c>DELETE /v1/dashboard/session</c> ends it.
/// </summary>
public static class DashboardSession
{
    /// <summary>Where the Orleans dashboard is served, and the cookie's path.</summary>
    public const string Path = "/dashboard";

    /// <summary>The cookie authentication scheme.</summary>
    public const string CookieScheme = "DashboardCookie";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "creditledger_dashboard";

    /// <summary>The authorization policy of the dashboard's routes: an admin key, or the cookie.</summary>
    public const string PolicyName = "dashboard";

    /// <summary>How long a dashboard session lasts: 8 hours, not extended by use.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Adds the cookie scheme and the dashboard policy.</summary>
    public static IServiceCollection AddDashboardSession(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = Path;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = Lifetime;
            options.SlidingExpiration = false;
            // The API-key scheme answers challenges and refusals with problem details; the cookie scheme must not
            // also redirect to a login page.
            options.Events.OnRedirectToLogin = _ => Task.CompletedTask;
            options.Events.OnRedirectToAccessDenied = _ => Task.CompletedTask;
            // A session lasts only as long as its key: each request checks the key (through the key cache), so that
            // revoking it ends its sessions on every gateway within CreditLedger:Auth:KeyCacheSeconds.
            options.Events.OnValidatePrincipal = async context =>
            {
                var keyId = context.Principal?.FindFirst(Scopes.KeyIdClaimType)?.Value;
                var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyCache>();
                if (keyId is null || !await keys.IsActiveAsync(keyId, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieScheme);
                }
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(Scopes.ClaimType, Scopes.Admin));
        return services;
    }

    /// <summary>Maps <c>POST</c> and <c>DELETE /v1/dashboard/session</c> (admin only).</summary>
    public static RouteGroupBuilder MapDashboardSessionEndpoints(this RouteGroupBuilder v1)
    {
        var session = v1.MapGroup("/dashboard/session").WithTags("Operations").RequireScope(Scopes.Admin);
        session.MapPost("/", (Func<HttpContext, Task<NoContent>>)SignInAsync)
            .WithName("StartDashboardSession")
            .WithSummary("Start an Orleans dashboard session in this browser")
            .WithDescription($"Sets an HttpOnly, SameSite=Strict session cookie with Path={Path}, valid for {Lifetime.TotalHours:0} hours, so that a browser can open the Orleans dashboard at {Path}. Admin keys only.")
            .Produces(StatusCodes.Status204NoContent)
            .WithProblems();
        session.MapDelete("/", (Func<HttpContext, Task<NoContent>>)SignOutAsync)
            .WithName("EndDashboardSession")
            .WithSummary("End this browser's Orleans dashboard session")
            .Produces(StatusCodes.Status204NoContent)
            .WithProblems();
        return v1;
    }

    private static async Task<NoContent> SignInAsync(HttpContext http)
    {
        // Only the key's id, name and scopes go into the cookie, never the key itself.
        var claims = http.User.Claims
            .Where(claim => claim.Type is ClaimTypes.Name or Scopes.KeyIdClaimType or Scopes.ClaimType)
            .Select(claim => new Claim(claim.Type, claim.Value));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme));
        await http.SignInAsync(CookieScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieScheme);
        return TypedResults.NoContent();
    }
}
