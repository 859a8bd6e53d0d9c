namespace CreditLedger.Domain;

/// <summary>
/// A broken invariant of the ledger: a bug or corrupt data, never bad input. The holder of the state must
/// drop it (a grain deactivates) and reload from the ledger.
/// </summary>
public sealed class LedgerInvariantException : InvalidOperationException
{
    /// <summary>Creates the exception with a message naming the broken invariant.</summary>
    public LedgerInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public LedgerInvariantException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LedgerInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
