namespace CreditLedger.Domain;

// Folding entries in: the one place where entries change grants, for commits and replays alike.
public sealed partial class CustomerCredits
{
    /// <summary>
    /// Folds a committed decision in: its entries, its schedule, and its invoice (kept while pending, dropped once
    /// paid or voided). Only for <see cref="DecisionOutcome.Changed"/> decisions planned on this state at its version.
    /// </summary>
    /// <exception cref="InvalidOperationException">The decision was planned on another version, or is not a change.</exception>
    public void Commit(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Outcome != DecisionOutcome.Changed || decision.VersionBefore != Version)
        {
            throw new InvalidOperationException($"A {decision.Outcome} decision planned at version {decision.VersionBefore} cannot be committed at version {Version}.");
        }

        foreach (var entry in decision.Entries)
        {
            Replay(entry);
        }

        CommitTopUps(decision);
        if (decision.Schedule is { } schedule && decision.ScheduleWrite != ScheduleWrite.None)
        {
            _schedules[schedule.ScheduleId] = schedule;
        }

        if (decision.Invoice is { } invoice && decision.InvoiceWrite != InvoiceWrite.None)
        {
            if (invoice.Status == InvoiceStatus.Pending)
            {
                _pendingInvoices[invoice.InvoiceId] = invoice;
            }
            else
            {
                _pendingInvoices.Remove(invoice.InvoiceId);
            }
        }
    }

    /// <summary>
    /// Folds one entry in. Entries must come in version order, each exactly one after the last. Grants that have
    /// ended by then (see <see cref="HasEnded"/>) leave memory.
    /// </summary>
    /// <exception cref="LedgerInvariantException">The entry is out of order, names an unknown grant, or breaks conservation.</exception>
    public void Replay(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Version != Version + 1)
        {
            throw new LedgerInvariantException($"Entry {entry.Version} cannot follow version {Version}: versions are gapless.");
        }

        Fold(entry, _grants);
        if (entry.Grant is { IsPeriodGrant: true, Period: { } period } terms)
        {
            _periodsRecorded[terms.ScheduleId!] = Math.Max(PeriodsRecorded(terms.ScheduleId!), period + 1);
        }

        Version = entry.Version;
        LastOccurredAt = LastOccurredAt is { } last && last > entry.OccurredAt ? last : entry.OccurredAt;
        if (entry.Kind == EntryKind.Granted)
        {
            TrackExpiry(_grants[entry.GrantId]);
        }

        RetireEnded(entry.GrantId);
    }

    // The one place where entries change grants: commits, replays and plans all come through here.
    private static void Fold(LedgerEntry entry, Dictionary<string, Grant> grants)
    {
        if (entry.Kind == EntryKind.Granted)
        {
            if (entry.Grant is null || entry.Grant.GrantId != entry.GrantId || entry.Amount != entry.Grant.Amount
                || !grants.TryAdd(entry.GrantId, new Grant(entry.Grant, entry.Version, entry.OccurredAt)))
            {
                throw new LedgerInvariantException($"Granted entry {entry.Version} does not create a new grant {entry.GrantId}.");
            }

            return;
        }

        if (!grants.TryGetValue(entry.GrantId, out var grant) || grant.CreditType != entry.CreditType)
        {
            throw new LedgerInvariantException($"Entry {entry.Version} touches grant {entry.GrantId}, which the customer does not have in {entry.CreditType}.");
        }

        var moved = entry.Kind == EntryKind.Paid ? entry.Consumed : entry.Amount;
        var signOk = entry.Kind switch
        {
            EntryKind.Applied or EntryKind.Expired or EntryKind.Voided => moved <= 0,
            EntryKind.Reinstated or EntryKind.Paid => moved >= 0,
            _ => false,
        };
        if (!signOk || (entry.Kind == EntryKind.Paid && entry.Amount != 0))
        {
            throw new LedgerInvariantException($"Entry {entry.Version} ({entry.Kind}) moves {moved}, which has the wrong sign.");
        }

        switch (entry.Kind)
        {
            case EntryKind.Applied:
                grant.Remaining += entry.Amount;
                grant.Pending -= entry.Amount;
                break;
            case EntryKind.Paid:
                grant.Pending -= entry.Consumed;
                grant.Consumed += entry.Consumed;
                break;
            case EntryKind.Reinstated:
                grant.Pending -= entry.Amount;
                grant.Remaining += entry.Amount;
                break;
            case EntryKind.Expired:
                grant.Remaining += entry.Amount;
                grant.Expired -= entry.Amount;
                break;
            case EntryKind.Voided:
                grant.Remaining += entry.Amount;
                grant.Voided -= entry.Amount;
                grant.IsVoided = true;
                break;
        }

        grant.CheckConservation();
    }
}
