namespace CreditLedger.Domain;

/// <summary>
/// What the grants of one credit type that have ended (expired, or voided, with nothing pending) amounted to: once a
/// grant ends nothing can change it again, so it leaves memory and only its totals stay, for the balances.
/// </summary>
/// <param name="Granted">What they granted.</param>
/// <param name="Consumed">What of it was applied to paid invoices.</param>
/// <param name="Expired">What of it expired.</param>
/// <param name="Voided">What of it was voided.</param>
public sealed record EndedGrants(decimal Granted, decimal Consumed, decimal Expired, decimal Voided)
{
    /// <summary>No ended grant.</summary>
    public static EndedGrants None { get; } = new(0, 0, 0, 0);

    internal EndedGrants Add(Grant grant) =>
        new(Granted + grant.Terms.Amount, Consumed + grant.Consumed, Expired + grant.Expired, Voided + grant.Voided);
}
