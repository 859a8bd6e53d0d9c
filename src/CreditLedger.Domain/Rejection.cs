namespace CreditLedger.Domain;

/// <summary>
/// A business reason a command was refused. Rejections are answers, not errors: the command writes no ledger
/// entry and the caller gets a stable code. Each has the number of the command status of the same name, which
/// crosses the wire and is stored with remembered answers: numbers never change, and a new rejection takes the
/// number its new command status gets.
/// </summary>
public enum Rejection
{
    /// <summary>The request breaks a rule that needs the customer's state or the time to check (for example an expiry in the past).</summary>
    InvalidRequest = 2,

    /// <summary>No grant with that id belongs to the customer.</summary>
    GrantNotFound = 4,

    /// <summary>No invoice with that id had credits applied for the customer.</summary>
    InvoiceNotFound = 5,

    /// <summary>The invoice already has a different apply request.</summary>
    InvoiceAlreadyApplied = 7,

    /// <summary>Paying a voided invoice or voiding a paid one.</summary>
    InvoiceStateConflict = 8,

    /// <summary>Voiding a grant that is already voided or expired.</summary>
    GrantNotActive = 9,

    /// <summary>The customer has <see cref="LedgerLimits.MaxGrantsPerCustomer"/> grants already.</summary>
    GrantLimitReached = 10,

    /// <summary>The customer has <see cref="LedgerLimits.MaxPendingInvoicesPerCustomer"/> unpaid invoices already.</summary>
    PendingInvoiceLimitReached = 11,

    /// <summary>No credit schedule with that id belongs to the customer.</summary>
    ScheduleNotFound = 12,

    /// <summary>Cancelling a schedule that is already cancelled or completed.</summary>
    ScheduleNotActive = 13,

    /// <summary>The customer has <see cref="LedgerLimits.MaxActiveSchedulesPerCustomer"/> active schedules already.</summary>
    ScheduleLimitReached = 14,

    /// <summary>A grant or a fail names a top-up request that is not outstanding (or is of another credit type).</summary>
    TopUpRequestNotOutstanding = 15,
}
