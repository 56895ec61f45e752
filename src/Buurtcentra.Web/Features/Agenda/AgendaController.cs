using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Agenda;

/// <summary>
/// Overviews for staff: the week grid and the day view of one centre. Who may look is decided per centre by
/// <see cref="CentreAccess.CanViewAsync"/>; a centre the person may not see answers 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class AgendaController(TimeProvider time) : Controller
{
    [HttpGet("/beheer/buurtcentra/{centreId:long}/week")]
    public async Task<IActionResult> Week(long centreId, [FromQuery] string? datum, [FromServices] WeekGridQuery query) =>
        await query.GetAsync(centreId, DatePick.From(datum, time)) is { } page ? View("Week", page) : NotFound();

    [HttpGet("/beheer/buurtcentra/{centreId:long}/dag")]
    public async Task<IActionResult> Day(long centreId, [FromQuery] string? datum, [FromServices] DayViewQuery query) =>
        await query.GetAsync(centreId, DatePick.From(datum, time)) is { } page ? View("Day", page) : NotFound();
}
