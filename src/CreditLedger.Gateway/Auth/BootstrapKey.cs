using CreditLedger.Storage;
using CreditLedger.Storage.Keys;

namespace CreditLedger.Gateway.Auth;

/// <summary>
/// Makes sure an admin key exists when the gateway starts. <c>CreditLedger:Auth:BootstrapKey</c> names one;
/// without it, the first start generates one, stores its hash and prints the key once on standard output (never
/// into the logs). Later starts find it stored and print nothing.
/// </summary>
public sealed partial class BootstrapKey(IConfiguration configuration, LedgerDatabase database, TimeProvider time, ILogger<BootstrapKey> logger) : IHostedService
{
    /// <summary>The setting that holds the bootstrap admin key.</summary>
    public const string Setting = "CreditLedger:Auth:BootstrapKey";

    /// <summary>The line printed before a generated key.</summary>
    public const string GeneratedPrefix = "Bootstrap admin API key (shown only now; store it safely): ";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration[Setting];
        // The store is made here: the database's data source exists only once the database has started.
        var keys = new ApiKeyStore(database.DataSource, time);
        var generated = await keys.EnsureBootstrapAsync(string.IsNullOrWhiteSpace(configured) ? null : configured.Trim(), cancellationToken);
        if (generated is not null)
        {
            await Console.Out.WriteLineAsync(GeneratedPrefix + generated);
            await Console.Out.FlushAsync(cancellationToken);
            LogGenerated(logger);
        }
        else if (string.IsNullOrWhiteSpace(configured))
        {
            LogStored(logger);
        }
        else
        {
            LogConfigured(logger);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a bootstrap admin API key and printed it once on standard output; it is stored only as a hash")]
    private static partial void LogGenerated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin API key: the one generated on first start (stored as a hash; set CreditLedger:Auth:BootstrapKey to use your own)")]
    private static partial void LogStored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap admin API key: configured by CreditLedger:Auth:BootstrapKey")]
    private static partial void LogConfigured(ILogger logger);
}
