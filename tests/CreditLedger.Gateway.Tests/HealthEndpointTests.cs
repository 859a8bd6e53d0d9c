using System.Net;
using System.Text.Json;
using CreditLedger.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreditLedger.Gateway.Tests;

/// <summary>The health endpoints of the all-in-one host (gateway + co-hosted silo) against a test database,
/// hosted in memory with WebApplicationFactory.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private string _connectionString = string.Empty;
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync(nameof(HealthEndpointTests));
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("ConnectionStrings:Ledger", _connectionString));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
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
