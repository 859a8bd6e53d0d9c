namespace CreditLedger.Domain;

/// <summary>
/// Every limit of the engine, named and in one place. Inputs beyond a limit are rejected at the edge
/// with a validation error; they are never truncated.
/// </summary>
public static class LedgerLimits
{
    /// <summary>The longest caller-chosen id (customer, invoice, grant): 128 characters.</summary>
    public const int MaxIdLength = 128;
}
