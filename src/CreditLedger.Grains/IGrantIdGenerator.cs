namespace CreditLedger.Grains;

/// <summary>Makes ids for new grants and credit schedules. Injected, so that grains read no ambient randomness and tests can choose ids.</summary>
public interface IGrantIdGenerator
{
    /// <summary>A new grant id: <c>grt_</c> and random characters, unique with overwhelming probability.</summary>
    string NewGrantId();

    /// <summary>A new credit schedule id: <c>sch_</c> and random characters, unique with overwhelming probability.</summary>
    string NewScheduleId();
}
