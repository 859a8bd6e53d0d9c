namespace CreditLedger.Storage.Ledger;

/// <summary>How an append ended, when the database answered. Anything but <see cref="Committed"/> wrote nothing.</summary>
public enum AppendOutcome
{
    /// <summary>Everything is durable.</summary>
    Committed,

    /// <summary>
    /// Another writer already holds one of the entries' versions for this customer, or the invoice was no
    /// longer pending: the caller's memory is stale and must be reloaded. Nothing was overwritten.
    /// </summary>
    VersionConflict,

    /// <summary>The invoice id of an apply exists already (applied earlier, and no longer held in memory).</summary>
    InvoiceExists,

    /// <summary>The idempotency key was used before for this customer and operation.</summary>
    IdempotencyKeyExists,
}
