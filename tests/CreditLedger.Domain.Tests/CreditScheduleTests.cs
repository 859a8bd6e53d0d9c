using CsCheck;

namespace CreditLedger.Domain.Tests;

/// <summary>
/// A schedule's calendar: which periods are granted by an instant, the next one, rollover caps and status, against a
/// period-by-period count, with a count of periods and cancels before, at and after boundaries.
/// </summary>
public sealed class CreditScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 31, 0, 0, 0, TimeSpan.Zero);

    private static CreditSchedule Monthly(int? periods = 12, decimal? rollover = 500m) => new(
        "sch_test", CreditType.Unit("api_calls"), 1000m, "Monthly allowance", 50, GrantCategory.Paid, ScheduleInterval.Month, Start, periods, rollover);

    [Fact]
    public void GrantIds_DerivedFromScheduleAndPeriod()
    {
        var schedule = Monthly();

        Assert.Equal("sch_test:p0", schedule.PeriodGrantId(0));
        Assert.Equal("sch_test:r3", schedule.RolloverGrantId(3));
        Assert.True(ResourceId.IsValid(schedule.PeriodGrantId(9_999), out _));
    }

    [Fact]
    public void Boundary_BelongsToTheNewPeriod()
    {
        var schedule = Monthly();
        var february = new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(0, schedule.PeriodsStartedBy(Start.AddTicks(-1)));
        Assert.Equal(1, schedule.PeriodsStartedBy(Start));
        Assert.Equal(1, schedule.PeriodsStartedBy(february.AddTicks(-1)));
        Assert.Equal(2, schedule.PeriodsStartedBy(february));
        Assert.Equal(february, schedule.PeriodEnd(0));
        Assert.Equal(february, schedule.NextPeriodAt(Start));
    }

    [Fact]
    public void LastPeriod_EndsTheSchedule()
    {
        var schedule = Monthly(periods: 3);
        var end = schedule.PeriodEnd(2);

        Assert.Equal(3, schedule.PeriodsStartedBy(end.AddYears(1)));
        Assert.Null(schedule.NextPeriodAt(schedule.PeriodStart(2)));
        Assert.Null(schedule.RolloverCapInto(3));
        Assert.Equal(500m, schedule.RolloverCapInto(2));
        Assert.Equal(ScheduleStatus.Active, schedule.StatusAt(end.AddTicks(-1)));
        Assert.Equal(ScheduleStatus.Completed, schedule.StatusAt(end));
    }

    [Fact]
    public void CancelAtABoundary_RecordsThatPeriodFirst_AndNothingAfter()
    {
        var schedule = Monthly() with { CancelledAt = Monthly().PeriodStart(2) };

        Assert.True(schedule.IsGranted(2));
        Assert.False(schedule.IsGranted(3));
        Assert.Equal(3, schedule.PeriodsStartedBy(schedule.PeriodStart(5)));
        Assert.Null(schedule.NextPeriodAt(schedule.PeriodStart(2)));
        Assert.Equal(500m, schedule.RolloverCapInto(2));
        Assert.Null(schedule.RolloverCapInto(3));
        Assert.Equal(ScheduleStatus.Cancelled, schedule.StatusAt(schedule.PeriodStart(2)));
    }

    [Fact]
    public void Rollover_NeverIntoTheFirstPeriodOrWithoutARule()
    {
        Assert.Null(Monthly().RolloverCapInto(0));
        Assert.Null(Monthly(rollover: null).RolloverCapInto(1));
        Assert.Null(Monthly(periods: null).RolloverCapInto(-1));
        Assert.Equal(500m, Monthly(periods: null).RolloverCapInto(10_000));
    }

    [Fact]
    public void Calendar_AgreesWithCountingPeriodByPeriod()
    {
        var intervals = Gen.OneOf(
            Gen.Const(ScheduleInterval.Month),
            Gen.Int[1, 60 * 24 * 10].Select(minutes => ScheduleInterval.Of(TimeSpan.FromMinutes(minutes))));
        var periods = Gen.Int[0, 30].Select(p => p == 0 ? (int?)null : p);
        // Instants and cancels as positions in periods: before, at and after boundaries.
        var positions = Gen.Select(Gen.Int[-2, 40], Gen.Int[-1, 1], (k, nudge) => (k, nudge));
        var cancels = Gen.Select(Gen.Bool, positions, (cancelled, p) => cancelled ? ((int, int)?)p : null);

        Gen.Select(intervals, periods, positions, cancels).Sample((every, count, at, cancel) =>
        {
            var plain = new CreditSchedule("sch_p", CreditType.Currency("USD"), 5m, "r", 50, GrantCategory.Paid, every, Start, count, 2m);
            DateTimeOffset Instant((int K, int Nudge) p) =>
                (p.K < 0 ? Start.AddMinutes(p.K) : plain.PeriodStart(p.K)).AddTicks(p.Nudge);
            var schedule = plain with { CancelledAt = cancel is { } c ? Instant(c) : null };
            var instant = Instant(at);

            // Period by period, up to one past any end the case can reach.
            var granted = Enumerable.Range(0, 45).Where(k => (count is null || k < count) && (schedule.CancelledAt is not { } x || schedule.PeriodStart(k) <= x)).ToList();
            Assert.Equal(granted.Select(k => (long)k), Enumerable.Range(0, 45).Where(k => schedule.IsGranted(k)).Select(k => (long)k));
            Assert.Equal(granted.Count(k => schedule.PeriodStart(k) <= instant), schedule.PeriodsStartedBy(instant));
            var next = granted.Select(k => schedule.PeriodStart(k)).Where(s => s > instant).Cast<DateTimeOffset?>().FirstOrDefault();
            Assert.Equal(next, schedule.NextPeriodAt(instant));

            foreach (var k in granted.Where(k => k > 0))
            {
                Assert.Equal(2m, schedule.RolloverCapInto(k));
            }

            if (count is not null || schedule.CancelledAt is not null)
            {
                Assert.Null(schedule.RolloverCapInto(granted.Count == 0 ? 0 : granted[^1] + 1));
                Assert.Equal(count is not null && schedule.CancelledAt is null && instant >= schedule.PeriodEnd(count.Value - 1) ? ScheduleStatus.Completed : schedule.CancelledAt is null ? ScheduleStatus.Active : ScheduleStatus.Cancelled, schedule.StatusAt(instant));
            }
        });
    }
}
