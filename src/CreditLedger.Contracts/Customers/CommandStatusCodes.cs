namespace CreditLedger.Contracts.Customers;

/// <summary>The HTTP status and stable error code of each <see cref="CommandStatus"/>: the one mapping the API uses.</summary>
public static class CommandStatusCodes
{
    /// <summary>The HTTP status code.</summary>
    public static int HttpStatus(CommandStatus status) => status switch
    {
        CommandStatus.Ok => 200,
        CommandStatus.Created => 201,
        CommandStatus.InvalidRequest => 400,
        CommandStatus.CustomerNotFound or CommandStatus.GrantNotFound or CommandStatus.InvoiceNotFound => 404,
        CommandStatus.IdempotencyKeyReused or CommandStatus.InvoiceAlreadyApplied or CommandStatus.InvoiceStateConflict
            or CommandStatus.GrantNotActive or CommandStatus.GrantLimitReached or CommandStatus.PendingInvoiceLimitReached => 409,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No HTTP status for this command status."),
    };

    /// <summary>The stable <c>code</c> of the problem details, or <see langword="null"/> for a success.</summary>
    public static string? ErrorCode(CommandStatus status) => status switch
    {
        CommandStatus.Ok or CommandStatus.Created => null,
        CommandStatus.InvalidRequest => "validation_failed",
        CommandStatus.CustomerNotFound => "customer_not_found",
        CommandStatus.GrantNotFound => "grant_not_found",
        CommandStatus.InvoiceNotFound => "invoice_not_found",
        CommandStatus.IdempotencyKeyReused => "idempotency_key_reused",
        CommandStatus.InvoiceAlreadyApplied => "invoice_already_applied",
        CommandStatus.InvoiceStateConflict => "invoice_state_conflict",
        CommandStatus.GrantNotActive => "grant_not_active",
        CommandStatus.GrantLimitReached => "grant_limit_reached",
        CommandStatus.PendingInvoiceLimitReached => "pending_invoice_limit_reached",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No error code for this command status."),
    };
}
