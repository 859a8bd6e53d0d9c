namespace CreditLedger.Contracts.Customers;

/// <summary>
/// The ledger could not be written or read, or the outcome of a write is unknown (storage or cluster trouble,
/// or a concurrent writer for the customer). Nothing the caller can see has changed in memory; sending the same
/// request again (same invoice id or idempotency key) is safe.
/// </summary>
[GenerateSerializer]
[Alias("CreditLedger.LedgerUnavailableException")]
public sealed class LedgerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
