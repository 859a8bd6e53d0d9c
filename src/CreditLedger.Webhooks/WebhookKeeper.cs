using System.Data.Common;
using CreditLedger.Contracts.Webhooks;
using CreditLedger.Storage;
using CreditLedger.Storage.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditLedger.Webhooks;

/// <summary>
/// Runs in every silo and keeps a delivery worker running for every endpoint that is not disabled: every
/// <see cref="WebhookOptions.KeeperInterval"/> it calls each endpoint's grain, which activates wherever Orleans places
/// it, so that delivery resumes within seconds of its silo dying.
/// </summary>
public sealed partial class WebhookKeeper(IGrainFactory grains, LedgerDatabase database, IOptions<WebhookOptions> options, ILogger<WebhookKeeper> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The database starts with the host, possibly after the keeper: until it has, this throws and is retried.
                var store = new WebhookStore(database.DataSource);
                foreach (var endpointId in await store.ActiveEndpointIdsAsync(stoppingToken))
                {
                    await grains.GetGrain<IWebhookEndpointGrain>(endpointId).EnsureRunningAsync();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or OrleansException or TimeoutException or InvalidOperationException)
            {
                LogKeepFailed(logger, e);
            }

            await Task.Delay(options.Value.KeeperInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reach the webhook endpoints' grains; trying again")]
    private static partial void LogKeepFailed(ILogger logger, Exception exception);
}
