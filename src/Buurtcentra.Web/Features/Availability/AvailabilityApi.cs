using System.ComponentModel;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Availability;

/// <summary>
/// Public, read-only JSON API of the room finder (/ruimte-zoeken), same filters and same answer (docs/vrije-ruimte-zoeken.md).
/// Never contains who booked a room. Add fields, never rename or remove them within v1.
/// </summary>
public static class AvailabilityApi
{
    public static IEndpointRouteBuilder MapAvailabilityApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Vrije ruimte")
            .MapGet("/availability", FindAsync)
            .WithName("FindFreeRooms")
            .WithSummary("Vrije ruimtes zoeken in alle buurtcentra")
            .WithDescription("Ruimtes in alle actieve buurtcentra die vrij zijn op een datum (of de komende 4 keer een weekdag), "
                + "binnen de openingstijden en het tijdvak, lang genoeg voor de duur, groot genoeg voor het aantal personen en met alle "
                + "gevraagde faciliteiten en toegankelijkheid. Per ruimte de vrije tijdvakken (start en eind met tijdzone; elke begintijd "
                + "op een kwartier tussen start en eind min de duur past). Met 'near' staan de dichtstbijzijnde buurtcentra bovenaan, "
                + "anders op naam. Alleen data die u nog mag aanvragen: niet binnen de termijn van het buurtcentrum (lead time; "
                + "wie het buurtcentrum beheert, mag wel op korte termijn) en niet verder vooruit dan de horizon. Welke gezochte data "
                + "daardoor ergens wegvielen, staat in tooSoon en tooFar. Wie een ruimte gereserveerd heeft, staat er nooit in.");
        return app;
    }

    private static async Task<Results<Ok<AvailabilityResponse>, ValidationProblem>> FindAsync(
        [Description("Eén datum, jjjj-mm-dd, bijvoorbeeld 2027-03-02. Gebruik date of weekday."), Example("2027-03-02")] string? date,
        [Description("Weekdag 1 (maandag) tot en met 7 (zondag): de komende 4 keer die dag, vanaf vandaag."), Example("2")] string? weekday,
        [FromQuery(Name = "from"), Description("Begin van het tijdvak, uu:mm. Standaard: de openingstijd."), Example("19:00")] string? fromTime,
        [FromQuery(Name = "to"), Description("Eind van het tijdvak, uu:mm (24:00 mag). Standaard: de sluitingstijd."), Example("22:00")] string? toTime,
        [Description("Duur in minuten (120) of uu:mm (2:00), 15 minuten tot 24 uur. Standaard 60."), Example("120")] string? duration,
        [Description("Aantal personen, 1-2000. Standaard 1."), Example("15")] string? participants,
        [Description("Code van een faciliteit; herhaal voor meer (facilities=beamer&facilities=wifi). De ruimte heeft ze allemaal."), Example("""["beamer"]""", Raw = true)] string[]? facilities,
        [Description("Code van een toegankelijkheidskenmerk; herhaal voor meer. De ruimte heeft ze allemaal."), Example("""["rolstoeltoegankelijk"]""", Raw = true)] string[]? accessibility,
        [Description("Alleen buurtcentra in deze wijk: nummer 1-10 of naam."), Example("Zuid")] string? wijk,
        [Description("In de buurt van: wijk:7 (nummer of naam) of centre:de-boog (slug of id van het buurtcentrum). Dichtstbijzijnde eerst."), Example("centre:de-boog")] string? near,
        [FromServices] IValidator<FindFreeRoomsForm> validator,
        [FromServices] FindFreeRoomsQuery query)
    {
        var form = new FindFreeRoomsForm
        {
            Date = date, Weekday = weekday, From = fromTime, To = toTime, Duration = duration, Participants = participants,
            Facilities = facilities?.ToList() ?? [], Accessibility = accessibility?.ToList() ?? [], Wijk = wijk, Near = near,
        };
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            return InputProblem.Of(validation, title: "De zoekvraag klopt niet.", detail: "Een of meer parameters hebben een ongeldige waarde. Zie errors.");
        }
        return TypedResults.Ok(AvailabilityResponse.From(await query.RunAsync(form)));
    }
}

/// <summary>
/// Response of GET /api/v1/availability. Dates: the searched local dates. Near: the reference point's name when "near"
/// was given. Centres: nearest first (or by name), only those with at least one free room. TooSoon / TooFar (null when
/// nothing was left out): searched dates that at least one centre did not offer because a request would be within its
/// lead time or beyond its horizon.
/// </summary>
public sealed record AvailabilityResponse(
    IReadOnlyList<DateOnly> Dates, int DurationMinutes, int Participants, string? Near, IReadOnlyList<AvailableCentreDto> Centres,
    LeftOutDatesDto? TooSoon = null, LeftOutDatesDto? TooFar = null)
{
    public static AvailabilityResponse From(FreeRoomsResult result) => new(
        result.Search.Dates, result.Search.DurationMinutes, result.Search.Participants, result.Search.Near?.Name,
        result.Centres.Select(c => new AvailableCentreDto(
            c.Id, c.Slug, c.Name, c.Url, new AvailabilityWijkDto(c.WijkId, c.WijkName), c.DistanceKm,
            c.Rooms.Select(r => new AvailableRoomDto(
                r.Id, r.Name, new AvailabilityCodeDto(r.Type.Code, r.Type.Name), r.Capacity,
                r.Facilities.Select(f => new AvailabilityCodeDto(f.Code, f.Name)).ToList(),
                r.EarliestStart,
                r.Slots.Select(s => new FreeSlotDto(s.Start, s.End, s.RequestUrl)).ToList())).ToList())).ToList(),
        LeftOutDatesDto.From(result.TooSoon), LeftOutDatesDto.From(result.TooFar));
}

/// <summary>Searched dates left out in some centres; MinDays/MaxDays: the range of the centres' lead time or horizon in days.</summary>
public sealed record LeftOutDatesDto(IReadOnlyList<DateOnly> Dates, int MinDays, int MaxDays)
{
    public static LeftOutDatesDto? From(LeftOutDates? left) => left is null ? null : new(left.Dates, left.MinDays, left.MaxDays);
}

/// <summary>A centre with free rooms. DistanceKm: from the "near" point (centre coordinates, else its wijk's centre), else null.</summary>
public sealed record AvailableCentreDto(
    long Id, string Slug, string Name, string Url, AvailabilityWijkDto Wijk, double? DistanceKm, IReadOnlyList<AvailableRoomDto> Rooms);

public sealed record AvailabilityWijkDto(int Id, string Name);

public sealed record AvailabilityCodeDto(string Code, string Name);

/// <summary>A room with its free slots over all searched dates, in time order. EarliestStart: the first possible start.</summary>
public sealed record AvailableRoomDto(
    long Id, string Name, AvailabilityCodeDto Type, int Capacity, IReadOnlyList<AvailabilityCodeDto> Facilities,
    DateTimeOffset? EarliestStart, IReadOnlyList<FreeSlotDto> FreeSlots);

/// <summary>
/// A free interval, local Utrecht time with offset (e.g. 2027-03-02T19:00:00+01:00). RequestUrl: the request form for
/// this room with the earliest start and the searched duration filled in.
/// </summary>
public sealed record FreeSlotDto(DateTimeOffset Start, DateTimeOffset End, string RequestUrl);
