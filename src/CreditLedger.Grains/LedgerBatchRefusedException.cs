using CreditLedger.Storage.Ledger;

namespace CreditLedger.Grains;

/// <summary>A batch of appends the ledger refused as a whole (a version, invoice id or idempotency key was taken).</summary>
internal sealed class LedgerBatchRefusedException(AppendOutcome outcome)
    : Exception($"The ledger refused the batch: {outcome}.");
