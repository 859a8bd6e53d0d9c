using CreditLedger.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace CreditLedger.Hosting;

/// <summary>Configures an Orleans client (a gateway process) of the engine's cluster.</summary>
public static class ClientBuilderExtensions
{
    /// <summary>
    /// Connects this client to the cluster <paramref name="settings"/> describe, finding its silos in the
    /// membership table of the <see cref="LedgerDatabase"/>, which must be registered before the client. Trace
    /// context flows into grain calls, and the Orleans dashboard can be served from this process (its data comes
    /// from the silos' dashboard grains, see <see cref="SiloBuilderExtensions.AddCreditLedgerSilo"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Clustering is not <c>adonet</c>: a separate gateway
    /// process finds silos only through the membership table of a shared database.</exception>
    public static IClientBuilder AddCreditLedgerClient(this IClientBuilder client, OrleansSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClusteringMode != ClusteringMode.AdoNet)
        {
            throw new InvalidOperationException(settings.SharedDatabase
                ? "A gateway-only process (CreditLedger:Role=gateway) finds the silos in the membership table: it needs Orleans:Clustering=adonet (the default with ConnectionStrings:Ledger), not localhost."
                : "A gateway-only process (CreditLedger:Role=gateway) finds the silos in the membership table of the database they share: set ConnectionStrings:Ledger (Orleans:Clustering=adonet is then the default).");
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.ResponseTimeout is { } responseTimeout)
        {
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
        }

        client.Services.AddStorageExceptionTransport();
        client.UseAdoNetClustering(options => options.Configure<LedgerDatabase>((o, database) =>
        {
            o.Invariant = "Npgsql";
            o.DataSource = database.OrleansDataSource;
        }));
        client.AddActivityPropagation();
        client.AddDashboard(DashboardSettings.Configure);
        return client;
    }
}
