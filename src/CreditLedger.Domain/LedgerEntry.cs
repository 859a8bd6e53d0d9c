namespace CreditLedger.Domain;

/// <summary>
/// One immutable, numbered change to a customer's credits. <see cref="Version"/> numbers a customer's entries
/// 1, 2, 3... without gaps. <see cref="Amount"/> is the signed change to the grant's remaining credits (for a
/// usable grant, the change to available); a <see cref="EntryKind.Paid"/> entry moves pending to consumed, so
/// its amount is zero and <see cref="Consumed"/> holds what it moved. <see cref="AvailableAfter"/> is the
/// customer's available balance of the credit type just after the entry, at <see cref="OccurredAt"/>.
/// </summary>
/// <param name="Version">The entry's sequence number within its customer.</param>
/// <param name="Kind">What the entry records.</param>
/// <param name="GrantId">The grant it touches.</param>
/// <param name="CreditType">The grant's credit type.</param>
/// <param name="Amount">The signed change to the grant's remaining credits.</param>
/// <param name="Consumed">For a paid entry, the credits moved from pending to consumed; otherwise zero.</param>
/// <param name="AvailableAfter">Available of the credit type after the entry.</param>
/// <param name="InvoiceId">The invoice it concerns (applied, paid, reinstated, and expiries or voids of reinstated credits).</param>
/// <param name="Reason">The operator's reason (granted, voided).</param>
/// <param name="Provenance">Who, from where, which request.</param>
/// <param name="OccurredAt">When the change took effect; an expiry's is the grant's <c>expiresAt</c>.</param>
/// <param name="Grant">For a granted entry, the new grant's terms.</param>
public sealed record LedgerEntry(
    long Version,
    EntryKind Kind,
    string GrantId,
    CreditType CreditType,
    decimal Amount,
    decimal Consumed,
    decimal AvailableAfter,
    string? InvoiceId,
    string? Reason,
    Provenance Provenance,
    DateTimeOffset OccurredAt,
    GrantTerms? Grant)
{
    /// <summary>The events the entry causes; see <see cref="CreditEvents"/> for them as events.</summary>
    public EntryEvents Events { get; init; }

    /// <summary>Pending of the credit type after the entry (what its events report beside <see cref="AvailableAfter"/>).</summary>
    public decimal PendingAfter { get; init; }

    /// <summary>For an entry that causes <see cref="EntryEvents.BalanceLow"/>, the threshold it crossed.</summary>
    public decimal? Threshold { get; init; }

    /// <summary>For an entry that causes <see cref="EntryEvents.TopUpRequested"/>, the request it recorded.</summary>
    public TopUpRequest? TopUp { get; init; }

    /// <summary>The events the entry causes, in the order they are announced: its own, then depleted, then low, then a top-up request.</summary>
    public IEnumerable<CreditEvent> CreditEvents()
    {
        if (Events.HasFlag(EntryEvents.Own) && CreditEventType.Of(Kind) is { } own)
        {
            yield return new CreditEvent(own, this);
        }

        if (Events.HasFlag(EntryEvents.BalanceDepleted))
        {
            yield return new CreditEvent(CreditEventType.BalanceDepleted, this);
        }

        if (Events.HasFlag(EntryEvents.BalanceLow))
        {
            yield return new CreditEvent(CreditEventType.BalanceLow, this);
        }

        if (Events.HasFlag(EntryEvents.TopUpRequested))
        {
            yield return new CreditEvent(CreditEventType.TopUpRequested, this);
        }
    }
}
