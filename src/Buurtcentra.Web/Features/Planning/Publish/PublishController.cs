using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Publish;

/// <summary>
/// Publiceren: the dry run (dates, closures, bookings in the way), the publish button (only in phase 'vastgesteld', only
/// for someone who manages every centre of the round) and afterwards the dates left out for the beheerder to resolve.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class PublishController(BoardRoundQuery rounds) : Controller
{
    [HttpGet("/beheer/planning/rondes/{roundId:long}/publiceren")]
    public async Task<IActionResult> Publish(long roundId, [FromServices] PublishQuery query)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        return View("Publish", await query.LoadAsync(round));
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/publiceren")]
    public async Task<IActionResult> PublishNow(long roundId, [FromServices] PublishHandler handler)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        var outcome = await handler.HandleAsync(round, User.UserId(), User.Identity?.Name ?? "Beheerder", Request.PublicBaseUrl());
        if (outcome.Error is not null)
        {
            TempData[BoardController.ErrorKey] = outcome.Error;
        }
        else if (outcome.Done)
        {
            this.Flash($"De ronde is gepubliceerd. {Series(outcome.Created)} gemaakt.{(outcome.ConflictDates > 0 ? $" {outcome.ConflictDates} {(outcome.ConflictDates == 1 ? "datum is" : "data zijn")} overgeslagen omdat er al een reservering was: zie de lijst hieronder." : "")} De groepen krijgen een mail.");
        }
        else
        {
            TempData[BoardController.ErrorKey] = $"{Series(outcome.Created)} gemaakt, maar niet alles kon worden gepubliceerd: {string.Join(" ", outcome.Problems)} Los dit op en klik opnieuw op Publiceren; wat al gepubliceerd is, blijft staan.";
        }
        return Redirect($"/beheer/planning/rondes/{roundId}/publiceren");
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/publiceren/opgelost")]
    public async Task<IActionResult> Resolve(long roundId, [FromForm] long conflictId, [FromServices] ResolvePublishConflictHandler handler)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        if (await handler.HandleAsync(round, conflictId)) this.Flash("De datum staat als opgelost.");
        else TempData[BoardController.ErrorKey] = "Deze datum bestaat niet of is al opgelost.";
        return Redirect($"/beheer/planning/rondes/{roundId}/publiceren#overgeslagen");
    }

    private static string Series(int count) => count == 1 ? "1 reeks is" : $"{count} reeksen zijn";
}
