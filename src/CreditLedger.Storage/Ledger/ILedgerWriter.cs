namespace CreditLedger.Storage.Ledger;

/// <summary>
/// Appends one customer's command durably: its ledger entries (which carry the events they cause), the invoice
/// change and the idempotency record, all or nothing. An implementation may group many customers' appends
/// into one transaction, but must keep each customer's appends in order and answer each one separately.
/// Infrastructure failures (the database is down, the outcome of a commit is unknown) surface as exceptions;
/// the caller then drops what it holds in memory and reloads from the ledger.
/// </summary>
public interface ILedgerWriter
{
    /// <summary>Appends <paramref name="append"/>; returns <see cref="AppendOutcome.Committed"/> only once it is durable.</summary>
    Task<AppendOutcome> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends several commands of one customer, in order, all or nothing: <see cref="AppendOutcome.Committed"/>
    /// when every one is durable, otherwise the outcome of the first that could not be written (and none is).
    /// </summary>
    Task<AppendOutcome> AppendAllAsync(IReadOnlyList<LedgerAppend> appends, CancellationToken cancellationToken = default);
}
