using CreditLedger.Storage;

namespace CreditLedger.Hosting.Postgres;

/// <summary>
/// Settings of the embedded local PostgreSQL cluster (section <c>CreditLedger:Postgres</c>). They apply only
/// when no connection string <c>ConnectionStrings:Ledger</c> is configured.
/// </summary>
public sealed class PostgresOptions
{
    public const string SectionName = "CreditLedger:Postgres";

    /// <summary>The cluster's data folder; relative paths are under the working directory. Default <c>.data/postgres</c>.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "postgres");

    /// <summary>The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Default: the newest
    /// <c>/usr/lib/postgresql/*/bin</c>, else the PATH.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>The loopback port to listen on; 0 (the default) picks a free one at each start.</summary>
    public int Port { get; set; }

    /// <summary>The database the engine uses inside the cluster. Default <c>creditledger</c>.</summary>
    public string Database { get; set; } = "creditledger";

    /// <summary>
    /// The most connections the server accepts (default 300): enough for several engine processes on one
    /// machine (each pools at most <see cref="LedgerDatabase.DefaultMaxPoolSize"/>) and their tools.
    /// </summary>
    public int MaxConnections { get; set; } = 300;

    /// <summary>
    /// Whether commits are flushed to disk (fsync). Default true; throwaway test clusters turn it off.
    /// </summary>
    public bool Durable { get; set; } = true;
}
