namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>
/// Dutch public holidays on which the response clock of a melding stands still (docs/decisions/0007): Nieuwjaarsdag,
/// Eerste en Tweede Paasdag, Koningsdag (27 April, 26 April when the 27th is a Sunday), Bevrijdingsdag only in lustrum years
/// (2025, 2030, ...), Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede Kerstdag.
/// Goede Vrijdag is a working day. Computed, not looked up: Easter by the Gregorian computus (Meeus/Jones/Butcher).
/// </summary>
public static class DutchHolidays
{
    public static DateOnly EasterSunday(int year)
    {
        if (year is < 1583 or > 9999) throw new ArgumentOutOfRangeException(nameof(year));
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The holidays of a year with their Dutch names, in date order.</summary>
    public static IReadOnlyList<(DateOnly Date, string Name)> Of(int year)
    {
        var easter = EasterSunday(year);
        var kingsDay = new DateOnly(year, 4, 27);
        if (kingsDay.DayOfWeek == DayOfWeek.Sunday) kingsDay = kingsDay.AddDays(-1);
        var list = new List<(DateOnly, string)>
        {
            (new DateOnly(year, 1, 1), "Nieuwjaarsdag"),
            (easter, "Eerste Paasdag"),
            (easter.AddDays(1), "Tweede Paasdag"),
            (kingsDay, "Koningsdag"),
            (easter.AddDays(39), "Hemelvaartsdag"),
            (easter.AddDays(49), "Eerste Pinksterdag"),
            (easter.AddDays(50), "Tweede Pinksterdag"),
            (new DateOnly(year, 12, 25), "Eerste Kerstdag"),
            (new DateOnly(year, 12, 26), "Tweede Kerstdag"),
        };
        if (year % 5 == 0) list.Add((new DateOnly(year, 5, 5), "Bevrijdingsdag"));
        return list.OrderBy(x => x.Item1).ToList();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, HashSet<DateOnly>> Cache = new();

    public static bool IsHoliday(DateOnly date) =>
        Cache.GetOrAdd(date.Year, y => Of(y).Select(h => h.Date).ToHashSet()).Contains(date);

    /// <summary>Monday to Friday and not a holiday.</summary>
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);
}
