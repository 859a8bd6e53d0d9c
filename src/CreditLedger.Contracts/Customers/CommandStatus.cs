namespace CreditLedger.Contracts.Customers;

/// <summary>How a call on a customer ended. Every value has one HTTP status (<see cref="CommandStatusCodes"/>).</summary>
[GenerateSerializer]
[Alias("CreditLedger.CommandStatus")]
public enum CommandStatus
{
    /// <summary>Done, or already done.</summary>
    Ok,

    /// <summary>Something new was created.</summary>
    Created,

    /// <summary>The request breaks a rule (the field and message say which).</summary>
    InvalidRequest,

    /// <summary>The customer was never created.</summary>
    CustomerNotFound,

    /// <summary>The customer has no such grant.</summary>
    GrantNotFound,

    /// <summary>No credits were ever applied to that invoice.</summary>
    InvoiceNotFound,

    /// <summary>The idempotency key was used with a different request.</summary>
    IdempotencyKeyReused,

    /// <summary>The invoice already has a different apply request.</summary>
    InvoiceAlreadyApplied,

    /// <summary>Paying a voided invoice or voiding a paid one.</summary>
    InvoiceStateConflict,

    /// <summary>Voiding a grant that is already voided or expired.</summary>
    GrantNotActive,

    /// <summary>The customer holds the most grants it may.</summary>
    GrantLimitReached,

    /// <summary>The customer has the most unpaid invoices it may.</summary>
    PendingInvoiceLimitReached,
}
