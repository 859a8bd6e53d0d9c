namespace CreditLedger.Storage.Ledger;

/// <summary>How the ledger is written (section <c>CreditLedger:Ledger</c>).</summary>
public sealed class LedgerWriterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CreditLedger:Ledger";

    /// <summary>
    /// <c>batching</c> (the default): group commit, many customers' appends per transaction
    /// (<see cref="BatchingLedgerWriter"/>); <c>simple</c>: one transaction per command (<see cref="PostgresLedgerWriter"/>).
    /// </summary>
    public string Writer { get; set; } = "batching";

    /// <summary>Transactions the batching writer runs at once (default 4).</summary>
    public int Writers { get; set; } = 4;

    /// <summary>The most appends in one transaction (default 256).</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Makes the writer these settings describe, recording its transactions in <paramref name="metrics"/> when given.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public ILedgerWriter Create(Npgsql.NpgsqlDataSource dataSource, Telemetry.EngineMetrics? metrics = null) => Writer switch
    {
        "batching" when Writers >= 1 && MaxBatchSize >= 1 => new BatchingLedgerWriter(dataSource, Writers, MaxBatchSize, metrics),
        "simple" => new PostgresLedgerWriter(dataSource, metrics),
        _ => throw new InvalidOperationException($"{SectionName}: Writer must be batching or simple, Writers and MaxBatchSize at least 1."),
    };
}
