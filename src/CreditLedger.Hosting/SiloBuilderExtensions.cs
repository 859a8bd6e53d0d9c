using System.Net;
using CreditLedger.Contracts;
using CreditLedger.Grains;
using CreditLedger.Storage;
using CreditLedger.Storage.Secrets;
using CreditLedger.Storage.Webhooks;
using CreditLedger.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace CreditLedger.Hosting;

/// <summary>Configures a silo of the engine: cluster, endpoints, grain storage and reminders in PostgreSQL.</summary>
public static class SiloBuilderExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// Makes this silo a member of the cluster <paramref name="settings"/> describe, with grain storage
    /// (<see cref="StorageNames.Ledger"/>, System.Text.Json snapshots) and reminders in the
    /// <see cref="LedgerDatabase"/>, which must be registered before the silo; and the grains' services
    /// (<see cref="GrainServiceCollectionExtensions.AddCreditLedgerGrains"/>) and webhook delivery (a worker per endpoint, hosted by <see cref="WebhookEndpointGrain"/> and kept running by <see cref="WebhookKeeper"/>; old delivery records deleted by <see cref="DeliveryRecordPurge"/>). Trace context
    /// flows through grain calls, and the silo runs the Orleans dashboard's grains, which collect the statistics a
    /// dashboard shows wherever it is served (a co-hosted gateway or a gateway-only process).
    /// </summary>
    public static ISiloBuilder AddCreditLedgerSilo(this ISiloBuilder silo, OrleansSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var siloPort = FreePorts.OrFree(settings.SiloPort);
        var gatewayPort = FreePorts.OrFree(settings.GatewayPort);
        if (settings.ClusteringMode == ClusteringMode.Localhost)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }
        else
        {
            var advertised = settings.ResolveAdvertisedAddress();
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                if (settings.ProbeTimeout is { } probeTimeout)
                {
                    o.ProbeTimeout = probeTimeout;
                }

                if (settings.NumMissedProbesLimit is { } missedProbes)
                {
                    o.NumMissedProbesLimit = missedProbes;
                }
            });
            silo.UseAdoNetClustering(options => options.Configure<LedgerDatabase>((o, database) =>
            {
                o.Invariant = Invariant;
                o.DataSource = database.OrleansDataSource;
            }));
        }

        if (settings.ResponseTimeout is { } responseTimeout)
        {
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
        }

        silo.AddAdoNetGrainStorage(StorageNames.Ledger, options => options.Configure<LedgerDatabase>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database.OrleansDataSource;
        }));
        silo.UseSystemTextJsonGrainStorageSerializer();

        silo.UseAdoNetReminderService(options => options.Configure<LedgerDatabase>((o, database) =>
        {
            o.Invariant = Invariant;
            o.DataSource = database.OrleansDataSource;
        }));
        if (settings.MinimumReminderPeriod is { } minimumPeriod)
        {
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = minimumPeriod);
        }

        silo.AddActivityPropagation();
        silo.AddDashboard(DashboardSettings.Configure);
        silo.Services.AddStorageExceptionTransport();
        silo.Services.AddCreditLedgerGrains();
        silo.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(sp => new WebhookStore(sp.GetRequiredService<LedgerDatabase>().DataSource, sp.GetRequiredService<SecretProtector>()));
        silo.Services.TryAddSingleton<WebhookSender>();
        silo.Services.AddHostedService<WebhookKeeper>();
        silo.Services.AddHostedService<DeliveryRecordPurge>();
        return silo;
    }
}
