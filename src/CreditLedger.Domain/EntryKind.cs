namespace CreditLedger.Domain;

/// <summary>What a ledger entry records. Each kind moves credits between the buckets of one grant.</summary>
public enum EntryKind
{
    /// <summary>A new grant: its whole amount becomes remaining.</summary>
    Granted,

    /// <summary>Remaining to pending, for an invoice.</summary>
    Applied,

    /// <summary>Pending to consumed, when the invoice is paid.</summary>
    Paid,

    /// <summary>Pending back to remaining, when the invoice is voided.</summary>
    Reinstated,

    /// <summary>Remaining to expired, at the grant's <c>expiresAt</c>.</summary>
    Expired,

    /// <summary>Remaining to voided, when an operator voids the grant (or credits return to a voided grant).</summary>
    Voided,
}
