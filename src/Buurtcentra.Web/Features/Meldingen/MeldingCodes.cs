namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>The codes in the meldingen CHECKs, with the words people read (B1).</summary>
public static class MeldingCodes
{
    public static readonly IReadOnlyList<(string Code, string Name)> Categories =
    [
        ("schoon", "Schoonmaak"),
        ("heel", "Kapot of defect"),
        ("veilig", "Veiligheid"),
        ("toegankelijk", "Toegankelijkheid"),
        ("inrichting", "Inrichting en meubilair"),
    ];

    public static readonly IReadOnlyList<(string Code, string Name)> Kinds =
    [
        ("technisch", "Technisch: gebouw en installaties"),
        ("facilitair", "Facilitair: schoonmaak, meubels en spullen"),
    ];

    public static readonly IReadOnlyList<(string Code, string Name, string Hint)> Urgencies =
    [
        ("spoed", "Spoed", "Gevaarlijk, lekkage, inbraak of geen verwarming in de winter"),
        ("hoog", "Hoog", "Een ruimte kan er niet goed door worden gebruikt"),
        ("normaal", "Normaal", "Lastig, maar de ruimte kan nog worden gebruikt"),
        ("laag", "Laag", "Kan wachten"),
    ];

    public static string CategoryName(string code) => Categories.FirstOrDefault(c => c.Code == code).Name ?? code;
    public static string KindName(string code) => code switch { "technisch" => "Technisch", "facilitair" => "Facilitair", _ => code };
    public static string UrgencyName(string code) => Urgencies.FirstOrDefault(c => c.Code == code).Name ?? code;

    public static bool IsCategory(string? code) => Categories.Any(c => c.Code == code);
    public static bool IsKind(string? code) => Kinds.Any(c => c.Code == code);
    public static bool IsUrgency(string? code) => Urgencies.Any(c => c.Code == code);

    /// <summary>Order for sorting by urgency: spoed first.</summary>
    public static int UrgencyRank(string code) => code switch { "spoed" => 0, "hoog" => 1, "normaal" => 2, _ => 3 };
}

public static class MeldingStatus
{
    public const string New = "nieuw", InProgress = "in_behandeling", WaitingForOthers = "wacht_op_derden", Solved = "opgelost",
        Closed = "gesloten", Reopened = "heropend", Rejected = "afgewezen";

    public static readonly IReadOnlyList<string> All = [New, InProgress, WaitingForOthers, Solved, Closed, Reopened, Rejected];

    /// <summary>Open: the clock runs and Stadsbedrijven has work to do.</summary>
    public static readonly IReadOnlyList<string> Open = [New, InProgress, WaitingForOthers, Reopened];

    public static bool IsOpen(string status) => Open.Contains(status);

    public static bool IsKnown(string? status) => status is not null && All.Contains(status);

    public static string Name(string status) => status switch
    {
        New => "Nieuw",
        InProgress => "In behandeling",
        WaitingForOthers => "Wacht op anderen",
        Solved => "Opgelost",
        Closed => "Gesloten",
        Reopened => "Opnieuw geopend",
        Rejected => "Afgewezen",
        _ => status,
    };

    /// <summary>The button or choice that leads to a status: "Oplossen", "In behandeling nemen", ...</summary>
    public static string ActionName(string status) => status switch
    {
        InProgress => "In behandeling nemen of de planning wijzigen",
        WaitingForOthers => "Wacht op anderen (bijvoorbeeld een leverancier)",
        Solved => "Opgelost",
        Closed => "Sluiten: het probleem is echt opgelost",
        Reopened => "Opnieuw openen: het probleem is niet opgelost",
        Rejected => "Afwijzen",
        _ => Name(status),
    };
}
