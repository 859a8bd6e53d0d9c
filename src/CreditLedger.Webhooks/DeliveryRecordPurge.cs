using System.Data.Common;
using CreditLedger.Storage;
using CreditLedger.Storage.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditLedger.Webhooks;

/// <summary>
/// Runs in every silo and deletes, every <see cref="WebhookOptions.PurgeInterval"/>, the records of finished retried
/// deliveries older than <see cref="WebhookOptions.AttemptRetention"/>, in batches that skip rows a delivery worker
/// holds, so it never waits for delivery and never touches the ledger. Silos purging at the same time share the work.
/// </summary>
public sealed partial class DeliveryRecordPurge(LedgerDatabase database, IOptions<WebhookOptions> options, ILogger<DeliveryRecordPurge> logger)
    : BackgroundService
{
    private const int BatchSize = 1000;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.PurgeInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                // The database starts with the host, possibly after the purge: until it has, this throws and is retried.
                var store = new WebhookStore(database.DataSource);
                var purged = 0;
                int batch;
                do
                {
                    batch = await store.PurgeFinishedDeliveriesAsync(settings.AttemptRetention, BatchSize, stoppingToken);
                    purged += batch;
                }
                while (batch == BatchSize && !stoppingToken.IsCancellationRequested);

                if (purged > 0)
                {
                    LogPurged(logger, purged, settings.AttemptRetention);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                LogPurgeFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} finished webhook delivery records older than {Retention}")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete old webhook delivery records; the next interval tries again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
