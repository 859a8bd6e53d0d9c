using CsCheck;

namespace CreditLedger.Domain.Tests;

/// <summary>
/// A schedule's periods: the interval's text forms, calendar months anchored on the start's day and clamped, and
/// the period an instant falls in agreeing with the periods' starts.
/// </summary>
public sealed class ScheduleIntervalTests
{
    private static readonly DateTimeOffset Jan31 = new(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("day", 1440)]
    [InlineData("week", 10080)]
    [InlineData("P2W", 20160)]
    [InlineData("P1D", 1440)]
    [InlineData("PT90M", 90)]
    [InlineData("PT1M", 1)]
    [InlineData("P1DT12H", 2160)]
    [InlineData("P1W2DT3H4M", 13144)]
    public void TryParse_FixedLength_InWholeMinutes(string text, int minutes)
    {
        Assert.True(ScheduleInterval.TryParse(text, out var interval, out _));
        Assert.Equal(0, interval.Months);
        Assert.Equal(TimeSpan.FromMinutes(minutes), interval.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("PT0M")]
    [InlineData("PT30S")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("pt5m")]
    [InlineData("PT-5M")]
    [InlineData("PT1.5M")]
    [InlineData("PT\u0661M")]
    [InlineData("Month")]
    [InlineData("P3661D")]
    [InlineData("P999999999W")]
    public void TryParse_NotAnInterval_RefusedWithWhy(string? text)
    {
        Assert.False(ScheduleInterval.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("month")]
    [InlineData("week")]
    [InlineData("day")]
    [InlineData("PT1M")]
    [InlineData("PT90M")]
    [InlineData("P2DT6H")]
    [InlineData("P14D")]
    public void ToString_ParsesBackToTheSameInterval(string text)
    {
        Assert.True(ScheduleInterval.TryParse(text, out var interval, out _));
        Assert.True(ScheduleInterval.TryParse(interval.ToString(), out var again, out _));
        Assert.Equal(interval, again);
    }

    [Fact]
    public void PeriodStart_Months_AnchoredOnTheStartsDayAndClamped()
    {
        Assert.Equal(
            [Jan31, new(2026, 2, 28, 9, 30, 0, TimeSpan.Zero), new(2026, 3, 31, 9, 30, 0, TimeSpan.Zero), new(2026, 4, 30, 9, 30, 0, TimeSpan.Zero)],
            Enumerable.Range(0, 4).Select(k => ScheduleInterval.Month.PeriodStart(Jan31, k)).ToArray());
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 9, 30, 0, TimeSpan.Zero), ScheduleInterval.Month.PeriodStart(Jan31, 25));
    }

    [Fact]
    public void PeriodStart_OffsetGiven_CountedInUtc()
    {
        var start = new DateTimeOffset(2026, 1, 31, 23, 30, 0, TimeSpan.FromHours(-5));

        // 04:30 UTC on 1 February: the anchor is the first of the month in UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 4, 30, 0, TimeSpan.Zero), ScheduleInterval.Month.PeriodStart(start, 1));
        Assert.Equal(TimeSpan.Zero, ScheduleInterval.Month.PeriodStart(start, 1).Offset);
    }

    [Fact]
    public void PeriodAt_BoundaryBelongsToTheNewPeriod()
    {
        var start = ScheduleInterval.Month.PeriodStart(Jan31, 1);

        Assert.Equal(-1, ScheduleInterval.Month.PeriodAt(Jan31, Jan31.AddTicks(-1)));
        Assert.Equal(0, ScheduleInterval.Month.PeriodAt(Jan31, Jan31));
        Assert.Equal(0, ScheduleInterval.Month.PeriodAt(Jan31, start.AddTicks(-1)));
        Assert.Equal(1, ScheduleInterval.Month.PeriodAt(Jan31, start));
        // 31 March 09:29 is still in the period that began on 28 February.
        Assert.Equal(1, ScheduleInterval.Month.PeriodAt(Jan31, new DateTimeOffset(2026, 3, 31, 9, 29, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void PeriodAt_AnyInstant_LiesBetweenItsPeriodsStartAndTheNextStart()
    {
        var intervals = Gen.OneOf(
            Gen.Int[1, 3].Select(_ => ScheduleInterval.Month),
            Gen.Int[1, 60 * 24 * 40].Select(minutes => ScheduleInterval.Of(TimeSpan.FromMinutes(minutes))));
        var starts = Gen.Long[new DateTime(2000, 1, 1).Ticks, new DateTime(2040, 1, 1).Ticks]
            .Select(ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
        var offsets = Gen.Long[0, TimeSpan.FromDays(3_000).Ticks];

        Gen.Select(intervals, starts, offsets).Sample((interval, start, offset) =>
        {
            var instant = start.AddTicks(offset);
            var period = interval.PeriodAt(start, instant);

            Assert.InRange(period, 0, long.MaxValue);
            Assert.True(interval.PeriodStart(start, period) <= instant);
            Assert.True(interval.PeriodStart(start, period + 1) > instant);
            Assert.Equal(period, interval.PeriodAt(start, interval.PeriodStart(start, period)));
        });
    }

    [Fact]
    public void PeriodStart_Increasing_PeriodAfterPeriod()
    {
        Gen.Select(Gen.Int[1, 31], Gen.Int[1, 12], Gen.Int[0, 400]).Sample((day, month, period) =>
        {
            var start = new DateTimeOffset(2024, month, Math.Min(day, DateTime.DaysInMonth(2024, month)), 0, 0, 0, TimeSpan.Zero);
            var here = ScheduleInterval.Month.PeriodStart(start, period);
            var next = ScheduleInterval.Month.PeriodStart(start, period + 1);

            Assert.True(next > here);
            // Never more than a month apart, and on the anchor's day unless that month is shorter.
            Assert.Equal(Math.Min(start.Day, DateTime.DaysInMonth(next.Year, next.Month)), next.Day);
        });
    }

    [Fact]
    public void Of_NotWholeMinutesOrOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleInterval.Of(TimeSpan.FromSeconds(90)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleInterval.Of(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleInterval.Of(TimeSpan.FromDays(3_661)));
    }
}
