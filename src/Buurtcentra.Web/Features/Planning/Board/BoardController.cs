using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Board;

/// <summary>
/// The planbord per centre (rooms × weekdays), its forms (lock, unlock, move, niet toekennen) and the versions of the
/// proposal. For people who manage a centre of the round (<see cref="BoardRoundQuery"/>); the board of a centre they do
/// not manage, or a round without any of their centres, answers 404.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class BoardController(BoardRoundQuery rounds) : Controller
{
    public const string ErrorKey = "planning-error";

    [HttpGet("/beheer/planning/rondes/{roundId:long}/planbord")]
    public async Task<IActionResult> Centres(long roundId)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        return View("BoardCentres", round);
    }

    [HttpGet("/beheer/planning/rondes/{roundId:long}/planbord/{centreId:long}")]
    public async Task<IActionResult> Board(long roundId, long centreId, [FromServices] BoardQuery query)
    {
        var (round, centre) = await FindAsync(roundId, centreId);
        if (round is null || centre is null) return NotFound();
        return View("Board", await query.LoadAsync(round, centre));
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/planbord/{centreId:long}/vastzetten")]
    public async Task<IActionResult> Lock(long roundId, long centreId, [FromForm] long wishId, [FromForm] int baseVersion,
        [FromServices] BoardEditHandler handler)
    {
        var (round, centre) = await FindAsync(roundId, centreId);
        if (round is null || centre is null) return NotFound();
        return After(round, centre, wishId, await handler.LockAsync(round, centre.Id, wishId, baseVersion, User.UserId()),
            "De wens is vastgezet. Een nieuw voorstel laat hem op deze plek staan.");
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/planbord/{centreId:long}/losmaken")]
    public async Task<IActionResult> Unlock(long roundId, long centreId, [FromForm] long wishId, [FromForm] int baseVersion,
        [FromServices] BoardEditHandler handler)
    {
        var (round, centre) = await FindAsync(roundId, centreId);
        if (round is null || centre is null) return NotFound();
        return After(round, centre, wishId, await handler.UnlockAsync(round, centre.Id, wishId, baseVersion),
            "De wens is losgemaakt. Een nieuw voorstel mag hem weer verplaatsen.");
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/planbord/{centreId:long}/niet-toekennen")]
    public async Task<IActionResult> Exclude(long roundId, long centreId, [FromForm] long wishId, [FromForm] int baseVersion,
        [FromServices] BoardEditHandler handler)
    {
        var (round, centre) = await FindAsync(roundId, centreId);
        if (round is null || centre is null) return NotFound();
        return After(round, centre, wishId, await handler.ExcludeAsync(round, centre.Id, wishId, baseVersion, User.UserId()),
            "De wens wordt niet toegekend en is zo vastgezet. Ook een nieuw voorstel kent hem niet toe.");
    }

    [HttpPost("/beheer/planning/rondes/{roundId:long}/planbord/{centreId:long}/verplaatsen")]
    public async Task<IActionResult> Move(long roundId, long centreId, [FromForm] BoardMoveForm form, [FromServices] IValidator<BoardMoveForm> validator,
        [FromServices] BoardEditHandler handler, [FromServices] BoardQuery query)
    {
        var (round, centre) = await FindAsync(roundId, centreId);
        if (round is null || centre is null) return NotFound();
        form.Normalise();
        var prefix = $"move-{form.WishId}-";
        // Errors are keyed by the id of the field in this wish's form, so the summary links to the right field.
        foreach (var key in ModelState.Keys.ToList())
        {
            if (ModelState[key]!.Errors.Count == 0) continue;
            foreach (var error in ModelState[key]!.Errors) ModelState.AddModelError(prefix + key.ToLowerInvariant(), error.ErrorMessage);
            ModelState.Remove(key);
        }
        foreach (var error in (await validator.ValidateAsync(form)).Errors)
        {
            if (!ModelState.ContainsKey(prefix + error.PropertyName.ToLowerInvariant())) ModelState.AddModelError(prefix + error.PropertyName.ToLowerInvariant(), error.ErrorMessage);
        }
        if (ModelState.IsValid)
        {
            var result = await handler.MoveAsync(round, centre.Id, form, User.UserId());
            if (result.Succeeded)
            {
                this.Flash("De wens is verplaatst en vastgezet. Dit is een nieuwe versie van het voorstel.");
                return Redirect($"/beheer/planning/rondes/{roundId}/planbord/{centreId}#wens-{form.WishId}");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : prefix + result.Field.ToLowerInvariant(), result.Error ?? "Er ging iets mis.");
        }
        ViewData["MoveForm"] = form;
        return View("Board", await query.LoadAsync(round, centre));
    }

    [HttpGet("/beheer/planning/rondes/{roundId:long}/versies")]
    public async Task<IActionResult> Versions(long roundId, [FromQuery] int? a, [FromQuery] int? b, [FromServices] BoardVersionsQuery query)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        return View("BoardVersions", await query.LoadAsync(round, a, b));
    }

    private async Task<(BoardRound? Round, BoardCentre? Centre)> FindAsync(long roundId, long centreId)
    {
        var round = await rounds.LoadAsync(roundId);
        return (round, round?.Centres.FirstOrDefault(c => c.Id == centreId));
    }

    private IActionResult After(BoardRound round, BoardCentre centre, long wishId, CommandResult result, string success)
    {
        if (result.Succeeded) this.Flash(success);
        else TempData[ErrorKey] = result.Error;
        return Redirect($"/beheer/planning/rondes/{round.Id}/planbord/{centre.Id}#wens-{wishId}");
    }
}
