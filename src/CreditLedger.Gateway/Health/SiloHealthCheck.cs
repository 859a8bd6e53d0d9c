using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditLedger.Gateway.Health;

/// <summary>
/// Healthy when the cluster answers a grain call and has at least one active silo. The call goes through
/// the same path as the engine's own calls: in-process when the silo is co-hosted, over TCP otherwise.
/// </summary>
internal sealed class SiloHealthCheck(IGrainFactory grainFactory) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var management = grainFactory.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: true, timeout.Token);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s).")
                : HealthCheckResult.Unhealthy("The cluster has no active silo.");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The cluster did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (OrleansException e)
        {
            return HealthCheckResult.Unhealthy($"The cluster is unavailable: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // The silo or client has not started (or is stopping).
            return HealthCheckResult.Unhealthy($"The silo is not running: {e.Message}");
        }
    }
}
