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

    /// <summary>Every <c>Interval</c> weeks (weekly: 2 = every other week) or months (monthly: 2 = every other month).</summary>
    public int Interval { get; init; } = 1;

    /// <summary>The most weeks (weekly) or months (monthly) between two dates.</summary>
    public const int MaxWeeks = 8, MaxMonths = 12;

    /// <summary>
    /// The first date of the rule as it was asked. That date may have been left out (a closure day), so the first booked
    /// date is not always where the rule starts: a COUNT counts from here. Null in rules stored before it was kept;
    /// <see cref="ReservationDetails.RuleFirstDate"/> then finds it from the booked and skipped dates.
    /// </summary>
    public DateOnly? FirstDate { get; init; }

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
        var step = Math.Max(1, Interval);
        if (Kind == Weekly)
        {
            for (var date = first; date <= until && dates.Count < limit; date = date.AddDays(7 * step))
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
                month = month.AddMonths(step);
                if (month.Year > first.Year + 10) break;
            }
            return dates;
        }

        throw new InvalidOperationException($"Unknown recurrence kind '{Kind}'.");
    }

    /// <summary>
    /// Cuts the series, whose rule starts at <paramref name="first"/>, in two at <paramref name="at"/>: the rule's dates
    /// before it, and those from it on. Both parts end on their own last date and start on their own first, so each
    /// part's dates are exactly those of the whole (a COUNT counts from the rule's start, not from the first booked date).
    /// </summary>
    public (Recurrence Before, Recurrence After) SplitAt(DateOnly first, DateOnly at)
    {
        var dates = Expand(first);
        var earlier = dates.Where(d => d < at).ToList();
        var later = dates.Where(d => d >= at).ToList();
        if (earlier.Count == 0 || later.Count == 0) throw new ArgumentOutOfRangeException(nameof(at), "Both parts need a date.");
        if (Kind == DateList)
        {
            return (this with { Dates = earlier.Skip(1).ToList(), FirstDate = earlier[0] },
                    this with { Dates = later.Skip(1).ToList(), FirstDate = later[0] });
        }
        var week = Kind == MonthlyNthWeekday ? WeekOfMonth ?? WeekOfMonthOf(first) : WeekOfMonth;
        return (this with { Until = earlier[^1], Count = null, WeekOfMonth = week, FirstDate = earlier[0] },
                this with { Until = later[^1], Count = null, WeekOfMonth = week, FirstDate = later[0] });
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
    /// The RFC 5545 RRULE for a calendar invitation whose DTSTART is <paramref name="first"/> (a date of the rule), up to
    /// and including <paramref name="last"/>; null for a date list (those are written as RDATEs). The end is always an
    /// UNTIL (the end of the last local day, in UTC), never a COUNT: a COUNT would count again from DTSTART, which is not
    /// where the rule began when its first dates were left out. Dates in between that do not take place are EXDATEs.
    /// </summary>
    public string? ToRRule(DateOnly first, DateOnly last)
    {
        if (Kind == DateList) return null;
        var parts = new List<string> { Kind == Weekly ? "FREQ=WEEKLY" : "FREQ=MONTHLY" };
        if (Interval > 1) parts.Add($"INTERVAL={Interval}");
        if (Kind == MonthlyNthWeekday) parts.Add($"BYDAY={WeekOfMonth ?? WeekOfMonthOf(first)}{IcalDay(first.DayOfWeek)}");
        var endOfDay = Infrastructure.Time.AmsterdamTime.ToUtc(last, new TimeOnly(23, 59, 59))!.Value.UtcDateTime;
        parts.Add($"UNTIL={endOfDay.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");
        return string.Join(";", parts);
    }

    private static string IcalDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "MO", DayOfWeek.Tuesday => "TU", DayOfWeek.Wednesday => "WE", DayOfWeek.Thursday => "TH",
        DayOfWeek.Friday => "FR", DayOfWeek.Saturday => "SA", _ => "SU",
    };

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>
    /// The pattern in words: "elke week op dinsdag", "om de 2 weken op dinsdag", "elke 1e dinsdag van de maand",
    /// "om de 3 maanden op de laatste dinsdag van de maand", "op losse data". Without its end: the booked dates say how often and until when.
    /// </summary>
    public string Describe(DateOnly first)
    {
        var day = Dutch.DateTimeFormat.GetDayName(first.DayOfWeek);
        var week = WeekOfMonth ?? WeekOfMonthOf(first);
        var nth = week == -1 ? "laatste" : $"{week}e";
        return Kind switch
        {
            Weekly when Interval == 1 => $"elke week op {day}",
            Weekly => $"om de {Interval} weken op {day}",
            MonthlyNthWeekday when Interval == 1 => $"elke {nth} {day} van de maand",
            MonthlyNthWeekday => $"om de {Interval} maanden op de {nth} {day} van de maand",
            _ => "op losse data",
        };
    }
}
