using CreditLedger.Hosting.Postgres;
using CreditLedger.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditLedger.Hosting;

/// <summary>Registers the engine's database for the life of the host.</summary>
public static class LedgerDatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="LedgerDatabase"/> as a hosted service: the server of <c>ConnectionStrings:Ledger</c>, or
    /// else the embedded local cluster (<see cref="EmbeddedPostgresCluster"/>, settings in
    /// <see cref="PostgresOptions.SectionName"/>). Call it before adding the silo or client, so that the database
    /// starts first and stops last.
    /// </summary>
    public static IServiceCollection AddLedgerDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new PostgresOptions();
        configuration.GetSection(PostgresOptions.SectionName).Bind(options);
        services.AddSingleton<ILocalPostgresServer>(sp => new EmbeddedPostgresCluster(options, sp.GetRequiredService<ILogger<EmbeddedPostgresCluster>>()));
        services.AddSingleton<LedgerDatabase>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerDatabase>());
        return services;
    }
}
