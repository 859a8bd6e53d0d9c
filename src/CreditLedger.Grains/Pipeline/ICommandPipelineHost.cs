namespace CreditLedger.Grains.Pipeline;

/// <summary>What a <see cref="CommandPipeline"/> asks of the customer it serves.</summary>
public interface ICommandPipelineHost
{
    /// <summary>Memory is not the ledger's any more: refuse every command from now on and go away.</summary>
    void Discard();

    /// <summary>Reloads memory from the ledger, after a group was refused for a key the ledger already holds.</summary>
    Task ReloadAsync();

    /// <summary>Upkeep after a group committed (snapshots, the next expiry's reminder).</summary>
    Task AfterChangeAsync();

    /// <summary>True when <paramref name="exception"/> means the ledger could not be read (safe to retry later).</summary>
    bool IsStorageFailure(Exception exception);

    /// <summary>The exception callers get when the ledger cannot be reached or trusted; they may retry.</summary>
    Exception Unavailable(string what, Exception? cause);

    /// <summary>A group's write failed or has an unknown outcome.</summary>
    void GroupFailed(Exception exception, int commands);

    /// <summary>Another writer changed the customer's ledger first.</summary>
    void ConcurrentWriter();
}
