using System.ComponentModel;
using Buurtcentra.Web.Features.Errors;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Centres;

/// <summary>
/// Public, read-only JSON API with the same data and filters as the /buurtcentra pages (documented in docs/api.md).
/// The JSON shape is part of the contract: add fields, never rename or remove them within v1.
/// </summary>
public static class CentresApi
{
    public static IEndpointRouteBuilder MapCentresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Buurtcentra");

        api.MapGet("/centres", ListAsync)
            .WithName("ListCentres")
            .WithSummary("Actieve buurtcentra zoeken")
            .WithDescription("Alle actieve buurtcentra op naam, met hun actieve ruimtes en openingstijden. De filters op aantal personen, "
                + "faciliteit en toegankelijkheid gelden samen voor één ruimte: een buurtcentrum past als één van zijn ruimtes aan alle drie voldoet.");

        api.MapGet("/centres/{slug}", GetAsync)
            .WithName("GetCentre")
            .WithSummary("Eén actief buurtcentrum")
            .WithDescription("Een buurtcentrum met ruimtes, openingstijden en de sluitingsdagen van vandaag tot 12 maanden vooruit.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Ok<CentreListResponse>, ValidationProblem>> ListAsync(
        [Description("Wijk: nummer 1-10 of naam, bijvoorbeeld 7 of Zuid."), Example("Zuid")] string? wijk,
        [Description("Minimaal aantal personen (1-2000) voor één ruimte."), Example("40")] string? capacity,
        [Description("Code van een faciliteit, bijvoorbeeld beamer."), Example("beamer")] string? facility,
        [Description("Code van een toegankelijkheidskenmerk, bijvoorbeeld rolstoeltoegankelijk."), Example("rolstoeltoegankelijk")] string? accessibility,
        [Description("Deel van de naam van het buurtcentrum (hoogstens 100 tekens)."), Example("boog")] string? q,
        [FromServices] IValidator<FindCentresForm> validator,
        [FromServices] FindCentresQuery query)
    {
        var form = new FindCentresForm { Wijk = wijk, Capacity = capacity, Facility = facility, Accessibility = accessibility, Q = q };
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid)
        {
            return InputProblem.Of(validation, title: "De zoekvraag klopt niet.", detail: "Een of meer parameters hebben een ongeldige waarde. Zie errors.");
        }
        var result = await query.RunAsync(form);
        return TypedResults.Ok(new CentreListResponse(result.Centres.Count, result.Centres.Select(CentreDto.From).ToList()));
    }

    private static async Task<Results<Ok<CentreDetailsDto>, ProblemHttpResult>> GetAsync(
        [Description("De slug uit het adres van de pagina (of de id), bijvoorbeeld de-boog."), Example("de-boog")] string slug,
        [FromServices] CentreDetailsQuery query,
        [FromServices] CentreKeyQuery centres)
    {
        var details = await centres.FindKeyAsync(slug) is { } key ? await query.RunAsync(key.Slug) : null;
        if (details is null)
        {
            return TypedResults.Problem(title: "Buurtcentrum niet gevonden",
                detail: $"Er is geen actief buurtcentrum met deze slug of id. {CentreKeyQuery.Hint}", statusCode: StatusCodes.Status404NotFound);
        }
        return TypedResults.Ok(CentreDetailsDto.From(details));
    }
}

/// <summary>Response of GET /api/v1/centres.</summary>
public sealed record CentreListResponse(int Count, IReadOnlyList<CentreDto> Centres);

/// <summary>A centre in the list. Id and slug both name it in the other endpoints (centre, centreId, occupancy). Times are local Utrecht time.</summary>
public sealed record CentreDto(
    long Id, string Slug, string Name, string Url, AddressDto Address, WijkDto Wijk, SmoDto Smo,
    string? Email, string? Phone, string? Description,
    IReadOnlyList<OpeningHoursDto> OpeningHours, IReadOnlyList<RoomDto> Rooms)
{
    public static CentreDto From(Centre c) => new(
        c.Id, c.Slug, c.Name, ApiMapping.Url(c), ApiMapping.Address(c), ApiMapping.Wijk(c), ApiMapping.Smo(c),
        c.Email, c.Phone, c.Description, ApiMapping.Hours(c), ApiMapping.Rooms(c));
}

/// <summary>One centre: the list fields plus its closure days from today up to 12 months ahead.</summary>
public sealed record CentreDetailsDto(
    long Id, string Slug, string Name, string Url, AddressDto Address, WijkDto Wijk, SmoDto Smo,
    string? Email, string? Phone, string? Description,
    IReadOnlyList<OpeningHoursDto> OpeningHours, IReadOnlyList<RoomDto> Rooms, IReadOnlyList<ClosureDayDto> ClosureDays)
{
    public static CentreDetailsDto From(CentreDetails details)
    {
        var c = details.Centre;
        return new(c.Id, c.Slug, c.Name, ApiMapping.Url(c), ApiMapping.Address(c), ApiMapping.Wijk(c), ApiMapping.Smo(c),
            c.Email, c.Phone, c.Description, ApiMapping.Hours(c), ApiMapping.Rooms(c),
            c.Closures.Select(x => new ClosureDayDto(x.StartsOn, x.EndsOn, x.Kind, x.Reason, x.CityWide)).ToList());
    }
}

public sealed record AddressDto(string Street, string Postcode, string City);

/// <summary>One of the 10 wijken of Utrecht.</summary>
public sealed record WijkDto(int Id, string Name);

/// <summary>The social organisation (SMO) that runs the centre.</summary>
public sealed record SmoDto(string Name);

/// <summary>An opening period. Weekday: 1 = maandag ... 7 = zondag; opens/closes as "HH:mm". Several periods per day are possible.</summary>
public sealed record OpeningHoursDto(int Weekday, string Day, string Opens, string Closes);

/// <summary>
/// An active room. MatchesFilter: the room meets the capacity, facility and accessibility filters of the request
/// (always true without those filters).
/// </summary>
public sealed record RoomDto(
    long Id, string Name, CodeNameDto Type, int Capacity, int? AreaM2, string? Floor, string? Description,
    IReadOnlyList<CodeNameDto> Facilities, IReadOnlyList<CodeNameDto> Accessibility, bool MatchesFilter);

public sealed record CodeNameDto(string Code, string Name);

/// <summary>A closure day or period (dates inclusive). Kind: feestdag, vakantiesluiting or overig. CityWide: all centres.</summary>
public sealed record ClosureDayDto(DateOnly StartsOn, DateOnly EndsOn, string Kind, string Reason, bool CityWide);

internal static class ApiMapping
{
    public static string Url(Centre c) => $"/buurtcentra/{c.Slug}";
    public static AddressDto Address(Centre c) => new(c.Street, c.Postcode, c.City);
    public static WijkDto Wijk(Centre c) => new(c.WijkId, c.WijkName);
    public static SmoDto Smo(Centre c) => new(c.SmoName);

    public static List<OpeningHoursDto> Hours(Centre c) => c.OpeningHours
        .Select(h => new OpeningHoursDto(h.Weekday, Weekdays.Name(h.Weekday), Weekdays.Time(h.Opens), Weekdays.Time(h.Closes)))
        .ToList();

    public static List<RoomDto> Rooms(Centre c) => c.Rooms
        .Select(r => new RoomDto(r.Id, r.Name, Code(r.Type), r.Capacity, r.AreaM2, r.Floor, r.Description,
            r.Facilities.Select(Code).ToList(), r.Accessibility.Select(Code).ToList(), r.MatchesFilter))
        .ToList();

    private static CodeNameDto Code(CodeName x) => new(x.Code, x.Name);
}
