using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CreditLedger.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditLedger.Hosting.Postgres;

/// <summary>
/// A private PostgreSQL cluster run from the installed server binaries: created on first use (initdb),
/// started on a loopback port, reused when a previous host left it running, and stopped on request.
/// As root the binaries run as the <c>postgres</c> user, which must own and reach the data folder.
/// </summary>
/// <remarks>
/// The cluster listens only on 127.0.0.1 and has no Unix socket, so the socket path length limit never
/// applies. Authentication is <c>trust</c>: the cluster is a local development and test server.
/// </remarks>
public sealed partial class EmbeddedPostgresCluster : ILocalPostgresServer
{
    private const string PostgresUser = "postgres";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresOptions _options;
    private readonly ILogger _logger;
    private readonly bool _isRoot;
    private PostgresBinaries? _binaries;

    public EmbeddedPostgresCluster(PostgresOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _isRoot = Environment.IsPrivilegedProcess;
    }

    /// <summary>The data folder in use (after <see cref="StartAsync"/>); as root it may differ from the configured one.</summary>
    public string? DataDirectory { get; private set; }

    /// <summary>The loopback port the server listens on (after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Whether this start created the cluster (initdb ran).</summary>
    public bool Created { get; private set; }

    /// <summary>Whether this start found the server already running and reused it.</summary>
    public bool Reused { get; private set; }

    /// <summary>The connection string of the engine's database (after <see cref="StartAsync"/>).</summary>
    public string ConnectionString => BuildConnectionString(_options.Database);

    /// <summary>
    /// Creates the cluster if needed, starts it unless it is already running, and creates the engine's database.
    /// </summary>
    /// <exception cref="PostgresNotFoundException">No server binaries were found.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _binaries = PostgresBinaries.Locate(_options.BinDirectory);
        var dataDirectory = await ResolveDataDirectoryAsync(cancellationToken);
        DataDirectory = dataDirectory;

        // Two hosts sharing a data folder take turns, so one never sees the other's half-made cluster.
        await using var folderLock = await FolderLock.AcquireAsync(dataDirectory + ".lock", cancellationToken);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(dataDirectory, cancellationToken);
            Created = true;
        }

        var runningPort = await FindRunningServerPortAsync(dataDirectory, cancellationToken);
        if (runningPort is { } port)
        {
            Port = port;
            Reused = true;
            LogReusing(_logger, dataDirectory, port);
        }
        else
        {
            Port = await StartServerAsync(dataDirectory, cancellationToken);
            LogStarted(_logger, dataDirectory, Port);
        }

        await WaitUntilAcceptingAsync(cancellationToken);
        await EnsureDatabaseAsync(cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended, committed data is kept).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_binaries is null || DataDirectory is null)
        {
            return;
        }

        var result = await RunAsync(_binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);
        if (result.Succeeded)
        {
            LogStopped(_logger, DataDirectory);
        }
        else if (!result.Output.Contains("is the server running?", StringComparison.Ordinal))
        {
            LogStopFailed(_logger, DataDirectory, result.Output);
        }
    }

    /// <inheritdoc />
    string ILocalPostgresServer.Description => $"embedded cluster in {DataDirectory} on 127.0.0.1:{Port}";

    /// <inheritdoc />
    async Task<string> ILocalPostgresServer.StartAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        return ConnectionString;
    }

    /// <summary>A connection string for <paramref name="database"/> in this cluster.</summary>
    public string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = PostgresUser,
        Database = database,
        Timezone = "UTC",
    }.ConnectionString;

    // Start-up checks connect without the pool: a pooled connection would outlive a restart of the server
    // and fail on its first use afterwards.
    private string AdministrationConnectionString() =>
        new NpgsqlConnectionStringBuilder(BuildConnectionString("postgres")) { Pooling = false }.ConnectionString;

    private async Task<string> ResolveDataDirectoryAsync(CancellationToken cancellationToken)
    {
        var requested = Path.GetFullPath(_options.DataDirectory);
        if (!_isRoot)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(requested)!);
            return requested;
        }

        if (await PostgresUserCanUseAsync(requested, cancellationToken))
        {
            return requested;
        }

        // A clone under /root is out of the postgres user's reach. Use a folder it can reach, named after
        // the requested one so that every run from the same folder finds the same cluster again.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
        var fallback = Path.Combine("/var/tmp/creditledger", hash, "postgres");
        if (!await PostgresUserCanUseAsync(fallback, cancellationToken))
        {
            throw new InvalidOperationException(
                $"The postgres user can reach neither {requested} nor {fallback}. " +
                "Set CreditLedger:Postgres:DataDirectory to a folder the postgres user can write.");
        }

        LogFallbackDirectory(_logger, requested, fallback);
        return fallback;
    }

    private static async Task<bool> PostgresUserCanUseAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(dataDirectory)!;
        if (!Directory.Exists(parent))
        {
            // A folder the engine creates for the cluster belongs to the postgres user. Folders that
            // existed before keep their owner.
            Directory.CreateDirectory(parent);
            var chown = await ProcessRunner.RunAsync("chown", [$"{PostgresUser}:", parent], user: null, cancellationToken);
            if (!chown.Succeeded)
            {
                return false;
            }
        }

        var target = Directory.Exists(dataDirectory) ? dataDirectory : parent;
        var check = await ProcessRunner.RunAsync("test", ["-w", target, "-a", "-x", target], PostgresUser, cancellationToken);
        return check.Succeeded;
    }

    private async Task InitializeAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        // initdb writes into a scratch folder that becomes the data folder only when complete, so a host
        // killed during initdb leaves nothing that looks like a cluster.
        var scratch = dataDirectory + ".initializing";
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        var result = await RunAsync(
            _binaries!.InitDb,
            ["-D", scratch, "-U", PostgresUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-instructions"],
            cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed for {dataDirectory}: {result.Output}");
        }

        // Settings that hold for every start. The port is chosen at each start.
        await File.AppendAllTextAsync(
            Path.Combine(scratch, "postgresql.conf"),
            """

            # CreditLedger embedded cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            timezone = 'UTC'
            max_connections = 200
            """,
            cancellationToken);

        Directory.Move(scratch, dataDirectory);
        LogCreated(_logger, dataDirectory);
    }

    private async Task<int?> FindRunningServerPortAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        // postmaster.pid: line 1 is the pid, line 4 the port. A pid file whose process is gone is stale;
        // pg_ctl start deals with it.
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        if (lines.Length < 4
            || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
            || !IsAlive(pid))
        {
            return null;
        }

        var status = await RunAsync(_binaries!.PgCtl, ["-D", dataDirectory, "status"], cancellationToken);
        return status.Succeeded ? port : null;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task<int> StartServerAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = _options.Port > 0 ? _options.Port : FreeLoopbackPort();
            var serverOptions = $"-p {port.ToString(CultureInfo.InvariantCulture)} -c max_connections={_options.MaxConnections.ToString(CultureInfo.InvariantCulture)}";
            if (!_options.Durable)
            {
                serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            }

            var logFile = Path.Combine(dataDirectory, "server.log");
            var result = await RunAsync(
                _binaries!.PgCtl,
                ["-D", dataDirectory, "-l", logFile, "-w", "-t", ((int)ReadyTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-o", serverOptions, "start"],
                cancellationToken);
            if (result.Succeeded)
            {
                return port;
            }

            var log = ReadTail(logFile);
            var portTaken = log.Contains("could not bind", StringComparison.Ordinal)
                || log.Contains("Address already in use", StringComparison.Ordinal);
            if (!portTaken || _options.Port > 0 || attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL did not start in {dataDirectory} on port {port}: {result.Output}{Environment.NewLine}{log}");
            }
        }
    }

    private static string ReadTail(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join(Environment.NewLine, lines.TakeLast(20));
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdministrationConnectionString());
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < ReadyTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = _options.Database;
        if (!DatabaseName().IsMatch(database))
        {
            throw new InvalidOperationException(
                $"CreditLedger:Postgres:Database '{database}' must match {DatabaseName()}.");
        }

        await using var connection = new NpgsqlConnection(AdministrationConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // The name is checked above: CREATE DATABASE takes no parameters.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another host created it first.
        }
    }

    private Task<ProcessRunner.Result> RunAsync(string program, string[] arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(program, arguments, _isRoot ? PostgresUser : null, cancellationToken);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogCreated(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started PostgreSQL from {DataDirectory} on 127.0.0.1:{Port}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the PostgreSQL server already running from {DataDirectory} on 127.0.0.1:{Port}")]
    private static partial void LogReusing(ILogger logger, string dataDirectory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped PostgreSQL in {DataDirectory}")]
    private static partial void LogStopped(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping PostgreSQL in {DataDirectory} failed: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string dataDirectory, string output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The postgres user cannot reach {Requested} (running as root); the cluster lives in {Fallback} instead")]
    private static partial void LogFallbackDirectory(ILogger logger, string requested, string fallback);
}
