namespace CreditLedger.Domain;

// Invoices: applying credits, paying and voiding.
public sealed partial class CustomerCredits
{
    /// <summary>
    /// Plans applying credits to an invoice: per credit type, applied = min(requested, available), drawn from
    /// usable grants in <see cref="DrawdownOrder"/>; the rest is due. An invoice id is applied at most once: the
    /// same request again is <see cref="DecisionOutcome.AlreadyDone"/> with the invoice as first applied, a
    /// different one is rejected. <paramref name="stored"/> is the invoice as storage knows it, when it is not
    /// pending here.
    /// </summary>
    /// <exception cref="ArgumentException">The lines break the rules the edge validates (count, distinct types, amounts): a bug in the caller.</exception>
    public Decision PlanApply(string invoiceId, IReadOnlyList<InvoiceRequestLine> lines, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);

        if (lines.Count == 0 || lines.Count > LedgerLimits.MaxCreditTypesPerInvoice || lines.Select(l => l.CreditType).Distinct().Count() != lines.Count)
        {
            throw new ArgumentException(
                $"An invoice asks credits for 1 to {LedgerLimits.MaxCreditTypesPerInvoice} distinct credit types; its lines are validated before it is planned.",
                nameof(lines));
        }

        foreach (var line in lines)
        {
            RequireAmount(line.Requested, line.CreditType, allowZero: true, nameof(lines));
        }

        if ((FindPendingInvoice(invoiceId) ?? stored) is { } existing)
        {
            return existing.IsSameRequest(lines)
                ? new Decision(DecisionOutcome.AlreadyDone, Version, at, []) { Invoice = existing with { Status = InvoiceStatus.Pending } }
                : Reject(Rejection.InvoiceAlreadyApplied, $"Invoice {invoiceId} already has credits applied with a different request.", at);
        }

        if (_pendingInvoices.Count >= LedgerLimits.MaxPendingInvoicesPerCustomer)
        {
            return Reject(Rejection.PendingInvoiceLimitReached, $"A customer can have at most {LedgerLimits.MaxPendingInvoicesPerCustomer} unpaid invoices with credits applied.", at);
        }

        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        var applications = new List<CreditApplication>();
        var applied = new List<InvoiceLine>(lines.Count);
        foreach (var line in lines)
        {
            var due = line.Requested;
            foreach (var grantId in plan.UsableInDrawdownOrder(line.CreditType))
            {
                if (due == 0 || applications.Count >= LedgerLimits.MaxApplicationsPerInvoice)
                {
                    break;
                }

                var take = Math.Min(due, plan.Grant(grantId).Remaining);
                plan.Append(EntryKind.Applied, grantId, line.CreditType, -take, invoiceId);
                applications.Add(new CreditApplication(grantId, line.CreditType, take));
                due -= take;
            }

            applied.Add(new InvoiceLine(line.CreditType, line.Requested, line.Requested - due));
        }

        // A pending invoice stays in memory until it is paid or voided, so it keeps exact arrays, not lists with
        // spare capacity: two objects and about 90 bytes less per invoice for the GC to trace and copy.
        var invoice = new Invoice(invoiceId, InvoiceStatus.Pending, applied.ToArray(), applications.ToArray(), plan.Version, at);
        return plan.Finish(invoice: invoice, invoiceWrite: InvoiceWrite.Insert);
    }

    /// <summary>
    /// Plans paying an invoice: its pending applications become consumed. Paying a paid invoice again is
    /// <see cref="DecisionOutcome.AlreadyDone"/>; paying a voided one is rejected.
    /// </summary>
    public Decision PlanPay(string invoiceId, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        if (PendingOrAnswer(invoiceId, stored, InvoiceStatus.Paid, at) is { } answer)
        {
            return answer;
        }

        var invoice = FindPendingInvoice(invoiceId) ?? stored!;
        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        foreach (var application in invoice.Applications)
        {
            plan.Append(EntryKind.Paid, application.GrantId, application.CreditType, 0, invoiceId, consumed: application.Amount);
        }

        return plan.Finish(invoice: invoice with { Status = InvoiceStatus.Paid }, invoiceWrite: InvoiceWrite.Update);
    }

    /// <summary>
    /// Plans voiding an invoice: every application returns to its grant (reinstated); credits returning to a
    /// grant that has expired or been voided since are expired or voided at once, both steps recorded. Voiding
    /// a voided invoice again is <see cref="DecisionOutcome.AlreadyDone"/>; voiding a paid one is rejected.
    /// </summary>
    public Decision PlanVoidInvoice(string invoiceId, Provenance provenance, DateTimeOffset asOf, Invoice? stored = null)
    {
        ArgumentNullException.ThrowIfNull(invoiceId);
        ArgumentNullException.ThrowIfNull(provenance);
        var at = EvaluationInstant(asOf);
        if (PendingOrAnswer(invoiceId, stored, InvoiceStatus.Voided, at) is { } answer)
        {
            return answer;
        }

        var invoice = FindPendingInvoice(invoiceId) ?? stored!;
        var plan = new Planner(this, at, provenance);
        plan.RecordDue();
        foreach (var application in invoice.Applications)
        {
            plan.Append(EntryKind.Reinstated, application.GrantId, application.CreditType, application.Amount, invoiceId);
            var grant = plan.Grant(application.GrantId);
            if (grant.IsVoided)
            {
                plan.Append(EntryKind.Voided, application.GrantId, application.CreditType, -application.Amount, invoiceId, engine: true);
            }
            else if (grant.HasExpiredAt(at))
            {
                plan.Append(EntryKind.Expired, application.GrantId, application.CreditType, -application.Amount, invoiceId, engine: true);
            }
        }

        return plan.Finish(invoice: invoice with { Status = InvoiceStatus.Voided }, invoiceWrite: InvoiceWrite.Update);
    }

    // Closing an invoice (pay or void) goes ahead only from pending: otherwise the answer is not found, already
    // done (closed the same way), or a conflict (closed the other way).
    private Decision? PendingOrAnswer(string invoiceId, Invoice? stored, InvoiceStatus target, DateTimeOffset at)
    {
        var invoice = FindPendingInvoice(invoiceId) ?? stored;
        if (invoice is null)
        {
            return Reject(Rejection.InvoiceNotFound, $"No credits were applied to invoice {invoiceId}.", at);
        }

        if (invoice.Status == InvoiceStatus.Pending)
        {
            return null;
        }

        if (invoice.Status == target)
        {
            return new Decision(DecisionOutcome.AlreadyDone, Version, at, []) { Invoice = invoice };
        }

        var (status, action) = invoice.Status == InvoiceStatus.Paid ? ("paid", "voided") : ("voided", "paid");
        return Reject(Rejection.InvoiceStateConflict, $"Invoice {invoiceId} is {status}; a {status} invoice cannot be {action}.", at);
    }
}
