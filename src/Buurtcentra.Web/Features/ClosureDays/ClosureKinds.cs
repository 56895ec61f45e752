using System.Globalization;

namespace Buurtcentra.Web.Features.ClosureDays;

/// <summary>The kinds in the closure_days CHECK, with the words people read.</summary>
public static class ClosureKinds
{
    public static readonly IReadOnlyList<(string Code, string Name)> All =
        [("feestdag", "Feestdag"), ("vakantiesluiting", "Vakantiesluiting"), ("overig", "Overig")];

    private static readonly CultureInfo Dutch = new("nl-NL");

    public static string Name(string code) => All.FirstOrDefault(k => k.Code == code).Name ?? code;

    public static bool IsKnown(string? code) => All.Any(k => k.Code == code);

    /// <summary>"vrijdag 25 december 2026" or "maandag 20 juli 2026 tot en met vrijdag 14 augustus 2026".</summary>
    public static string Period(DateOnly startsOn, DateOnly endsOn) =>
        startsOn == endsOn ? Format(startsOn) : $"{Format(startsOn)} tot en met {Format(endsOn)}";

    private static string Format(DateOnly date) => date.ToString("dddd d MMMM yyyy", Dutch);
}
