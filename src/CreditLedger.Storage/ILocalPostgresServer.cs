namespace CreditLedger.Storage;

/// <summary>
/// A PostgreSQL server the host starts and stops itself, used by <see cref="LedgerDatabase"/> when no connection
/// string is configured (the engine's embedded local cluster).
/// </summary>
public interface ILocalPostgresServer
{
    /// <summary>Where it keeps its data and listens, for the operator (known once started).</summary>
    string Description { get; }

    /// <summary>Starts the server (creating it on first use) and answers the connection string of the engine's database.</summary>
    Task<string> StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the server.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
