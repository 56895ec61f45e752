using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Draft;

/// <summary>
/// "Samen met de gebruikers": a group sees the shared draft roster and its own result with the explanation, and reacts
/// per wish. Only for someone with wishes in the round (<see cref="DraftQuery"/>); everyone else gets a 404.
/// </summary>
[Authorize]
public sealed class DraftController(DraftQuery query) : Controller
{
    [HttpGet("/planning/rondes/{roundId:long}/concept")]
    public async Task<IActionResult> Draft(long roundId)
    {
        var page = await query.LoadAsync(roundId, User.UserId());
        return page is null ? NotFound() : View("Draft", page);
    }

    [HttpPost("/planning/rondes/{roundId:long}/concept/reactie")]
    public async Task<IActionResult> React(long roundId, [FromForm] ReactionForm form, [FromServices] IValidator<ReactionForm> validator,
        [FromServices] ReactionHandler handler)
    {
        var page = await query.LoadAsync(roundId, User.UserId());
        if (page is null || page.Wishes.All(w => w.Wish.Id != form.WishId)) return NotFound();
        form.Normalise();
        var prefix = $"reactie-{form.WishId}-";
        foreach (var error in (await validator.ValidateAsync(form)).Errors)
        {
            ModelState.AddModelError(prefix + error.PropertyName.ToLowerInvariant(), error.ErrorMessage);
        }
        if (ModelState.IsValid)
        {
            var result = await handler.HandleAsync(roundId, form, User.UserId(), User.Identity?.Name ?? "Gebruiker");
            if (result.Succeeded)
            {
                this.Flash(form.Reaction == ReactionForm.Agree
                    ? "Dank u wel. De beheerder ziet dat u akkoord bent."
                    : "Dank u wel. De beheerder leest uw opmerking.");
                return Redirect($"/planning/rondes/{roundId}/concept#wens-{form.WishId}");
            }
            ModelState.AddModelError(prefix + "reaction", result.Error ?? "Er ging iets mis.");
        }
        ViewData["ReactionForm"] = form;
        return View("Draft", page);
    }
}
