using CreditLedger.Domain;

namespace CreditLedger.Storage.Ledger;

/// <summary>One command's writes for one customer, appended in one transaction.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Entries">The entries, numbered consecutively after the customer's version, each with the events it causes.</param>
/// <param name="InvoiceWrite">Whether the invoice is inserted (an apply) or moved from pending (pay, void).</param>
/// <param name="Invoice">The invoice as it is after the command.</param>
/// <param name="Idempotency">The answer to remember under the caller's idempotency key, if it sent one.</param>
/// <param name="ScheduleWrite">Whether a credit schedule is inserted (created) or cancelled.</param>
/// <param name="Schedule">The schedule as it is after the command.</param>
/// <param name="EndedTopUp">The outstanding top-up request the command ends. The requests it records travel in its entries.</param>
/// <param name="VersionAfter">The customer's version after the command: a schedule is written only if no entry of the customer is numbered past it.</param>
public sealed record LedgerAppend(
    CustomerId CustomerId,
    IReadOnlyList<LedgerEntry> Entries,
    InvoiceWrite InvoiceWrite,
    Invoice? Invoice,
    IdempotencyRecord? Idempotency,
    ScheduleWrite ScheduleWrite = ScheduleWrite.None,
    CreditSchedule? Schedule = null,
    TopUpOutcome? EndedTopUp = null,
    long VersionAfter = 0);
