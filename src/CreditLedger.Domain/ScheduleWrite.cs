namespace CreditLedger.Domain;

/// <summary>How a command changes the stored credit schedule (schedules are stored beside the ledger, not in it).</summary>
public enum ScheduleWrite
{
    /// <summary>No schedule is touched.</summary>
    None,

    /// <summary>A new schedule: its id must not exist yet.</summary>
    Insert,

    /// <summary>An active schedule is cancelled.</summary>
    Cancel,
}
