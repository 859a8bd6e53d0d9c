using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CreditLedger.Gateway.Tests.Webhooks;
using CreditLedger.Hosting.Postgres;
using CreditLedger.Storage;
using CreditLedger.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditLedger.Gateway.Tests.Faults;

/// <summary>
/// A scaled-out engine on this machine, as an operator runs it: a PostgreSQL cluster of its own (durable, on a fixed
/// port so that it can be stopped and started again), three silo processes and one gateway process with ADO.NET
/// clustering, and a loopback webhook receiver registered as an endpoint for every event. Settings shorten what the
/// faults wait on: membership probes, reminder periods, webhook retries and leases, the report keeper.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    public const string Key = "clk_fault_tests_key_0123456789abcdefghijk";
    public const int SiloCount = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _root;
    private readonly EmbeddedPostgresCluster _postgres;
    private readonly int _gatewayPort = GatewayProcess.FreePort();
    private readonly List<GatewayProcess> _processes = [];

    private FaultCluster(string root, EmbeddedPostgresCluster postgres)
    {
        _root = root;
        _postgres = postgres;
    }

    public GatewayProcess[] Silos { get; } = new GatewayProcess[SiloCount];

    /// <summary>Each silo's silo-to-silo port, as the membership table names it.</summary>
    public int[] SiloPorts { get; } = new int[SiloCount];

    public GatewayProcess Gateway { get; private set; } = null!;

    public Uri BaseAddress => new($"http://127.0.0.1:{_gatewayPort}");

    public WebhookReceiver Receiver { get; private set; } = null!;

    public string ConnectionString => _postgres.ConnectionString;

    public static async Task<FaultCluster> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("creditledger-faults-").FullName;
        var postgres = new EmbeddedPostgresCluster(
            new PostgresOptions { DataDirectory = Path.Combine(root, "postgres"), Port = GatewayProcess.FreePort(), Durable = true },
            NullLogger.Instance);
        var cluster = new FaultCluster(root, postgres);
        try
        {
            await postgres.StartAsync(CancellationToken.None);
            await using (var dataSource = cluster.DataSource())
            {
                await new SchemaMigrator(dataSource, NullLogger.Instance).MigrateAsync(CancellationToken.None);
            }

            cluster.Receiver = await WebhookReceiver.StartAsync();
            for (var i = 0; i < SiloCount; i++)
            {
                cluster.SiloPorts[i] = GatewayProcess.FreePort();
                cluster.Silos[i] = cluster.StartProcess(new Dictionary<string, string>
                {
                    ["CreditLedger__Role"] = "silo",
                    ["Orleans__SiloPort"] = cluster.SiloPorts[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Orleans__GatewayPort"] = GatewayProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            }

            foreach (var silo in cluster.Silos)
            {
                await silo.WaitUntilStartedAsync(StartTimeout);
            }

            await cluster.StartGatewayAsync();
            await cluster.RegisterWebhookEndpointAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a gateway on the cluster's one gateway address (again, after a kill) and waits until it is ready.</summary>
    public async Task StartGatewayAsync()
    {
        Gateway = StartProcess(new Dictionary<string, string> { ["CreditLedger__Role"] = "gateway" }, _gatewayPort);
        await Gateway.WaitUntilStartedAsync(StartTimeout);
        using var http = new HttpClient { BaseAddress = BaseAddress };
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK
                    && (await response.Content.ReadAsStringAsync()).Contains($"{SiloCount} active silo(s)", StringComparison.Ordinal);
            },
            StartTimeout,
            $"the gateway to be ready with {SiloCount} silos");
    }

    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    /// <summary>A data source of its own for each use: pooled connections do not outlive a PostgreSQL restart.</summary>
    public NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var dataSource = DataSource();
        return await dataSource.ScalarAsync<long>(sql);
    }

    /// <summary>Grants 5.00 USD to a customer of its own that no other command touches, expiring at <paramref name="expiresAt"/>: only the
    /// expiry reminder can record its expiry.</summary>
    public async Task GrantExpiringAsync(string customer, DateTimeOffset expiresAt)
    {
        using var http = Client();
        using var put = await http.PutAsync(new Uri($"/v1/customers/{customer}", UriKind.Relative), Json("""{"name":"Expiring"}"""));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var body = JsonSerializer.Serialize(new
        {
            type = "monetary", amount = "5.00", currency = "USD", reason = "Expires during the fault",
            expiresAt = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        });
        using var grant = await http.PostAsync(new Uri($"/v1/customers/{customer}/credit-grants", UriKind.Relative), Json(body));
        Assert.True(grant.StatusCode == HttpStatusCode.Created, await grant.Content.ReadAsStringAsync());
    }

    /// <summary>Stops PostgreSQL as a crash would (immediate: no checkpoint, sessions cut) and starts it again on the same port.</summary>
    public async Task RestartPostgresAsync()
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Order(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pg_ctl")).Last(File.Exists);
        string[] arguments = [pgCtl, "-D", _postgres.DataDirectory!, "-m", "immediate", "-w", "stop"];
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", .. arguments])
            : new ProcessStartInfo(arguments[0], arguments[1..]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using (var stop = Process.Start(start)!)
        {
            var output = await stop.StandardOutput.ReadToEndAsync() + await stop.StandardError.ReadToEndAsync();
            await stop.WaitForExitAsync();
            Assert.True(stop.ExitCode == 0, $"pg_ctl stop -m immediate: {output}");
        }

        await _postgres.StartAsync(CancellationToken.None);
    }

    /// <summary>The membership table's status of the silo on <paramref name="siloPort"/>'s latest generation (6 is Dead).</summary>
    public Task<long> SiloStatusAsync(int siloPort) => ScalarAsync(
        $"SELECT coalesce((SELECT status FROM orleans_membership WHERE port = {siloPort} ORDER BY generation DESC LIMIT 1), 0)");

    /// <summary>Every line any process printed that contains <paramref name="text"/> (its exception follows on the same line).</summary>
    public string OutputLinesContaining(string text) => string.Join(
        Environment.NewLine,
        _processes.SelectMany(p => p.Output.Split(Environment.NewLine)).Where(line => line.Contains(text, StringComparison.Ordinal)));

    public string OutputOfEveryProcess() => string.Join(
        Environment.NewLine,
        _processes.Select((p, i) => $"--- process {i} (pid {p.Id}, exited: {p.HasExited}) ---{Environment.NewLine}{Tail(p.Output)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await _postgres.StopAsync(CancellationToken.None);
        Directory.Delete(_root, recursive: true);
    }

    private GatewayProcess StartProcess(Dictionary<string, string> role, int? port = null)
    {
        var environment = new Dictionary<string, string>(role)
        {
            ["ConnectionStrings__Ledger"] = ConnectionString,
            ["CreditLedger__Auth__BootstrapKey"] = Key,
            ["Orleans__ClusterId"] = "faults",
            ["Orleans__ServiceId"] = "faults",
            // A silo that stops answering is declared dead after two missed one-second probes instead of three of five.
            ["Orleans__ProbeTimeout"] = "00:00:01",
            ["Orleans__NumMissedProbesLimit"] = "2",
            // A call in flight to a silo that was killed never answers: fail it after 4 s rather than 30.
            ["Orleans__ResponseTimeout"] = "00:00:04",
            ["Orleans__MinimumReminderPeriod"] = "00:00:01",
            ["CreditLedger__Customers__ExpiryReminderRetryPeriod"] = "00:00:02",
            ["CreditLedger__Webhooks__AllowPrivateTargets"] = "true",
            ["CreditLedger__Webhooks__RetrySchedule"] = "200ms,500ms,1s,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s",
            ["CreditLedger__Webhooks__PollInterval"] = "00:00:00.100",
            ["CreditLedger__Webhooks__Lease"] = "00:00:03",
            ["CreditLedger__Webhooks__Timeout"] = "00:00:02",
            ["CreditLedger__Reports__KeeperInterval"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__CreditLedger"] = "Information",
        };
        var process = GatewayProcess.Start(_root, environment, user: null, port);
        _processes.Add(process);
        return process;
    }

    private async Task RegisterWebhookEndpointAsync()
    {
        using var http = Client();
        using var response = await http.PostAsync(
            new Uri("/v1/webhook-endpoints", UriKind.Relative), Json(JsonSerializer.Serialize(new { url = Receiver.Url("faults").ToString() })));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];
}
