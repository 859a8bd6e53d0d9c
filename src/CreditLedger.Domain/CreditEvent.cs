namespace CreditLedger.Domain;

/// <summary>
/// An event a ledger entry caused: the entry's own event (all kinds but paid), and balance events when the
/// entry took available to zero or below the customer's threshold. Everything but the type is the entry's.
/// </summary>
/// <param name="Type">One of <see cref="CreditEventType"/>.</param>
/// <param name="Entry">The entry that caused it.</param>
public sealed record CreditEvent(string Type, LedgerEntry Entry)
{
    /// <summary>Available of the entry's credit type after the entry.</summary>
    public decimal Available => Entry.AvailableAfter;

    /// <summary>Pending of the entry's credit type after the entry.</summary>
    public decimal Pending => Entry.PendingAfter;

    /// <summary>For a low-balance event, the threshold crossed.</summary>
    public decimal? Threshold => Type == CreditEventType.BalanceLow ? Entry.Threshold : null;

    /// <summary>For a top-up request event, the request.</summary>
    public TopUpRequest? TopUp => Type == CreditEventType.TopUpRequested ? Entry.TopUp : null;
}
