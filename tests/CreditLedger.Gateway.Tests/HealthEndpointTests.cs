using System.Net;
using System.Text.Json;
using CreditLedger.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreditLedger.Gateway.Tests;

/// <summary>The health endpoints of the all-in-one host (gateway + co-hosted silo), hosted in memory with
/// WebApplicationFactory on a database it has to migrate itself.</summary>
[StartEarly(6)]
public sealed class HealthEndpointTests(HealthEndpointTests.FreshHost host) : IClassFixture<HealthEndpointTests.FreshHost>
{
    private readonly WebApplicationFactory<Program> _factory = host.Factory;

    private readonly string _connectionString = host.ConnectionString;

    /// <summary>The host on an empty database (not created from the migrated template).</summary>
    public sealed class FreshHost : IAsyncLifetime
    {
        public string ConnectionString { get; private set; } = string.Empty;

        public WebApplicationFactory<Program> Factory { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            ConnectionString = await TestPostgres.CreateDatabaseAsync(nameof(HealthEndpointTests));
            Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
                web.UseSetting("ConnectionStrings:Ledger", ConnectionString));
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(ConnectionString);
        }
    }

    [Fact]
    public async Task Live_RunningHost_Returns200Healthy()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_PostgresAndSiloUp_Returns200WithBothChecksHealthy()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("silo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Startup_MigratesTheConfiguredDatabase()
    {
        _ = _factory.Server;

        await using var dataSource = Npgsql.NpgsqlDataSource.Create(_connectionString);
        Assert.Equal(CreditLedger.Storage.SchemaMigrator.All.Count, await dataSource.ScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }
}
