using System.Text.Json;
using CreditLedger.Domain;

namespace CreditLedger.Grains.Tests;

/// <summary>
/// A snapshot keeps what a schedule needs across activations (its grants' schedule fields and its periods recorded)
/// and the totals of the grants that ended.
/// </summary>
public sealed class CustomerCreditsSnapshotTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Snapshot_ThroughJson_RestoresScheduleGrantsAndPeriodsRecorded()
    {
        var credits = new CustomerCredits();
        var schedule = credits.PlanCreateSchedule(
            new ScheduleRequest("sch_snap", CreditType.Unit("api_calls"), 100m, "Allowance", null, GrantCategory.Paid, ScheduleInterval.Of(TimeSpan.FromHours(1)), At, null, 40m),
            new Provenance("key:test", "api", null, null),
            At);
        credits.Commit(schedule);
        credits.Commit(credits.PlanExpiries(Provenance.Reminder, At.AddHours(1)));

        var json = JsonSerializer.Serialize(CustomerCreditsSnapshot.Of(credits));
        var restored = JsonSerializer.Deserialize<CustomerCreditsSnapshot>(json)!.Restore();
        restored.TrackSchedule(schedule.Schedule!);

        Assert.Equal(2, restored.PeriodsRecorded("sch_snap"));
        Assert.Equal(credits.Grants.Select(g => g.Terms), restored.Grants.Select(g => g.Terms));
        Assert.Equal("sch_snap:p0", restored.FindGrant("sch_snap:r1")!.Terms.RolloverOf);
        Assert.Empty(restored.PlanExpiries(Provenance.Reminder, At.AddHours(1)).Entries);
        // Period 0 expired with nothing pending: it left memory, and its totals travel in the snapshot.
        Assert.Null(restored.FindGrant("sch_snap:p0"));
        Assert.Equal(new EndedGrants(100m, 0m, 100m, 0m), restored.EndedGrantTotals[CreditType.Unit("api_calls")]);
        Assert.Equal(credits.BalancesAt(At.AddHours(1), 30), restored.BalancesAt(At.AddHours(1), 30));
    }
}
