using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditLedger.Storage;

/// <summary>
/// The engine's PostgreSQL database for the life of the host: the server named by
/// <c>ConnectionStrings:Ledger</c>, or else the <see cref="ILocalPostgresServer"/> this host starts and stops.
/// Starting migrates the schema. Register it before the Orleans silo so that it starts first and stops last.
/// </summary>
public sealed partial class LedgerDatabase : IHostedService, IAsyncDisposable
{
    /// <summary>The configuration key of the connection string.</summary>
    public const string ConnectionStringName = "Ledger";

    /// <summary>
    /// The connection pool size when the connection string does not set <c>Maximum Pool Size</c>: 50, so that a
    /// burst of requests waits for a pooled connection instead of exhausting the server's connection slots.
    /// </summary>
    public const int DefaultMaxPoolSize = 50;

    /// <summary>
    /// How many statements each pooled connection keeps prepared when the connection string does not set
    /// <c>Max Auto Prepare</c>. The hot paths (ledger appends, reminders, report folding, the webhook feed) run the
    /// same few dozen statements over and over; prepared, PostgreSQL skips parsing and planning them.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    private readonly IConfiguration _configuration;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ILocalPostgresServer? _localServer;
    private NpgsqlDataSource? _dataSource;

    /// <summary>A database that uses <paramref name="localServer"/>, if given, when no connection string is configured.</summary>
    public LedgerDatabase(IConfiguration configuration, ILoggerFactory loggerFactory, ILocalPostgresServer? localServer = null)
    {
        _configuration = configuration;
        _localServer = localServer;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LedgerDatabase>();
        OrleansDataSource = new DeferredDataSource(() => DataSource);
    }

    /// <summary>The database's data source; available once the host has started.</summary>
    /// <exception cref="InvalidOperationException">The database has not started.</exception>
    public NpgsqlDataSource DataSource =>
        _dataSource ?? throw new InvalidOperationException("The ledger database has not started yet.");

    /// <summary>A data source for the Orleans ADO.NET providers, which is usable from the moment the database has started.</summary>
    public DbDataSource OrleansDataSource { get; }

    /// <summary>The local server this host started, when no connection string is configured.</summary>
    public ILocalPostgresServer? LocalServer { get; private set; }

    /// <summary>The versions of the migrations this start applied (empty when the schema was current).</summary>
    public IReadOnlyList<int> AppliedMigrations { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = _configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (_localServer is null)
            {
                throw new InvalidOperationException($"No ConnectionStrings:{ConnectionStringName} is configured and this host starts no local PostgreSQL.");
            }

            connectionString = await _localServer.StartAsync(cancellationToken);
            LocalServer = _localServer;
        }
        else
        {
            LogUsingConfiguredServer(_logger);
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            // The engine keeps no session state on a connection (the migration lock is released explicitly), so
            // handing a connection back to the pool need not cost PostgreSQL six reset statements.
            settings.NoResetOnClose = true;
        }

        _dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString)
        {
            Name = "ledger",
        }.Build();

        var migrator = new SchemaMigrator(_dataSource, _loggerFactory.CreateLogger<SchemaMigrator>());
        AppliedMigrations = await migrator.MigrateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync();

        if (LocalServer is not null)
        {
            await LocalServer.StopAsync(cancellationToken);
            LocalServer = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
            _dataSource = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the PostgreSQL server of ConnectionStrings:Ledger")]
    private static partial void LogUsingConfiguredServer(ILogger logger);
}
