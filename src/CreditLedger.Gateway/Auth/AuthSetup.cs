using Microsoft.AspNetCore.Authentication;

namespace CreditLedger.Gateway.Auth;

/// <summary>API-key authentication and one authorization policy per scope (admin satisfies every policy).</summary>
public static class AuthSetup
{
    /// <summary>Adds the API-key scheme, the scope policies, and the bootstrap key service.</summary>
    public static IServiceCollection AddCreditLedgerAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<ApiKeyCache>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var scope in Scopes.All)
            {
                options.AddPolicy(PolicyName(scope), policy => policy
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => context.User.HasClaim(Scopes.ClaimType, scope) || context.User.HasClaim(Scopes.ClaimType, Scopes.Admin)));
            }
        });
        services.AddHostedService<BootstrapKey>();
        return services;
    }

    /// <summary>Requires an API key with <paramref name="scope"/> (or admin).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName(scope));

    private static string PolicyName(string scope) => "scope:" + scope;
}
