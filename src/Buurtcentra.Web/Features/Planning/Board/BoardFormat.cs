using System.Globalization;
using Buurtcentra.Web.Features.Planning.Optimiser;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>
/// How the planbord, the explanations, the groups' draft and the mails write days, times, frequencies and categories
/// (B1 Dutch). Times are minutes after local midnight, weekdays ISO (1 = maandag).
/// </summary>
public static class BoardFormat
{
    public static readonly IReadOnlyList<int> Weekdays = [1, 2, 3, 4, 5, 6, 7];

    private static readonly string[] DayNames = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    private static readonly string[] ShortDayNames = ["ma", "di", "wo", "do", "vr", "za", "zo"];

    public static string Day(int weekday) => weekday is >= 1 and <= 7 ? DayNames[weekday - 1] : "?";

    public static string ShortDay(int weekday) => weekday is >= 1 and <= 7 ? ShortDayNames[weekday - 1] : "?";

    /// <summary>"Dinsdag".</summary>
    public static string DayTitle(int weekday) => Capital(Day(weekday));

    public static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static string Time(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60 % 24:00}:{minutes % 60:00}");

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static TimeOnly ToTime(int minutes) => new(minutes / 60 % 24, minutes % 60);

    /// <summary>"19:00–21:00".</summary>
    public static string Span(int start, int end) => $"{Time(start)}–{Time(end)}";

    public const string Weekly = "wekelijks", EveryOtherWeek = "tweewekelijks", Monthly = "maandelijks";

    public static Frequency Frequency(string code) => code switch
    {
        EveryOtherWeek => Optimiser.Frequency.EveryOtherWeek,
        Monthly => Optimiser.Frequency.Monthly,
        _ => Optimiser.Frequency.Weekly,
    };

    /// <summary>The lanes a frequency can use: every week 0; every other week 1 or 2; monthly the 1st to 4th such weekday.</summary>
    public static IReadOnlyList<int> Lanes(Frequency frequency) => frequency switch
    {
        Optimiser.Frequency.EveryOtherWeek => [1, 2],
        Optimiser.Frequency.Monthly => [1, 2, 3, 4],
        _ => [0],
    };

    /// <summary>"elke week", "om de week, week 1", "eens per maand, de 2e dinsdag".</summary>
    public static string FrequencyText(Frequency frequency, int lane, int? weekday = null) => frequency switch
    {
        Optimiser.Frequency.EveryOtherWeek => $"om de week, week {lane}",
        Optimiser.Frequency.Monthly => weekday is null ? $"eens per maand, week {lane}" : $"eens per maand, de {lane}e {Day(weekday.Value)}",
        _ => "elke week",
    };

    /// <summary>The choice for a lane in the move form.</summary>
    public static string LaneText(Frequency frequency, int lane) => frequency switch
    {
        Optimiser.Frequency.EveryOtherWeek => lane == 1 ? "Week 1 (de eerste week van het seizoen, dan om de week)" : "Week 2 (de tweede week van het seizoen, dan om de week)",
        Optimiser.Frequency.Monthly => $"De {lane}e van de maand",
        _ => "Elke week",
    };

    public static string FrequencyName(string code) => code switch
    {
        EveryOtherWeek => "om de week",
        Monthly => "eens per maand",
        _ => "elke week",
    };

    /// <summary>How many times per week on average: for hours per week in the figures.</summary>
    public static double PerWeek(Frequency frequency) => frequency switch
    {
        Optimiser.Frequency.EveryOtherWeek => 0.5,
        Optimiser.Frequency.Monthly => 12.0 / 52.0,
        _ => 1.0,
    };

    public static readonly IReadOnlyList<string> Categories =
        ["huiskamer", "sp_do_groepsactiviteit", "bewonersinitiatief", "maatschappelijke_organisatie", "commercieel"];

    /// <summary>"huiskamer/basisaanbod": as it reads inside a sentence.</summary>
    public static string CategoryName(string code) => code switch
    {
        "huiskamer" => "huiskamer/basisaanbod",
        "sp_do_groepsactiviteit" => "groepsactiviteit SP/DO",
        "bewonersinitiatief" => "bewonersinitiatief",
        "maatschappelijke_organisatie" => "maatschappelijke organisatie",
        "commercieel" => "commercieel",
        _ => code,
    };

    public static string CategoryTitle(string code) => Capital(CategoryName(code));

    /// <summary>The CSS modifier for a category's colour on the board (always next to the category's name).</summary>
    public static string CategoryClass(string code) => code switch
    {
        "huiskamer" => "board-item--huiskamer",
        "sp_do_groepsactiviteit" => "board-item--spdo",
        "bewonersinitiatief" => "board-item--bewoners",
        "maatschappelijke_organisatie" => "board-item--maatschappelijk",
        "commercieel" => "board-item--commercieel",
        _ => "",
    };

    public static string Ordinal(int rank) => rank switch
    {
        1 => "eerste",
        2 => "tweede",
        3 => "derde",
        _ => $"{rank}e",
    };

    public static string SolverStatus(string status) => status switch
    {
        "optimaal" => "Optimaal (beste oplossing bewezen)",
        "haalbaar" => "Goed voorstel (tijd om te rekenen was op)",
        "greedy" => "Op volgorde van prioriteit, zonder optimalisatie",
        "handmatig" => "Aangepast door de beheerder",
        "onhaalbaar" => "Niet mogelijk (vastgezette plaatsen botsen)",
        _ => status,
    };

    public static string RunStatus(string status) => status switch
    {
        "wachtend" => "Wacht op de rekenmachine",
        "bezig" => "Bezig met rekenen",
        "klaar" => "Klaar",
        "mislukt" => "Mislukt",
        _ => status,
    };

    public static string Percentage(int part, int whole) =>
        whole == 0 ? "–" : string.Create(CultureInfo.GetCultureInfo("nl-NL"), $"{100.0 * part / whole:0}%");

    public static string Hours(double hours) => string.Create(CultureInfo.GetCultureInfo("nl-NL"), $"{hours:0.0}");

    /// <summary>A UTC instant as Utrecht wall-clock time: "3 maart 2027 14:05".</summary>
    public static string LocalDateTime(DateTime utc) =>
        Infrastructure.Time.AmsterdamTime.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))).ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL"));
}
