namespace CreditLedger.Storage.Ledger;

/// <summary>How the ledger is written (section <c>CreditLedger:Ledger</c>): by one <see cref="BatchingLedgerWriter"/> per silo.</summary>
public sealed class LedgerWriterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:Ledger";

    /// <summary>Transactions the writer runs at once (default 4).</summary>
    public int Writers { get; set; } = 4;

    /// <summary>
    /// The most appends (one per command) in one transaction (default 256). A customer's commands that share a
    /// group commit travel together and are never split, so one group larger than this is written alone.
    /// </summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Makes the writer these settings describe, recording its transactions in <paramref name="metrics"/> when given.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public BatchingLedgerWriter Create(Npgsql.NpgsqlDataSource dataSource, Telemetry.EngineMetrics? metrics = null) =>
        Writers >= 1 && MaxBatchSize >= 1
            ? new BatchingLedgerWriter(dataSource, Writers, MaxBatchSize, metrics)
            : throw new InvalidOperationException($"{SectionName}: Writers and MaxBatchSize must be at least 1.");
}
