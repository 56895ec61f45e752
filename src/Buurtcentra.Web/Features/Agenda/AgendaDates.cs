using System.Globalization;
using System.Text.RegularExpressions;
using Buurtcentra.Web.Infrastructure.Time;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>
/// A run of local (Utrecht) days and the UTC instants that bound it: [first day 00:00, day after the last 00:00).
/// Midnight always exists in Europe/Amsterdam (the DST changes are at 02:00 and 03:00), so the bounds are exact.
/// </summary>
public sealed record AgendaWindow(DateOnly FirstDay, int DayCount)
{
    public DateOnly LastDay => FirstDay.AddDays(DayCount - 1);

    public IReadOnlyList<DateOnly> Days => Enumerable.Range(0, DayCount).Select(FirstDay.AddDays).ToList();

    public DateTimeOffset FromUtc => StartOf(FirstDay);

    public DateTimeOffset ToUtc => StartOf(FirstDay.AddDays(DayCount));

    public static DateTimeOffset StartOf(DateOnly day) => AmsterdamTime.ToUtc(day, TimeOnly.MinValue)!.Value;

    /// <summary>The ISO week (maandag to zondag) that contains <paramref name="day"/>.</summary>
    public static AgendaWindow WeekOf(DateOnly day) => new(AgendaDates.MondayOf(day), 7);

    public static AgendaWindow DayOf(DateOnly day) => new(day, 1);
}

/// <summary>Reading dates and ISO weeks from query strings and writing them the way people read them.</summary>
public static partial class AgendaDates
{
    public static readonly CultureInfo Dutch = new("nl-NL");

    /// <summary>The range of dates the overviews accept, so date arithmetic never overflows.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    public const string DateError = "Deze datum kennen we niet. Kies een datum, bijvoorbeeld 1-3-2027.";
    public const string WeekError = "Deze week kennen we niet. Gebruik jaar-W-weeknummer, bijvoorbeeld 2027-W10.";

    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(IsoWeekday(day) - 1));

    /// <summary>1 = maandag ... 7 = zondag.</summary>
    public static int IsoWeekday(DateOnly day) => day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek;

    public static int WeekNumber(DateOnly day) => ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue));

    public static int WeekYear(DateOnly day) => ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>"2027-W10", as in ?week= of the public availability page.</summary>
    public static string WeekCode(DateOnly day) => $"{WeekYear(day):D4}-W{WeekNumber(day):D2}";

    public static string IsoDate(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Accepts 2027-03-01 (what a date field sends) and 1-3-2027 (what people type).</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 20) return false;
        var ok = DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "d-M-yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out date);
        return ok && date >= Earliest && date <= Latest;
    }

    /// <summary>Accepts 2027-W10 (also lower case, and 2027-W1); gives the maandag of that ISO week.</summary>
    public static bool TryParseWeek(string? text, out DateOnly monday)
    {
        monday = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var match = WeekPattern().Match(text.Trim());
        if (!match.Success) return false;
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var week = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year < Earliest.Year || year > Latest.Year - 1 || week < 1 || week > ISOWeek.GetWeeksInYear(year)) return false;
        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }

    /// <summary>"maandag 1 maart 2027".</summary>
    public static string Long(DateOnly day) => day.ToString("dddd d MMMM yyyy", Dutch);

    /// <summary>"maandag 1 maart".</summary>
    public static string Medium(DateOnly day) => day.ToString("dddd d MMMM", Dutch);

    /// <summary>"ma 1 mrt".</summary>
    public static string Short(DateOnly day) => day.ToString("ddd d MMM", Dutch).Replace(".", "", StringComparison.Ordinal);

    /// <summary>"1 maart tot en met 7 maart 2027".</summary>
    public static string Range(AgendaWindow window) =>
        $"{window.FirstDay.ToString("d MMMM", Dutch)} tot en met {window.LastDay.ToString("d MMMM yyyy", Dutch)}";

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// The part of [start, end) that falls on <paramref name="day"/>, as "19:00–21:00" in Utrecht time; a block that runs
    /// past midnight reads "22:00–24:00" on its first day and "00:00–02:00" on the next. Null when it is not on that day.
    /// </summary>
    public static string? TimeOnDay(DateOnly day, DateTimeOffset start, DateTimeOffset end)
    {
        var dayStart = AgendaWindow.StartOf(day);
        var dayEnd = AgendaWindow.StartOf(day.AddDays(1));
        if (start >= dayEnd || end <= dayStart) return null;
        var from = start <= dayStart ? "00:00" : Local(start);
        var until = end >= dayEnd ? "24:00" : Local(end);
        return $"{from}–{until}";
    }

    public static string Local(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{4})-[Ww](\d{1,2})$")]
    private static partial Regex WeekPattern();
}
