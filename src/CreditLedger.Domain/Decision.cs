namespace CreditLedger.Domain;

/// <summary>
/// The outcome of planning one command against a customer's state, computed without changing it: the entries
/// to append (due expiries first, then the command's own) with the events they cause, and the grant or invoice
/// as they will be once the entries are committed. Apply it with <see cref="CustomerCredits.Commit"/> only after
/// the entries are durable.
/// </summary>
public sealed class Decision
{
    internal Decision(
        DecisionOutcome outcome,
        long versionBefore,
        DateTimeOffset at,
        IReadOnlyList<LedgerEntry> entries)
    {
        Outcome = outcome;
        VersionBefore = versionBefore;
        At = at;
        Entries = entries;
    }

    /// <summary>Changed, already done, or rejected.</summary>
    public DecisionOutcome Outcome { get; }

    /// <summary>Why the command was refused, when it was.</summary>
    public Rejection? Rejection { get; internal init; }

    /// <summary>A sentence for the caller about the rejection.</summary>
    public string? RejectionDetail { get; internal init; }

    /// <summary>The field a <see cref="Domain.Rejection.InvalidRequest"/> is about.</summary>
    public string? RejectionField { get; internal init; }

    /// <summary>The customer's version the plan starts from; the first entry is numbered one more.</summary>
    public long VersionBefore { get; }

    /// <summary>The customer's version once the entries are committed.</summary>
    public long VersionAfter => VersionBefore + Entries.Count;

    /// <summary>The instant the command was evaluated at.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The entries to append, numbered from <see cref="VersionBefore"/> + 1.</summary>
    public IReadOnlyList<LedgerEntry> Entries { get; }

    /// <summary>The events the entries cause, in entry order (each entry carries its own: <see cref="LedgerEntry.Events"/>).</summary>
    public IReadOnlyList<CreditEvent> Events => Entries.SelectMany(entry => entry.CreditEvents()).ToList();

    /// <summary>The grant the command is about, as it will be after the commit.</summary>
    public Grant? Grant { get; internal init; }

    /// <summary>The invoice the command is about, as it will be after the commit (for a repeated apply, as first applied).</summary>
    public Invoice? Invoice { get; internal init; }

    /// <summary>How the stored invoice changes.</summary>
    public InvoiceWrite InvoiceWrite { get; internal init; }

    /// <summary>The credit schedule the command is about, as it will be after the commit.</summary>
    public CreditSchedule? Schedule { get; internal init; }

    /// <summary>How the stored schedule changes.</summary>
    public ScheduleWrite ScheduleWrite { get; internal init; }

    /// <summary>The outstanding top-up request the command ends (a grant fulfils it, or a fail fails it).</summary>
    public TopUpOutcome? EndedTopUp { get; internal init; }

    /// <summary>The top-up requests the command records (each carried by the entry that made it).</summary>
    public IEnumerable<TopUpRequest> RequestedTopUps => Entries.Where(e => e.TopUp is not null).Select(e => e.TopUp!);

    /// <summary>Whether the command writes anything (entries, an invoice, a schedule or a top-up request's end).</summary>
    public bool HasWrites => Entries.Count > 0 || InvoiceWrite != InvoiceWrite.None || ScheduleWrite != ScheduleWrite.None || EndedTopUp is not null;
}
