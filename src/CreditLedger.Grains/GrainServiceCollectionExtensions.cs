using CreditLedger.Grains.Reports;
using CreditLedger.Storage;
using CreditLedger.Storage.Ledger;
using CreditLedger.Storage.Reports;
using CreditLedger.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditLedger.Grains;

/// <summary>Registers what the grains need: the ledger writer and queries, the clock, grant ids, options and the engine metrics.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grains' services. The ledger's data source comes from the <see cref="LedgerDatabase"/>, which
    /// must be registered and started before the first grain activates. An <see cref="ILedgerWriter"/> or
    /// ledger clock (<see cref="LedgerClock"/>) registered before this call is kept.
    /// </summary>
    public static IServiceCollection AddCreditLedgerGrains(this IServiceCollection services)
    {
        services.AddOptions<CustomerCreditOptions>()
            .BindConfiguration(CustomerCreditOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.TryAddKeyedSingleton(LedgerClock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<IGrantIdGenerator, RandomGrantIdGenerator>();
        services.TryAddSingleton(sp => new LedgerQueries(sp.GetRequiredService<LedgerDatabase>().DataSource));
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.AddOptions<LedgerWriterOptions>().BindConfiguration(LedgerWriterOptions.SectionName);
        services.TryAddSingleton<ILedgerWriter>(sp => sp.GetRequiredService<IOptions<LedgerWriterOptions>>().Value.Create(
            sp.GetRequiredService<LedgerDatabase>().DataSource, sp.GetRequiredService<EngineMetrics>()));
        services.TryAddSingleton(sp => new ReportStore(sp.GetRequiredService<LedgerDatabase>().DataSource));
        services.AddOptions<ReportOptions>()
            .BindConfiguration(ReportOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddHostedService<ReportKeeper>();
        return services;
    }
}
