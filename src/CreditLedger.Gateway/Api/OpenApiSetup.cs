using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (bearer API-key security, every route with its summary,
/// body, answers and problem codes) and the API reference UI at <c>/docs</c>; neither needs a key.
/// </summary>
public static class OpenApiSetup
{
    /// <summary>The route of the OpenAPI document.</summary>
    public const string DocumentRoute = "/openapi/{documentName}.json";

    private const string SchemeName = "bearer";

    /// <summary>Adds the document generator.</summary>
    public static IServiceCollection AddCreditLedgerOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            // The API only: the Orleans dashboard, static files and health (docs/operations.md) are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                // The server is the address the document was fetched from; paths start with a slash of their own.
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
                {
                    tag.Description = TagDescriptions.GetValueOrDefault(tag.Name ?? string.Empty);
                }

                document.Info = new OpenApiInfo
                {
                    Title = "CreditLedger API",
                    Version = "v1",
                    Description = Description,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key: `Authorization: Bearer <key>`. Scopes: admin, credits:write, invoices:write, read.",
                };
                return Task.CompletedTask;
            });

            options.AddOperationTransformer((operation, context, _) =>
            {
                var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
                if (policies.Count > 0)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
                    operation.Description = $"{operation.Description} Requires an API key with scope `{string.Join("` or `", policies.Select(p => p["scope:".Length..]))}` (or `admin`).".Trim();
                }

                if (operation.Responses is { } responses)
                {
                    foreach (var (status, response) in responses)
                    {
                        if (int.TryParse(status, out var code) && code >= 400)
                        {
                            var codes = Problems.Catalog.Where(p => p.Value.Status == code).Select(p => p.Key);
                            response.Description = $"Problem details; `code` is one of: {string.Join(", ", codes)}.";
                        }
                    }
                }

                return Task.CompletedTask;
            });
        });

        return services;
    }

    /// <summary>Maps <c>/openapi/v1.json</c> and <c>/docs</c>.</summary>
    public static IEndpointRouteBuilder MapCreditLedgerOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentRoute).AllowAnonymous();
        // The reference works offline: its script is served by the engine, fonts are the system's, no hosted AI agent.
        endpoints.MapScalarApiReference("/docs", options => options
            .WithTitle("CreditLedger API")
            .WithOpenApiRoutePattern(DocumentRoute)
            .AddPreferredSecuritySchemes(SchemeName)
            .ExpandAllTags()
            .HideDeveloperTools()
            .DisableAgent()
            .DisableDefaultFonts())
            .AllowAnonymous();
        return endpoints;
    }

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["API keys"] = "Keys for the API, each with scopes; the secret is shown once, at creation. Admin only.",
        ["Customers"] = "The customers credits are granted to, created on first use or explicitly, and listed.",
        ["Credit grants"] = "Grants of money or units with a reason and an optional expiry; voiding removes what remains of one.",
        ["Credit programs"] = "Rules that grant and request credits on their own: recurring grants (credit schedules), each period granted exactly once at its start, with optional rollover; and automatic top-up requests when a balance drops below a threshold.",
        ["Balances and history"] = "Available, pending and expiring-soon balances per credit type, and the customer's ledger entries.",
        ["Invoices"] = "Applying credits to an invoice (soonest-expiring first), then paying or voiding it.",
        ["Webhooks"] = "Endpoints that receive signed credit events, their delivery progress, retries and secrets.",
        ["Reports"] = "The credits report across customers: granted, applied, expired and available per credit type.",
        ["Operations"] = "Sign-in for the Orleans dashboard, for operators with an admin key.",
    };

    private const string Description = """
        The credit engine's HTTP API. JSON bodies in camelCase; timestamps RFC 3339 in UTC; amounts are decimal
        strings with exactly the currency's minor units ("50.00", "1500" for JPY) or, for units, without trailing
        zeros ("10000", "2.5"). Requests accept an amount as a string or a JSON number matching `^[0-9]+(\.[0-9]+)?$`
        and reject more decimals than the credit type allows (never rounded). Ids in paths: 1-128 characters of
        A-Z a-z 0-9 . _ : -. Errors are application/problem+json with a stable `code`. Lists take `limit` (1-200,
        default 50) and `cursor`, and answer { data, nextCursor }. Grant, void grant, pay and void invoice, create and cancel schedule accept
        `Idempotency-Key` (up to 255 characters): the same key and body replay the first answer with
        `Idempotent-Replayed: true`; a different body is 409 idempotency_key_reused. Apply-credits is idempotent
        by its invoice id. Every answer about a customer carries `version`, the number of its latest ledger entry.
        A 503 `unavailable` is safe to retry with the same key or invoice id.
        """;
}
