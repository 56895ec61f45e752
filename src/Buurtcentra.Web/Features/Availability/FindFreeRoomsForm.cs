using System.Globalization;
using System.Text.RegularExpressions;
using Buurtcentra.Web.Infrastructure.Time;
using FluentValidation;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>
/// The room finder's filters, exactly as typed in the GET form or the API query string. Everything is text so that
/// "abc" or "25:00" gets a Dutch message from the validator instead of a binding error.
/// </summary>
public sealed partial class FindFreeRoomsForm
{
    /// <summary>One date, e.g. 2027-03-02 (or 2-3-2027).</summary>
    public string? Date { get; set; }
    /// <summary>Or a weekday 1 (maandag) ... 7 (zondag): the next 4 of those days from today.</summary>
    public string? Weekday { get; set; }
    /// <summary>Start of the time window, local "HH:mm"; default: when the centre opens.</summary>
    public string? From { get; set; }
    /// <summary>End of the time window, local "HH:mm" (24:00 allowed); default: when the centre closes.</summary>
    public string? To { get; set; }
    /// <summary>Minutes ("90") or hours and minutes ("1:30"); default 60.</summary>
    public string? Duration { get; set; }
    /// <summary>Number of people, 1-2000; default 1.</summary>
    public string? Participants { get; set; }
    /// <summary>Facility codes; the room must have all of them.</summary>
    public List<string> Facilities { get; set; } = [];
    /// <summary>Accessibility feature codes; the room must have all of them.</summary>
    public List<string> Accessibility { get; set; } = [];
    /// <summary>Only centres in this wijk (number or name).</summary>
    public string? Wijk { get; set; }
    /// <summary>"In de buurt van": "wijk:7" or "centre:de-boog"; nearest centres first.</summary>
    public string? Near { get; set; }

    public const int DefaultDuration = 60;
    public const int MinDuration = 15;
    public const int MaxDuration = LocalClock.MinutesPerDay;
    public const int MaxParticipants = 2000;
    public const int WeekdayDates = 4;
    public const int MaxDaysAhead = 730;

    // ---- parsing: the validator and ToSearch use the same functions ----

    public static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>yyyy-MM-dd (what a date field sends) or d-M-yyyy (how people type it).</summary>
    public static DateOnly? ParseDate(string? value)
    {
        if (Blank(value)) return null;
        return DateOnly.TryParseExact(value!.Trim(), ["yyyy-MM-dd", "d-M-yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var date) ? date : null;
    }

    public static int? ParseWeekday(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 7 ? day : null;

    /// <summary>Minutes after midnight for "9:00", "09:00", "9.30" or "19"; 24:00 only when <paramref name="allowEndOfDay"/>.</summary>
    public static int? ParseTime(string? value, bool allowEndOfDay)
    {
        if (Blank(value)) return null;
        var match = TimePattern().Match(value!.Trim());
        if (!match.Success) return null;
        var hours = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minutes = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        if (minutes > 59) return null;
        if (hours == 24 && minutes == 0 && allowEndOfDay) return LocalClock.MinutesPerDay;
        return hours <= 23 ? hours * 60 + minutes : null;
    }

    /// <summary>"90" (minutes) or "1:30" / "1.30" (hours and minutes).</summary>
    public static int? ParseDuration(string? value)
    {
        if (Blank(value)) return null;
        var text = value!.Trim();
        if (MinutesPattern().IsMatch(text)) return int.Parse(text, CultureInfo.InvariantCulture);
        var match = HoursMinutesPattern().Match(text);
        if (!match.Success) return null;
        var minutes = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return minutes > 59 ? null : int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 60 + minutes;
    }

    public static int? ParseWhole(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    internal int FromMinute => ParseTime(From, allowEndOfDay: false) ?? 0;
    internal int ToMinute => ParseTime(To, allowEndOfDay: true) ?? LocalClock.MinutesPerDay;
    internal int DurationMinutes => ParseDuration(Duration) ?? DefaultDuration;

    internal IEnumerable<string> FacilityCodes => Facilities.Where(c => !Blank(c)).Select(c => c.Trim());
    internal IEnumerable<string> AccessibilityCodes => Accessibility.Where(c => !Blank(c)).Select(c => c.Trim());

    /// <summary>The dates searched: the one date, or the next 4 of the weekday counting from today.</summary>
    public static IReadOnlyList<DateOnly> DatesFor(DateOnly? date, int? weekday, DateOnly today)
    {
        if (date is not null) return [date.Value];
        if (weekday is null) return [];
        var first = today.AddDays(((weekday.Value - IsoWeekday(today)) + 7) % 7);
        return Enumerable.Range(0, WeekdayDates).Select(i => first.AddDays(7 * i)).ToList();
    }

    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;

    /// <summary>The parsed search. Call only after the validator said the form is valid.</summary>
    public FreeRoomsSearch ToSearch(AvailabilityLookups lookups, DateOnly today)
    {
        var weekday = ParseWeekday(Weekday);
        return new FreeRoomsSearch(
            DatesFor(ParseDate(Date), weekday, today), Blank(Date) ? weekday : null,
            FromMinute, ToMinute, !Blank(From) || !Blank(To), DurationMinutes,
            ParseWhole(Participants) ?? 1,
            FacilityCodes.Select(lookups.FindFacility).OfType<CodeOption>().DistinctBy(f => f.Code).ToList(),
            AccessibilityCodes.Select(lookups.FindAccessibility).OfType<CodeOption>().DistinctBy(a => a.Code).ToList(),
            lookups.FindWijk(Wijk), lookups.FindReference(Near));
    }

    [GeneratedRegex(@"^([0-9]{1,2})(?:[:.]([0-9]{2}))?$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^[0-9]{1,4}$")]
    private static partial Regex MinutesPattern();

    [GeneratedRegex(@"^([0-9]{1,2})[:.]([0-9]{2})$")]
    private static partial Regex HoursMinutesPattern();
}

/// <summary>A validated search. Minutes are local minutes after midnight (1440 = end of the day).</summary>
public sealed record FreeRoomsSearch(
    IReadOnlyList<DateOnly> Dates, int? Weekday, int FromMinute, int ToMinute, bool WindowGiven, int DurationMinutes,
    int Participants, IReadOnlyList<CodeOption> Facilities, IReadOnlyList<CodeOption> Accessibility,
    WijkOption? Wijk, ReferencePoint? Near);

public sealed class FindFreeRoomsValidator : AbstractValidator<FindFreeRoomsForm>
{
    public FindFreeRoomsValidator(AvailabilityLookupsQuery lookups, TimeProvider time)
    {
        var today = AmsterdamTime.Today(time);

        RuleFor(f => f.Date)
            .Must((f, _) => !FindFreeRoomsForm.Blank(f.Date) || !FindFreeRoomsForm.Blank(f.Weekday))
            .WithMessage("Kies een datum of een weekdag.");

        RuleFor(f => f.Date)
            .Cascade(CascadeMode.Stop)
            .Must((f, _) => FindFreeRoomsForm.Blank(f.Weekday))
            .WithMessage("Kies een datum of een weekdag, niet allebei.")
            .Must(d => FindFreeRoomsForm.ParseDate(d) is not null)
            .WithMessage("Vul een bestaande datum in als dag-maand-jaar, bijvoorbeeld 2-3-2027.")
            .Must(d => FindFreeRoomsForm.ParseDate(d) >= today)
            .WithMessage("Kies een datum vanaf vandaag.")
            .Must(d => FindFreeRoomsForm.ParseDate(d) <= today.AddDays(FindFreeRoomsForm.MaxDaysAhead))
            .WithMessage("Kies een datum in de komende twee jaar.")
            .When(f => !FindFreeRoomsForm.Blank(f.Date));

        RuleFor(f => f.Weekday)
            .Must(d => FindFreeRoomsForm.ParseWeekday(d) is not null)
            .When(f => !FindFreeRoomsForm.Blank(f.Weekday))
            .WithMessage("Kies een weekdag van 1 (maandag) tot en met 7 (zondag).");

        RuleFor(f => f.From)
            .Must(t => FindFreeRoomsForm.ParseTime(t, allowEndOfDay: false) is not null)
            .When(f => !FindFreeRoomsForm.Blank(f.From))
            .WithMessage("Vul de begintijd in als uren:minuten, bijvoorbeeld 09:00.");

        RuleFor(f => f.To)
            .Cascade(CascadeMode.Stop)
            .Must(t => FindFreeRoomsForm.ParseTime(t, allowEndOfDay: true) is not null)
            .WithMessage("Vul de eindtijd in als uren:minuten, bijvoorbeeld 17:00.")
            .Must((f, _) => f.ToMinute > f.FromMinute)
            .When(f => FindFreeRoomsForm.Blank(f.From) || FindFreeRoomsForm.ParseTime(f.From, false) is not null,
                ApplyConditionTo.CurrentValidator)
            .WithMessage("De eindtijd moet na de begintijd liggen.")
            .When(f => !FindFreeRoomsForm.Blank(f.To));

        RuleFor(f => f.Duration)
            .Cascade(CascadeMode.Stop)
            .Must(d => FindFreeRoomsForm.ParseDuration(d) is not null)
            .WithMessage("Vul de duur in minuten in (bijvoorbeeld 90) of in uren en minuten (bijvoorbeeld 1:30).")
            .Must(d => FindFreeRoomsForm.ParseDuration(d) is >= FindFreeRoomsForm.MinDuration and <= FindFreeRoomsForm.MaxDuration)
            .WithMessage("Kies een duur van minstens 15 minuten en hoogstens 24 uur.")
            .When(f => !FindFreeRoomsForm.Blank(f.Duration));

        // The activity must fit between begin and end time (only when a window was given and is itself valid).
        RuleFor(f => f.Duration)
            .Must((f, _) => f.DurationMinutes <= f.ToMinute - f.FromMinute)
            .When(f => (!FindFreeRoomsForm.Blank(f.From) || !FindFreeRoomsForm.Blank(f.To))
                       && (FindFreeRoomsForm.Blank(f.From) || FindFreeRoomsForm.ParseTime(f.From, false) is not null)
                       && (FindFreeRoomsForm.Blank(f.To) || FindFreeRoomsForm.ParseTime(f.To, true) is not null)
                       && f.ToMinute > f.FromMinute
                       && (FindFreeRoomsForm.Blank(f.Duration) || FindFreeRoomsForm.ParseDuration(f.Duration) is >= FindFreeRoomsForm.MinDuration and <= FindFreeRoomsForm.MaxDuration))
            .WithMessage("De duur is langer dan de tijd tussen begintijd en eindtijd. Kies een kortere duur of een ruimere tijd.");

        RuleFor(f => f.Participants)
            .Cascade(CascadeMode.Stop)
            .Must(p => FindFreeRoomsForm.ParseWhole(p) is not null)
            .WithMessage("Vul bij aantal personen een heel getal in, bijvoorbeeld 20.")
            .Must(p => FindFreeRoomsForm.ParseWhole(p) is >= 1 and <= FindFreeRoomsForm.MaxParticipants)
            .WithMessage($"Vul bij aantal personen een getal van 1 tot en met {FindFreeRoomsForm.MaxParticipants} in.")
            .When(f => !FindFreeRoomsForm.Blank(f.Participants));

        RuleFor(f => f.Facilities)
            .MustAsync(async (f, _, _) =>
            {
                var known = await lookups.GetAsync();
                return f.FacilityCodes.All(c => known.FindFacility(c) is not null);
            })
            .WithMessage("Deze faciliteit kennen we niet. Kies faciliteiten uit de lijst.");

        RuleFor(f => f.Accessibility)
            .MustAsync(async (f, _, _) =>
            {
                var known = await lookups.GetAsync();
                return f.AccessibilityCodes.All(c => known.FindAccessibility(c) is not null);
            })
            .WithMessage("Deze vorm van toegankelijkheid kennen we niet. Kies uit de lijst.");

        RuleFor(f => f.Wijk)
            .MustAsync(async (value, _) => (await lookups.GetAsync()).FindWijk(value) is not null)
            .When(f => !FindFreeRoomsForm.Blank(f.Wijk))
            .WithMessage("Deze wijk kennen we niet. Kies een wijk uit de lijst.");

        RuleFor(f => f.Near)
            .MustAsync(async (value, _) => (await lookups.GetAsync()).FindReference(value) is not null)
            .When(f => !FindFreeRoomsForm.Blank(f.Near))
            .WithMessage("Kies bij 'In de buurt van' een wijk of een buurtcentrum uit de lijst.");
    }
}
