using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CreditLedger.Gateway.Tests;
using CreditLedger.Testing;

namespace CreditLedger.EndToEnd.Tests.Grains;

/// <summary>
/// The engine as a process, killed with SIGKILL after a credit schedule was created and before its period starts,
/// so that the period starts while no engine runs: once started again, the stored reminder grants the period, once,
/// dated at its start, and neither a later command nor another kill and restart grants it again.
/// </summary>
public sealed class ScheduleCrashTests : IAsyncLifetime
{
    private const string Key = "clk_schedule_crash_test_key_0123456789ab";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("creditledger-schedule-").FullName;
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateMigratedDatabaseAsync("schedule-crash");

    public async Task DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(_database);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Fact]
    public async Task EngineKilledBeforeAPeriodStarts_RestartedReminderGrantsItOnce()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _database,
            ["CreditLedger__Auth__BootstrapKey"] = Key,
            // The restarted process takes the killed one's silo port, so it replaces it in the membership table at once.
            ["Orleans__SiloPort"] = GatewayProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__MinimumReminderPeriod"] = "00:00:01",
            ["CreditLedger__Customers__ExpiryReminderRetryPeriod"] = "00:00:01",
        };
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(_database);
        string scheduleId;
        DateTimeOffset startsAt;
        await using (var first = GatewayProcess.Start(_workingDirectory, environment))
        {
            await first.WaitUntilStartedAsync(StartTimeout);
            using var http = Client(first);
            (await http.PutAsync("/v1/customers/acme", Json("""{"name":"Acme"}"""))).EnsureSuccessStatusCode();
            startsAt = DateTimeOffset.UtcNow.AddSeconds(3);
            var body = $$"""{"type":"units","amount":"1000","unit":"api_calls","reason":"Allowance","every":"PT1M","periods":5,"startsAt":"{{startsAt.ToString("O", CultureInfo.InvariantCulture)}}"}""";
            var created = await http.PostAsync("/v1/customers/acme/credit-schedules", Json(body));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var schedule = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            scheduleId = schedule.RootElement.GetProperty("scheduleId").GetString()!;
            startsAt = schedule.RootElement.GetProperty("startsAt").GetDateTimeOffset();
            await first.KillAsync(StartTimeout);
        }

        Assert.Equal(0L, await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'acme'"));
        // The period starts while no engine runs.
        await Eventually.UntilAsync(
            async () => await dataSource.ScalarAsync<bool>("SELECT now() > $1", startsAt), TimeSpan.FromSeconds(30), "the period to start");

        await using (var second = GatewayProcess.Start(_workingDirectory, environment))
        {
            await second.WaitUntilStartedAsync(StartTimeout);
            await Eventually.UntilAsync(
                async () => await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'acme'") > 0,
                StartTimeout,
                "the restarted engine's reminder to grant the period");
            Assert.Equal(
                [$"1 granted {scheduleId}:p0 reminder"],
                await dataSource.StringsAsync("SELECT seq || ' ' || kind || ' ' || grant_id || ' ' || source FROM ledger_entries WHERE customer_id = 'acme'"));
            Assert.Equal(
                (startsAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond,
                await dataSource.ScalarAsync<long>("SELECT (extract(epoch FROM occurred_at) * 1000000)::bigint FROM ledger_entries WHERE customer_id = 'acme'"));

            using var http = Client(second);
            var grant = await http.PostAsync("/v1/customers/acme/credit-grants", Json("""{"type":"units","amount":"5","unit":"api_calls","reason":"Extra"}"""));
            Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
            await second.KillAsync(StartTimeout);
        }

        await using (var third = GatewayProcess.Start(_workingDirectory, environment))
        {
            await third.WaitUntilStartedAsync(StartTimeout);
            using var http = Client(third);
            using var read = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/v1/customers/acme/credit-schedules/{scheduleId}", UriKind.Relative)));
            Assert.Equal(1, read.RootElement.GetProperty("periodsGranted").GetInt32());
        }

        Assert.Equal(1L, await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE grant_id = $1", $"{scheduleId}:p0"));
        Assert.Equal(2L, await dataSource.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE customer_id = 'acme'"));
    }

    private static HttpClient Client(GatewayProcess process)
    {
        var http = new HttpClient { BaseAddress = process.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
