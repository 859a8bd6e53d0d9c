namespace CreditLedger.Contracts.Reports;

/// <summary>
/// The one grain (key 0) that folds every customer's committed ledger entries into the credits report, in
/// batches, exactly once. Every silo keeps it running; if its silo dies, it resumes elsewhere from the
/// checkpoint stored with the aggregates.
/// </summary>
[Alias("CreditLedger.IReportingGrain")]
public interface IReportingGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the grain (and its aggregation timer) if it is not running.</summary>
    [Alias("EnsureRunning")]
    Task EnsureRunningAsync();

    /// <summary>
    /// Folds batches until the report holds every entry committed before the call (waiting, up to 30 s, for
    /// transactions that were still running to end); returns the entries folded.
    /// </summary>
    [Alias("CatchUp")]
    Task<long> CatchUpAsync();
}
