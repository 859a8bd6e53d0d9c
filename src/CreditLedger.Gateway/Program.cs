using CreditLedger.Gateway.Api;
using CreditLedger.Gateway.Auth;
using CreditLedger.Gateway.Health;
using CreditLedger.Gateway.Hosting;
using CreditLedger.Hosting;
using CreditLedger.Hosting.Postgres;
using CreditLedger.Hosting.Secrets;
using CreditLedger.Storage;
using CreditLedger.Storage.Customers;
using CreditLedger.Storage.Keys;
using CreditLedger.Storage.Reports;
using CreditLedger.Storage.Secrets;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Dashboard;

// Settings files ship next to the program, so it reads them wherever it is started from; data folders stay
// relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

HostRole role;
OrleansSettings orleans;
System.Security.Cryptography.X509Certificates.X509Certificate2 keyRingCertificate;
try
{
    role = HostRoles.From(builder.Configuration);
    orleans = OrleansSettings.From(builder.Configuration);
    Telemetry.OtlpTarget(builder.Configuration);
    if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(LedgerDatabase.ConnectionStringName)))
    {
        // Fail before anything starts, with the one message that says what to install or configure.
        PostgresBinaries.Locate(builder.Configuration[$"{PostgresOptions.SectionName}:BinDirectory"]);
    }

    // The key ring's certificate is read (or created) now, so that a wrong one stops the start with one message.
    using var startupLogging = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
    keyRingCertificate = KeyRingCertificate.Load(builder.Configuration, startupLogging.CreateLogger("CreditLedger.KeyRing"));
}
catch (Exception e) when (e is InvalidOperationException or PostgresNotFoundException or FormatException)
{
    await Console.Error.WriteLineAsync($"CreditLedger cannot start: {e.Message}");
    return 1;
}

if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
{
    // A silo-only process serves health on a port of its own choosing unless --urls says otherwise.
    builder.WebHost.UseUrls(role == HostRole.Silo ? "http://127.0.0.1:0" : "http://127.0.0.1:5080");
}

// The database is registered first so that it starts before the silo or client and stops after it.
builder.Services.AddLedgerDatabase(builder.Configuration);
// After the database: data protection reads its key ring from it when the host starts.
builder.Services.AddCreditLedgerKeyRing(keyRingCertificate);
builder.Services.AddHostedService<SecretsAtRest>();

// Orleans is added to the services without the host's configuration: the Orleans:* settings are the
// engine's own (read into OrleansSettings above), and Orleans would otherwise also read
// Orleans:Clustering as one of its configuration-based provider sections and reject it.
if (role == HostRole.Gateway)
{
    builder.Services.AddOrleansClient(client => client.AddCreditLedgerClient(orleans));
}
else
{
    builder.Services.AddOrleans(silo => silo.AddCreditLedgerSilo(orleans));
}

builder.Services.AddCreditLedgerHealthChecks();
builder.Services.AddCreditLedgerTelemetry(builder.Configuration, role);

// A silo-only process serves health and metrics and nothing else; the API runs where clients call it. It checks API
// keys only when the metrics need an admin key.
var servesApi = role != HostRole.Silo;
var checksKeys = servesApi || Telemetry.MetricsRequireAdminKey(builder.Configuration);
if (checksKeys)
{
    builder.Services.TryAddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<LedgerDatabase>().DataSource, sp.GetRequiredService<TimeProvider>()));
    builder.Services.AddCreditLedgerAuth();
}

if (servesApi)
{
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.MaxBytes);
    builder.Services.AddSingleton(sp => new CustomerDirectory(sp.GetRequiredService<LedgerDatabase>().DataSource));
    builder.Services.TryAddSingleton(sp => new WebhookStore(sp.GetRequiredService<LedgerDatabase>().DataSource, sp.GetRequiredService<SecretProtector>()));
    builder.Services.TryAddSingleton(sp => new ReportStore(sp.GetRequiredService<LedgerDatabase>().DataSource));
    builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
    builder.Services.AddDashboardSession();
    builder.Services.AddCreditLedgerOpenApi();
    RateLimits.AddCreditLedgerRateLimits(builder.Services);
}

var app = builder.Build();
// First, so that everything logged about a request names its customer, errors the problem handler logs included.
app.UseCustomerLogScope();
if (servesApi)
{
    app.UseCreditLedgerProblems();
    app.UseDefaultFiles();
    app.UseStaticFiles();
}

if (checksKeys)
{
    app.UseAuthentication();
}

if (servesApi)
{
    app.UseRateLimiter();
}

if (checksKeys)
{
    app.UseAuthorization();
}

if (servesApi)
{
    app.MapCreditLedgerApi();
    app.MapCreditLedgerOpenApi();
    // The Orleans dashboard, for admins: an admin key, or the session cookie the operator dashboard's sign-in sets.
    app.MapOrleansDashboard(DashboardSession.Path).RequireAuthorization(DashboardSession.PolicyName);
}

app.MapCreditLedgerMetrics(app.Configuration);
app.MapHealthEndpoints();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, role, orleans));

await app.RunAsync();
return 0;

/// <summary>The entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
