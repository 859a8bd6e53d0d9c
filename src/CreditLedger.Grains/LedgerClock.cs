namespace CreditLedger.Grains;

/// <summary>
/// The clock of the ledger: a keyed <see cref="TimeProvider"/> service. It is keyed so that tests can drive the
/// ledger's time without moving Orleans' own clock (membership, timers, timeouts), which uses the unkeyed one.
/// </summary>
public static class LedgerClock
{
    /// <summary>The service key of the ledger's <see cref="TimeProvider"/>.</summary>
    public const string ServiceKey = "CreditLedger.LedgerClock";
}
