using System.ComponentModel;
using System.Globalization;
using Buurtcentra.Web.Features.Centres;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Buurtcentra.Web.Infrastructure.Time;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>
/// GET /api/v1/centres/{centre}/occupancy: when the rooms of a centre are taken (documented in docs/api.md and
/// docs/overzichten.md). Everyone gets the busy periods; a signed-in person who may view the centre in the management
/// screens also gets activity, organisation, reservation id and the pending requests.
/// </summary>
public static class AgendaApi
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Bezetting");

        api.MapGet("/centres/{centre}/occupancy", GetAsync)
            .WithName("GetCentreOccupancy")
            .WithSummary("Bezetting van de ruimtes van een buurtcentrum")
            .WithDescription("De periodes waarin ruimtes bezet zijn (inclusief op- en afbouwtijd), van from tot to (lokale datums, "
                + "to telt niet mee, maximaal 31 dagen). Zonder inlog alleen bevestigde bezetting, zonder namen. Wie het buurtcentrum "
                + "in het beheer mag bekijken, krijgt ook activiteit, organisatie, reserveringsnummer en openstaande aanvragen.")
            .Produces<OccupancyResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Ok<OccupancyResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [Description("Het buurtcentrum: id of slug, zoals GET /api/v1/centres ze geeft."), Example("de-boog")] string centre,
        [Description("Eerste dag, jjjj-mm-dd."), Example("2027-03-01")] string? from,
        [Description("Dag na de laatste dag (telt niet mee), jjjj-mm-dd. Maximaal 31 dagen na from."), Example("2027-03-08")] string? to,
        [FromServices] IValidator<OccupancyRangeForm> validator,
        [FromServices] OccupancyQuery query,
        [FromServices] CentreKeyQuery centres)
    {
        var form = new OccupancyRangeForm { From = from, To = to };
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            return InputProblem.Of(validation, title: "De periode klopt niet.", detail: "Een of meer parameters hebben een ongeldige waarde. Zie errors.");
        }

        var result = await centres.FindAsync(centre) is { } id ? await query.GetAsync(id, form.FromDate, form.ToDate) : null;
        if (result is null)
        {
            return InputProblem.NotFound("Buurtcentrum niet gevonden", $"Er is geen buurtcentrum met deze id of slug. {CentreKeyQuery.Hint}");
        }
        return TypedResults.Ok(result);
    }
}

/// <summary>The period of an occupancy request: local dates, from inclusive, to exclusive.</summary>
public sealed class OccupancyRangeForm
{
    public const int MaxDays = 31;

    public string? From { get; set; }
    public string? To { get; set; }

    public DateOnly FromDate => Parse(From) ?? default;
    public DateOnly ToDate => Parse(To) ?? default;

    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date >= AgendaDates.Earliest && date <= AgendaDates.Latest ? date : null;
}

public sealed class OccupancyRangeValidator : AbstractValidator<OccupancyRangeForm>
{
    public OccupancyRangeValidator()
    {
        RuleFor(f => f.From).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul bij from de eerste dag in, bijvoorbeeld 2027-03-01.")
            .Must(v => OccupancyRangeForm.Parse(v) is not null).WithMessage("Vul bij from een datum in als jjjj-mm-dd, bijvoorbeeld 2027-03-01.");
        RuleFor(f => f.To).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Vul bij to de dag na de laatste dag in, bijvoorbeeld 2027-03-08.")
            .Must(v => OccupancyRangeForm.Parse(v) is not null).WithMessage("Vul bij to een datum in als jjjj-mm-dd, bijvoorbeeld 2027-03-08.");
        When(f => OccupancyRangeForm.Parse(f.From) is not null && OccupancyRangeForm.Parse(f.To) is not null, () =>
        {
            RuleFor(f => f.To).Cascade(CascadeMode.Stop)
                .Must((f, _) => f.ToDate > f.FromDate).WithMessage("De datum bij to moet na de datum bij from liggen.")
                .Must((f, _) => f.ToDate.DayNumber - f.FromDate.DayNumber <= OccupancyRangeForm.MaxDays)
                .WithMessage($"Vraag hoogstens {OccupancyRangeForm.MaxDays} dagen tegelijk op: to mag hoogstens {OccupancyRangeForm.MaxDays} dagen na from liggen.");
        });
    }
}

/// <summary>Response of GET /api/v1/centres/{centre}/occupancy. Details: true when the blocks carry names (staff).</summary>
public sealed record OccupancyResponse(long CentreId, string CentreName, DateOnly From, DateOnly To, bool Details, int Count,
    IReadOnlyList<OccupancyBlockDto> Blocks);

/// <summary>
/// A period in which a room is taken, set-up and clean-up included. Start and end in Utrecht time with offset.
/// Status: bevestigd, or aangevraagd (a pending request, only for staff; it does not block the room yet).
/// ActivityStart/ActivityEnd, Activity, Organisation and ReservationId are null unless the caller may view the centre.
/// </summary>
public sealed record OccupancyBlockDto(long RoomId, string RoomName, DateTimeOffset Start, DateTimeOffset End, string Status,
    DateTimeOffset? ActivityStart, DateTimeOffset? ActivityEnd, string? Activity, string? Organisation, long? ReservationId);

/// <summary>The occupancy of one centre; null for an unknown centre, or an inactive one for callers without access.</summary>
public sealed class OccupancyQuery(NpgsqlDataSource dataSource, CentreAccess access)
{
    public async Task<OccupancyResponse?> GetAsync(long centreId, DateOnly from, DateOnly to)
    {
        var window = new AgendaWindow(from, to.DayNumber - from.DayNumber);
        var details = await access.CanViewAsync(centreId);
        await using var connection = await dataSource.OpenConnectionAsync();
        if (details)
        {
            var data = await AgendaLoader.LoadAsync<OccurrenceRow>(connection, centreId, window, AgendaLoader.BusyWithDetails);
            if (data is null) return null;
            var rooms = data.Rooms.ToDictionary(r => r.Id, r => r.Name);
            var blocks = data.Occurrences.Select(o => new OccupancyBlockDto(o.RoomId, rooms.GetValueOrDefault(o.RoomId, ""),
                Local(o.BlockedFrom), Local(o.BlockedUntil), o.Status, Local(o.StartsAt), Local(o.EndsAt), o.Activity,
                o.OrganisationName, o.ReservationId)).ToList();
            return new OccupancyResponse(data.Centre.Id, data.Centre.Name, from, to, true, blocks.Count, blocks);
        }
        else
        {
            var data = await AgendaLoader.LoadAsync<BusyRow>(connection, centreId, window, AgendaLoader.BusyOnly);
            if (data is null || !data.Centre.Active) return null;
            var rooms = data.Rooms.Where(r => r.Active).ToDictionary(r => r.Id, r => r.Name);
            var blocks = data.Occurrences.Where(o => rooms.ContainsKey(o.RoomId))
                .Select(o => new OccupancyBlockDto(o.RoomId, rooms[o.RoomId], Local(o.BlockedFrom), Local(o.BlockedUntil), "bevestigd",
                    null, null, null, null, null)).ToList();
            return new OccupancyResponse(data.Centre.Id, data.Centre.Name, from, to, false, blocks.Count, blocks);
        }
    }

    private static DateTimeOffset Local(DateTime utc) => TimeZoneInfo.ConvertTime(AgendaLoader.Utc(utc), AmsterdamTime.Zone);
}

