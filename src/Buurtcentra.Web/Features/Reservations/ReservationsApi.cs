using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Features.Tariffs;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// JSON API for reservations: the same form, validator and handlers as the screens. Times are local Utrecht time
/// ("2027-03-02T19:00"); a time with an explicit offset is an instant and is kept exactly (on the night the clocks go
/// back, "02:30+01:00" is the second 02:30; without an offset 02:30 is the first).
/// </summary>
public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/reservations").WithTags("Reserveringen").RequireAuthorization();

        api.MapPost("", CreateAsync)
            .WithName("CreateReservation")
            .WithSummary("Een ruimte aanvragen of (als beheerder van het buurtcentrum) direct boeken")
            .WithDescription("Een gebruiker vraagt aan (status aangevraagd); een beheerder van het buurtcentrum boekt direct (status bevestigd). "
                + "Een herhaling geeft u mee in recurrence. 409 als de ruimte al bezet is, met de bezette tijden.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:long}", GetAsync)
            .WithName("GetReservation")
            .WithSummary("Eén reservering met haar data en geschiedenis")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:long}/cancel", CancelAsync)
            .WithName("CancelReservation")
            .WithSummary("Een reservering annuleren: alles, één datum (scope=date) of vanaf een datum (scope=from)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>How often: kind is required; the other fields depend on it (see the descriptions).</summary>
    public sealed record RecurrenceRequest(
        [property: Required, Description("weekly, monthly of dates"), Example("weekly")] string? Kind = null,
        [property: Description("Bij weekly: om de hoeveel weken (1-8); bij monthly: om de hoeveel maanden (1-12); standaard 1."), Example(1)] int? Interval = null,
        [property: Description("Bij monthly: 1-4 of -1 (laatste) weekdag van de maand; standaard de week van de eerste datum."), Example(1)] int? WeekOfMonth = null,
        [property: Description("Bij weekly en monthly: laatste datum (jjjj-mm-dd). Geef until of count, niet allebei."), Example("2027-06-29")] DateOnly? Until = null,
        [property: Description("Bij weekly en monthly: hoe vaak in totaal (2-200). Geef count of until, niet allebei."), Example(10)] int? Count = null,
        [property: Description("Bij dates: de data na de eerste (jjjj-mm-dd)."), Example("""["2027-03-09", "2027-03-23"]""", Raw = true)] IReadOnlyList<DateOnly>? Dates = null);

    /// <summary>A request for a room; required: roomId, start, end, activity, participants (and contactName for a beheerder).</summary>
    public sealed record CreateReservationRequest(
        [property: Required, Description("Nummer van de ruimte (rooms[].id in GET /api/v1/centres)."), Example(12)] long? RoomId = null,
        [property: Required, Description("Begin, lokale tijd: 2027-03-02T19:00 (of met offset)."), Example("2027-03-02T19:00")] string? Start = null,
        [property: Required, Description("Einde op dezelfde dag, lokale tijd: 2027-03-02T21:00."), Example("2027-03-02T21:00")] string? End = null,
        [property: Required, Description("Naam van de activiteit, 2-120 tekens."), Example("Buurtkoor")] string? Activity = null,
        [property: Required, Description("Hoeveel mensen er ongeveer komen (1-2000)."), Example(15)] int? Participants = null,
        [property: Description("huiskamer, sp_do_groepsactiviteit, bewonersinitiatief, maatschappelijke_organisatie of commercieel; standaard bewonersinitiatief."), Example("bewonersinitiatief")] string? Category = null,
        [property: Description("Een herhaling; leeg voor één keer."), Example("""{"kind": "weekly", "count": 10}""", Raw = true)] RecurrenceRequest? Recurrence = null,
        [property: Description("Codes van doelgroepen, zoals op het aanvraagformulier."), Example("""["ouderen"]""", Raw = true)] IReadOnlyList<string>? TargetGroups = null,
        [property: Description("Codes van faciliteiten die u nodig heeft (zie GET /api/v1/centres)."), Example("""["koffie"]""", Raw = true)] IReadOnlyList<string>? Facilities = null,
        [property: Description("Heeft u een sleutel nodig? Standaard false."), Example(false)] bool? NeedsKey = null,
        [property: Description("Mag de activiteit in het openbare programma? Standaard false."), Example(true)] bool? IsPublic = null,
        [property: Description("Hoe de activiteit het buurtcentrum versterkt (hoogstens 2000 tekens)."), Example("Iedereen uit de buurt mag meezingen.")] string? StrengthensCentre = null,
        [property: Description("Wat u terugdoet bij gebruik om niet (hoogstens 1000 tekens)."), Example("We zetten koffie voor de inloop.")] string? Wederdienst = null,
        [property: Description("Opmerkingen voor de beheerder (hoogstens 2000 tekens)."), Example("Graag de piano open.")] string? Remarks = null,
        [property: Description("Naam van de contactpersoon, 2-120 tekens. Verplicht als een beheerder boekt; voor een gebruiker standaard de eigen naam."), Example("Anna de Vries")] string? ContactName = null,
        [property: Description("E-mailadres van de contactpersoon; die krijgt de bevestiging."), Example("anna@voorbeeld.nl")] string? ContactEmail = null,
        [property: Description("Telefoonnummer van de contactpersoon."), Example("030 123 4567")] string? ContactPhone = null,
        [property: Description("Alleen voor een beheerder: de gebruikersgroep waarvoor u boekt (bepaalt het tarief)."), Example(8)] long? OrganisationId = null,
        [property: Description("true: sla data over waarop de ruimte al bezet is, in plaats van alles te weigeren. Standaard false."), Example(false)] bool? SkipBusyDates = null);

    public sealed record OccurrenceDto(DateOnly SeriesDate, DateTimeOffset Start, DateTimeOffset End, string Room, string Status);

    public sealed record ReservationDto(long Id, string Status, string StatusName, string Centre, long RoomId, string Room, string Activity,
        string Category, int Participants, string? Organisation, string Contact, string Tariff, decimal TotalEuros, string When,
        IReadOnlyList<OccurrenceDto> Occurrences, IReadOnlyList<SkippedDateDto> Skipped, IReadOnlyList<EventDto> History);

    public sealed record SkippedDateDto(DateOnly Date, string Reason);

    public sealed record EventDto(DateTimeOffset At, string By, string What, string? Note);

    /// <summary>What to cancel; without a body everything is cancelled.</summary>
    public sealed record CancelRequest(
        [property: Description("all (standaard), date (één datum) of from (vanaf een datum)."), Example("date")] string? Scope = null,
        [property: Description("Bij date en from: de datum van de reeks (jjjj-mm-dd)."), Example("2027-03-09")] DateOnly? Date = null,
        [property: Description("Waarom; de aanvrager leest het in de mail."), Example("De zaal is nodig voor de stembus.")] string? Reason = null);

    private static async Task<Results<Created<ReservationDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateReservationRequest body, HttpContext http, NpgsqlDataSource dataSource, CentreAccess access,
        IValidator<ReservationForm> validator, RequestReservationHandler handler)
    {
        var (form, parseErrors) = ToForm(body);
        if (parseErrors.Count > 0) return Invalid(parseErrors);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var centreId = await connection.ExecuteScalarAsync<long?>(
                "select r.centre_id from rooms r join centres c on c.id = r.centre_id where r.id = @RoomId and r.active and c.active", new { form.RoomId });
            if (centreId is null) return NotFound("Ruimte niet gevonden", "Er is geen ruimte met dit nummer die te reserveren is.");
            var user = http.User;
            form.Role = user.IsInRole(Roles.Gebruiker) ? FormRole.Gebruiker
                : await access.CanManageAsync(centreId.Value) ? FormRole.Staff : FormRole.Resident;
            if (form.Role == FormRole.Resident)
            {
                return TypedResults.Problem(title: "Geen toegang", statusCode: StatusCodes.Status403Forbidden,
                    detail: "U kunt alleen reserveren in de buurtcentra die u beheert.");
            }
        }
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            return Invalid(validation.Errors.Select(e => (ApiField(e.PropertyName), e.ErrorMessage)).ToList());
        }

        var booker = new Booker(form.Role, http.User.UserId(), http.User.Identity?.Name ?? "");
        var outcome = await handler.HandleAsync(form, booker, http.Request.PublicBaseUrl());
        if (!outcome.Succeeded)
        {
            if (outcome.IsConflict)
            {
                var problem = TypedResults.Problem(title: "De ruimte is al bezet", statusCode: StatusCodes.Status409Conflict,
                    detail: outcome.Violations[0].Message,
                    extensions: new Dictionary<string, object?>
                    {
                        ["conflicts"] = outcome.Conflicts.Select(c => new
                        {
                            date = c.SeriesDate,
                            start = Local(c.StartUtc),
                            end = Local(c.EndUtc),
                            room = c.RoomName,
                        }).ToList(),
                    });
                return problem;
            }
            return Invalid(outcome.Violations.Select(v => (ApiField(v.Field), v.Message)).ToList());
        }

        var details = outcome.Details!;
        return TypedResults.Created($"/api/v1/reservations/{details.Id}", ToDto(details));
    }

    private static async Task<Results<Ok<ReservationDto>, ProblemHttpResult>> GetAsync([Description("Het nummer van de reservering (id).")][Example(1)] long id, HttpContext http, NpgsqlDataSource dataSource, CentreAccess access)
    {
        var details = await LoadVisibleAsync(id, http, dataSource, access);
        return details is null ? NotFound("Reservering niet gevonden", "Er is geen reservering met dit nummer die u mag zien.") : TypedResults.Ok(ToDto(details));
    }

    private static async Task<Results<Ok<ReservationDto>, ValidationProblem, ProblemHttpResult>> CancelAsync([Description("Het nummer van de reservering (id).")][Example(1)] long id, CancelRequest? body,
        HttpContext http, NpgsqlDataSource dataSource, CentreAccess access, CancelReservationHandler handler)
    {
        var details = await LoadVisibleAsync(id, http, dataSource, access);
        if (details is null) return NotFound("Reservering niet gevonden", "Er is geen reservering met dit nummer die u mag zien.");
        var scope = body?.Scope switch
        {
            null or "" or "all" => CancelReservationHandler.Scope.All,
            "date" => CancelReservationHandler.Scope.One,
            "from" => CancelReservationHandler.Scope.FromDate,
            _ => (CancelReservationHandler.Scope?)null,
        };
        if (scope is null) return Invalid([("scope", "Kies all, date of from.")]);
        var byRequester = http.User.IsInRole(Roles.Gebruiker);
        var result = await handler.HandleAsync(id, scope.Value, body?.Date, new Booker(byRequester ? FormRole.Gebruiker : FormRole.Staff,
            http.User.UserId(), http.User.Identity?.Name ?? ""), byRequester, string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim(),
            http.Request.PublicBaseUrl());
        if (!result.Succeeded) return Invalid([(result.Field == "SeriesDate" ? "date" : result.Field == "Reason" ? "reason" : "", result.Error!)]);
        await using var read = await dataSource.OpenConnectionAsync();
        return TypedResults.Ok(ToDto((await ReservationDetails.LoadAsync(read, null, id))!));
    }

    private static async Task<ReservationDetails?> LoadVisibleAsync(long id, HttpContext http, NpgsqlDataSource dataSource, CentreAccess access)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var details = await ReservationDetails.LoadAsync(connection, null, id);
        if (details is null) return null;
        var user = http.User;
        var allowed = user.IsInRole(Roles.Gebruiker)
            ? await MyReservationsQuery.IsOwnAsync(connection, id, user.UserId())
            : await access.CanManageAsync(details.CentreId);
        return allowed ? details : null;
    }

    private static ReservationDto ToDto(ReservationDetails r) => new(
        r.Id, r.Status, r.StatusName, r.CentreName, r.RoomId, r.RoomName, r.Activity, r.Category, r.Participants, r.OrganisationName,
        r.ContactName, r.Tariff, r.TotalCents / 100m, r.When,
        r.Occurrences.Select(o => new OccurrenceDto(o.SeriesDate, Local(o.StartsAt), Local(o.EndsAt), o.RoomName, o.Status)).ToList(),
        r.Skipped.Select(s => new SkippedDateDto(s.Date, s.Reason)).ToList(),
        r.Events.Select(e => new EventDto(Local(e.OccurredAt), e.ActorName, ReservationStatus.EventName(e.Kind), e.Note)).ToList());

    private static DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), AmsterdamTime.Zone);

    private static (ReservationForm Form, List<(string Field, string Message)> Errors) ToForm(CreateReservationRequest body)
    {
        var errors = new List<(string, string)>();
        var start = ParseLocal(body.Start, "start", errors);
        var end = ParseLocal(body.End, "end", errors);
        if (start is not null && end is not null && start.Value.Local.Date != end.Value.Local.Date)
        {
            errors.Add(("end", "Begin en einde moeten op dezelfde dag liggen. Voor meer dagen gebruikt u recurrence."));
        }
        if (body.RoomId is null) errors.Add(("roomId", "Vul roomId in: het nummer van de ruimte."));
        var form = new ReservationForm
        {
            RoomId = body.RoomId,
            Date = start is null ? null : DateOnly.FromDateTime(start.Value.Local),
            StartTime = start is null ? null : TimeOnly.FromDateTime(start.Value.Local),
            EndTime = end is null ? null : TimeOnly.FromDateTime(end.Value.Local),
            StartOffset = start?.Offset,
            EndOffset = end?.Offset,
            Activity = body.Activity,
            Participants = body.Participants,
            Category = body.Category ?? "bewonersinitiatief",
            TargetGroups = body.TargetGroups?.ToList() ?? [],
            Facilities = body.Facilities?.ToList() ?? [],
            NeedsKey = body.NeedsKey ?? false,
            IsPublic = body.IsPublic ?? false,
            StrengthensCentre = body.StrengthensCentre,
            Wederdienst = body.Wederdienst,
            Remarks = body.Remarks,
            ContactName = body.ContactName,
            ContactEmail = body.ContactEmail,
            ContactPhone = body.ContactPhone,
            OrganisationId = body.OrganisationId,
            SkipBusyDates = body.SkipBusyDates ?? false,
        };
        if (body.Recurrence is { } rec)
        {
            form.Repeat = rec.Kind switch { "weekly" => Recurrence.Weekly, "monthly" => Recurrence.MonthlyNthWeekday, "dates" => Recurrence.DateList, _ => "onbekend" };
            if (form.Repeat == "onbekend") errors.Add(("recurrence.kind", "Kies weekly, monthly of dates."));
            if (form.Repeat == Recurrence.MonthlyNthWeekday) form.MonthInterval = rec.Interval;
            else form.Interval = rec.Interval;
            form.WeekOfMonth = rec.WeekOfMonth;
            form.EndsBy = rec.Count is not null ? "aantal" : "datum";
            // Contradictory or unused fields are refused, never silently ignored.
            if (rec.Until is not null && rec.Count is not null)
            {
                errors.Add(("recurrence.count", "Geef until (tot en met een datum) of count (een aantal keer), niet allebei."));
            }
            if (form.Repeat == Recurrence.DateList)
            {
                if (rec.Interval is not null) errors.Add(("recurrence.interval", "interval hoort niet bij kind dates: geef de data in dates."));
                if (rec.Until is not null || rec.Count is not null) errors.Add((rec.Until is not null ? "recurrence.until" : "recurrence.count", "until en count horen niet bij kind dates: geef de data in dates."));
            }
            else if (rec.Dates is not null)
            {
                errors.Add(("recurrence.dates", "dates hoort alleen bij kind dates. Gebruik until of count."));
            }
            if (rec.WeekOfMonth is not null && form.Repeat != Recurrence.MonthlyNthWeekday)
            {
                errors.Add(("recurrence.weekOfMonth", "weekOfMonth hoort alleen bij kind monthly."));
            }
            form.Until = rec.Until;
            form.Count = rec.Count;
            form.ExtraDates = rec.Dates is null ? null : string.Join("\n", rec.Dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        return (form, errors);
    }

    /// <summary>The local Utrecht time, and the offset when one was given (then the instant is exact).</summary>
    private static (DateTime Local, TimeSpan? Offset)? ParseLocal(string? value, string field, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add((field, $"Vul {field} in, bijvoorbeeld 2027-03-02T19:00."));
            return null;
        }
        if (DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (local, null);
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            var utrecht = TimeZoneInfo.ConvertTime(withOffset, AmsterdamTime.Zone);
            return (utrecht.DateTime, utrecht.Offset);
        }
        errors.Add((field, $"{field} is geen geldige tijd. Schrijf bijvoorbeeld 2027-03-02T19:00."));
        return null;
    }

    private static string ApiField(string formField) => formField switch
    {
        "Date" or "StartTime" => "start",
        "EndTime" => "end",
        "Interval" or "MonthInterval" => "recurrence.interval",
        "Until" => "recurrence.until",
        "Count" => "recurrence.count",
        "WeekOfMonth" => "recurrence.weekOfMonth",
        "ExtraDates" => "recurrence.dates",
        "Repeat" => "recurrence.kind",
        "" => "",
        _ => JsonNamingPolicy.CamelCase.ConvertName(formField),
    };

    private static ValidationProblem Invalid(IReadOnlyList<(string Field, string Message)> errors) =>
        InputProblem.Of(errors, title: "De aanvraag klopt niet.");

    private static ProblemHttpResult NotFound(string title, string detail) => InputProblem.NotFound(title, detail);
}
