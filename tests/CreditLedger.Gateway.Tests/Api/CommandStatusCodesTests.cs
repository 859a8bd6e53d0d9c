using CreditLedger.Contracts.Customers;
using CreditLedger.Gateway.Api;

namespace CreditLedger.Gateway.Tests.Api;

/// <summary>Every command status answers one HTTP status, and every refusal one documented problem code.</summary>
public sealed class CommandStatusCodesTests
{
    [Fact]
    public void EveryCommandStatus_HasHttpStatusAndErrorCode()
    {
        foreach (var status in Enum.GetValues<CommandStatus>())
        {
            var http = CommandStatusCodes.HttpStatus(status);
            var code = CommandStatusCodes.ErrorCode(status);
            Assert.InRange(http, 200, 499);
            Assert.Equal(http < 300, code is null);
            if (code is not null)
            {
                Assert.Equal(Problems.Catalog[code].Status, http);
            }
        }
    }

    [Theory]
    [InlineData(CommandStatus.Ok, 200, null)]
    [InlineData(CommandStatus.Created, 201, null)]
    [InlineData(CommandStatus.InvalidRequest, 400, "validation_failed")]
    [InlineData(CommandStatus.CustomerNotFound, 404, "customer_not_found")]
    [InlineData(CommandStatus.GrantNotFound, 404, "grant_not_found")]
    [InlineData(CommandStatus.InvoiceNotFound, 404, "invoice_not_found")]
    [InlineData(CommandStatus.IdempotencyKeyReused, 409, "idempotency_key_reused")]
    [InlineData(CommandStatus.InvoiceAlreadyApplied, 409, "invoice_already_applied")]
    [InlineData(CommandStatus.InvoiceStateConflict, 409, "invoice_state_conflict")]
    [InlineData(CommandStatus.GrantNotActive, 409, "grant_not_active")]
    [InlineData(CommandStatus.GrantLimitReached, 409, "grant_limit_reached")]
    [InlineData(CommandStatus.PendingInvoiceLimitReached, 409, "pending_invoice_limit_reached")]
    [InlineData(CommandStatus.ScheduleNotFound, 404, "schedule_not_found")]
    [InlineData(CommandStatus.ScheduleNotActive, 409, "schedule_not_active")]
    [InlineData(CommandStatus.ScheduleLimitReached, 409, "schedule_limit_reached")]
    [InlineData(CommandStatus.TopUpRequestNotOutstanding, 409, "top_up_request_not_outstanding")]
    [InlineData(CommandStatus.TopUpRuleNotFound, 404, "top_up_rule_not_found")]
    [InlineData(CommandStatus.TopUpRequestNotFound, 404, "top_up_request_not_found")]
    public void CommandStatus_MapsToItsDocumentedAnswer(CommandStatus status, int http, string? code)
    {
        Assert.Equal((http, code), (CommandStatusCodes.HttpStatus(status), CommandStatusCodes.ErrorCode(status)));
    }
}
