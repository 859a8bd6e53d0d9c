namespace CreditLedger.Domain;

/// <summary>
/// The events a ledger entry causes, stored with the entry itself so that an event exists exactly when its entry
/// does. The numbers are stored in the ledger and never change meaning.
/// </summary>
[Flags]
public enum EntryEvents
{
    /// <summary>No event (a paid entry that leaves the balance where it was).</summary>
    None = 0,

    /// <summary>The entry's own event: granted, applied, reinstated, expired or voided (a paid entry has none).</summary>
    Own = 1,

    /// <summary>Available of the entry's credit type went from above zero to zero.</summary>
    BalanceDepleted = 2,

    /// <summary>Available went from at or above the customer's threshold to below it (the entry carries the threshold).</summary>
    BalanceLow = 4,

    /// <summary>Available went below the customer's top-up threshold with no request outstanding: a request was recorded (the entry carries it).</summary>
    TopUpRequested = 8,
}
