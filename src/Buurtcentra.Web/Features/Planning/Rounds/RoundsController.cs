using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Rounds;

/// <summary>
/// Planningsrondes for beheerders: list, create, change while concept, phases, closure periods, doorrollen.
/// A round is visible to someone who manages at least one of its centres and can be changed only by someone who
/// manages all of them; everyone else gets a 404. Stadsbedrijven has no part in the planning.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class RoundsController(RoundQuery rounds, RoundChoicesQuery choices) : Controller
{
    public const string ErrorKey = "planning-error";

    [HttpGet("/beheer/planning")]
    public async Task<IActionResult> Index([FromServices] RoundListQuery query) => View("RoundList", await query.LoadAsync());

    [HttpGet("/beheer/planning/rondes/nieuw")]
    public async Task<IActionResult> Create()
    {
        var centres = await choices.CentresAsync();
        if (centres.Count == 0) return NotFound();
        var form = new RoundForm { CentreIds = centres.Count == 1 ? [long.Parse(centres[0].Value!, System.Globalization.CultureInfo.InvariantCulture)] : [] };
        return await CreateView(form);
    }

    [HttpPost("/beheer/planning/rondes/nieuw")]
    public async Task<IActionResult> Create([FromForm] RoundForm form, [FromServices] IValidator<RoundForm> validator, [FromServices] CreateRoundHandler handler)
    {
        form.Normalise();
        var manageable = (await choices.CentresAsync()).Select(c => c.Value).ToHashSet();
        if (manageable.Count == 0) return NotFound();
        // A centre the person does not manage is refused before anything else, also when the form has other errors.
        if (form.CentreIds.Any(id => !manageable.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))) return NotFound();

        if (!await ValidateAsync(validator, form)) return await CreateView(form);
        var outcome = await handler.HandleAsync(form, User.UserId(), ActorName);
        if (outcome is null) return NotFound();
        if (outcome.Value.Result.AddErrorTo(ModelState)) return await CreateView(form);

        this.Flash(form.RollFromRoundId is null
            ? $"De ronde ‘{form.Name}’ is aangemaakt. Zet de ronde open voor wensen als alles klopt."
            : $"De ronde ‘{form.Name}’ is aangemaakt. {Rolled(outcome.Value.RolledOver)}");
        return Redirect($"/beheer/planning/rondes/{outcome.Value.RoundId}");
    }

    [HttpGet("/beheer/planning/rondes/{id:long}")]
    public async Task<IActionResult> Details(long id, [FromServices] RoundDetailsQuery query)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        return View("RoundDetails", await query.LoadAsync(round, TempData[ErrorKey] as string));
    }

    [HttpGet("/beheer/planning/rondes/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        if (!round.IsConcept) return Refuse(id, "Deze ronde is geen concept meer. Naam, seizoen en buurtcentra liggen vast.");
        return await EditView(round, EditRoundHandler.FormFor(round));
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, [FromForm] RoundForm form, [FromServices] IValidator<RoundForm> validator,
        [FromServices] EditRoundHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        form.Normalise();
        form.RoundId = id;
        form.RollFromRoundId = null;
        var manageable = (await choices.CentresAsync()).Select(c => c.Value).ToHashSet();
        if (form.CentreIds.Any(c => !manageable.Contains(c.ToString(System.Globalization.CultureInfo.InvariantCulture)))) return NotFound();

        if (!await ValidateAsync(validator, form)) return await EditView(round, form);
        var result = await handler.HandleAsync(round, form);
        if (result is null) return NotFound();
        if (result.Value.AddErrorTo(ModelState)) return await EditView(round, form);
        this.Flash($"De ronde ‘{form.Name}’ is opgeslagen.");
        return Redirect($"/beheer/planning/rondes/{id}");
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/fase")]
    public async Task<IActionResult> ChangePhase(long id, [FromForm] RoundPhaseForm form, [FromServices] IValidator<RoundPhaseForm> validator,
        [FromServices] ChangeRoundPhaseHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        if (!validation.IsValid) return Refuse(id, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
        var (result, confirmation) = await handler.HandleAsync(round, form, User.UserId(), ActorName);
        if (!result.Succeeded) return Refuse(id, result.Error!);
        // Asked, not done: a page (no script needed) that says what the change means and posts it again with a yes.
        if (confirmation is not null) return View("RoundPhaseConfirm", new RoundPhaseConfirmPage(round, confirmation, form.Note));
        this.Flash($"De ronde staat nu in de fase ‘{RoundPhase.Name(form.To!)}’.");
        return Redirect($"/beheer/planning/rondes/{id}");
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/doorrollen")]
    public async Task<IActionResult> Rollover(long id, [FromForm] long? rollFromRoundId, [FromServices] RolloverHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        var outcome = await handler.HandleAsync(round, rollFromRoundId, User.UserId());
        if (!outcome.Succeeded) return Refuse(id, outcome.Error!);
        this.Flash(outcome.Created == 0
            ? "Er waren geen nieuwe plekken om door te rollen."
            : $"{Rolled(outcome.Created)} De groepen kunnen bevestigen, wijzigen of intrekken zodra de ronde open is.");
        return Redirect($"/beheer/planning/rondes/{id}");
    }

    [HttpGet("/beheer/planning/rondes/{id:long}/sluitingen")]
    public async Task<IActionResult> Closures(long id, [FromServices] RoundClosuresQuery query)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        ViewData[ErrorKey] = TempData[ErrorKey];
        return View("RoundClosures", await query.LoadAsync(round));
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/sluitingen")]
    public async Task<IActionResult> AddClosure(long id, [FromForm(Name = "Form")] RoundClosureForm form, [FromServices] IValidator<RoundClosureForm> validator,
        [FromServices] AddRoundClosureHandler handler, [FromServices] RoundClosuresQuery query)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState, "Form");
        if (ModelState.IsValid)
        {
            var result = await handler.HandleAsync(round, form);
            if (result.Succeeded)
            {
                this.Flash($"De sluiting ‘{form.Reason}’ is toegevoegd.");
                return Redirect($"/beheer/planning/rondes/{id}/sluitingen");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"Form.{result.Field}", result.Error!);
        }
        return View("RoundClosures", await query.LoadAsync(round, form));
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/sluitingen/overnemen")]
    public async Task<IActionResult> CopyClosures(long id, [FromServices] CopyRoundClosuresHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        var (result, copied) = await handler.HandleAsync(round);
        if (!result.Succeeded)
        {
            TempData[ErrorKey] = result.Error;
            return Redirect($"/beheer/planning/rondes/{id}/sluitingen");
        }
        this.Flash(copied == 0
            ? "Er waren geen nieuwe sluitingsdagen in dit seizoen om over te nemen."
            : $"Er {(copied == 1 ? "is 1 sluiting" : $"zijn {copied} sluitingen")} overgenomen uit de sluitingsdagen van de buurtcentra.");
        return Redirect($"/beheer/planning/rondes/{id}/sluitingen");
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/sluitingen/{closureId:long}/verwijderen")]
    public async Task<IActionResult> DeleteClosure(long id, long closureId, [FromServices] DeleteRoundClosureHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        var result = await handler.HandleAsync(round, closureId);
        if (result is null) return NotFound();
        if (!result.Value.Succeeded) TempData[ErrorKey] = result.Value.Error;
        else this.Flash("De sluiting is verwijderd.");
        return Redirect($"/beheer/planning/rondes/{id}/sluitingen");
    }

    private string ActorName => User.Identity?.Name ?? "";

    private static string Rolled(int count) => count switch
    {
        0 => "Er waren geen plekken om door te rollen.",
        1 => "Er is 1 wens van vorig seizoen doorgerold.",
        _ => $"Er zijn {count} wensen van vorig seizoen doorgerold.",
    };

    private IActionResult Refuse(long roundId, string message)
    {
        TempData[ErrorKey] = message;
        return Redirect($"/beheer/planning/rondes/{roundId}");
    }

    private async Task<bool> ValidateAsync(IValidator<RoundForm> validator, RoundForm form)
    {
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState);
        return ModelState.IsValid;
    }

    private async Task<IActionResult> CreateView(RoundForm form)
    {
        ViewData[nameof(RoundFormPage)] = new RoundFormPage("Nieuwe planningsronde", "/beheer/planning/rondes/nieuw", IsEdit: false,
            await choices.CentresAsync(), await choices.PublishedRoundsAsync(), "/beheer/planning");
        return View("RoundForm", form);
    }

    private async Task<IActionResult> EditView(RoundHeader round, RoundForm form)
    {
        ViewData[nameof(RoundFormPage)] = new RoundFormPage($"Ronde ‘{round.Name}’ bewerken", $"/beheer/planning/rondes/{round.Id}/bewerken", IsEdit: true,
            await choices.CentresAsync(), [], $"/beheer/planning/rondes/{round.Id}");
        return View("RoundForm", form);
    }
}
