namespace CreditLedger.Domain;

/// <summary>Where a credit schedule is in its life at an instant; see <see cref="CreditSchedule.StatusAt"/>.</summary>
public enum ScheduleStatus
{
    /// <summary>Periods are still to come, or the last one has not ended.</summary>
    Active,

    /// <summary>Every period was granted and the last one has ended.</summary>
    Completed,

    /// <summary>An operator cancelled it: no later period is granted.</summary>
    Cancelled,
}
