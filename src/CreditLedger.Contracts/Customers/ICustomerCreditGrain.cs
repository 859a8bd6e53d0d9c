using CreditLedger.Domain;

namespace CreditLedger.Contracts.Customers;

/// <summary>
/// One customer's credits (key: <see cref="GrainKeys.ForCustomer"/>). Calls are served one at a time in arrival
/// order. A command is durable in the ledger before it answers; a
/// <see cref="LedgerUnavailableException"/> means its outcome is unknown and the same request (same invoice
/// id or idempotency key) may be sent again safely. Business refusals are answers, never exceptions: each
/// result carries a <see cref="CommandStatus"/>.
/// </summary>
[Alias("CreditLedger.ICustomerCreditGrain")]
public interface ICustomerCreditGrain : IGrainWithStringKey
{
    /// <summary>Creates the customer or updates its name and e-mail.</summary>
    [Alias("PutCustomer")]
    Task<CustomerResult> PutCustomerAsync(CustomerDetails details);

    /// <summary>The customer with its balances, expiring soon meaning within <paramref name="expiringWithinDays"/> days.</summary>
    [Alias("GetCustomer")]
    Task<CustomerResult> GetCustomerAsync(int expiringWithinDays);

    /// <summary>Grants credits.</summary>
    [Alias("Grant")]
    Task<GrantResult> GrantAsync(GrantCommand command, CommandContext context);

    /// <summary>Voids a grant: its remaining credits are removed now; pending applications stand.</summary>
    [Alias("VoidGrant")]
    Task<GrantResult> VoidGrantAsync(string grantId, string reason, CommandContext context);

    /// <summary>Applies available credits to an invoice; idempotent by invoice id.</summary>
    [Alias("Apply")]
    Task<InvoiceResult> ApplyAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context);

    /// <summary>Pays an invoice: its pending credits become consumed.</summary>
    [Alias("Pay")]
    Task<InvoiceResult> PayInvoiceAsync(string invoiceId, CommandContext context);

    /// <summary>Voids an invoice: its applied credits return to their grants.</summary>
    [Alias("VoidInvoice")]
    Task<InvoiceResult> VoidInvoiceAsync(string invoiceId, CommandContext context);

    /// <summary>An invoice credits were applied to.</summary>
    [Alias("GetInvoice")]
    Task<InvoiceResult> GetInvoiceAsync(string invoiceId);

    /// <summary>One grant.</summary>
    [Alias("GetGrant")]
    Task<GrantResult> GetGrantAsync(string grantId);

    /// <summary>
    /// Grants newest first, optionally of one status, created before version
    /// <paramref name="beforeVersion"/> (the cursor of the previous page).
    /// </summary>
    [Alias("ListGrants")]
    Task<GrantListResult> ListGrantsAsync(GrantStatus? status, long? beforeVersion, int limit);

    /// <summary>Balances per credit type now.</summary>
    [Alias("GetBalances")]
    Task<BalancesResult> GetBalancesAsync(int expiringWithinDays);

    /// <summary>Ledger entries newest first, optionally of one credit type, older than <paramref name="beforeVersion"/>.</summary>
    [Alias("GetHistory")]
    Task<HistoryResult> GetHistoryAsync(CreditType? creditType, long? beforeVersion, int limit);

    /// <summary>
    /// Sets the threshold below which available of <paramref name="creditType"/> raises
    /// <c>account.credits.balance_low</c> (once per crossing; again after it has been back at or above).
    /// </summary>
    [Alias("SetCreditAlert")]
    Task<CreditAlertResult> SetCreditAlertAsync(CreditType creditType, decimal threshold);

    /// <summary>Creates a credit schedule: a recurring grant, each period granted at its start.</summary>
    [Alias("CreateSchedule")]
    Task<ScheduleResult> CreateScheduleAsync(ScheduleCommand command, CommandContext context);

    /// <summary>Cancels a credit schedule: no period starting later is granted; grants made stay.</summary>
    [Alias("CancelSchedule")]
    Task<ScheduleResult> CancelScheduleAsync(string scheduleId, string reason, CommandContext context);

    /// <summary>One credit schedule.</summary>
    [Alias("GetSchedule")]
    Task<ScheduleResult> GetScheduleAsync(string scheduleId);

    /// <summary>Credit schedules in creation order, after the one with id <paramref name="afterScheduleId"/> (the cursor of the previous page).</summary>
    [Alias("ListSchedules")]
    Task<ScheduleListResult> ListSchedulesAsync(string? afterScheduleId, int limit);

    /// <summary>Sets the top-up rule of a credit type (validated at the edge); it never requests by itself.</summary>
    [Alias("PutTopUpRule")]
    Task<TopUpRuleResult> PutTopUpRuleAsync(CreditType creditType, decimal threshold, decimal targetBalance);

    /// <summary>The top-up rule of a credit type, with its outstanding request.</summary>
    [Alias("GetTopUpRule")]
    Task<TopUpRuleResult> GetTopUpRuleAsync(CreditType creditType);

    /// <summary>Removes the top-up rule of a credit type; an outstanding request can still be fulfilled or failed.</summary>
    [Alias("DeleteTopUpRule")]
    Task<TopUpRuleResult> DeleteTopUpRuleAsync(CreditType creditType);

    /// <summary>Fails an outstanding top-up request (the charge failed); failing a failed one answers it again.</summary>
    [Alias("FailTopUpRequest")]
    Task<TopUpRequestResult> FailTopUpRequestAsync(CreditType creditType, string requestId, string reason, CommandContext context);

    /// <summary>A top-up request, whatever became of it.</summary>
    [Alias("GetTopUpRequest")]
    Task<TopUpRequestResult> GetTopUpRequestAsync(CreditType creditType, string requestId);

    /// <summary>How this activation loaded its state (snapshot version, entries replayed): for operators and tests.</summary>
    [Alias("GetActivationInfo")]
    Task<ActivationInfo> GetActivationInfoAsync();
}
