using Buurtcentra.Web.Features.Planning.Optimiser;
using Buurtcentra.Web.Features.Reservations;

namespace Buurtcentra.Web.Features.Planning.Publish;

/// <summary>A closure period of the round (school holiday, feestdag); CentreId null: every centre of the round.</summary>
public sealed record RoundClosure(DateOnly StartsOn, DateOnly EndsOn, string Reason, long? CentreId = null);

/// <summary>The dates of one allocation in the season, and the dates left out because of the round's closures.</summary>
public sealed record SeasonDates(IReadOnlyList<DateOnly> Dates, IReadOnlyList<SkippedDate> Closed);

/// <summary>
/// Which dates of the season an allocation uses (pure, unit-tested). Season week 1 is the week (Monday to Sunday)
/// that holds the first day of the season. Every week: each such weekday. Every other week, lane 1: weeks 1, 3, 5, …;
/// lane 2: weeks 2, 4, 6, …. Monthly, lane n: the n-th such weekday of each month. Only dates within the season.
/// </summary>
public static class PublishSeason
{
    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public static int Week(DateOnly seasonStart, DateOnly date) => (MondayOf(date).DayNumber - MondayOf(seasonStart).DayNumber) / 7 + 1;

    public static int IsoWeekday(DateOnly date) => (int)date.DayOfWeek is 0 ? 7 : (int)date.DayOfWeek;

    public static IReadOnlyList<DateOnly> Dates(DateOnly seasonStart, DateOnly seasonEnd, int weekday, Frequency frequency, int lane)
    {
        var dates = new List<DateOnly>();
        var first = seasonStart.AddDays((weekday - IsoWeekday(seasonStart) + 7) % 7);
        for (var date = first; date <= seasonEnd; date = date.AddDays(7))
        {
            var keep = frequency switch
            {
                Frequency.EveryOtherWeek => Week(seasonStart, date) % 2 == (lane == 2 ? 0 : 1),
                Frequency.Monthly => (date.Day - 1) / 7 + 1 == lane,
                _ => true,
            };
            if (keep) dates.Add(date);
        }
        return dates;
    }

    /// <summary>The season's dates for the allocation from <paramref name="from"/> on, without the round's closures for its centre.</summary>
    public static SeasonDates For(DateOnly seasonStart, DateOnly seasonEnd, int weekday, Frequency frequency, int lane,
        long centreId, IReadOnlyList<RoundClosure> closures, DateOnly from)
    {
        var all = Dates(seasonStart, seasonEnd, weekday, frequency, lane).Where(d => d >= from).ToList();
        var open = new List<DateOnly>();
        var closed = new List<SkippedDate>();
        foreach (var date in all)
        {
            var closure = closures.FirstOrDefault(c => (c.CentreId is null || c.CentreId == centreId) && c.StartsOn <= date && date <= c.EndsOn);
            if (closure is null) open.Add(date);
            else closed.Add(new SkippedDate(date, closure.Reason));
        }
        return new SeasonDates(open, closed);
    }

    /// <summary>
    /// The reservation form for an allocation: weekly (every 1 or 2 weeks) or monthly on the n-th weekday, from the first
    /// date of its lane until the end of the season; closure dates are left out with their reason. Null when the lane
    /// has no date left in the season.
    /// </summary>
    public static ReservationForm? Form(DateOnly seasonStart, DateOnly seasonEnd, int weekday, Frequency frequency, int lane,
        long centreId, IReadOnlyList<RoundClosure> closures, DateOnly from)
    {
        var season = For(seasonStart, seasonEnd, weekday, frequency, lane, centreId, closures, from);
        var first = season.Dates.Concat(season.Closed.Select(c => c.Date)).DefaultIfEmpty(DateOnly.MaxValue).Min();
        if (first == DateOnly.MaxValue || season.Dates.Count == 0) return null;
        return new ReservationForm
        {
            Date = first,
            Repeat = frequency == Frequency.Monthly ? Recurrence.MonthlyNthWeekday : Recurrence.Weekly,
            Interval = frequency == Frequency.EveryOtherWeek ? 2 : 1,
            WeekOfMonth = frequency == Frequency.Monthly ? lane : null,
            EndsBy = "datum",
            Until = seasonEnd,
            ExcludedDates = season.Closed,
            SkipBusyDates = true,
        };
    }
}
