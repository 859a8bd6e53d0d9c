using System.Net;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>The OpenAPI document parses and validates as OpenAPI 3, describes every route with security, summary and problems; the reference UI needs no key.</summary>
public sealed class OpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] DocumentedRoutes =
    [
        "POST /v1/api-keys", "GET /v1/api-keys", "DELETE /v1/api-keys/{keyId}",
        "PUT /v1/customers/{customerId}", "GET /v1/customers", "GET /v1/customers/{customerId}",
        "POST /v1/customers/{customerId}/credit-grants", "GET /v1/customers/{customerId}/credit-grants",
        "GET /v1/customers/{customerId}/credit-grants/{grantId}", "POST /v1/customers/{customerId}/credit-grants/{grantId}/void",
        "GET /v1/customers/{customerId}/credit-balances", "GET /v1/customers/{customerId}/credit-transactions",
        "POST /v1/customers/{customerId}/invoices/{invoiceId}/apply-credits", "POST /v1/customers/{customerId}/invoices/{invoiceId}/pay",
        "POST /v1/customers/{customerId}/invoices/{invoiceId}/void", "GET /v1/customers/{customerId}/invoices/{invoiceId}",
        "PUT /v1/customers/{customerId}/credit-alerts/{creditType}", "GET /v1/reports/credits",
        "POST /v1/webhook-endpoints", "GET /v1/webhook-endpoints", "GET /v1/webhook-endpoints/{endpointId}",
        "DELETE /v1/webhook-endpoints/{endpointId}", "GET /v1/webhook-endpoints/{endpointId}/deliveries",
        "POST /v1/webhook-endpoints/{endpointId}/enable", "POST /v1/webhook-endpoints/{endpointId}/rotate-secret",
        "POST /v1/dashboard/session", "DELETE /v1/dashboard/session",
    ];

    [Fact]
    public async Task Document_ValidOpenApi3_WithBearerSchemeAndEveryRoute()
    {
        using var anonymous = api.Client(key: null);
        var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        var document = result.Document!;
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.StartsWith("3.", result.Diagnostic.SpecificationVersion.ToString().Replace("OpenApi", string.Empty, StringComparison.Ordinal).Replace('_', '.'), StringComparison.Ordinal);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var scheme = document.Components!.SecuritySchemes!["bearer"];
        Assert.Equal((SecuritySchemeType.Http, "bearer"), (scheme.Type, scheme.Scheme));

        var operations = document.Paths
            .SelectMany(path => path.Value.Operations!.Select(op => (Route: $"{op.Key.ToString().ToUpperInvariant()} {path.Key}", Operation: op.Value)))
            .Where(op => op.Route.Contains(" /v1/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(DocumentedRoutes.Order(), operations.Select(o => o.Route).Order());
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.Summary), $"{o.Route} has no summary");
            Assert.NotEmpty(o.Operation.Security!);
            Assert.True(o.Operation.Responses!.ContainsKey("401") && o.Operation.Responses.ContainsKey("403"), $"{o.Route} lacks 401/403");
            Assert.Contains(o.Operation.Responses, r => r.Key.StartsWith('4') && r.Value.Content!.ContainsKey("application/problem+json"));
        });
    }

    [Fact]
    public async Task Docs_RendersWithoutKey_WithItsScriptServedLocally()
    {
        using var anonymous = api.Client(key: null);

        var page = await anonymous.GetAsync(new Uri("/docs/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(script.StartsWith("http", StringComparison.Ordinal), $"The UI script must be served by the engine, not {script}");
        var asset = await anonymous.GetAsync(new Uri(new Uri("http://localhost/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }
}
