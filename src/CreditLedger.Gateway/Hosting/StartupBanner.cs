using CreditLedger.Hosting;
using CreditLedger.Storage;

namespace CreditLedger.Gateway.Hosting;

/// <summary>Tells the operator, once the host has started, where it listens and which PostgreSQL it uses.</summary>
internal static partial class StartupBanner
{
    public static void Print(WebApplication app, HostRole role, OrleansSettings orleans)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditLedger");
        var database = app.Services.GetRequiredService<LedgerDatabase>();
        var addresses = string.Join(", ", app.Urls);
        var postgres = database.LocalServer?.Description ?? "ConnectionStrings:Ledger";

        LogListening(logger, role, addresses, postgres);
        if (orleans.LocalhostWithSharedDatabase)
        {
            LogLocalhostWithSharedDatabase(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CreditLedger ({Role}) listening on {Addresses}; PostgreSQL: {Postgres}; readiness at /health/ready")]
    private static partial void LogListening(ILogger logger, HostRole role, string addresses, string postgres);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Orleans:Clustering=localhost with ConnectionStrings:Ledger: this process is a cluster of its own; another process given the same database would serve the same customers beside it. Leave Orleans:Clustering unset (adonet) unless this is the only process.")]
    private static partial void LogLocalhostWithSharedDatabase(ILogger logger);
}
