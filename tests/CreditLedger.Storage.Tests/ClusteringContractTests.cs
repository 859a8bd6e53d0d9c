using CreditLedger.Hosting;
using CreditLedger.Storage.Tests.Grains;
using CreditLedger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditLedger.Storage.Tests;

/// <summary>
/// The Orleans ADO.NET clustering provider against the project's schema: two silos find each other through
/// the membership table in PostgreSQL, and grain calls from one reach grains placed on the other.
/// </summary>
public sealed class ClusteringContractTests(LedgerDatabaseFixture database) : IClassFixture<LedgerDatabaseFixture>
{
    [Fact]
    public async Task TwoSilos_AdoNetClustering_FormOneClusterAndCallsCrossSilos()
    {
        const string clusterId = "clustering-contract";
        var settings = TestSilo.Settings(clusterId, ClusteringMode.AdoNet);
        var first = await TestSilo.StartAsync(database.ConnectionString, settings);
        var second = await TestSilo.StartAsync(database.ConnectionString, settings);
        try
        {
            var secondAddress = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
            var firstAddress = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
            var grains = first.Services.GetRequiredService<IGrainFactory>();

            // The first silo learns of the second through the membership table; place grains once it has.
            await Eventually.UntilAsync(
                async () => (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count >= 2,
                TimeSpan.FromSeconds(30),
                "the first silo to see the second as active");

            // Random placement over two silos: 40 grains all on one silo has odds of 2^-39.
            var placements = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<ISiloProbeGrain>(i).WhereAsync()));

            Assert.Contains(secondAddress, placements);
            Assert.Contains(firstAddress, placements);
            Assert.Equal(2L, await database.ScalarAsync<long>(
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3", clusterId));
        }
        finally
        {
            await TestSilo.StopAsync(second);
            await TestSilo.StopAsync(first);
        }
    }
}
