namespace CreditLedger.Domain;

/// <summary>
/// Every limit of the engine, named and in one place. Inputs beyond a limit are rejected at the edge
/// with a validation error; they are never truncated.
/// </summary>
public static class LedgerLimits
{
    /// <summary>The longest caller-chosen id (customer, invoice, grant): 128 characters.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The decimals a unit amount may have: 6.</summary>
    public const int UnitScale = 6;

    /// <summary>The largest amount anywhere: 1,000,000,000,000.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;
}
