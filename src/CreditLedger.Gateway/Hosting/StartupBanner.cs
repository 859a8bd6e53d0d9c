using CreditLedger.Storage;

namespace CreditLedger.Gateway.Hosting;

/// <summary>Tells the operator, once the host has started, where it listens and how to authenticate.</summary>
internal static partial class StartupBanner
{
    public const string BootstrapKeySetting = "CreditLedger:Auth:BootstrapKey";

    public static void Print(WebApplication app, HostRole role)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditLedger");
        var database = app.Services.GetRequiredService<LedgerDatabase>();
        var addresses = string.Join(", ", app.Urls);
        var postgres = database.EmbeddedCluster is { } cluster
            ? $"embedded cluster in {cluster.DataDirectory} on 127.0.0.1:{cluster.Port}"
            : "ConnectionStrings:Ledger";

        LogListening(logger, role, addresses, postgres);
        if (role == HostRole.Silo)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(app.Configuration[BootstrapKeySetting]))
        {
            LogNoBootstrapKey(logger);
        }
        else
        {
            LogBootstrapKeyConfigured(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CreditLedger ({Role}) listening on {Addresses}; PostgreSQL: {Postgres}; readiness at /health/ready")]
    private static partial void LogListening(ILogger logger, HostRole role, string addresses, string postgres);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No bootstrap admin API key is configured: set CreditLedger:Auth:BootstrapKey (environment CreditLedger__Auth__BootstrapKey) to a secret of your choosing")]
    private static partial void LogNoBootstrapKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bootstrap admin API key is configured from CreditLedger:Auth:BootstrapKey")]
    private static partial void LogBootstrapKeyConfigured(ILogger logger);
}
