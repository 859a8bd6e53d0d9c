using CreditLedger.Hosting.Postgres;
using CreditLedger.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditLedger.Testing;

/// <summary>
/// The PostgreSQL server of a test run: the one named by the environment variable
/// <c>CREDITLEDGER_TEST_PG</c> (a connection string), or else a throwaway cluster started from the installed
/// binaries the same way the engine starts its embedded one (without fsync), stopped and deleted when the
/// test process exits. Each test class takes a database of its own from it.
/// </summary>
public static class TestPostgres
{
    public const string ConnectionStringVariable = "CREDITLEDGER_TEST_PG";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;
    private static int _databaseCounter;

    /// <summary>Creates an empty database on the test server and answers its connection string.</summary>
    public static Task<string> CreateDatabaseAsync(string purpose) => CreateDatabaseFromAsync(purpose, template: null);

    /// <summary>
    /// Creates a database migrated to the engine's schema. It is copied from a template migrated once per test
    /// process, which costs PostgreSQL a file copy instead of every migration again.
    /// </summary>
    public static async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var template = await MigratedTemplate.Value;
        return await CreateDatabaseFromAsync(purpose, template);
    }

    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateMigratedTemplateAsync);

    private static async Task<string> CreateMigratedTemplateAsync()
    {
        var connectionString = await CreateDatabaseFromAsync("template", template: null);
        // Disposing the data source closes its connections: a database is copied only while nobody is connected to it.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger.Instance).MigrateAsync(CancellationToken.None);
        }

        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    private static async Task<string> CreateDatabaseFromAsync(string purpose, string? template)
    {
        var server = await ServerAsync();
        var name = $"t_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}_{Sanitize(purpose)}";
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres" };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            var from = template is null ? string.Empty : $" TEMPLATE \"{template}\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        return builder.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, ending its sessions.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        NpgsqlConnection.ClearAllPools();
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null)
            {
                return _serverConnectionString;
            }

            var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                _serverConnectionString = configured;
                return configured;
            }

            DeleteLeftovers();
            var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
            var cluster = new EmbeddedPostgresCluster(
                new PostgresOptions { DataDirectory = Path.Combine(root, "postgres"), Durable = false },
                NullLogger.Instance);
            await cluster.StartAsync(CancellationToken.None);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                cluster.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
                TryDelete(root);
            };

            _serverConnectionString = cluster.BuildConnectionString("postgres");
            return _serverConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private const string FolderPrefix = "creditledger-tests-";

    // A test host that is stopped before its exit handler finishes leaves its cluster's folder behind (about 100 MB).
    // Folders whose process is gone and whose server is stopped are deleted when the next test process starts one.
    private static void DeleteLeftovers()
    {
        if (!OperatingSystem.IsLinux())
        {
            // Whether a process is gone is read from /proc.
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            var running = !int.TryParse(owner, out var pid) || Directory.Exists($"/proc/{pid}")
                || File.Exists(Path.Combine(folder, "postgres", "postmaster.pid"));
            if (!running)
            {
                TryDelete(folder);
            }
        }
    }

    private static string Sanitize(string purpose)
    {
        var chars = purpose.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(30).ToArray();
        return new string(chars);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
