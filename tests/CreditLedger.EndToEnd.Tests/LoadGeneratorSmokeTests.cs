extern alias LoadGenerator;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CreditLedger.Testing;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The load generator run briefly against the engine running as a process, every scenario, so it cannot rot:
/// it seeds, drives the scenario open loop, writes its summary, chart and attempts, and its ledger check passes.
/// </summary>
public sealed class LoadGeneratorSmokeTests : IAsyncLifetime
{
    private const string Key = "clk_load_smoke_test_key_0123456789abcdef";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("creditledger-load-").FullName;
    private string _database = string.Empty;
    private GatewayProcess _engine = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateMigratedDatabaseAsync("load-smoke");
        _engine = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>
        {
            ["ConnectionStrings__Ledger"] = _database,
            ["CreditLedger__Auth__BootstrapKey"] = Key,
        });
        await _engine.WaitUntilStartedAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
        Directory.Delete(_workingDirectory, recursive: true);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("hot")]
    [InlineData("mixed")]
    public async Task Scenario_ShortRun_PassesItsLedgerCheckAndWritesResults(string scenario)
    {
        var output = Path.Combine(_workingDirectory, scenario);

        await RunGeneratorAsync(
            "--scenario", scenario, "--rate", "100", "--duration", "2", "--warmup", "0.5", "--customers", "10", "--database", _database, "--out", output);

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("ledgerCheckPassed").GetBoolean());
        Assert.Equal(200, summary.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("errors").GetInt64());
        Assert.StartsWith("<svg", await File.ReadAllTextAsync(Path.Combine(output, "latency.svg")), StringComparison.Ordinal);

        // The generator's own collection pauses in the measured run: reported, and within the run's duration.
        var pauseMs = summary.RootElement.GetProperty("generatorGcPauseMs").GetDouble();
        Assert.InRange(pauseMs, 0, summary.RootElement.GetProperty("durationSeconds").GetDouble() * 1000);
        Assert.True(summary.RootElement.GetProperty("generatorGen2Collections").GetInt32() >= 0);

        // Every attempt, warm-up (before the measured start, negative) and measured, each ending after it started.
        var attempts = (await File.ReadAllLinesAsync(Path.Combine(output, "attempts.csv"))).ToList();
        Assert.Equal("started_ms,ended_ms,error", attempts[0]);
        var rows = attempts.Skip(1).Select(line => line.Split(',')).ToList();
        var started = rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        var ended = rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(50, started.Count(s => s < 0));
        Assert.Equal(200, started.Count(s => s >= 0));
        Assert.All(started.Zip(ended), a => Assert.True(a.Second >= a.First, $"an attempt ended ({a.Second} ms) before it started ({a.First} ms)"));
        Assert.All(rows, r => Assert.Equal(string.Empty, r[2]));
        Assert.Equal(started.Order().ToList(), started);
    }

    [Fact]
    public async Task ExpiryScenario_ShortRun_EveryExpiryRecordedAndQueued()
    {
        var output = Path.Combine(_workingDirectory, "expiry");

        await RunGeneratorAsync("--scenario", "expiry", "--duration", "4", "--customers", "10", "--database", _database, "--out", output);

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        Assert.Equal(10, summary.RootElement.GetProperty("grants").GetInt32());
        Assert.Equal(JsonValueKind.Number, summary.RootElement.GetProperty("entriesRecordedAfterSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Number, summary.RootElement.GetProperty("eventsQueuedAfterSeconds").ValueKind);
    }

    // Two boundaries a minute apart: the run takes a little over a minute.
    [Fact]
    public async Task ScheduleScenario_ShortRun_EveryPeriodGrantedOnceWithinTheBound()
    {
        var output = Path.Combine(_workingDirectory, "schedule");

        await RunGeneratorAsync("--scenario", "schedule", "--duration", "4", "--customers", "10", "--database", _database, "--out", output);

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(
            [(0, 10L, 0L), (1, 10L, 0L)],
            summary.RootElement.GetProperty("boundaries").EnumerateArray()
                .Select(b => (b.GetProperty("period").GetInt32(), b.GetProperty("granted").GetInt64(), b.GetProperty("grantedTwice").GetInt64())));
    }

    [Fact]
    public async Task LedgerCheck_ApplyMissingOrDifferentInTheLedger_IsReported()
    {
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(_database))
        await using (var invoice = dataSource.CreateCommand("""
            INSERT INTO invoices (customer_id, invoice_id, status, lines, applications, applied_version, applied_at, updated_version, updated_at)
            VALUES ('check-only', 'inv_recorded', 'pending', '[]', '[]', 0, now(), 0, now())
            """))
        {
            await invoice.ExecuteNonQueryAsync();
        }

        var failures = await LoadGenerator::CreditLedger.LoadTests.LedgerCheck.RunAsync(
            _database, ["check-only"], [("check-only", "inv_recorded", 1.00m), ("check-only", "inv_unknown", 2.00m)]);

        Assert.Equal(
            ["apply check-only/inv_recorded answered 1.00 but the ledger holds 0", "apply check-only/inv_unknown answered 2.00 but the ledger has no record of its invoice"],
            failures);
    }

    // Runs the generator against the engine; it must exit 0.
    private async Task RunGeneratorAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(GatewayProcess.BuiltAssemblyPath(Path.Combine("loadtests", "CreditLedger.LoadTests"), "CreditLedger.LoadTests.dll"));
        foreach (var argument in new[] { "--url", _engine.BaseAddress.ToString(), "--key", Key }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout} {await stderr}");
    }
}
