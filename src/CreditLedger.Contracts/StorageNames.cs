namespace CreditLedger.Contracts;

/// <summary>
/// Names of the grain storage provider and of each grain type's state. The storage provider keys rows by
/// state name, not grain type, so every grain type must use a state name of its own.
/// </summary>
public static class StorageNames
{
    /// <summary>The grain storage provider backed by the ledger database.</summary>
    public const string Ledger = "ledger";
}
