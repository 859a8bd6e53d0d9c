using CreditLedger.Contracts.Reports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditLedger.Grains.Reports;

/// <summary>
/// Runs in every silo and keeps the reporting grain running: a call every few seconds activates it wherever
/// Orleans places it, so that it resumes within seconds of its silo dying.
/// </summary>
public sealed partial class ReportKeeper(IGrainFactory grains, IOptions<ReportOptions> options, ILogger<ReportKeeper> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IReportingGrain>(0).EnsureRunningAsync();
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
            {
                LogKeepFailed(logger, e);
            }

            await Task.Delay(options.Value.KeeperInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reach the reporting grain; trying again")]
    private static partial void LogKeepFailed(ILogger logger, Exception exception);
}
