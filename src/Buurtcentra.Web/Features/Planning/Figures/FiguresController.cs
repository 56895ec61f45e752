using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Figures;

/// <summary>Cijfers per ronde: the equity figures for the council and the driehoeksoverleg, for the centres one manages.</summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class FiguresController(BoardRoundQuery rounds) : Controller
{
    [HttpGet("/beheer/planning/rondes/{roundId:long}/cijfers")]
    public async Task<IActionResult> Figures(long roundId, [FromQuery] long? centrum, [FromServices] FiguresQuery query)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        return View("Figures", await query.LoadAsync(round, centrum));
    }
}
