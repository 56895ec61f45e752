using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Policy;

/// <summary>
/// The priority policy of a round: written down, versioned, shown to everyone. A beheerder who manages all centres of
/// the round changes it (every save is a new version) until the round is adopted; groups and residents read it at
/// /planning/rondes/{id}/beleid once the round is no longer a concept.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class PolicyController(RoundQuery rounds, PolicyQuery policies) : Controller
{
    private const string FormPrefix = "Form", BlockPrefix = "BlockForm";

    [HttpGet("/beheer/planning/rondes/{id:long}/beleid")]
    public async Task<IActionResult> Staff(long id, int? versie)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        var view = await policies.LoadAsync(round, versie);
        if (view is null) return NotFound();
        return await StaffView(view, null, null);
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/beleid")]
    public async Task<IActionResult> Save(long id, [FromForm(Name = FormPrefix)] PolicyForm form, [FromServices] IValidator<PolicyForm> validator,
        [FromServices] SavePolicyHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState, FormPrefix);
        if (ModelState.IsValid)
        {
            var (result, version) = await handler.HandleAsync(round, form, User.UserId());
            if (result.Succeeded)
            {
                this.Flash(version == 0 ? "Er is niets veranderd. Er is geen nieuwe versie gemaakt." : $"Het beleid is opgeslagen als versie {version}.");
                return Redirect($"/beheer/planning/rondes/{id}/beleid");
            }
            result.AddErrorTo(ModelState);
        }
        var view = await policies.LoadAsync(round, null);
        return view is null ? NotFound() : await StaffView(view, form, null);
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/beleid/blokken")]
    public async Task<IActionResult> AddBlock(long id, [FromForm(Name = BlockPrefix)] PolicyBlockForm form, [FromServices] IValidator<PolicyBlockForm> validator,
        [FromServices] AddPolicyBlockHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState, BlockPrefix);
        if (ModelState.IsValid)
        {
            var (result, version) = await handler.HandleAsync(round, form, User.UserId());
            if (result.Succeeded)
            {
                this.Flash($"Het blok ‘{form.Label}’ is toegevoegd. Het beleid is opgeslagen als versie {version}.");
                return Redirect($"/beheer/planning/rondes/{id}/beleid");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"{BlockPrefix}.{result.Field}", result.Error!);
        }
        var view = await policies.LoadAsync(round, null);
        return view is null ? NotFound() : await StaffView(view, null, form);
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/beleid/blokken/{blockId:long}/verwijderen")]
    public async Task<IActionResult> RemoveBlock(long id, long blockId, [FromServices] RemovePolicyBlockHandler handler)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null || !round.CanChange) return NotFound();
        var outcome = await handler.HandleAsync(round, blockId, User.UserId());
        if (outcome is null) return NotFound();
        var (result, version) = outcome.Value;
        if (result.Succeeded) this.Flash($"Het blok is weggehaald. Het beleid is opgeslagen als versie {version}.");
        else TempData[RoundsController.ErrorKey] = result.Error;
        return Redirect($"/beheer/planning/rondes/{id}/beleid");
    }

    /// <summary>For everyone: groups, residents, the council. A concept round's policy is not public yet.</summary>
    [AllowAnonymous]
    [HttpGet("/planning/rondes/{id:long}/beleid")]
    public async Task<IActionResult> Public(long id, int? versie)
    {
        var round = await rounds.LoadAsync(id);
        if (round is null) return NotFound();
        if (round.IsConcept && (User.Identity?.IsAuthenticated != true || await rounds.ForStaffAsync(id) is null)) return NotFound();
        var view = await policies.LoadAsync(round, versie);
        if (view is null) return NotFound();
        return View("Policy", new PolicyPage(view, CanEdit: false, new PolicyForm(), new PolicyBlockForm(), [], $"/planning/rondes/{id}/beleid"));
    }

    private async Task<IActionResult> StaffView(PolicyView view, PolicyForm? form, PolicyBlockForm? blockForm)
    {
        var round = view.Round;
        var canEdit = round.CanChange && round.PolicyEditable && view.IsLatest;
        var rooms = canEdit ? await policies.RoomChoicesAsync(round) : [];
        ViewData[RoundsController.ErrorKey] = TempData[RoundsController.ErrorKey];
        return View("Policy", new PolicyPage(view, canEdit, form ?? PolicyForm.From(view.Policy),
            blockForm ?? new PolicyBlockForm { Categories = ["huiskamer"] }, rooms, $"/beheer/planning/rondes/{round.Id}/beleid"));
    }
}
