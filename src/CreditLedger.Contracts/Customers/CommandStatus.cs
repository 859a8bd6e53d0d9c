namespace CreditLedger.Contracts.Customers;

/// <summary>
/// How a call on a customer ended. The numbers are part of the wire format and of stored data: they cross between
/// processes (so processes of two versions talk during a rolling upgrade) and remembered idempotent answers hold
/// them. A value keeps its number for ever; a new one takes the next unused number. A refusal the domain decides
/// has the number of its <see cref="CreditLedger.Domain.Rejection"/>, name for name.
/// </summary>
/// <remarks>
/// When several checks fail, the first in this order answers: the gateway's validation of the request's shape
/// (<see cref="InvalidRequest"/>, before any call), <see cref="CustomerNotFound"/>, the command's own validation
/// against the customer's state and the time (<see cref="InvalidRequest"/>, never remembered), then the idempotency
/// key (the remembered answer again, or <see cref="IdempotencyKeyReused"/>), then the domain's refusals in the order
/// the command checks them: <see cref="GrantLimitReached"/> for a grant; <see cref="GrantNotFound"/> before
/// <see cref="GrantNotActive"/> for a void; <see cref="InvoiceAlreadyApplied"/> before
/// <see cref="PendingInvoiceLimitReached"/> for an apply; <see cref="InvoiceNotFound"/> before
/// <see cref="InvoiceStateConflict"/> for a pay or a void of an invoice.
/// </remarks>
[GenerateSerializer]
[Alias("CreditLedger.CommandStatus")]
public enum CommandStatus
{
    /// <summary>Done, or already done.</summary>
    Ok = 0,

    /// <summary>Something new was created.</summary>
    Created = 1,

    /// <summary>The request breaks a rule (the field and message say which).</summary>
    InvalidRequest = 2,

    /// <summary>The customer was never created.</summary>
    CustomerNotFound = 3,

    /// <summary>The customer has no such grant.</summary>
    GrantNotFound = 4,

    /// <summary>No credits were ever applied to that invoice.</summary>
    InvoiceNotFound = 5,

    /// <summary>The idempotency key was used with a different request.</summary>
    IdempotencyKeyReused = 6,

    /// <summary>The invoice already has a different apply request.</summary>
    InvoiceAlreadyApplied = 7,

    /// <summary>Paying a voided invoice or voiding a paid one.</summary>
    InvoiceStateConflict = 8,

    /// <summary>Voiding a grant that is already voided or expired.</summary>
    GrantNotActive = 9,

    /// <summary>The customer holds the most grants it may.</summary>
    GrantLimitReached = 10,

    /// <summary>The customer has the most unpaid invoices it may.</summary>
    PendingInvoiceLimitReached = 11,

    /// <summary>No credit schedule with that id belongs to the customer.</summary>
    ScheduleNotFound = 12,

    /// <summary>Cancelling a credit schedule that is already cancelled or completed.</summary>
    ScheduleNotActive = 13,

    /// <summary>The customer has the most active credit schedules it may.</summary>
    ScheduleLimitReached = 14,

    /// <summary>A grant or a fail names a top-up request that is not outstanding (or is of another credit type).</summary>
    TopUpRequestNotOutstanding = 15,

    /// <summary>The customer has no top-up rule for that credit type.</summary>
    TopUpRuleNotFound = 16,

    /// <summary>The customer has no top-up request with that id for that credit type.</summary>
    TopUpRequestNotFound = 17,
}
