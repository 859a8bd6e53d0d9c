namespace CreditLedger.Domain;

/// <summary>
/// A business reason a command was refused. Rejections are answers, not errors: the command writes no ledger
/// entry and the caller gets a stable code.
/// </summary>
public enum Rejection
{
    /// <summary>The request breaks a rule that needs the customer's state or the time to check (for example an expiry in the past).</summary>
    InvalidRequest,

    /// <summary>No grant with that id belongs to the customer.</summary>
    GrantNotFound,

    /// <summary>No invoice with that id had credits applied for the customer.</summary>
    InvoiceNotFound,

    /// <summary>The invoice already has a different apply request.</summary>
    InvoiceAlreadyApplied,

    /// <summary>Paying a voided invoice or voiding a paid one.</summary>
    InvoiceStateConflict,

    /// <summary>Voiding a grant that is already voided or expired.</summary>
    GrantNotActive,

    /// <summary>The customer has <see cref="LedgerLimits.MaxGrantsPerCustomer"/> grants already.</summary>
    GrantLimitReached,

    /// <summary>The customer has <see cref="LedgerLimits.MaxPendingInvoicesPerCustomer"/> unpaid invoices already.</summary>
    PendingInvoiceLimitReached,
}
