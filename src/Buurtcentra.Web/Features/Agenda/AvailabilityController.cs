using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>The public availability of a centre: Bezet and Vrij per room and day, without names (AVG). No login needed.</summary>
public sealed class AvailabilityController(TimeProvider time) : Controller
{
    [HttpGet("/buurtcentra/{slug}/beschikbaarheid")]
    public async Task<IActionResult> Availability(string slug, [FromQuery] string? week, [FromQuery] string? datum,
        [FromServices] AvailabilityQuery query) =>
        await query.GetAsync(slug, AvailabilityQuery.Pick(week, datum, time)) is { } page ? View("Availability", page) : NotFound();
}
