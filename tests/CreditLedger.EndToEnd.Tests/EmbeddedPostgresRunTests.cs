using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CreditLedger.Hosting.Postgres;
using CreditLedger.Testing;

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// The default run, <c>dotnet run --project src/CreditLedger.Gateway</c>, as separate processes in a fresh
/// working directory: the embedded PostgreSQL cluster is created, reused across restarts and after the host
/// is killed, skipped when a connection string is set, and its absence is reported in one message.
/// </summary>
public sealed class EmbeddedPostgresRunTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool IsRoot = Environment.IsPrivilegedProcess;

    private readonly List<string> _dataDirectories = [];
    private string _workingDirectory = string.Empty;

    public Task InitializeAsync()
    {
        // Like a clone in a home folder: readable by other users, writable by its owner.
        _workingDirectory = Directory.CreateTempSubdirectory("creditledger-run-").FullName;
        File.SetUnixFileMode(
            _workingDirectory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var dataDirectory in _dataDirectories.Append(DefaultDataDirectory))
        {
            await StopClusterAsync(dataDirectory);
        }

        Directory.Delete(_workingDirectory, recursive: true);
    }

    private string DefaultDataDirectory => Path.Combine(_workingDirectory, ".data", "postgres");

    [Fact]
    public async Task Run_FreshFolder_CreatesClusterThenReusesItAfterRestartAndAfterKill()
    {
        await using (var first = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>()))
        {
            await first.WaitUntilStartedAsync(StartTimeout);
            Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(first)).Status);
            Assert.Contains("Created a PostgreSQL cluster", first.Output, StringComparison.Ordinal);
            Assert.Contains("Applied schema migration 1", first.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(DefaultDataDirectory, "PG_VERSION")), "The cluster lives in .data/postgres under the working directory.");
            // The key ring lives in the database: it is read once the database has started, never before.
            Assert.DoesNotContain("error occurred while reading the key ring", first.Output, StringComparison.Ordinal);

            await first.StopAsync(StopTimeout);
            Assert.Equal(0, first.ExitCode);
            Assert.Contains("Stopped PostgreSQL", first.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(DefaultDataDirectory, "postmaster.pid")), "Stopping the host stops PostgreSQL.");
        }

        await using (var second = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>()))
        {
            await second.WaitUntilStartedAsync(StartTimeout);
            Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(second)).Status);
            Assert.DoesNotContain("Created a PostgreSQL cluster", second.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Applied schema migration", second.Output, StringComparison.Ordinal);
            Assert.Contains("Schema is current", second.Output, StringComparison.Ordinal);

            await second.KillAsync(StopTimeout);
            Assert.True(File.Exists(Path.Combine(DefaultDataDirectory, "postmaster.pid")), "A killed host leaves PostgreSQL running.");
        }

        await using var third = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>());
        await third.WaitUntilStartedAsync(StartTimeout);
        Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(third)).Status);
        Assert.Contains("Reusing the PostgreSQL server already running", third.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Created a PostgreSQL cluster", third.Output, StringComparison.Ordinal);

        // PostgreSQL going away makes the host unready, with the reason.
        await StopClusterAsync(DefaultDataDirectory);
        var unready = await GetReadyAsync(third);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.Status);
        Assert.Equal("Unhealthy", unready.Body.RootElement.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        await third.StopAsync(StopTimeout);
    }

    [Fact]
    public async Task Run_AsOrdinaryUser_CreatesAndStopsItsOwnCluster()
    {
        // As root the host is started as the postgres user, an ordinary account; otherwise the test
        // runner's own account is the ordinary user.
        var user = IsRoot ? "postgres" : null;
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:", _workingDirectory);
        }

        await using var gateway = GatewayProcess.Start(_workingDirectory, new Dictionary<string, string>(), user);
        await gateway.WaitUntilStartedAsync(StartTimeout);

        Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(gateway)).Status);
        Assert.Contains("Created a PostgreSQL cluster", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", gateway.Output, StringComparison.Ordinal);
        await gateway.StopAsync(StopTimeout);
        Assert.Contains("Stopped PostgreSQL", gateway.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(DefaultDataDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task Run_DataFolderOutOfPostgresUsersReach_UsesAReachableFolderWhenRoot()
    {
        // A folder only its owner may enter, like a clone under /root.
        var privateParent = Path.Combine(_workingDirectory, "private");
        Directory.CreateDirectory(privateParent);
        File.SetUnixFileMode(privateParent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var requested = Path.Combine(privateParent, "pg");

        await using var gateway = GatewayProcess.Start(
            _workingDirectory,
            new Dictionary<string, string> { ["CreditLedger__Postgres__DataDirectory"] = requested });
        await gateway.WaitUntilStartedAsync(StartTimeout);
        Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(gateway)).Status);

        if (IsRoot)
        {
            var line = gateway.Output.Split(Environment.NewLine).Single(l => l.Contains("cannot reach", StringComparison.Ordinal));
            var fallback = line[(line.IndexOf("lives in ", StringComparison.Ordinal) + "lives in ".Length)..].Split(' ')[0];
            _dataDirectories.Add(fallback);
            Assert.StartsWith("/var/tmp/creditledger/", fallback, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(fallback, "PG_VERSION")));
            Assert.False(Directory.Exists(requested));
        }
        else
        {
            _dataDirectories.Add(requested);
            Assert.True(File.Exists(Path.Combine(requested, "PG_VERSION")));
        }

        await gateway.StopAsync(StopTimeout);
        if (IsRoot)
        {
            Directory.Delete(Path.GetDirectoryName(_dataDirectories[^1])!, recursive: true);
            _dataDirectories.Clear();
        }
    }

    [Fact]
    public async Task Run_ConnectionStringConfigured_UsesThatServerAndStartsNoCluster()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync(nameof(Run_ConnectionStringConfigured_UsesThatServerAndStartsNoCluster));
        try
        {
            await using var gateway = GatewayProcess.Start(
                _workingDirectory,
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Ledger"] = connectionString,
                    ["Orleans__Clustering"] = "localhost",
                    ["Orleans__ClusterId"] = "configured-server",
                });
            await gateway.WaitUntilStartedAsync(StartTimeout);

            Assert.Equal(HttpStatusCode.OK, (await GetReadyAsync(gateway)).Status);
            Assert.Contains("Using the PostgreSQL server of ConnectionStrings:Ledger", gateway.Output, StringComparison.Ordinal);
            // Localhost clustering was asked for explicitly with a shared database: allowed, with a warning.
            Assert.Contains("Orleans:Clustering=localhost with ConnectionStrings:Ledger", gateway.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(_workingDirectory, ".data", "postgres")), "No embedded cluster is created.");
            // The key ring's certificate is outside the database, in the working directory's data folder.
            var keyRing = Path.Combine(_workingDirectory, ".data", "keyring.pfx");
            Assert.True(File.Exists(keyRing), "The key ring certificate is created at the first start.");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyRing));
            await gateway.StopAsync(StopTimeout);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Run_NoPostgresBinaries_ExitsWithOneClearMessage()
    {
        await using var gateway = GatewayProcess.Start(
            _workingDirectory,
            new Dictionary<string, string> { ["CreditLedger__Postgres__BinDirectory"] = "/nonexistent/postgresql/bin" });

        await gateway.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, gateway.ExitCode);
        var line = Assert.Single(gateway.Output.Split(Environment.NewLine), l => !string.IsNullOrWhiteSpace(l));
        Assert.StartsWith("CreditLedger cannot start:", line, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/postgresql/bin", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, ".data")));
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> GetReadyAsync(GatewayProcess gateway)
    {
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static async Task StopClusterAsync(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        var pgCtl = PostgresBinaries.Locate(null).PgCtl;
        if (IsRoot)
        {
            await RunAsync("runuser", "-u", "postgres", "--", pgCtl, "-D", dataDirectory, "-m", "fast", "-w", "stop");
        }
        else
        {
            await RunAsync(pgCtl, "-D", dataDirectory, "-m", "fast", "-w", "stop");
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
