using CreditLedger.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CreditLedger.Gateway.Health;

/// <summary>Healthy when the ledger database has started and answers a query.</summary>
internal sealed class PostgresHealthCheck(LedgerDatabase database) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = database.DataSource;
        }
        catch (InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is starting.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable: {e.Message}");
        }
    }
}
