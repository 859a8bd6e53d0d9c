using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditLedger.Storage;

/// <summary>
/// Brings a database to the latest schema. Migrations are the numbered scripts in <c>Migrations/</c>,
/// each applied once in its own transaction and recorded with its checksum in <c>schema_migrations</c>.
/// Safe to run at every start and from several hosts at once: a PostgreSQL advisory lock serialises
/// the runs, and a run that finds everything applied changes nothing.
/// </summary>
public sealed partial class SchemaMigrator
{
    // An arbitrary constant that names the migration lock among the database's advisory locks.
    private const long AdvisoryLockKey = 0x4372_6564_4C65_6467;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public SchemaMigrator(NpgsqlDataSource dataSource, ILogger logger)
    {
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>The migrations shipped with this build, in the order they apply.</summary>
    public static IReadOnlyList<Migration> All { get; } = LoadMigrations();

    /// <summary>Applies every migration not yet applied.</summary>
    /// <returns>The versions applied by this run (empty when the schema was already current).</returns>
    /// <exception cref="InvalidOperationException">An applied migration's script has changed since, or
    /// the database has migrations this build does not know.</exception>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies every migration not yet applied up to <paramref name="upToVersion"/> (to rehearse an upgrade from an earlier schema).</summary>
    /// <returns>The versions applied by this run.</returns>
    /// <exception cref="InvalidOperationException">An applied migration's script has changed since, or
    /// the database has migrations this build does not know.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(int upToVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(
                connection,
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var unknown = applied.Keys.Except(All.Select(m => m.Version)).Order().ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The database has migrations this build does not know ({string.Join(", ", unknown)}): it was migrated by a newer version.");
            }

            var ran = new List<int>();
            foreach (var migration in All.Where(m => m.Version <= upToVersion))
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version} ({migration.Name}) has changed since it was applied. Applied migrations must never be edited; add a new one.");
                    }

                    continue;
                }

                await ApplyAsync(connection, migration, cancellationToken);
                ran.Add(migration.Version);
                LogApplied(_logger, migration.Version, migration.Name);
            }

            if (ran.Count == 0)
            {
                LogCurrent(_logger, All.Count == 0 ? 0 : All[^1].Version);
            }

            return ran;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction))
        {
            await script.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction))
        {
            record.Parameters.Add(new() { Value = migration.Version });
            record.Parameters.Add(new() { Value = migration.Name });
            record.Parameters.Add(new() { Value = migration.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("Migrations/", StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource["Migrations/".Length..^".sql".Length];
            var separator = name.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(name[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration script '{resource}' must be named NNNN_description.sql.");
            }

            var sql = ReadResource(assembly, resource);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, name, sql, checksum));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3... without gaps; found {migrations[i].Name}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current at migration {Version}; nothing to apply")]
    private static partial void LogCurrent(ILogger logger, int version);
}
