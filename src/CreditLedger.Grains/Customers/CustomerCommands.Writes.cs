using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;
using CreditLedger.Storage.Ledger;
using static CreditLedger.Grains.CommandPlanner;

namespace CreditLedger.Grains.Customers;

/// <summary>The commands that change the customer: each takes its turn in the pipeline.</summary>
internal sealed partial class CustomerCommands
{
    /// <summary>Creates the customer or updates its name and e-mail.</summary>
    public Task<CustomerResult> PutCustomerAsync(CustomerDetails details) => InTurnAsync(async () =>
    {
        var (customer, created) = await ReadAsync(() => _queries.UpsertCustomerAsync(_customerId, details.Name, details.Email, Now()));
        _customer = customer;
        return new CustomerResult(
            created ? CommandStatus.Created : CommandStatus.Ok,
            _credits.Version,
            CustomerViews.Customer(customer),
            Balances(LedgerLimits.DefaultExpiringWithinDays));
    });

    /// <summary>Grants credits.</summary>
    public Task<GrantResult> GrantAsync(GrantCommand command, CommandContext context) => InTurnAsync(
        async () => await CustomerExistsAsync()
            ? await RunAsync(PlanGrant(_credits, command, context, _grantIds, Now()), context, GrainJsonContext.Default.GrantResult)
            : new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound()),
        () => !CanJoinGroup ? null : Speculate(PlanGrant(_credits, command, context, _grantIds, Now()), context, GrainJsonContext.Default.GrantResult));

    /// <summary>Voids a grant; it runs alone, since its answer carries the grant's reason, read from the ledger.</summary>
    public Task<GrantResult> VoidGrantAsync(string grantId, string reason, CommandContext context) => InTurnAsync(async () =>
    {
        if (!await CustomerExistsAsync())
        {
            return new GrantResult(CommandStatus.CustomerNotFound, _credits.Version, null, null, CustomerNotFound());
        }

        var decision = _credits.PlanVoidGrant(grantId, reason, ProvenanceOf(context), Now());
        if (decision.Rejection == Rejection.GrantNotFound
            && (await ReadAsync(() => _queries.ReadEndedGrantsAsync(_customerId, [grantId]))) is [var ended])
        {
            // The grant has ended and left memory: it exists, and is not active.
            decision = _credits.RejectVoidOfEndedGrant(grantId, ended.Grant.StatusAt(decision.At), Now());
        }

        GrantResult answer;
        if (decision.Outcome == DecisionOutcome.Changed)
        {
            var reasons = await ReadAsync(() => _queries.ReadGrantReasonsAsync(_customerId, [grantId]));
            var voided = decision.Entries[^1];
            answer = new GrantResult(
                CommandStatus.Ok, decision.VersionAfter, CustomerViews.Grant(decision.Grant!, reasons.GetValueOrDefault(grantId, string.Empty), decision.At), -voided.Amount, null);
        }
        else
        {
            answer = new GrantResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, null, ErrorOf(decision));
        }

        var planned = new Planned<GrantResult>(decision, VoidGrantOperation, RequestFingerprint.Of(VoidGrantOperation, grantId, reason), answer);
        return await RunAsync(planned, context, GrainJsonContext.Default.GrantResult);
    });

    /// <summary>Creates a credit schedule; the grants of its periods that have started are written with it.</summary>
    public Task<ScheduleResult> CreateScheduleAsync(ScheduleCommand command, CommandContext context) => InTurnAsync(
        async () => await CustomerExistsAsync()
            ? await RunAsync(PlanCreateSchedule(_credits, command, context, _grantIds, Now()), context, GrainJsonContext.Default.ScheduleResult)
            : new ScheduleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound()),
        () => !CanJoinGroup ? null : Speculate(PlanCreateSchedule(_credits, command, context, _grantIds, Now()), context, GrainJsonContext.Default.ScheduleResult));

    /// <summary>Cancels a credit schedule; the periods started by now are recorded first.</summary>
    public Task<ScheduleResult> CancelScheduleAsync(string scheduleId, string reason, CommandContext context) => InTurnAsync(
        async () => await CustomerExistsAsync()
            ? await RunAsync(PlanCancelSchedule(_credits, scheduleId, reason, context, Now()), context, GrainJsonContext.Default.ScheduleResult)
            : new ScheduleResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound()),
        () => !CanJoinGroup ? null : Speculate(PlanCancelSchedule(_credits, scheduleId, reason, context, Now()), context, GrainJsonContext.Default.ScheduleResult));

    /// <summary>Applies available credits to an invoice; idempotent by invoice id.</summary>
    public Task<InvoiceResult> ApplyAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context) => InTurnAsync(
        () => ApplyAloneAsync(invoiceId, lines, context),
        () => !CanJoinGroup ? null : Speculate(PlanApply(_credits, invoiceId, lines, context, Now()), context, GrainJsonContext.Default.InvoiceResult));

    private async Task<InvoiceResult> ApplyAloneAsync(string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context)
    {
        if (!await CustomerExistsAsync())
        {
            return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
        }

        var (result, outcome) = await RunWithOutcomeAsync(PlanApply(_credits, invoiceId, lines, context, Now()), context, GrainJsonContext.Default.InvoiceResult);
        if (outcome != AppendOutcome.InvoiceExists)
        {
            return result;
        }

        // The invoice was applied before and is no longer held in memory (paid or voided): answer from storage.
        var stored = await ReadAsync(() => _queries.FindInvoiceAsync(_customerId, invoiceId))
            ?? throw Unavailable("The invoice exists but could not be read", null);
        return ApplyAnswer(_credits.PlanApply(invoiceId, Lines(lines), ProvenanceOf(context), Now(), stored));
    }

    /// <summary>Pays (<see cref="CommandPlanner.PayOperation"/>) or voids an invoice.</summary>
    public Task<InvoiceResult> CloseInvoiceAsync(string invoiceId, CommandContext context, string operation) => InTurnAsync(
        async () =>
        {
            if (!await CustomerExistsAsync())
            {
                return new InvoiceResult(CommandStatus.CustomerNotFound, _credits.Version, null, CustomerNotFound());
            }

            var stored = _credits.FindPendingInvoice(invoiceId) is null
                ? await ReadAsync(() => _queries.FindInvoiceAsync(_customerId, invoiceId))
                : null;
            return await RunAsync(PlanCloseInvoice(_credits, invoiceId, context, operation, stored, Now()), context, GrainJsonContext.Default.InvoiceResult);
        },
        () => !CanJoinGroup || _credits.FindPendingInvoice(invoiceId) is null
            ? null
            : Speculate(PlanCloseInvoice(_credits, invoiceId, context, operation, null, Now()), context, GrainJsonContext.Default.InvoiceResult));

    /// <summary>Sets the low-balance threshold of a credit type.</summary>
    public Task<CreditAlertResult> SetCreditAlertAsync(CreditType type, decimal threshold) => InTurnAsync(async () =>
    {
        if (!await CustomerExistsAsync())
        {
            return new CreditAlertResult(CommandStatus.CustomerNotFound, _credits.Version, type.Code, null, CustomerNotFound());
        }

        // Validated at the edge with the same rule; here a bad value is the caller's bug.
        if (CustomerCredits.ThresholdError(type, threshold) is { } thresholdError)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, thresholdError);
        }

        await ReadAsync(async () =>
        {
            await _queries.UpsertCreditAlertAsync(_customerId, type.Code, threshold, Now());
            return true;
        });
        _credits.SetLowBalanceThreshold(type, threshold);
        return new CreditAlertResult(CommandStatus.Ok, _credits.Version, type.Code, threshold, null);
    });

    /// <summary>
    /// Records what is due (the reminder's turn): expiries, and the grants of schedule periods that have started, with
    /// their rollovers. Answers whether anything was.
    /// </summary>
    public Task<bool> RecordDueAsync() => _pipeline.EnqueueAsync(async () =>
    {
        var recorded = await RecordDueInStepsAsync(leaveRemainder: false);

        // Whatever was registered, the reminder now follows the state: due at the next expiry or period start, or gone.
        await _activation.AfterChangeAsync(_credits, unregisterWhenIdle: true);
        return recorded;
    });

}
