using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditLedger.Gateway.Health;

/// <summary>
/// <c>GET /health/live</c> (the process answers) and <c>GET /health/ready</c> (PostgreSQL and the cluster
/// answer: 200, else 503 with the reason). Neither needs an API key.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddCreditLedgerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteAsync,
        }).WithName("HealthLive");

        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        }).WithName("HealthReady");

        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new HealthResponse(
            report.Status == HealthStatus.Healthy ? "Healthy" : "Unhealthy",
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthCheckResponse(e.Value.Status == HealthStatus.Healthy ? "Healthy" : "Unhealthy", e.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.HealthResponse, context.RequestAborted);
    }
}
