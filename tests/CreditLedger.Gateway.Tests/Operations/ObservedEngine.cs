using CreditLedger.Gateway.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Operations;

/// <summary>
/// One engine configured the way an operator watches it: traces exported to an OTLP endpoint (where nothing
/// listens), <c>/metrics</c> for admin keys only, a connection-string password, and every log entry captured at
/// Trace level. The tracing, log and secured-metrics classes share it and run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ObservedEngine : ICollectionFixture<ObservedApi>
{
    public const string Name = "observed engine";
}

/// <summary>The fixture of <see cref="ObservedEngine"/>.</summary>
public sealed class ObservedApi : ApiFixture
{
    /// <summary>A password the server does not ask for (the test server trusts local connections), so it can only leak.</summary>
    public const string Password = "pw-never-logged-7d41c0a9e2";

    public CapturedLogs Logs { get; } = new();

    protected override string HostConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = Password }.ConnectionString;

    // Read while the host's services are registered, so given as host settings rather than added configuration.
    protected override void ConfigureHost(IWebHostBuilder web) => web
        .UseSetting("CreditLedger:Telemetry:OtlpEndpoint", "http://127.0.0.1:9")
        .UseSetting("CreditLedger:Telemetry:OtlpProtocol", "http/protobuf")
        .UseSetting("CreditLedger:Metrics:RequireAdminKey", "true")
        .ConfigureLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturedLogs>(null, LogLevel.Trace));
}
