extern alias LoadGenerator;

using CreditLedger.Testing;
using System.Diagnostics;
using System.Globalization;
using CreditLedger.Gateway.Api;
using CreditLedger.Gateway.Tests.Reports;
using Xunit.Abstractions;
using Attempt = LoadGenerator::CreditLedger.LoadTests.OpenLoopRun.Attempt;

namespace CreditLedger.Gateway.Tests.Faults;

/// <summary>The fault tests run one at a time and alone: each runs five processes and a PostgreSQL of its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTestGroup
{
    public const string Name = "Faults";
}

/// <summary>
/// Faults under load on a real cluster (three silo processes, one gateway process, a PostgreSQL of the test's own),
/// driven at a steady rate by the load generator whose client retries failed requests with the same invoice id:
/// a silo killed, the gateway killed and replaced, PostgreSQL crashed and restarted, a silo paused past its
/// membership timeout and resumed, a silo stopped gracefully, the gateway stopped gracefully and replaced. After each: every request finally succeeded, every
/// apply is in the ledger exactly once (none doubled by retries), versions are gapless, grants conserve, the report
/// equals the ledger's sums, every webhook event arrived, and an expiry due during the fault was recorded by its
/// reminder. Each prints what it checked, the error rate and the recovery time.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class FaultTests(ITestOutputHelper output)
{
    /// <summary>How far into the steady load the fault comes.</summary>
    private static readonly TimeSpan FaultAfter = TimeSpan.FromSeconds(4);

    /// <summary>The expiring grant runs out this long after the fault, while the cluster is still recovering.</summary>
    private static readonly TimeSpan ExpiryAfterFault = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SiloKilled_UnderLoad_NothingLostOrDoubled()
    {
        await using var cluster = await FaultCluster.StartAsync();

        await RunAndVerifyAsync(cluster, "kill -9 of silo 2", () => cluster.Silos[1].KillAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task GatewayKilled_NewGatewayStarted_NothingLostOrDoubled()
    {
        await using var cluster = await FaultCluster.StartAsync();

        await RunAndVerifyAsync(cluster, "kill -9 of the gateway, then a new gateway on the same address", async () =>
        {
            await cluster.Gateway.KillAsync(TimeSpan.FromSeconds(10));
            await cluster.StartGatewayAsync();
        });
    }

    [Fact]
    public async Task PostgresRestarted_UnderLoad_NothingLostOrDoubled()
    {
        await using var cluster = await FaultCluster.StartAsync();

        var elapsed = Stopwatch.StartNew();
        var failedAttempts = await RunAndVerifyAsync(cluster, "PostgreSQL stopped -m immediate and started again", cluster.RestartPostgresAsync);

        // Every request and retry during the outage is answered 503; the gateway says so in one warning per interval
        // (with the count of the others), not one log entry per answer, which would flood the log when it matters most.
        var log = cluster.Gateway.Output.Split(Environment.NewLine);
        var warnings = log.Count(line => line.Contains("Answered 503 to", StringComparison.Ordinal));
        var answered503 = failedAttempts.Count(a => a.Error == "HTTP 503");
        output.WriteLine($"The gateway answered 503 {answered503} times and logged {warnings} warnings about it in {elapsed.Elapsed.TotalSeconds:0} s ({log.Length} log lines in all).");
        Assert.DoesNotContain(log, line => line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        Assert.InRange(warnings, answered503 > 0 ? 1 : 0, (int)(elapsed.Elapsed / ApiEndpoints.UnavailableWarningInterval) + 1);
    }

    [Fact]
    public async Task SiloPausedPastMembershipTimeout_Resumed_NothingLostOrDoubled()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var paused = cluster.Silos[1];
        var declaredDead = TimeSpan.Zero;

        await RunAndVerifyAsync(cluster, "SIGSTOP of silo 2 until the cluster declares it dead, then SIGCONT", async () =>
        {
            var pausedAt = Stopwatch.GetTimestamp();
            await paused.SignalAsync("STOP");
            await Eventually.UntilAsync(
                async () => await cluster.SiloStatusAsync(cluster.SiloPorts[1]) == DeadStatus, TimeSpan.FromSeconds(60), "the paused silo to be declared dead");
            declaredDead = Stopwatch.GetElapsedTime(pausedAt);
            await paused.SignalAsync("CONT");
        });

        // Resumed, the silo learns that the cluster declared it dead and must stop rather than keep serving copies of its
        // grains; Orleans ends such a process abruptly (exit code 134) when it next reads the membership table.
        var resumedFor = Stopwatch.StartNew();
        await paused.WaitForExitAsync(TimeSpan.FromSeconds(75));
        output.WriteLine(
            $"The paused silo was declared dead {declaredDead.TotalSeconds:0.0} s after SIGSTOP; resumed, it stopped itself (exit code {paused.ExitCode}) within {resumedFor.Elapsed.TotalSeconds:0.0} s after the load ended.");
        Assert.Equal(DeadStatus, await cluster.SiloStatusAsync(cluster.SiloPorts[1]));
    }

    [Fact]
    public async Task SiloStoppedGracefully_UnderLoad_DrainsAndExitsZero()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var stopping = cluster.Silos[1];
        var stoppedIn = TimeSpan.Zero;

        var failedAttempts = await RunAndVerifyAsync(cluster, "SIGTERM of silo 2 (graceful stop)", async () =>
        {
            var signalledAt = Stopwatch.GetTimestamp();
            await stopping.StopAsync(TimeSpan.FromSeconds(45));
            stoppedIn = Stopwatch.GetElapsedTime(signalledAt);
        });

        output.WriteLine($"The silo exited with {stopping.ExitCode} {stoppedIn.TotalSeconds:0.0} s after SIGTERM.");
        Assert.Equal(0, stopping.ExitCode);
        Assert.True(stoppedIn < TimeSpan.FromSeconds(35), $"The silo took {stoppedIn.TotalSeconds:0.0} s to stop.");
        // A silo that leaves on purpose says so in the membership table (Dead, not merely gone).
        Assert.Equal(DeadStatus, await cluster.SiloStatusAsync(cluster.SiloPorts[1]));
        output.WriteLine($"Failed attempts during the graceful stop (each retried until it succeeded): {Describe(failedAttempts)}.");
    }

    [Fact]
    public async Task GatewayStoppedGracefully_NewGatewayStarted_ExitsZeroAndNothingLost()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var stopping = cluster.Gateway;
        var stoppedIn = TimeSpan.Zero;
        var signalledAt = 0L;

        var failedAttempts = await RunAndVerifyAsync(cluster, "SIGTERM of the gateway (graceful stop), then a new gateway on the same address", async () =>
        {
            signalledAt = Stopwatch.GetTimestamp();
            await stopping.StopAsync(TimeSpan.FromSeconds(45));
            stoppedIn = Stopwatch.GetElapsedTime(signalledAt);
            await cluster.StartGatewayAsync();
        });

        output.WriteLine($"The gateway exited with {stopping.ExitCode} {stoppedIn.TotalSeconds:0.0} s after SIGTERM; failed attempts (then retried): {Describe(failedAttempts)}.");
        Assert.Equal(0, stopping.ExitCode);
        // Kestrel drains: the requests in flight when the signal came are answered. An attempt sent just then may
        // find the listener closed (connection refused), but none may be cut off mid-request.
        Assert.All(failedAttempts.Where(a => a.StartedTimestamp < signalledAt), a => Assert.Equal("ConnectionError", a.Error));
        Assert.True(stoppedIn < TimeSpan.FromSeconds(35), $"The gateway took {stoppedIn.TotalSeconds:0.0} s to stop.");
    }

    private const long DeadStatus = 6;

    private static string Describe(IReadOnlyList<Attempt> failed) =>
        failed.Count == 0 ? "none" : $"{failed.Count} ({string.Join(", ", failed.GroupBy(a => a.Error).Select(g => $"{g.Key}: {g.Count()}"))})";

    /// <summary>Seeds, starts the load, injects the fault a few seconds in, lets the load finish, checks everything; answers the failed attempts.</summary>
    private async Task<IReadOnlyList<Attempt>> RunAndVerifyAsync(FaultCluster cluster, string fault, Func<Task> inject)
    {
        var total = Stopwatch.StartNew();
        using var load = new FaultLoad(cluster);
        await load.SeedAsync();
        if (!load.SeedRetries.IsEmpty)
        {
            output.WriteLine($"Seeding was retried {load.SeedRetries.Count} times before the fault: {string.Join("; ", load.SeedRetries.Distinct())}");
        }

        var expiring = load.RunId + "-expiring";
        await cluster.GrantExpiringAsync(expiring, DateTimeOffset.UtcNow + FaultAfter + ExpiryAfterFault);

        var running = load.RunAsync();
        await Eventually.UntilAsync(
            () => Task.FromResult(load.AttemptsEnded >= FaultLoad.Rate * FaultAfter.TotalSeconds * 0.9), TimeSpan.FromSeconds(30), "the load to run steadily before the fault");
        var faultAt = Stopwatch.GetTimestamp();
        await inject();
        var injected = Stopwatch.GetElapsedTime(faultAt);
        await running;
        var recovery = load.RecoveryAfter(faultAt);

        output.WriteLine($"Fault: {fault} (took {injected.TotalSeconds:0.0} s), {FaultAfter.TotalSeconds:0} s into {FaultLoad.Duration.TotalSeconds:0} s of applies at {FaultLoad.Rate:0}/s over {load.Customers.Count} customers.");
        output.WriteLine($"Requests: {load.Requests}; failed after retries: {load.FailedRequests}; attempts: {load.AttemptsEnded}, retries: {load.Run.Retries}.");
        output.WriteLine($"Error rate per attempt: {100.0 * load.FailedAttempts / load.AttemptsEnded:0.00}% ({load.FailedAttempts} failed: {(load.FailedAttempts == 0 ? "none" : load.FailedAttemptsByError)}); per request after retries: {100.0 * load.FailedRequests / load.Requests:0.00}%.");
        output.WriteLine(
            $"Recovery time: {recovery.TotalSeconds:0.0} s from the fault until the last attempt that failed or took over {FaultLoad.Slow.TotalSeconds:0} s ended; longest request {load.MaxLatencyMs:0} ms (retries included).");
        output.WriteLine($"Attempts per second from the fault (started:succeeded/failed): {load.Timeline(faultAt)}");

        Assert.True(load.FailedRequests == 0, $"{load.FailedRequests} requests failed after retries ({load.FailedAttemptsByError}).{Environment.NewLine}{cluster.OutputOfEveryProcess()}");

        // Infrastructure failures are 503 "retry"; a 500 would mean an error the engine did not recognise as one.
        Assert.True(
            !load.Run.Attempts.Any(a => a.Error == "HTTP 500"),
            $"Some attempts were answered 500:{Environment.NewLine}{cluster.OutputLinesContaining("Answered 500")}{Environment.NewLine}{cluster.OutputOfEveryProcess()}");

        var violations = await load.LedgerCheckAsync(cluster.ConnectionString);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        output.WriteLine($"Checked: all {load.Run.AppliedOk.Count} applies answered 200 are in the ledger exactly once with the amount answered; versions gapless; grants conserve.");

        var prefix = load.RunId + "-%";
        var invoices = await cluster.ScalarAsync($"SELECT count(*) FROM invoices WHERE customer_id LIKE '{prefix}'");
        var doubled = await cluster.ScalarAsync(
            $"SELECT count(*) FROM (SELECT 1 FROM ledger_entries WHERE customer_id LIKE '{prefix}' AND kind = 'applied' GROUP BY customer_id, invoice_id HAVING -sum(amount) <> 1.00) d");
        Assert.Equal((load.Requests, 0L), (invoices, doubled));
        output.WriteLine($"Checked: each of the {load.Requests} invoices sent exists once and has exactly 1.00 applied (no apply doubled by a retry).");

        await Eventually.UntilAsync(
            async () => await cluster.ScalarAsync($"SELECT count(*) FROM ledger_entries WHERE customer_id = '{expiring}' AND kind = 'expired' AND source = 'reminder'") > 0,
            CheckTimeout,
            "the expiry due during the fault to be recorded by its reminder");
        Assert.Equal(1, await cluster.ScalarAsync($"SELECT count(*) FROM ledger_entries WHERE customer_id = '{expiring}' AND kind = 'expired'"));
        output.WriteLine("Checked: the grant that expired during the fault has exactly one expiry entry, recorded by its reminder.");

        await AssertReportEqualsLedgerAsync(cluster);
        output.WriteLine("Checked: report lag reached 0 and the credits report (by credit type and by customer) equals SQL sums over ledger_entries.");

        var events = await cluster.ScalarAsync("SELECT count(*) FROM credit_events");
        await Eventually.UntilAsync(
            async () =>
            {
                var received = cluster.Receiver.For("faults").Select(r => r.Headers.GetValueOrDefault("webhook-id")).ToHashSet(StringComparer.Ordinal);
                await using var dataSource = cluster.DataSource();
                return (await dataSource.StringsAsync("SELECT event_id FROM credit_events")).All(received.Contains);
            },
            CheckTimeout,
            "every event the ledger holds to reach the webhook receiver");
        output.WriteLine($"Checked: all {events} events the ledger holds reached the webhook receiver ({cluster.Receiver.For("faults").Count()} deliveries received).");
        output.WriteLine($"Test time {total.Elapsed.TotalSeconds:0} s.");
        return [.. load.Run.Attempts.Where(a => a.Error is not null)];
    }

    private static async Task AssertReportEqualsLedgerAsync(FaultCluster cluster)
    {
        await Eventually.UntilAsync(
            async () => await cluster.ScalarAsync(
                "SELECT count(*) FROM ledger_entries e, report_checkpoint c WHERE c.name = 'credits' AND (e.tx_id, e.customer_id, e.seq) <= (c.tx_id, c.customer_id, c.seq)")
                == await cluster.ScalarAsync("SELECT count(*) FROM ledger_entries"),
            CheckTimeout,
            "the report to fold every ledger entry");
        using var http = cluster.Client();
        await using var dataSource = cluster.DataSource();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var groupBy in new[] { "creditType", "customer" })
        {
            var report = await LedgerSums.AllPagesAsync(http, $"/v1/reports/credits?from={today}&to={today}&groupBy={groupBy}");
            Assert.Equal(0, report.GetProperty("lagSeconds").GetDouble());
            LedgerSums.AssertEqual(await LedgerSums.ExpectedAsync(dataSource, groupBy), LedgerSums.Actual(report, groupBy));
        }
    }
}
