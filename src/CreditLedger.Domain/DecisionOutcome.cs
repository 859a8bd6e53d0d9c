namespace CreditLedger.Domain;

/// <summary>What a planned command amounts to.</summary>
public enum DecisionOutcome
{
    /// <summary>The command changes the ledger (it may still write no entry, e.g. an apply with nothing to draw).</summary>
    Changed,

    /// <summary>The command was already done (same apply request, paying a paid invoice): answer as before, write nothing.</summary>
    AlreadyDone,

    /// <summary>The command is refused; see <see cref="Decision.Rejection"/>. Nothing is written.</summary>
    Rejected,
}
