using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Buurtcentra.Web.Features.Centres;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen.Api;

/// <summary>
/// JSON API for meldingen, with the same forms, validators, handlers and access rules as the screens (docs/meldingen.md).
/// Sign in with a cookie or an API key (Authorization: Bearer ...). Times are Utrecht local time with offset.
/// No personal data of reporters in the answers.
/// </summary>
public static class MeldingenApi
{
    public static IEndpointRouteBuilder MapMeldingenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meldingen").WithTags("Meldingen").RequireAuthorization();

        api.MapPost("", CreateAsync)
            .WithName("CreateMelding")
            .WithSummary("Een probleem in een buurtcentrum melden")
            .WithDescription("Iedereen met een account kan melden. De streeftijd volgt uit de urgentie. "
                + "Bij spoed krijgt Stadsbedrijven meteen een mail. In similar staan open meldingen voor dezelfde ruimte en categorie.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("", ListAsync)
            .WithName("ListMeldingen")
            .WithSummary("De werkbak: meldingen van alle buurtcentra (Stadsbedrijven) of van de eigen buurtcentra (beheerders)")
            .RequireAuthorization(Policies.Staff);

        api.MapGet("/{id:long}", GetAsync)
            .WithName("GetMelding")
            .WithSummary("Eén melding met de klok en de geschiedenis")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:long}/status", ChangeStatusAsync)
            .WithName("ChangeMeldingStatus")
            .WithSummary("De status van een melding wijzigen")
            .WithDescription("in_behandeling vraagt plannedOn en assignee; afgewezen en heropend vragen reason. "
                + "Alleen toegestane overgangen: anders 400 met de reden. De melder kan een opgeloste melding sluiten of heropenen.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>A new melding; required: centreId, category, kind, urgency, description.</summary>
    public sealed record CreateMeldingRequest(
        [property: Required, Description("Id van het buurtcentrum (id in GET /api/v1/centres)."), Example(3)] long? CentreId = null,
        [property: Description("Id van de ruimte (rooms[].id in GET /api/v1/centres); leeg als het om het gebouw gaat."), Example(12)] long? RoomId = null,
        [property: Required, Description("schoon, heel, veilig, toegankelijk of inrichting"), Example("heel")] string? Category = null,
        [property: Required, Description("technisch of facilitair"), Example("technisch")] string? Kind = null,
        [property: Required, Description("spoed, hoog, normaal of laag"), Example("normaal")] string? Urgency = null,
        [property: Required, Description("Wat is er aan de hand? 10 tot 4000 tekens."), Example("De lamp boven de deur is kapot.")] string? Description = null);

    /// <summary>A status change; required: to (and what that status asks for, see the descriptions).</summary>
    public sealed record StatusRequest(
        [property: Required, Description("nieuw, in_behandeling, wacht_op_derden, opgelost, gesloten, heropend of afgewezen"), Example("in_behandeling")] string? To = null,
        [property: Description("Bij in_behandeling: de geplande datum (jjjj-mm-dd)."), Example("2027-03-04")] DateOnly? PlannedOn = null,
        [property: Description("Bij in_behandeling: wie het werk doet."), Example("Monteur Stadsbedrijven")] string? Assignee = null,
        [property: Description("Bij afgewezen en heropend: de reden."), Example("Dit is al gemeld.")] string? Reason = null,
        [property: Description("Toelichting voor de geschiedenis en de mail."), Example("We komen donderdagochtend.")] string? Note = null);

    public sealed record EventDto(DateTimeOffset At, string By, string What, string? Note);

    public sealed record MeldingDto(long Id, string Status, string StatusName, long CentreId, string Centre, string Wijk, long? RoomId, string? Room,
        string Category, string Kind, string Urgency, string Description, DateTimeOffset CreatedAt, DateTimeOffset DueAt, bool Overdue,
        string Clock, DateOnly? PlannedOn, string? Assignee, string? Reason, int AlsoAffected, IReadOnlyList<string> NextStatuses,
        IReadOnlyList<EventDto> History);

    public sealed record MeldingListItemDto(long Id, string Status, string Centre, string Wijk, string? Room, string Category, string Urgency,
        string Description, DateTimeOffset CreatedAt, DateTimeOffset DueAt, bool Overdue, string Clock, DateOnly? PlannedOn, string? Assignee);

    public sealed record MeldingListDto(IReadOnlyDictionary<string, int> CountPerStatus, IReadOnlyList<MeldingListItemDto> Meldingen, bool Truncated);

    public sealed record CreatedDto(MeldingDto Melding, IReadOnlyList<SimilarDto> Similar);

    public sealed record SimilarDto(long Id, string Status, string Description);

    private static async Task<Results<Created<CreatedDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateMeldingRequest body, HttpContext http, NpgsqlDataSource dataSource, CentreAccess access, IValidator<MeldingForm> validator,
        ReportMeldingHandler handler, MeldingAccessQuery meldingAccess, TimeProvider time, TargetTimesQuery targets)
    {
        if (body.CentreId is null) return Invalid([("centreId", $"Vul centreId in: de id van het buurtcentrum. {CentreKeyQuery.Hint}")]);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var exists = await connection.ExecuteScalarAsync<bool>("select exists (select 1 from centres where id = @id and active)", new { id = body.CentreId });
            if (!exists) return NotFound("Buurtcentrum niet gevonden", $"Er is geen actief buurtcentrum met deze id. {CentreKeyQuery.Hint}");
        }
        var form = new MeldingForm
        {
            CentreId = body.CentreId.Value, RoomId = body.RoomId, Category = body.Category, Kind = body.Kind, Urgency = body.Urgency,
            Description = body.Description, NeedsContact = false, DuplicatesSeen = true,
        };
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid) return Invalid(validation.Errors.Select(e => (InputProblem.Field(e.PropertyName), e.ErrorMessage)).ToList());

        var similar = await handler.SimilarAsync(form.CentreId, form.RoomId, form.Category);
        var user = http.User;
        var role = user.IsInRole(Roles.Stadsbedrijven) ? "stadsbedrijven" : await access.CanManageAsync(form.CentreId) ? "beheerder" : "melder";
        var outcome = await handler.HandleAsync(form, new Reporter(user.UserId(), user.Identity?.Name ?? "", user.FindFirstValue(ClaimTypes.Email), role),
            http.Request.PublicBaseUrl());
        var dto = await LoadDtoAsync(outcome.MeldingId, dataSource, meldingAccess, time, targets);
        return TypedResults.Created($"/api/v1/meldingen/{outcome.MeldingId}",
            new CreatedDto(dto!, similar.Select(s => new SimilarDto(s.Id, s.Status, s.Summary)).ToList()));
    }

    private static async Task<Results<Ok<MeldingListDto>, ValidationProblem>> ListAsync(
        [Description("Status (nieuw, in_behandeling, wacht_op_derden, opgelost, gesloten, heropend, afgewezen), of open voor alles wat nog niet is opgelost."), Example("open")] string? status,
        [Description("Buurtcentrum: id of slug, zoals GET /api/v1/centres ze geeft."), Example("de-boog")] string? centre,
        [Description("true: alleen meldingen die te laat zijn."), Example(true)] bool? overdue,
        [Description("Urgentie: spoed, hoog, normaal of laag."), Example("spoed")] string? urgency,
        [Description("Categorie: schoon, heel, veilig, toegankelijk of inrichting."), Example("heel")] string? category,
        [Description("Wijk: nummer 1-10 of naam, zoals GET /api/v1/centres ze geeft (wijk.id, wijk.name)."), Example("Zuid")] string? wijk,
        WerkbakQuery query, CentreKeyQuery centres, CentreLookupsQuery lookups)
    {
        var errors = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(status) && status.Trim() != "open" && !MeldingStatus.IsKnown(status.Trim()))
            errors.Add(("status", "Deze status kennen we niet. Kies open, nieuw, in_behandeling, wacht_op_derden, opgelost, gesloten, heropend of afgewezen."));
        if (!string.IsNullOrWhiteSpace(urgency) && !MeldingCodes.IsUrgency(urgency.Trim()))
            errors.Add(("urgency", "Deze urgentie kennen we niet. Kies spoed, hoog, normaal of laag."));
        if (!string.IsNullOrWhiteSpace(category) && !MeldingCodes.IsCategory(category.Trim()))
            errors.Add(("category", "Deze categorie kennen we niet. Kies schoon, heel, veilig, toegankelijk of inrichting."));
        long? centreId = null;
        if (!string.IsNullOrWhiteSpace(centre) && (centreId = await centres.FindAsync(centre)) is null)
            errors.Add(("centre", $"Dit buurtcentrum kennen we niet. {CentreKeyQuery.Hint}"));
        int? wijkId = null;
        if (!string.IsNullOrWhiteSpace(wijk) && (wijkId = (await lookups.GetAsync()).FindWijk(wijk)?.Id) is null)
            errors.Add(("wijk", "Deze wijk kennen we niet. Gebruik het nummer (1-10) of de naam, bijvoorbeeld 7 of Zuid."));
        if (errors.Count > 0) return InputProblem.Of(errors, title: "De zoekvraag klopt niet.", detail: "Een of meer parameters hebben een ongeldige waarde. Zie errors.");

        var page = await query.LoadAsync(new WerkbakFilter
        {
            Status = status?.Trim(), Centrum = centreId, TeLaat = overdue ?? false, Urgentie = urgency?.Trim(), Categorie = category?.Trim(), Wijk = wijkId,
        });
        return TypedResults.Ok(new MeldingListDto(page.CountPerStatus, page.Rows.Select(r =>
        {
            var clock = r.Clock(page.Now);
            return new MeldingListItemDto(r.Id, r.Status, r.CentreName, r.WijkName, r.RoomName, r.Category, r.Urgency, r.Description,
                Local(r.CreatedAt), Local(r.DueAt), clock.Overdue, clock.Text, r.PlannedOn, r.Assignee);
        }).ToList(), page.Truncated));
    }

    private static async Task<Results<Ok<MeldingDto>, ProblemHttpResult>> GetAsync([Description("Het nummer van de melding (id).")][Example(1)] long id, NpgsqlDataSource dataSource, MeldingAccessQuery access,
        TimeProvider time, TargetTimesQuery targets)
    {
        var dto = await LoadDtoAsync(id, dataSource, access, time, targets);
        return dto is null ? NotFound("Melding niet gevonden", "Er is geen melding met dit nummer die u mag zien.") : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<MeldingDto>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync([Description("Het nummer van de melding (id).")][Example(1)] long id, StatusRequest? body,
        HttpContext http, NpgsqlDataSource dataSource, MeldingAccessQuery access, IValidator<StatusForm> validator, ChangeStatusHandler handler,
        TimeProvider time, TargetTimesQuery targets)
    {
        MeldingViewer? viewer;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var m = await MeldingDetails.LoadAsync(connection, null, id);
            viewer = m is null ? null : await access.ViewerAsync(connection, id, m.CentreId, m.ReporterUserId);
        }
        if (viewer is null) return NotFound("Melding niet gevonden", "Er is geen melding met dit nummer die u mag zien.");
        var form = new StatusForm { To = body?.To, PlannedOn = body?.PlannedOn, Assignee = body?.Assignee, Reason = body?.Reason, Note = body?.Note };
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid) return Invalid(validation.Errors.Select(e => (InputProblem.Field(e.PropertyName), e.ErrorMessage)).ToList());
        var (result, _) = await handler.HandleAsync(id, form, viewer, http.Request.PublicBaseUrl());
        if (!result.Succeeded) return Invalid([(InputProblem.Field(result.Field ?? ""), result.Error!)]);
        return TypedResults.Ok((await LoadDtoAsync(id, dataSource, access, time, targets))!);
    }

    private static async Task<MeldingDto?> LoadDtoAsync(long id, NpgsqlDataSource dataSource, MeldingAccessQuery access, TimeProvider time, TargetTimesQuery targets)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var m = await MeldingDetails.LoadAsync(connection, null, id);
        if (m is null) return null;
        var viewer = await access.ViewerAsync(connection, id, m.CentreId, m.ReporterUserId);
        if (viewer is null) return null;
        m = m.SeenBy(viewer);
        var page = MeldingPage.For(m, viewer, "", time.GetUtcNow(), await targets.LoadAsync());
        return new MeldingDto(m.Id, m.Status, MeldingStatus.Name(m.Status), m.CentreId, m.CentreName, m.WijkName, m.RoomId, m.RoomName, m.Category,
            m.Kind, m.Urgency, m.Description, Local(m.CreatedAt), Local(m.DueAt), page.Clock.Overdue, page.Clock.Text, m.PlannedOn, m.Assignee,
            m.StatusReason, m.AlsoAffected, page.Next,
            m.Events.Select(e => new EventDto(Local(e.OccurredAt), e.Who(viewer.IsStaff), e.What, e.Note)).ToList());
    }

    private static DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), AmsterdamTime.Zone);

    private static ValidationProblem Invalid(IReadOnlyList<(string Field, string Message)> errors) =>
        InputProblem.Of(errors, title: "De melding klopt niet.");

    private static ProblemHttpResult NotFound(string title, string detail) => InputProblem.NotFound(title, detail);
}
