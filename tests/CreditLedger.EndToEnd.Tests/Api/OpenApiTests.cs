using System.Diagnostics;
using System.Net;
using System.Text.Json;
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
        "POST /v1/customers/{customerId}/credit-schedules", "GET /v1/customers/{customerId}/credit-schedules",
        "GET /v1/customers/{customerId}/credit-schedules/{scheduleId}", "POST /v1/customers/{customerId}/credit-schedules/{scheduleId}/cancel",
        "PUT /v1/customers/{customerId}/credit-top-ups/{creditType}", "GET /v1/customers/{customerId}/credit-top-ups/{creditType}",
        "DELETE /v1/customers/{customerId}/credit-top-ups/{creditType}", "GET /v1/customers/{customerId}/credit-top-ups/{creditType}/requests/{requestId}",
        "POST /v1/customers/{customerId}/credit-top-ups/{creditType}/requests/{requestId}/fail",
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

    /// <summary>
    /// Redocly's recommended rules over the served document, run by Redocly CLI itself (<see cref="RedoclyCli"/>
    /// through npx; .ci/run fetches it first): no errors, and none of the warnings that mean a client generator or
    /// reader is left guessing (an operation without an id or without its 4xx answers, a tag without a description).
    /// </summary>
    [Fact]
    public async Task Document_RedoclyRecommendedLint_NoErrorsAndEveryOperationIdentifiedAndEveryTagDescribed()
    {
        using var anonymous = api.Client(key: null);
        var json = await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var folder = Directory.CreateTempSubdirectory("creditledger-openapi-");
        try
        {
            var path = Path.Combine(folder.FullName, "openapi.json");
            await File.WriteAllTextAsync(path, json);
            var start = new ProcessStartInfo("npx", ["--yes", RedoclyCli, "lint", path, "--format=json"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder.FullName,
            };
            using var lint = Process.Start(start)!;
            var reading = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync();
            var output = await reading;
            Assert.True(output.TrimStart().StartsWith('{'), $"Redocly CLI did not answer JSON (exit code {lint.ExitCode}): {output}{await errors}");

            using var report = JsonDocument.Parse(output);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (Rule: p.GetProperty("ruleId").GetString()!, Severity: p.GetProperty("severity").GetString()!, Message: p.GetProperty("message").GetString()!))
                .ToList();
            var blocking = problems
                .Where(p => p.Severity == "error" || p.Rule is "operation-operationId" or "operation-4xx-response" or "tag-description" or "operation-summary")
                .ToList();
            Assert.True(blocking.Count == 0, string.Join(Environment.NewLine, blocking.Select(p => $"{p.Severity} {p.Rule}: {p.Message}")));
            Assert.Equal(0, lint.ExitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The Redocly CLI release the lint test runs.</summary>
    public const string RedoclyCli = "@redocly/cli@2.77.0";

    [Fact]
    public async Task Document_ApiRoutesOnly_ServerWithoutTrailingSlash()
    {
        using var anonymous = api.Client(key: null);
        var document = OpenApiDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)), "json", new OpenApiReaderSettings()).Document!;

        Assert.All(document.Paths.Keys, path => Assert.StartsWith("/v1/", path, StringComparison.Ordinal));
        Assert.All(document.Servers!, server => Assert.False(server.Url!.EndsWith('/'), server.Url));
        Assert.All(document.Tags!, tag => Assert.False(string.IsNullOrWhiteSpace(tag.Description), tag.Name));
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
