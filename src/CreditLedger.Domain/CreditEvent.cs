namespace CreditLedger.Domain;

/// <summary>
/// An event a ledger entry caused: the entry's own event (all kinds but paid), and balance events when the
/// entry took available to zero or below the customer's threshold.
/// </summary>
/// <param name="Type">One of <see cref="CreditEventType"/>.</param>
/// <param name="Entry">The entry that caused it.</param>
/// <param name="Available">Available of the entry's credit type after the entry.</param>
/// <param name="Pending">Pending of the entry's credit type after the entry.</param>
/// <param name="Threshold">For a low-balance event, the threshold crossed.</param>
public sealed record CreditEvent(string Type, LedgerEntry Entry, decimal Available, decimal Pending, decimal? Threshold);
