using CreditLedger.Storage.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Storage.Secrets;

/// <summary>
/// At start, once the database is up, encrypts the webhook signing secrets an earlier version stored in clear, so that
/// no secret stays readable in the database or its dumps after an upgrade.
/// </summary>
public sealed partial class SecretsAtRest(LedgerDatabase database, SecretProtector secrets, ILogger<SecretsAtRest> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var encrypted = await new WebhookStore(database.DataSource, secrets).ProtectPlaintextSecretsAsync(cancellationToken);
        if (encrypted > 0)
        {
            LogEncrypted(logger, encrypted);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} webhook signing secrets that were stored in clear")]
    private static partial void LogEncrypted(ILogger logger, int count);
}
