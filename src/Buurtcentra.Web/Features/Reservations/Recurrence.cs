using System.Globalization;
using System.Text.Json.Serialization;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// How a reservation repeats, in local dates. The time of day is not part of the rule: every occurrence starts at
/// the same wall-clock time, so 19:00 stays 19:00 across the DST changes.
/// </summary>
public sealed record Recurrence
{
    public const string Weekly = "wekelijks";
    public const string MonthlyNthWeekday = "maandelijks";
    public const string DateList = "datums";

    /// <summary>The longest series we accept in one go; a season of weekly use is about 45 dates.</summary>
    public const int MaxOccurrences = 200;

    public required string Kind { get; init; }

    /// <summary>Weekly: every <c>Interval</c> weeks (1 = every week, 2 = every other week).</summary>
    public int Interval { get; init; } = 1;

    /// <summary>Monthly: which weekday of the month, 1–4, or -1 for the last one.</summary>
    public int? WeekOfMonth { get; init; }

    /// <summary>Last date (inclusive); either this or <see cref="Count"/>, not for a date list.</summary>
    public DateOnly? Until { get; init; }

    public int? Count { get; init; }

    /// <summary>For <see cref="DateList"/>: the dates, besides the first date.</summary>
    public IReadOnlyList<DateOnly> Dates { get; init; } = [];

    [JsonIgnore]
    public bool IsDateList => Kind == DateList;

    /// <summary>The local dates of the series, starting with (and including) <paramref name="first"/>.</summary>
    public IReadOnlyList<DateOnly> Expand(DateOnly first)
    {
        if (Kind == DateList)
        {
            return Dates.Append(first).Where(d => d >= first).Distinct().Order().Take(MaxOccurrences).ToList();
        }

        var dates = new List<DateOnly>();
        var limit = Math.Min(Count ?? MaxOccurrences, MaxOccurrences);
        var until = Until ?? DateOnly.MaxValue;
        if (Kind == Weekly)
        {
            for (var date = first; date <= until && dates.Count < limit; date = date.AddDays(7 * Interval))
            {
                dates.Add(date);
            }
            return dates;
        }

        if (Kind == MonthlyNthWeekday)
        {
            var week = WeekOfMonth ?? WeekOfMonthOf(first);
            var month = new DateOnly(first.Year, first.Month, 1);
            while (dates.Count < limit)
            {
                var date = NthWeekday(month.Year, month.Month, first.DayOfWeek, week);
                if (date > until) break;
                if (date >= first) dates.Add(date);
                month = month.AddMonths(Interval);
                if (month.Year > first.Year + 10) break;
            }
            return dates;
        }

        throw new InvalidOperationException($"Unknown recurrence kind '{Kind}'.");
    }

    /// <summary>
    /// Cuts the series in two at <paramref name="laterFirst"/> (a date of the series): the rule up to the date before
    /// it, and the rule from it on. Both end on a date, so each part's dates are exactly those of the whole.
    /// </summary>
    public (Recurrence Before, Recurrence After) SplitAt(DateOnly first, DateOnly laterFirst)
    {
        var dates = Expand(first);
        var earlier = dates.Where(d => d < laterFirst).ToList();
        var later = dates.Where(d => d >= laterFirst).ToList();
        if (earlier.Count == 0 || later.Count == 0) throw new ArgumentOutOfRangeException(nameof(laterFirst), "Both parts need a date.");
        if (Kind == DateList)
        {
            return (this with { Dates = earlier.Skip(1).ToList() }, this with { Dates = later.Skip(1).ToList() });
        }
        var week = Kind == MonthlyNthWeekday ? WeekOfMonth ?? WeekOfMonthOf(first) : WeekOfMonth;
        return (this with { Until = earlier[^1], Count = null, WeekOfMonth = week },
                this with { Until = later[^1], Count = null, WeekOfMonth = week });
    }

    /// <summary>1–4 for the first to fourth weekday of its month; 5 (the fifth) is only possible as "last" (-1).</summary>
    public static int WeekOfMonthOf(DateOnly date)
    {
        var week = (date.Day - 1) / 7 + 1;
        return week == 5 ? -1 : week;
    }

    public static bool IsLastOfMonth(DateOnly date) => date.AddDays(7).Month != date.Month;

    public static DateOnly NthWeekday(int year, int month, DayOfWeek weekday, int n)
    {
        if (n == -1)
        {
            var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7));
        }
        var firstOfMonth = new DateOnly(year, month, 1);
        var firstMatch = firstOfMonth.AddDays(((int)weekday - (int)firstOfMonth.DayOfWeek + 7) % 7);
        return firstMatch.AddDays(7 * (n - 1));
    }

    /// <summary>
    /// The RFC 5545 RRULE for a calendar invitation, or null for a date list (those are written as RDATEs).
    /// UNTIL is given as the end of the last local day in UTC, so the last occurrence is included.
    /// </summary>
    public string? ToRRule(DateOnly first)
    {
        if (Kind == DateList) return null;
        var dates = Expand(first);
        var parts = new List<string>();
        if (Kind == Weekly)
        {
            parts.Add("FREQ=WEEKLY");
            if (Interval > 1) parts.Add($"INTERVAL={Interval}");
        }
        else
        {
            parts.Add("FREQ=MONTHLY");
            if (Interval > 1) parts.Add($"INTERVAL={Interval}");
            parts.Add($"BYDAY={WeekOfMonth ?? WeekOfMonthOf(first)}{IcalDay(first.DayOfWeek)}");
        }
        parts.Add($"COUNT={dates.Count}");
        return string.Join(";", parts);
    }

    private static string IcalDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "MO", DayOfWeek.Tuesday => "TU", DayOfWeek.Wednesday => "WE", DayOfWeek.Thursday => "TH",
        DayOfWeek.Friday => "FR", DayOfWeek.Saturday => "SA", _ => "SU",
    };

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>"elke week op dinsdag", "om de 2 weken op dinsdag", "elke 1e dinsdag van de maand", "op 4 data".</summary>
    public string Describe(DateOnly first)
    {
        var day = Dutch.DateTimeFormat.GetDayName(first.DayOfWeek);
        var pattern = Kind switch
        {
            Weekly when Interval == 1 => $"elke week op {day}",
            Weekly => $"om de {Interval} weken op {day}",
            MonthlyNthWeekday => (WeekOfMonth ?? WeekOfMonthOf(first)) == -1
                ? $"elke laatste {day} van de maand"
                : $"elke {WeekOfMonth ?? WeekOfMonthOf(first)}e {day} van de maand",
            _ => $"op {Expand(first).Count} data",
        };
        if (Kind == DateList) return pattern;
        return Until is { } until
            ? $"{pattern}, tot en met {until.ToString("d MMMM yyyy", Dutch)}"
            : $"{pattern}, {Count} keer";
    }
}
