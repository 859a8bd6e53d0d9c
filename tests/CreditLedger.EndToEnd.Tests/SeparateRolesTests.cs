using System.Net;
using System.Text.Json;
using CreditLedger.Testing;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The same program in separate roles: a silo-only process and a gateway-only process (an Orleans client), given a
/// role and the shared database only, find each other through ADO.NET clustering in PostgreSQL (the default with a
/// connection string), and the gateway is ready only through the silo. Two all-in-one processes given the same
/// database form one cluster too.
/// </summary>
public sealed class SeparateRolesTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private string _connectionString = string.Empty;
    private string _workingDirectory = string.Empty;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync(nameof(SeparateRolesTests));
        _workingDirectory = Directory.CreateTempSubdirectory("creditledger-roles-").FullName;
    }

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(_connectionString);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private const string Key = "clk_separate_roles_test_key_0123456789abc";

    [Fact]
    public async Task SiloAndGatewayProcesses_RoleAndConnectionStringOnly_GatewayIsReadyThroughTheSilo()
    {
        var cluster = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _connectionString,
            ["Orleans__ClusterId"] = "separate-roles",
            ["Orleans__ServiceId"] = "separate-roles",
            ["CreditLedger__Auth__BootstrapKey"] = Key,
        };

        await using var silo = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>(cluster) { ["CreditLedger__Role"] = "silo" });
        await silo.WaitUntilStartedAsync(StartTimeout);
        await using var gateway = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>(cluster) { ["CreditLedger__Role"] = "gateway" });
        await gateway.WaitUntilStartedAsync(StartTimeout);

        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1 active silo(s).", body.RootElement.GetProperty("checks").GetProperty("silo").GetProperty("description").GetString());
        Assert.Contains("CreditLedger (Gateway) listening on", gateway.Output, StringComparison.Ordinal);
        Assert.Contains("CreditLedger (Silo) listening on", silo.Output, StringComparison.Ordinal);

        // A silo serves health only; the API is the gateway's.
        using var siloClient = new HttpClient { BaseAddress = silo.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await siloClient.GetAsync(new Uri("/v1/customers", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/v1/customers", UriKind.Relative))).StatusCode);

        // Commands cross the wire from the gateway (an Orleans client) to the silo and back.
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        var put = await client.PutAsync(new Uri("/v1/customers/acme", UriKind.Relative), new StringContent("""{"name":"Acme"}""", System.Text.Encoding.UTF8, "application/json"));
        var grant = await client.PostAsync(
            new Uri("/v1/customers/acme/credit-grants", UriKind.Relative),
            new StringContent("""{"type":"monetary","amount":"25.00","currency":"USD","reason":"Welcome credit"}""", System.Text.Encoding.UTF8, "application/json"));
        var apply = await client.PostAsync(
            new Uri("/v1/customers/acme/invoices/inv_1/apply-credits", UriKind.Relative),
            new StringContent("""{"currency":"USD","total":"30.00"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (put.StatusCode, grant.StatusCode));
        using var applied = JsonDocument.Parse(await apply.Content.ReadAsStringAsync());
        Assert.Equal(("25.00", "5.00"), (applied.RootElement.GetProperty("creditApplied").GetString(), applied.RootElement.GetProperty("totalDue").GetString()));

        await gateway.StopAsync(StartTimeout);
        await silo.StopAsync(StartTimeout);
        Assert.Equal(0, gateway.ExitCode);
        Assert.Equal(0, silo.ExitCode);
    }

    [Fact]
    public async Task TwoAllInOneProcesses_SameConnectionString_FormOneCluster()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _connectionString,
            ["CreditLedger__Auth__BootstrapKey"] = Key,
        };

        await using var first = GatewayProcess.Start(_workingDirectory, settings);
        await first.WaitUntilStartedAsync(StartTimeout);
        await using var second = GatewayProcess.Start(_workingDirectory, settings);
        await second.WaitUntilStartedAsync(StartTimeout);

        foreach (var process in new[] { first, second })
        {
            using var client = new HttpClient { BaseAddress = process.BaseAddress };
            await Eventually.UntilAsync(
                async () =>
                {
                    using var body = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));
                    return body.RootElement.GetProperty("checks").GetProperty("silo").GetProperty("description").GetString() == "2 active silo(s).";
                },
                StartTimeout,
                "each process to see both silos");
        }

        Assert.DoesNotContain("Orleans:Clustering=localhost", first.Output + second.Output, StringComparison.Ordinal);
        await second.StopAsync(StartTimeout);
        await first.StopAsync(StartTimeout);
        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
    }

    [Fact]
    public async Task GatewayProcess_LocalhostClustering_ExitsWithOneClearMessage()
    {
        await using var gateway = GatewayProcess.Start(
            _workingDirectory,
            new Dictionary<string, string> { ["ConnectionStrings__Ledger"] = _connectionString, ["CreditLedger__Role"] = "gateway", ["Orleans__Clustering"] = "localhost" });

        await gateway.WaitForExitAsync(StartTimeout);

        Assert.NotEqual(0, gateway.ExitCode);
        Assert.Contains("Orleans:Clustering=adonet", gateway.Output, StringComparison.Ordinal);
    }
}
