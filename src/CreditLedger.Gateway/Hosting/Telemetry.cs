using CreditLedger.Gateway.Auth;
using CreditLedger.Hosting;
using CreditLedger.Storage;
using CreditLedger.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditLedger.Gateway.Hosting;

/// <summary>
/// OpenTelemetry for every role: metrics (the engine's meter, Orleans, ASP.NET Core, Npgsql and the .NET runtime)
/// scraped in Prometheus text format at <c>/metrics</c>, and traces across the gateway, grain calls and PostgreSQL
/// exported over OTLP only when an endpoint is configured (<see cref="OtlpEndpointSetting"/> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); without one nothing is exported and no trace is recorded.
/// </summary>
public static class Telemetry
{
    /// <summary>The OTLP endpoint (e.g. <c>http://collector:4317</c>); unset: no export.</summary>
    public const string OtlpEndpointSetting = "CreditLedger:Telemetry:OtlpEndpoint";

    /// <summary>The OTLP protocol with <see cref="OtlpEndpointSetting"/>: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public const string OtlpProtocolSetting = "CreditLedger:Telemetry:OtlpProtocol";

    /// <summary>When true, <c>/metrics</c> needs an admin API key; it is open by default.</summary>
    public const string RequireAdminKeySetting = "CreditLedger:Metrics:RequireAdminKey";

    /// <summary>How long the backlog gauges (webhook and report lag) reuse one reading of the database.</summary>
    public const string BacklogIntervalSetting = "CreditLedger:Metrics:BacklogInterval";

    /// <summary>The scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The service name on exported telemetry.</summary>
    public const string ServiceName = "creditledger";

    /// <summary>Whether <c>/metrics</c> needs an admin key.</summary>
    public static bool MetricsRequireAdminKey(IConfiguration configuration) => configuration.GetValue(RequireAdminKeySetting, false);

    /// <summary>
    /// The endpoint and protocol <see cref="OtlpEndpointSetting"/> and <see cref="OtlpProtocolSetting"/> name, or null
    /// when the endpoint is unset. Called before start-up so that a bad value stops the process with its message.
    /// </summary>
    /// <exception cref="InvalidOperationException">The endpoint is not an http(s) URL or the protocol is unknown.</exception>
    public static (Uri Endpoint, OtlpExportProtocol Protocol)? OtlpTarget(IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{OtlpEndpointSetting} must be an http or https URL, e.g. http://collector:4317.");
        }

        var protocol = configuration[OtlpProtocolSetting]?.Trim() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"{OtlpProtocolSetting} must be grpc or http/protobuf."),
        };
        return (uri, protocol);
    }

    /// <summary>Adds metrics and, when an OTLP endpoint is configured, traces and their export.</summary>
    public static IServiceCollection AddCreditLedgerTelemetry(this IServiceCollection services, IConfiguration configuration, HostRole role)
    {
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        var backlogInterval = configuration.GetValue(BacklogIntervalSetting, BacklogGauges.DefaultRefreshInterval);
        if (backlogInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{BacklogIntervalSetting} must be a positive duration, e.g. 00:00:05.");
        }

        services.AddSingleton(sp => new BacklogGauges(
            sp.GetRequiredService<EngineMetrics>(), sp.GetRequiredService<LedgerDatabase>(), sp.GetRequiredService<TimeProvider>(), backlogInterval));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}")
                .AddAttributes([new KeyValuePair<string, object>("creditledger.role", RoleName(role))]))
            .WithMetrics(metrics => metrics
                .AddMeter(EngineMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        var endpoint = configuration[OtlpEndpointSetting];
        var standardEndpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(standardEndpoint))
        {
            return services;
        }

        telemetry.WithTracing(tracing => tracing
            .AddSource(EngineActivities.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
            .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath))
            .AddNpgsql());
        if (OtlpTarget(configuration) is { } target)
        {
            telemetry.UseOtlpExporter(target.Protocol, target.Endpoint);
        }
        else
        {
            // The standard OTEL_EXPORTER_OTLP_* variables say where and how.
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    private static string RoleName(HostRole role) => role switch
    {
        HostRole.Silo => "silo",
        HostRole.Gateway => "gateway",
        _ => "all",
    };

    /// <summary>
    /// Maps <c>/metrics</c> (admin key required when <see cref="RequireAdminKeySetting"/> is true) and creates the
    /// backlog gauges, which are read only when a scrape collects them.
    /// </summary>
    public static IEndpointRouteBuilder MapCreditLedgerMetrics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        endpoints.ServiceProvider.GetRequiredService<BacklogGauges>();
        var scrape = endpoints.MapPrometheusScrapingEndpoint(MetricsPath).WithName("Metrics").ExcludeFromDescription();
        if (MetricsRequireAdminKey(configuration))
        {
            scrape.RequireScope(Scopes.Admin);
        }

        return endpoints;
    }
}
