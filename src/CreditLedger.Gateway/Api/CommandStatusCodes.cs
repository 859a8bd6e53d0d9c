using CreditLedger.Contracts.Customers;

namespace CreditLedger.Gateway.Api;

/// <summary>
/// The one mapping from a <see cref="CommandStatus"/> to what the API answers: the problem code of each refusal,
/// whose HTTP status and title come from <see cref="Problems.Catalog"/>, and the status of each success.
/// </summary>
public static class CommandStatusCodes
{
    /// <summary>The HTTP status code.</summary>
    public static int HttpStatus(CommandStatus status) => status switch
    {
        CommandStatus.Ok => StatusCodes.Status200OK,
        CommandStatus.Created => StatusCodes.Status201Created,
        _ => Problems.Catalog[ErrorCode(status)!].Status,
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
        CommandStatus.ScheduleNotFound => "schedule_not_found",
        CommandStatus.ScheduleNotActive => "schedule_not_active",
        CommandStatus.ScheduleLimitReached => "schedule_limit_reached",
        CommandStatus.TopUpRequestNotOutstanding => "top_up_request_not_outstanding",
        CommandStatus.TopUpRuleNotFound => "top_up_rule_not_found",
        CommandStatus.TopUpRequestNotFound => "top_up_request_not_found",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No error code for this command status."),
    };
}
