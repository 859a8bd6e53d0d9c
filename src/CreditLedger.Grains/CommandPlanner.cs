using CreditLedger.Contracts.Customers;
using CreditLedger.Domain;

namespace CreditLedger.Grains;

/// <summary>
/// Turns a customer's commands into planned ones: the domain's decision, the operation and request fingerprint its
/// idempotency record is kept under, and the answer once durable. Pure: it reads the customer's credits and the
/// instant it is given, and changes nothing.
/// </summary>
internal static class CommandPlanner
{
    public const string ApplyOperation = "apply";
    public const string GrantOperation = "grant";
    public const string VoidGrantOperation = "void-grant";
    public const string PayOperation = "pay";
    public const string VoidInvoiceOperation = "void-invoice";
    public const string CreateScheduleOperation = "create-schedule";
    public const string CancelScheduleOperation = "cancel-schedule";
    public const string FailTopUpOperation = "fail-top-up";

    /// <summary>Plans a grant; <paramref name="grantIds"/> names it.</summary>
    public static Planned<GrantResult> PlanGrant(CustomerCredits credits, GrantCommand command, CommandContext context, IGrantIdGenerator grantIds, DateTimeOffset now)
    {
        var request = new GrantRequest(
            grantIds.NewGrantId(), command.CreditType, command.Amount, command.Reason, command.Priority, command.Category, Microseconds(command.EffectiveAt), Microseconds(command.ExpiresAt))
        {
            TopUpRequestId = command.TopUpRequestId,
        };
        var decision = credits.PlanGrant(request, ProvenanceOf(context), now);
        var answer = decision.Outcome == DecisionOutcome.Changed
            ? new GrantResult(CommandStatus.Created, decision.VersionAfter, CustomerViews.Grant(decision.Grant!, command.Reason, decision.At), null, null)
            : new GrantResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, null, ErrorOf(decision));
        // A grant that fulfils no top-up request keeps the fingerprint it always had, so answers remembered before still replay.
        var fingerprint = command.TopUpRequestId is { } topUpRequestId
            ? RequestFingerprint.Of(
                GrantOperation, command.CreditType.Code, command.Amount, command.Reason, command.Priority, WireNames.Of(command.Category), command.EffectiveAt, command.ExpiresAt,
                topUpRequestId)
            : RequestFingerprint.Of(
                GrantOperation, command.CreditType.Code, command.Amount, command.Reason, command.Priority, WireNames.Of(command.Category), command.EffectiveAt, command.ExpiresAt);
        return new Planned<GrantResult>(decision, GrantOperation, fingerprint, answer);
    }

    /// <summary>Plans creating a credit schedule; <paramref name="ids"/> names it.</summary>
    public static Planned<ScheduleResult> PlanCreateSchedule(CustomerCredits credits, ScheduleCommand command, CommandContext context, IGrantIdGenerator ids, DateTimeOffset now)
    {
        if (!ScheduleInterval.TryParse(command.Every, out var every, out var everyError))
        {
            throw new ArgumentException($"The interval is validated at the edge: {everyError}", nameof(command));
        }

        var request = new ScheduleRequest(
            ids.NewScheduleId(), command.CreditType, command.Amount, command.Reason, command.Priority, command.Category, every,
            Microseconds(command.StartsAt), command.Periods, command.RolloverMax);
        var decision = credits.PlanCreateSchedule(request, ProvenanceOf(context), now);
        var answer = decision.Outcome == DecisionOutcome.Changed
            ? new ScheduleResult(CommandStatus.Created, decision.VersionAfter, CustomerViews.Schedule(decision.Schedule!, decision.At), null)
            : new ScheduleResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, ErrorOf(decision));
        var fingerprint = RequestFingerprint.Of(
            CreateScheduleOperation, command.CreditType.Code, command.Amount, command.Reason, command.Priority, WireNames.Of(command.Category), every.ToString(),
            command.StartsAt, command.Periods, command.RolloverMax);
        return new Planned<ScheduleResult>(decision, CreateScheduleOperation, fingerprint, answer);
    }

    /// <summary>Plans cancelling a credit schedule.</summary>
    public static Planned<ScheduleResult> PlanCancelSchedule(CustomerCredits credits, string scheduleId, string reason, CommandContext context, DateTimeOffset now)
    {
        var decision = credits.PlanCancelSchedule(scheduleId, reason, ProvenanceOf(context), now);
        var answer = decision.Outcome == DecisionOutcome.Changed
            ? new ScheduleResult(CommandStatus.Ok, decision.VersionAfter, CustomerViews.Schedule(decision.Schedule!, decision.At), null)
            : new ScheduleResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, ErrorOf(decision));
        return new Planned<ScheduleResult>(decision, CancelScheduleOperation, RequestFingerprint.Of(CancelScheduleOperation, scheduleId, reason), answer);
    }

    /// <summary>Plans an apply of <paramref name="lines"/> to an invoice.</summary>
    public static Planned<InvoiceResult> PlanApply(CustomerCredits credits, string invoiceId, IReadOnlyList<InvoiceLineRequest> lines, CommandContext context, DateTimeOffset now)
    {
        var decision = credits.PlanApply(invoiceId, Lines(lines), ProvenanceOf(context), now);
        return new Planned<InvoiceResult>(decision, ApplyOperation, [], ApplyAnswer(decision));
    }

    /// <summary>Plans paying or voiding an invoice (<paramref name="stored"/> when it is no longer in memory).</summary>
    public static Planned<InvoiceResult> PlanCloseInvoice(CustomerCredits credits, string invoiceId, CommandContext context, string operation, Invoice? stored, DateTimeOffset now)
    {
        var provenance = ProvenanceOf(context);
        var decision = operation == PayOperation
            ? credits.PlanPay(invoiceId, provenance, now, stored)
            : credits.PlanVoidInvoice(invoiceId, provenance, now, stored);
        var answer = decision.Outcome == DecisionOutcome.Rejected
            ? new InvoiceResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, ErrorOf(decision))
            : new InvoiceResult(CommandStatus.Ok, decision.VersionAfter, CustomerViews.Invoice(decision.Invoice!), null);
        return new Planned<InvoiceResult>(decision, operation, RequestFingerprint.Of(operation, invoiceId), answer);
    }

    /// <summary>The answer to a planned apply.</summary>
    public static InvoiceResult ApplyAnswer(Decision decision) => decision.Outcome switch
    {
        DecisionOutcome.Changed => new InvoiceResult(CommandStatus.Ok, decision.VersionAfter, CustomerViews.Invoice(decision.Invoice!), null),
        DecisionOutcome.AlreadyDone => new InvoiceResult(CommandStatus.Ok, decision.Invoice!.AppliedVersion, CustomerViews.Invoice(decision.Invoice), null, Replayed: true),
        _ => new InvoiceResult(StatusOf(decision.Rejection!.Value), decision.VersionBefore, null, ErrorOf(decision)),
    };

    /// <summary>The requested lines as the domain takes them.</summary>
    public static List<InvoiceRequestLine> Lines(IReadOnlyList<InvoiceLineRequest> lines) =>
        lines.Select(line => new InvoiceRequestLine(line.CreditType, line.Requested)).ToList();

    /// <summary>Who asked, from where, for the entries' audit fields.</summary>
    public static Provenance ProvenanceOf(CommandContext context) =>
        new(context.Actor, context.Source, context.RequestId, context.IdempotencyKey);

    /// <summary>A rejection's detail and field.</summary>
    public static CommandError ErrorOf(Decision decision) => new(decision.RejectionDetail ?? decision.Rejection.ToString()!, decision.RejectionField);

    /// <summary>A rejection's command status: the one of the same name and number (see Rejection).</summary>
    public static CommandStatus StatusOf(Rejection rejection) => (CommandStatus)(int)rejection;

    // PostgreSQL keeps instants to the microsecond: the ledger's clock does too, so that what a grain holds in
    // memory and what it reads back after a restart are the same instants.
    public static DateTimeOffset Microseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    public static DateTimeOffset? Microseconds(DateTimeOffset? instant) => instant is { } value ? Microseconds(value) : null;
}

// A planned command: its decision, the operation and request fingerprint its idempotency record is kept under,
// and its answer once durable.
internal sealed record Planned<TResult>(Decision Decision, string Operation, byte[] Fingerprint, TResult Answer);
