namespace CreditLedger.Domain;

/// <summary>
/// One grant of a customer and where its credits are. Invariant (checked after every change):
/// <c>Amount = Remaining + Pending + Consumed + Expired + Voided</c>, every term at least zero.
/// Only <see cref="CustomerCredits"/> changes a grant, by folding ledger entries into it.
/// </summary>
public sealed class Grant
{
    internal Grant(GrantTerms terms, long createdVersion, DateTimeOffset createdAt)
    {
        Terms = terms;
        CreatedVersion = createdVersion;
        CreatedAt = createdAt;
        Remaining = terms.Amount;
    }

    /// <summary>What the grant was created with.</summary>
    public GrantTerms Terms { get; }

    /// <summary>The grant's id.</summary>
    public string GrantId => Terms.GrantId;

    /// <summary>The credit type.</summary>
    public CreditType CreditType => Terms.CreditType;

    /// <summary>The version (ledger sequence number) of the entry that created it: the creation order.</summary>
    public long CreatedVersion { get; }

    /// <summary>When the grant was created (its granted entry's instant).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Credits not yet applied, expired or voided.</summary>
    public decimal Remaining { get; internal set; }

    /// <summary>Credits applied to invoices that are not paid yet.</summary>
    public decimal Pending { get; internal set; }

    /// <summary>Credits applied to paid invoices.</summary>
    public decimal Consumed { get; internal set; }

    /// <summary>Credits removed because the grant expired.</summary>
    public decimal Expired { get; internal set; }

    /// <summary>Credits removed because the grant was voided.</summary>
    public decimal Voided { get; internal set; }

    /// <summary>Whether an operator voided the grant.</summary>
    public bool IsVoided { get; internal set; }

    /// <summary>Rebuilds a grant from a snapshot. Checks the conservation invariant.</summary>
    /// <exception cref="LedgerInvariantException">The buckets do not add up to the amount or one is negative.</exception>
    public static Grant Restore(
        GrantTerms terms, long createdVersion, DateTimeOffset createdAt, decimal remaining, decimal pending, decimal consumed, decimal expired, decimal voided, bool isVoided)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var grant = new Grant(terms, createdVersion, createdAt)
        {
            Remaining = remaining,
            Pending = pending,
            Consumed = consumed,
            Expired = expired,
            Voided = voided,
            IsVoided = isVoided,
        };
        grant.CheckConservation();
        return grant;
    }

    /// <summary>Whether the grant has expired at <paramref name="instant"/> (its expiry is at or before it).</summary>
    public bool HasExpiredAt(DateTimeOffset instant) => Terms.ExpiresAt <= instant;

    /// <summary>
    /// Whether credits can be drawn from the grant at <paramref name="instant"/>:
    /// <c>effectiveAt &lt;= instant &lt; expiresAt</c>, not voided, something remaining.
    /// </summary>
    public bool IsUsableAt(DateTimeOffset instant) =>
        !IsVoided && Remaining > 0 && Terms.EffectiveAt <= instant && !HasExpiredAt(instant);

    /// <summary>
    /// The status at <paramref name="instant"/>, first match wins: voided, expired, scheduled, depleted (nothing
    /// remaining), active.
    /// </summary>
    public GrantStatus StatusAt(DateTimeOffset instant)
    {
        if (IsVoided)
        {
            return GrantStatus.Voided;
        }

        if (HasExpiredAt(instant))
        {
            return GrantStatus.Expired;
        }

        if (Terms.EffectiveAt > instant)
        {
            return GrantStatus.Scheduled;
        }

        return Remaining == 0 ? GrantStatus.Depleted : GrantStatus.Active;
    }

    internal Grant Copy() => new(Terms, CreatedVersion, CreatedAt)
    {
        Remaining = Remaining,
        Pending = Pending,
        Consumed = Consumed,
        Expired = Expired,
        Voided = Voided,
        IsVoided = IsVoided,
    };

    internal void CheckConservation()
    {
        if (Remaining < 0 || Pending < 0 || Consumed < 0 || Expired < 0 || Voided < 0
            || Remaining + Pending + Consumed + Expired + Voided != Terms.Amount)
        {
            throw new LedgerInvariantException(
                $"Grant {GrantId} breaks conservation: amount {Terms.Amount} != remaining {Remaining} + pending {Pending} + consumed {Consumed} + expired {Expired} + voided {Voided}.");
        }
    }
}
