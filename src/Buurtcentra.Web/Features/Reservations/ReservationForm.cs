using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// A request for a room (or a direct booking by a beheerder): when, how often, what for, for whom.
/// The screens and the JSON API both fill this form, so every rule lives in one place.
/// </summary>
public sealed class ReservationForm
{
    public const int ActivityMax = 120, TextMax = 2000, WederdienstMax = 1000, NameMax = 120, PhoneMax = 30;
    public const string Once = "eenmalig";

    public static readonly IReadOnlyList<(string Code, string Name)> Categories =
    [
        ("huiskamer", "Huiskamer / basisaanbod"),
        ("sp_do_groepsactiviteit", "Groepsactiviteit SP/DO"),
        ("bewonersinitiatief", "Bewonersinitiatief"),
        ("maatschappelijke_organisatie", "Maatschappelijke organisatie"),
        ("commercieel", "Commercieel"),
    ];

    public static string CategoryName(string code) => Categories.FirstOrDefault(c => c.Code == code).Name ?? code;

    [Display(Name = "ruimte")] public long? RoomId { get; set; }
    [Display(Name = "datum")] public DateOnly? Date { get; set; }
    [Display(Name = "begintijd")] public TimeOnly? StartTime { get; set; }
    [Display(Name = "eindtijd")] public TimeOnly? EndTime { get; set; }

    /// <summary>eenmalig, wekelijks, maandelijks or datums (<see cref="Recurrence"/> kinds).</summary>
    public string Repeat { get; set; } = Once;
    [Display(Name = "om de hoeveel weken")] public int? Interval { get; set; }
    [Display(Name = "om de hoeveel maanden")] public int? MonthInterval { get; set; }
    [Display(Name = "week van de maand")] public int? WeekOfMonth { get; set; }
    /// <summary>"datum" (until a date) or "aantal" (a number of times).</summary>
    public string EndsBy { get; set; } = "datum";
    [Display(Name = "tot en met")] public DateOnly? Until { get; set; }
    [Display(Name = "aantal keer")] public int? Count { get; set; }
    /// <summary>For a list of dates: one date per line or separated by commas (dd-mm-jjjj or jjjj-mm-dd).</summary>
    public string? ExtraDates { get; set; }
    /// <summary>Leave dates on which the room is already taken out of the series instead of refusing it.</summary>
    public bool SkipBusyDates { get; set; }

    public string? Activity { get; set; }
    public string? Category { get; set; }
    [Display(Name = "aantal deelnemers")] public int? Participants { get; set; }
    public List<string> TargetGroups { get; set; } = [];
    public List<string> Facilities { get; set; } = [];
    public bool NeedsKey { get; set; }
    public bool IsPublic { get; set; }
    public string? StrengthensCentre { get; set; }
    public string? Wederdienst { get; set; }
    public string? Remarks { get; set; }

    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    /// <summary>Only for beheerders booking on behalf of a user group.</summary>
    public long? OrganisationId { get; set; }

    /// <summary>Set by the controller: who is asking decides which contact fields are required.</summary>
    [BindNever] public FormRole Role { get; set; } = FormRole.Resident;

    /// <summary>
    /// Set by code, never by a form: dates of the series to leave out, with the reason (the voorkeursplanning's
    /// school holidays and feestdagen). They are listed as skipped dates, like the centre's own closure days.
    /// </summary>
    [BindNever] public IReadOnlyList<SkippedDate> ExcludedDates { get; set; } = [];

    /// <summary>
    /// Set by the API, never by a form: the UTC offsets the start and end were given with. An explicit offset is an
    /// instant, so on the night the clocks go back it says which of the two 02:30s is meant (first date only).
    /// </summary>
    [BindNever] public TimeSpan? StartOffset { get; set; }
    [BindNever] public TimeSpan? EndOffset { get; set; }

    /// <summary>Set by code, never by a form: a note for the confirmation mail of a direct booking (why it was made).</summary>
    [BindNever] public string? ConfirmationNote { get; set; }

    /// <summary>
    /// Set by code, never by a form: the voorkeursplanning books the whole season its round was made for, however far
    /// ahead; the centre's horizon (how far ahead one may book) limits only what someone asks for themselves.
    /// </summary>
    [BindNever] public bool IgnoreHorizon { get; set; }

    public void Normalise()
    {
        Activity = Clean(Activity);
        Category = Clean(Category);
        StrengthensCentre = Clean(StrengthensCentre);
        Wederdienst = Clean(Wederdienst);
        Remarks = Clean(Remarks);
        ContactName = Clean(ContactName);
        ContactEmail = Clean(ContactEmail);
        ContactPhone = Clean(ContactPhone);
        Repeat = string.IsNullOrWhiteSpace(Repeat) ? Once : Repeat.Trim();
        EndsBy = EndsBy == "aantal" ? "aantal" : "datum";
        TargetGroups = Codes(TargetGroups);
        Facilities = Codes(Facilities);
    }

    /// <summary>Trimmed text, or null when nothing was typed.</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Codes(List<string>? codes) =>
        (codes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The repeat rule, or null for a single date. Call after validation.</summary>
    public Recurrence? ToRecurrence() => Repeat switch
    {
        Recurrence.Weekly => new Recurrence
        {
            Kind = Recurrence.Weekly, Interval = Interval ?? 1, FirstDate = Date,
            Until = EndsBy == "datum" ? Until : null, Count = EndsBy == "aantal" ? Count : null,
        },
        Recurrence.MonthlyNthWeekday => new Recurrence
        {
            Kind = Recurrence.MonthlyNthWeekday, Interval = MonthInterval ?? 1, FirstDate = Date,
            WeekOfMonth = WeekOfMonth ?? Recurrence.WeekOfMonthOf(Date!.Value),
            Until = EndsBy == "datum" ? Until : null, Count = EndsBy == "aantal" ? Count : null,
        },
        Recurrence.DateList => new Recurrence { Kind = Recurrence.DateList, FirstDate = Date, Dates = ParseDates(ExtraDates).Dates },
        _ => null,
    };

    /// <summary>All local dates asked for, first date included.</summary>
    public IReadOnlyList<DateOnly> AllDates() => ToRecurrence()?.Expand(Date!.Value) ?? [Date!.Value];

    private static readonly string[] DateFormats = ["d-M-yyyy", "d-M-yy", "yyyy-M-d", "d/M/yyyy", "d.M.yyyy"];

    public static (List<DateOnly> Dates, List<string> Invalid) ParseDates(string? text)
    {
        var dates = new List<DateOnly>();
        var invalid = new List<string>();
        foreach (var part in (text ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DateOnly.TryParseExact(part, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) dates.Add(date);
            else invalid.Add(part);
        }
        return (dates, invalid);
    }
}

/// <summary>Who fills in the form.</summary>
public enum FormRole
{
    /// <summary>A resident without an account: contact name and e-mail are required, the address is confirmed by mail.</summary>
    Resident,
    /// <summary>A signed-in gebruiker: contact comes from the account.</summary>
    Gebruiker,
    /// <summary>A beheerder booking directly, possibly for someone at the desk or on the phone.</summary>
    Staff,
}

public sealed class ReservationValidator : AbstractValidator<ReservationForm>
{
    public ReservationValidator(NpgsqlDataSource dataSource)
    {
        RuleFor(f => f.RoomId).NotNull().WithMessage("Kies een ruimte.");
        RuleFor(f => f.Date).NotNull().WithMessage("Vul de datum in.");
        RuleFor(f => f.StartTime).NotNull().WithMessage("Vul de begintijd in.");
        // Conditions apply to the one rule before them (ApplyConditionTo.CurrentValidator): a When at the end of a chain
        // would otherwise also switch off the NotNull/NotEmpty before it, and a missing value would reach the database.
        RuleFor(f => f.EndTime).NotNull().WithMessage("Vul de eindtijd in.")
            .GreaterThan(f => f.StartTime).When(f => f.StartTime is not null && f.EndTime is not null, ApplyConditionTo.CurrentValidator)
            .WithMessage("De eindtijd moet na de begintijd liggen.");
        RuleFor(f => f.StartTime).Must(t => t!.Value.Minute % 5 == 0).When(f => f.StartTime is not null)
            .WithMessage("Kies een begintijd in hele 5 minuten, bijvoorbeeld 19:00 of 19:15.");
        RuleFor(f => f.EndTime).Must(t => t!.Value.Minute % 5 == 0).When(f => f.EndTime is not null)
            .WithMessage("Kies een eindtijd in hele 5 minuten, bijvoorbeeld 21:00 of 21:30.");

        RuleFor(f => f.Repeat).Must(r => r is ReservationForm.Once or Recurrence.Weekly or Recurrence.MonthlyNthWeekday or Recurrence.DateList)
            .WithMessage("Kies hoe vaak de activiteit is.");
        When(f => f.Repeat is Recurrence.Weekly or Recurrence.MonthlyNthWeekday, () =>
        {
            RuleFor(f => f.Interval).InclusiveBetween(1, Recurrence.MaxWeeks).When(f => f.Repeat == Recurrence.Weekly && f.Interval is not null)
                .WithMessage($"Kies om de 1 tot {Recurrence.MaxWeeks} weken.");
            RuleFor(f => f.MonthInterval).InclusiveBetween(1, Recurrence.MaxMonths).When(f => f.Repeat == Recurrence.MonthlyNthWeekday && f.MonthInterval is not null)
                .WithMessage($"Kies om de 1 tot {Recurrence.MaxMonths} maanden.");
            RuleFor(f => f.WeekOfMonth).Must(w => w is null or (>= 1 and <= 4) or (-1))
                .WithMessage("Kies de 1e, 2e, 3e, 4e of laatste week van de maand.");
            RuleFor(f => f.WeekOfMonth)
                .Must((f, w) => Recurrence.NthWeekday(f.Date!.Value.Year, f.Date.Value.Month, f.Date.Value.DayOfWeek, w!.Value) == f.Date.Value)
                .When(f => f.Repeat == Recurrence.MonthlyNthWeekday && f.Date is not null && f.WeekOfMonth is 1 or 2 or 3 or 4 or (-1))
                .WithMessage(f => $"De eerste datum is niet de {(f.WeekOfMonth == -1 ? "laatste" : $"{f.WeekOfMonth}e")} {f.Date!.Value.ToString("dddd", CultureInfo.GetCultureInfo("nl-NL"))} van de maand. Kies een datum die daarbij past.");
            RuleFor(f => f.Until).NotNull().When(f => f.EndsBy == "datum").WithMessage("Vul in tot en met welke datum de activiteit herhaalt.");
            RuleFor(f => f.Until).GreaterThan(f => f.Date).When(f => f.EndsBy == "datum" && f.Until is not null && f.Date is not null)
                .WithMessage("De einddatum van de herhaling moet na de eerste datum liggen.");
            RuleFor(f => f.Count).NotNull().When(f => f.EndsBy == "aantal").WithMessage("Vul in hoe vaak de activiteit is.");
            RuleFor(f => f.Count).InclusiveBetween(2, Recurrence.MaxOccurrences).When(f => f.EndsBy == "aantal" && f.Count is not null)
                .WithMessage($"Een herhaling is 2 tot {Recurrence.MaxOccurrences} keer.");
            RuleFor(f => f).Must(f => f.AllDates().Count <= Recurrence.MaxOccurrences - 1 || f.EndsBy == "aantal")
                .When(f => f.Date is not null && f.EndsBy == "datum" && f.Until is not null && f.Until > f.Date)
                .WithName("Until")
                .OverridePropertyName("Until")
                .WithMessage($"Een herhaling is hoogstens {Recurrence.MaxOccurrences} keer. Kies een eerdere einddatum.");
        });
        When(f => f.Repeat == Recurrence.DateList, () =>
        {
            RuleFor(f => f.ExtraDates).Must(text => ReservationForm.ParseDates(text).Invalid.Count == 0)
                .WithMessage(f => $"Deze data kunnen we niet lezen: {string.Join(", ", ReservationForm.ParseDates(f.ExtraDates).Invalid)}. Schrijf een datum als 14-03-2027.");
            RuleFor(f => f.ExtraDates).Must(text => ReservationForm.ParseDates(text).Dates.Count >= 1)
                .When(f => ReservationForm.ParseDates(f.ExtraDates).Invalid.Count == 0)
                .WithMessage("Vul minstens één extra datum in, of kies ‘eenmalig’.");
            RuleFor(f => f.ExtraDates).Must((f, text) => ReservationForm.ParseDates(text).Dates.All(d => d > f.Date))
                .When(f => f.Date is not null)
                .WithMessage("De extra data moeten na de eerste datum liggen.");
            RuleFor(f => f.ExtraDates).Must(text => ReservationForm.ParseDates(text).Dates.Count < Recurrence.MaxOccurrences)
                .WithMessage($"Vul hoogstens {Recurrence.MaxOccurrences - 1} extra data in.");
        });

        RuleFor(f => f.Activity).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul de naam van de activiteit in.")
            .Length(2, ReservationForm.ActivityMax).WithMessage($"De naam van de activiteit moet 2 tot {ReservationForm.ActivityMax} tekens lang zijn.");
        RuleFor(f => f.Category).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Kies het soort activiteit.")
            .Must(c => ReservationForm.Categories.Any(x => x.Code == c)).WithMessage("Kies een soort activiteit uit de lijst.");
        RuleFor(f => f.Participants).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Vul in hoeveel mensen er ongeveer komen.")
            .InclusiveBetween(1, 2000).WithMessage("Het aantal deelnemers moet tussen 1 en 2000 liggen.");
        RuleFor(f => f.StrengthensCentre).MaximumLength(ReservationForm.TextMax)
            .WithMessage(f => $"Schrijf hoogstens {ReservationForm.TextMax} tekens. Nu zijn het er {f.StrengthensCentre?.Length}.");
        RuleFor(f => f.Remarks).MaximumLength(ReservationForm.TextMax)
            .WithMessage(f => $"Schrijf hoogstens {ReservationForm.TextMax} tekens. Nu zijn het er {f.Remarks?.Length}.");
        RuleFor(f => f.Wederdienst).MaximumLength(ReservationForm.WederdienstMax)
            .WithMessage(f => $"Schrijf hoogstens {ReservationForm.WederdienstMax} tekens. Nu zijn het er {f.Wederdienst?.Length}.");

        RuleFor(f => f.ContactName).NotEmpty().When(f => f.Role != FormRole.Gebruiker)
            .WithMessage("Vul de naam van de contactpersoon in.");
        RuleFor(f => f.ContactName).Length(2, ReservationForm.NameMax).When(f => f.ContactName is not null)
            .WithMessage($"De naam moet 2 tot {ReservationForm.NameMax} tekens lang zijn.");
        RuleFor(f => f.ContactEmail).NotEmpty().When(f => f.Role == FormRole.Resident)
            .WithMessage("Vul uw e-mailadres in. We sturen u een mail om het te bevestigen.");
        RuleFor(f => f.ContactEmail).Cascade(CascadeMode.Stop)
            .MaximumLength(254).WithMessage("Het e-mailadres is te lang.")
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
            .When(f => f.ContactEmail is not null);
        RuleFor(f => f.ContactPhone).Cascade(CascadeMode.Stop)
            .MaximumLength(ReservationForm.PhoneMax).WithMessage($"Het telefoonnummer mag hoogstens {ReservationForm.PhoneMax} tekens hebben.")
            .Matches(@"^[0-9+()\- ]{6,30}$").WithMessage("Vul een telefoonnummer in met alleen cijfers, spaties, + of -.")
            .When(f => f.ContactPhone is not null);

        RuleFor(f => f.TargetGroups)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountAsync(dataSource, "select count(*)::int from target_groups where code = any(@codes)", codes) == codes.Count)
            .WithMessage("Kies alleen doelgroepen uit de lijst.");
        RuleFor(f => f.Facilities)
            .MustAsync(async (codes, ct) => codes.Count == 0 || await CountAsync(dataSource, "select count(*)::int from facilities where code = any(@codes)", codes) == codes.Count)
            .WithMessage("Kies alleen faciliteiten uit de lijst.");
        RuleFor(f => f.OrganisationId)
            .MustAsync(async (id, ct) => await CountAsync(dataSource, "select count(*)::int from organisations where id = @id and kind = 'gebruikersgroep' and active", [], id) == 1)
            .When(f => f.Role == FormRole.Staff && f.OrganisationId is not null)
            .WithMessage("Kies een gebruikersgroep uit de lijst.");
    }

    private static async Task<int> CountAsync(NpgsqlDataSource dataSource, string sql, IReadOnlyCollection<string> codes, long? id = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(sql, new { codes = codes.ToArray(), id });
    }
}
