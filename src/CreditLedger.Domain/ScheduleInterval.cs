using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CreditLedger.Domain;

/// <summary>
/// How often a credit schedule's periods start: calendar months in UTC, anchored on the start's day of month and
/// clamped to a shorter month's last day, or a fixed length of whole minutes (a day is 24 hours). Period k starts at
/// <c>startsAt + k x interval</c>, always counted from the start, so a clamped month never shifts the later ones
/// (31 January, 28 February, 31 March).
/// </summary>
public readonly partial record struct ScheduleInterval
{
    /// <summary>The longest fixed interval: 3,660 days (about ten years).</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(3_660);

    private ScheduleInterval(int months, TimeSpan length)
    {
        Months = months;
        Length = length;
    }

    /// <summary>One calendar month.</summary>
    public static ScheduleInterval Month { get; } = new(1, TimeSpan.Zero);

    /// <summary>Calendar months per period (1 for <c>month</c>); 0 for a fixed length.</summary>
    public int Months { get; }

    /// <summary>The fixed length of a period; zero for calendar months.</summary>
    public TimeSpan Length { get; }

    /// <summary>A fixed interval of <paramref name="length"/>: whole minutes, from one minute to <see cref="MaxLength"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is not whole minutes in that range.</exception>
    public static ScheduleInterval Of(TimeSpan length) =>
        length >= TimeSpan.FromMinutes(1) && length <= MaxLength && length.Ticks % TimeSpan.TicksPerMinute == 0
            ? new ScheduleInterval(0, length)
            : throw new ArgumentOutOfRangeException(nameof(length), length, "A schedule's interval is whole minutes, from one minute to 3,660 days.");

    /// <summary>
    /// Parses <c>day</c>, <c>week</c>, <c>month</c>, or an ISO 8601 duration of weeks, days, hours and minutes
    /// (<c>P2W</c>, <c>P1D</c>, <c>PT90M</c>, <c>P1DT12H</c>) of at least one minute.
    /// </summary>
    public static bool TryParse(string? text, out ScheduleInterval interval, [NotNullWhen(false)] out string? error)
    {
        interval = default;
        error = null;
        switch (text)
        {
            case "month":
                interval = Month;
                return true;
            case "week":
                interval = new ScheduleInterval(0, TimeSpan.FromDays(7));
                return true;
            case "day":
                interval = new ScheduleInterval(0, TimeSpan.FromDays(1));
                return true;
        }

        var match = text is null ? Match.Empty : DurationPattern().Match(text);
        if (!match.Success || match.Value is "P" or "PT" || text!.EndsWith('T'))
        {
            error = "Must be day, week, month, or an ISO 8601 duration of weeks, days, hours and minutes such as P2W, P1D or PT90M.";
            return false;
        }

        long minutes = 0;
        foreach (var (group, perUnit) in new[] { ("w", 7L * 24 * 60), ("d", 24L * 60), ("h", 60L), ("m", 1L) })
        {
            if (match.Groups[group].Success)
            {
                // Nine digits at most per part, so the sum cannot overflow before the range check.
                minutes += long.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) * perUnit;
            }
        }

        if (minutes < 1 || minutes > (long)MaxLength.TotalMinutes)
        {
            error = "Must be from one minute (PT1M) to 3,660 days.";
            return false;
        }

        interval = new ScheduleInterval(0, TimeSpan.FromMinutes(minutes));
        return true;
    }

    /// <summary>When period <paramref name="period"/> (0 for the first) of a schedule starting at <paramref name="startsAt"/> starts, in UTC.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The period is negative or starts after the last representable instant.</exception>
    public DateTimeOffset PeriodStart(DateTimeOffset startsAt, long period)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(period);
        return TryPeriodStart(startsAt, period, out var start)
            ? start
            : throw new ArgumentOutOfRangeException(nameof(period), period, "The period starts after the last representable instant.");
    }

    /// <summary>
    /// When period <paramref name="period"/> of a schedule starting at <paramref name="startsAt"/> starts, in UTC; false
    /// when it is negative or would start after the last representable instant (the end of the year 9999).
    /// </summary>
    public bool TryPeriodStart(DateTimeOffset startsAt, long period, out DateTimeOffset periodStart)
    {
        periodStart = default;
        var start = startsAt.ToUniversalTime();
        if (period < 0)
        {
            return false;
        }

        if (Months > 0)
        {
            // Whole years are left up to the last year, so adding at most that many months stays within it.
            if (period > (DateTimeOffset.MaxValue.Year - start.Year) * 12L / Months)
            {
                return false;
            }

            periodStart = start.AddMonths((int)(period * Months));
            return true;
        }

        if (period > (DateTimeOffset.MaxValue - start).Ticks / Length.Ticks)
        {
            return false;
        }

        periodStart = start.AddTicks(period * Length.Ticks);
        return true;
    }

    /// <summary>The period that <paramref name="instant"/> falls in (a period holds its start, not its end); -1 before the first.</summary>
    public long PeriodAt(DateTimeOffset startsAt, DateTimeOffset instant)
    {
        var start = startsAt.ToUniversalTime();
        var at = instant.ToUniversalTime();
        if (at < start)
        {
            return -1;
        }

        if (Months == 0)
        {
            return (at - start).Ticks / Length.Ticks;
        }

        // A guess from the calendar, then a step back while it starts too late (a clamped or later day of month).
        var period = (((at.Year - start.Year) * 12L) + at.Month - start.Month) / Months;
        while (period > 0 && PeriodStart(start, period) > at)
        {
            period--;
        }

        return period;
    }

    /// <summary>The interval as the API writes it: <c>month</c>, <c>week</c>, <c>day</c>, or an ISO 8601 duration.</summary>
    public override string ToString()
    {
        if (Months > 0)
        {
            return "month";
        }

        if (Length == TimeSpan.FromDays(7))
        {
            return "week";
        }

        if (Length == TimeSpan.FromDays(1))
        {
            return "day";
        }

        var days = (long)Length.TotalDays;
        var time = Length - TimeSpan.FromDays(days);
        var text = "P" + (days > 0 ? $"{days}D" : string.Empty);
        if (time > TimeSpan.Zero)
        {
            text += "T" + (time.Hours > 0 ? $"{time.Hours}H" : string.Empty) + (time.Minutes > 0 ? $"{time.Minutes}M" : string.Empty);
        }

        return text;
    }

    [GeneratedRegex(@"^P(?:(?<w>[0-9]{1,9})W)?(?:(?<d>[0-9]{1,9})D)?(?:T(?:(?<h>[0-9]{1,9})H)?(?:(?<m>[0-9]{1,9})M)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
