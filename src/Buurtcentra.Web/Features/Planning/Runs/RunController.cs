using Buurtcentra.Web.Features.Planning.Board;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Runs;

public sealed record RunPage(BoardRound Round, RunRow Run)
{
    public string Url => $"/beheer/planning/rondes/{Round.Id}/berekening/{Run.Id}";
}

/// <summary>
/// "Voorstel maken": starts a run of the optimiser (or in order of priority) and shows its progress. The page refreshes
/// itself: a small script asks the status URL every two seconds (and announces changes); without JavaScript the page
/// reloads itself while the run is going on.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class RunController(BoardRoundQuery rounds, RunStatusQuery runs) : Controller
{
    [HttpPost("/beheer/planning/rondes/{roundId:long}/berekening")]
    public async Task<IActionResult> Start(long roundId, [FromForm] string? method, [FromForm] string? back, [FromServices] StartRunHandler handler)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        var result = await handler.HandleAsync(roundId, method, User.UserId());
        if (result.RunId is { } runId) return Redirect($"/beheer/planning/rondes/{roundId}/berekening/{runId}");
        if (result.RunningRunId is { } running)
        {
            this.Flash(result.Error!);
            return Redirect($"/beheer/planning/rondes/{roundId}/berekening/{running}");
        }
        TempData[BoardController.ErrorKey] = result.Error;
        return Redirect(IsOwnPage(back, roundId) ? back! : $"/beheer/planning/rondes/{roundId}/versies");
    }

    [HttpGet("/beheer/planning/rondes/{roundId:long}/berekening/{runId:long}")]
    public async Task<IActionResult> Run(long roundId, long runId)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        var run = await runs.LoadAsync(roundId, runId);
        if (run is null) return NotFound();
        return View("RunProgress", new RunPage(round, run));
    }

    [HttpGet("/beheer/planning/rondes/{roundId:long}/berekening/{runId:long}/status")]
    public async Task<IActionResult> Status(long roundId, long runId)
    {
        var round = await rounds.LoadAsync(roundId);
        if (round is null) return NotFound();
        var run = await runs.LoadAsync(roundId, runId);
        if (run is null) return NotFound();
        Response.Headers.CacheControl = "no-store";
        return Json(new
        {
            status = run.Status,
            statusText = run.StatusName,
            note = run.ProgressNote,
            error = run.Error,
            finished = run.Finished,
            version = run.ProposalVersion,
        });
    }

    /// <summary>Only back to one of this round's own pages (never an outside address).</summary>
    private static bool IsOwnPage(string? back, long roundId) =>
        back is not null && back.StartsWith($"/beheer/planning/rondes/{roundId}", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal)
        && !back.Contains('\\', StringComparison.Ordinal);
}
