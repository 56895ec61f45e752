using System.Globalization;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>The Dutch words of the room finder's page.</summary>
public static class FinderText
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    public static readonly IReadOnlyList<string> Weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

    /// <summary>"dinsdag 2 maart 2027"</summary>
    public static string Day(DateOnly date) => date.ToString("dddd d MMMM yyyy", Dutch);

    /// <summary>"1,2 km"</summary>
    public static string Km(double km) => $"{km.ToString("0.0", Dutch)} km";

    /// <summary>"45 minuten", "2 uur", "1 uur en 30 minuten"</summary>
    public static string Duration(int minutes)
    {
        var hours = minutes / 60;
        var rest = minutes % 60;
        if (hours == 0) return $"{rest} minuten";
        return rest == 0 ? $"{hours} uur" : $"{hours} uur en {rest} minuten";
    }

    public static string Time(int minuteOfDay) => minuteOfDay >= LocalClock.MinutesPerDay
        ? "24:00"
        : $"{minuteOfDay / 60:00}:{minuteOfDay % 60:00}";

    /// <summary>"Te kort dag voor dinsdag 24 november 2026: ..." — why dates within the lead time are not shown.</summary>
    public static string TooSoon(LeftOutDates left) =>
        $"Te kort dag voor {Days(left.Dates)}: een aanvraag moet minstens {DayCount(left)} van tevoren binnen zijn. "
        + "Tijden die daardoor niet meer kunnen, ziet u hier niet. Is het dringend? Bel het buurtcentrum.";

    /// <summary>"Te ver vooruit voor ...: ..." — why dates beyond the horizon are not shown.</summary>
    public static string TooFar(LeftOutDates left) =>
        $"Te ver vooruit voor {Days(left.Dates)}: u kunt tot {DayCount(left)} vooruit aanvragen. "
        + "Tijden die daardoor nog niet kunnen, ziet u hier niet.";

    /// <summary>"3 dagen", "1 dag", "2 tot 5 dagen (dat verschilt per buurtcentrum)"</summary>
    private static string DayCount(LeftOutDates left) => left.MinDays == left.MaxDays
        ? $"{left.MinDays} {(left.MinDays == 1 ? "dag" : "dagen")}"
        : $"{left.MinDays} tot {left.MaxDays} dagen (dat verschilt per buurtcentrum)";

    /// <summary>"dinsdag 24 november 2026", "... en dinsdag 1 december 2026", "a, b en c"</summary>
    private static string Days(IReadOnlyList<DateOnly> dates) => dates.Count == 1
        ? Day(dates[0])
        : $"{string.Join(", ", dates.Take(dates.Count - 1).Select(Day))} en {Day(dates[^1])}";

    public static string ResultTitle(FreeRoomsResult result)
    {
        var rooms = result.RoomCount;
        var centres = result.Centres.Count;
        if (rooms == 0) return "Geen vrije ruimte gevonden";
        return $"{rooms} {(rooms == 1 ? "ruimte" : "ruimtes")} vrij in {centres} {(centres == 1 ? "buurtcentrum" : "buurtcentra")}";
    }

    /// <summary>"Op dinsdag 2 maart 2027, tussen 19:00 en 22:00, voor 2 uur en 15 personen. Dichtstbijzijnde bij wijk Zuid eerst."</summary>
    public static string SearchSummary(FreeRoomsSearch search)
    {
        var when = search.Weekday is not null
            ? $"De komende {search.Dates.Count} {Weekdays[search.Weekday.Value - 1]}en ({string.Join(", ", search.Dates.Select(d => d.ToString("d MMMM", Dutch)))})"
            : $"Op {Day(search.Dates[0])}";
        var window = search.WindowGiven ? $", tussen {Time(search.FromMinute)} en {Time(search.ToMinute)}" : ", binnen de openingstijden";
        var people = search.Participants == 1 ? "1 persoon" : $"{search.Participants} personen";
        var text = $"{when}{window}, voor {Duration(search.DurationMinutes)} en {people}.";
        if (search.Wijk is not null) text += $" Alleen in wijk {search.Wijk.Name}.";
        text += search.Near is null ? " Op naam van het buurtcentrum." : $" Het dichtst bij {search.Near.Name} eerst.";
        return text;
    }
}
