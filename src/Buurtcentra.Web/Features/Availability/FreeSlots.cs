using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>A half-open span of time [Start, End) between two UTC instants.</summary>
public readonly record struct Interval(DateTimeOffset Start, DateTimeOffset End)
{
    public bool IsEmpty => End <= Start;
    public TimeSpan Length => End - Start;
}

/// <summary>One opening period of a centre on a day, local wall-clock time (Europe/Amsterdam).</summary>
public readonly record struct LocalPeriod(TimeOnly Opens, TimeOnly Closes);

/// <summary>
/// The free-slot arithmetic of the room finder. Pure: no database, no clock, no HTTP, so every rule is unit-tested.
/// </summary>
public static class FreeSlots
{
    public static readonly TimeSpan DefaultGranularity = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The free intervals of one room: the parts of <paramref name="openPeriods"/> inside <paramref name="window"/> where
    /// an activity of <paramref name="duration"/> fits, with the room's own set-up before and clean-up after not touching
    /// any busy block. Busy blocks are confirmed occupancies [blocked_from, blocked_until), which already include the
    /// buffers of the other booking. Each result starts on the <paramref name="granularity"/> grid (quarter hours) and
    /// ends where the room stops being free; an activity can start at any grid time from Start up to End - duration.
    /// The grid is taken in UTC: Europe/Amsterdam is always a whole number of hours off UTC, so a UTC quarter hour
    /// is also a local quarter hour.
    /// </summary>
    public static IReadOnlyList<Interval> Compute(
        IEnumerable<Interval> openPeriods, IEnumerable<Interval> busyBlocks, Interval window,
        TimeSpan duration, TimeSpan setup, TimeSpan cleanup, TimeSpan granularity)
    {
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "Duration must be positive.");
        if (granularity <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(granularity), "Granularity must be positive.");
        if (setup < TimeSpan.Zero || cleanup < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(setup), "Buffers cannot be negative.");

        // An activity [s, e) with buffers [s - setup, e + cleanup) overlaps a block [f, u) exactly when
        // s < u + setup and e > f - cleanup: the activity itself must stay out of [f - cleanup, u + setup).
        var forbidden = Merge(busyBlocks.Select(b => new Interval(b.Start - cleanup, b.End + setup)));

        var result = new List<Interval>();
        foreach (var period in openPeriods.OrderBy(p => p.Start))
        {
            var segment = Intersect(period, window);
            if (segment.IsEmpty) continue;
            foreach (var free in Subtract(segment, forbidden))
            {
                var start = CeilToGrid(free.Start, granularity);
                if (start + duration <= free.End) result.Add(new Interval(start, free.End));
            }
        }
        return result;
    }

    /// <summary>
    /// The free intervals of one room on one local date: the opening periods of that day and the time window
    /// ([<paramref name="fromMinute"/>, <paramref name="toMinute"/>) in minutes after local midnight, 1440 = the end
    /// of the day) are local wall-clock times, turned into instants for that date, so 19:00 stays 19:00 on both sides
    /// of a daylight-saving change. Nothing starts before <paramref name="notBefore"/> (now).
    /// </summary>
    public static IReadOnlyList<Interval> ForDay(
        DateOnly date, IEnumerable<LocalPeriod> openPeriods, int fromMinute, int toMinute,
        IEnumerable<Interval> busyBlocks, TimeSpan duration, TimeSpan setup, TimeSpan cleanup, TimeSpan granularity,
        DateTimeOffset notBefore)
    {
        var windowStart = LocalClock.ToUtc(date, fromMinute);
        if (windowStart < notBefore) windowStart = notBefore;
        var window = new Interval(windowStart, LocalClock.ToUtc(date, toMinute));
        var periods = openPeriods.Select(p => new Interval(
            LocalClock.ToUtc(date, LocalClock.MinuteOfDay(p.Opens)), LocalClock.ToUtc(date, LocalClock.MinuteOfDay(p.Closes))));
        return Compute(periods, busyBlocks, window, duration, setup, cleanup, granularity);
    }

    internal static DateTimeOffset CeilToGrid(DateTimeOffset instant, TimeSpan granularity)
    {
        var utc = instant.ToUniversalTime();
        var remainder = utc.Ticks % granularity.Ticks;
        return remainder == 0 ? utc : utc.AddTicks(granularity.Ticks - remainder);
    }

    private static Interval Intersect(Interval a, Interval b) =>
        new(a.Start > b.Start ? a.Start : b.Start, a.End < b.End ? a.End : b.End);

    /// <summary>Sorted, non-overlapping, non-touching intervals covering the same instants.</summary>
    private static List<Interval> Merge(IEnumerable<Interval> intervals)
    {
        var merged = new List<Interval>();
        foreach (var next in intervals.Where(i => !i.IsEmpty).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && next.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = next.End > last.End ? next.End : last.End };
            }
            else
            {
                merged.Add(next);
            }
        }
        return merged;
    }

    /// <summary>The parts of <paramref name="segment"/> not covered by the sorted, merged <paramref name="holes"/>.</summary>
    private static IEnumerable<Interval> Subtract(Interval segment, List<Interval> holes)
    {
        var cursor = segment.Start;
        foreach (var hole in holes)
        {
            if (hole.End <= cursor) continue;
            if (hole.Start >= segment.End) break;
            if (hole.Start > cursor) yield return new Interval(cursor, hole.Start);
            cursor = hole.End;
            if (cursor >= segment.End) yield break;
        }
        if (cursor < segment.End) yield return new Interval(cursor, segment.End);
    }
}

/// <summary>Local wall-clock minutes on a date to UTC instants and back (Europe/Amsterdam), for the finder.</summary>
public static class LocalClock
{
    public const int MinutesPerDay = 24 * 60;

    public static int MinuteOfDay(TimeOnly time) => time.Hour * 60 + time.Minute;

    /// <summary>
    /// The instant of <paramref name="minuteOfDay"/> local time on <paramref name="date"/>; 1440 is midnight at the end of
    /// the day. A time in the spring-forward gap (02:00–03:00 on the last Sunday of March) does not exist: it is read
    /// with the offset before the gap, i.e. moved forward by the gap (02:00 becomes 03:00). An ambiguous time in
    /// October resolves to the first occurrence (summer time), like <see cref="AmsterdamTime.ToUtc"/>.
    /// </summary>
    public static DateTimeOffset ToUtc(DateOnly date, int minuteOfDay)
    {
        if (minuteOfDay >= MinutesPerDay) return ToUtc(date.AddDays(minuteOfDay / MinutesPerDay), minuteOfDay % MinutesPerDay);
        var time = new TimeOnly(minuteOfDay / 60, minuteOfDay % 60);
        var exact = AmsterdamTime.ToUtc(date, time);
        if (exact is not null) return exact.Value;
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        var offsetBeforeGap = AmsterdamTime.Zone.GetUtcOffset(local.AddHours(-3));
        return new DateTimeOffset(local, offsetBeforeGap).ToUniversalTime();
    }

    /// <summary>The instant as Utrecht wall-clock time with its offset, e.g. 2027-03-02T19:00:00+01:00.</summary>
    public static DateTimeOffset ToAmsterdam(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, AmsterdamTime.Zone);
}
