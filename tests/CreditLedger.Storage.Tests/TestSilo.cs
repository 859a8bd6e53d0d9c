using CreditLedger.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Storage.Tests;

/// <summary>Starts a silo configured exactly as the engine configures its own, against a test database.</summary>
internal static class TestSilo
{
    public static async Task<IHost> StartAsync(string connectionString, OrleansSettings settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{LedgerDatabase.ConnectionStringName}"] = connectionString,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<LedgerDatabase>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerDatabase>());
        builder.Services.AddOrleans(silo => silo.AddCreditLedgerSilo(settings));

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static OrleansSettings Settings(string clusterId, ClusteringMode clustering) => new()
    {
        ClusterId = clusterId,
        ServiceId = clusterId,
        Clustering = clustering == ClusteringMode.AdoNet ? "adonet" : "localhost",
        MinimumReminderPeriod = TimeSpan.FromSeconds(1),
    };

    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }
}
