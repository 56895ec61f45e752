using System.Globalization;
using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>
/// The wishes of a round for a beheerder: a list per centre they manage, and adding, changing or withdrawing a wish
/// on a group's behalf until the round is adopted. A wish of a centre they do not manage answers 404.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class WishesController(RoundQuery rounds, SaveWishHandler handler, WishChoicesQuery choices, IValidator<WishForm> validator) : Controller
{
    [HttpGet("/beheer/planning/rondes/{id:long}/wensen")]
    public async Task<IActionResult> Index(long id, [FromQuery] WishFilter filter, [FromServices] WishListQuery query)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        return View("WishList", await query.LoadAsync(round, filter, TempData[RoundsController.ErrorKey] as string));
    }

    [HttpGet("/beheer/planning/rondes/{id:long}/wensen/nieuw")]
    public async Task<IActionResult> Create(long id, long? buurtcentrum)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        if (!round.StaffMayEditWishes) return Refuse(id, "De ronde is vastgesteld. Er komen geen wensen meer bij.");
        var centres = round.ManagedCentres;
        var form = new WishForm
        {
            RoundId = id, ByStaff = true, Frequency = "wekelijks", DurationMinutes = 120,
            CentreId = buurtcentrum is { } c && round.Manages(c) ? c : centres.Count == 1 ? centres[0].Id : null,
        };
        form.PadOptions();
        return await FormView(round, form, null);
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/wensen/nieuw")]
    public async Task<IActionResult> Create(long id, [FromForm] WishForm form)
    {
        var round = await rounds.ForStaffAsync(id);
        if (round is null) return NotFound();
        // A centre of the round the person does not manage is refused before anything else.
        if (form.CentreId is { } centreId && round.Centres.Any(c => c.Id == centreId) && !round.Manages(centreId)) return NotFound();
        if (!round.StaffMayEditWishes) return Refuse(id, "De ronde is vastgesteld. Er komen geen wensen meer bij.");
        form.RoundId = id;
        form.WishId = null;
        form.ByStaff = true;
        form.Normalise();
        if (!await ValidateAsync(form)) return await FormView(round, form, null);
        var result = await handler.CreateAsync(form, new WishActor(User.UserId(), IsStaff: true));
        if (result.AddErrorTo(ModelState)) return await FormView(round, form, null);
        this.Flash($"De wens ‘{form.Activity}’ is toegevoegd.");
        return Redirect($"/beheer/planning/rondes/{id}/wensen?buurtcentrum={form.CentreId}");
    }

    [HttpGet("/beheer/planning/rondes/{id:long}/wensen/{wishId:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, long wishId)
    {
        var (round, wish) = await FindAsync(id, wishId);
        if (round is null || wish is null) return NotFound();
        if (wish.IsWithdrawn) return Refuse(id, "Deze wens is ingetrokken en kan niet meer veranderen.");
        if (!round.StaffMayEditWishes) return Refuse(id, "De ronde is vastgesteld. Wensen veranderen niet meer.");
        return await FormView(round, SaveWishHandler.FormFor(wish, byStaff: true), wish);
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/wensen/{wishId:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, long wishId, [FromForm] WishForm form)
    {
        var (round, wish) = await FindAsync(id, wishId);
        if (round is null || wish is null) return NotFound();
        if (form.CentreId is { } centreId && round.Centres.Any(c => c.Id == centreId) && !round.Manages(centreId)) return NotFound();
        form.RoundId = id;
        form.WishId = wishId;
        form.ByStaff = true;
        form.Normalise();
        if (!await ValidateAsync(form)) return await FormView(round, form, wish);
        var result = await handler.UpdateAsync(wish, form, new WishActor(User.UserId(), IsStaff: true));
        if (result.AddErrorTo(ModelState)) return await FormView(round, form, wish);
        this.Flash($"De wens ‘{form.Activity}’ is opgeslagen.");
        return Redirect($"/beheer/planning/rondes/{id}/wensen?buurtcentrum={form.CentreId}");
    }

    [HttpPost("/beheer/planning/rondes/{id:long}/wensen/{wishId:long}/intrekken")]
    public async Task<IActionResult> Withdraw(long id, long wishId, [FromServices] WithdrawWishHandler withdraw)
    {
        var (round, wish) = await FindAsync(id, wishId);
        if (round is null || wish is null) return NotFound();
        var result = await withdraw.HandleAsync(wish, new WishActor(User.UserId(), IsStaff: true));
        if (!result.Succeeded) return Refuse(id, result.Error!);
        this.Flash($"De wens ‘{wish.Activity}’ van {wish.GroupName} is ingetrokken.");
        return Redirect($"/beheer/planning/rondes/{id}/wensen?buurtcentrum={wish.CentreId}");
    }

    /// <summary>The round and the wish, when the wish belongs to the round and the person manages the wish's centre.</summary>
    private async Task<(RoundHeader? Round, WishRow? Wish)> FindAsync(long roundId, long wishId)
    {
        var round = await rounds.ForStaffAsync(roundId);
        if (round is null) return (null, null);
        var wish = await handler.FindAsync(wishId);
        if (wish is null || wish.RoundId != roundId || !round.Manages(wish.CentreId)) return (round, null);
        return (round, wish);
    }

    private IActionResult Refuse(long roundId, string message)
    {
        TempData[RoundsController.ErrorKey] = message;
        return Redirect($"/beheer/planning/rondes/{roundId}/wensen");
    }

    private async Task<bool> ValidateAsync(WishForm form)
    {
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState);
        return ModelState.IsValid;
    }

    private async Task<IActionResult> FormView(RoundHeader round, WishForm form, WishRow? wish)
    {
        var title = wish is null ? $"Wens toevoegen aan {round.Name}" : $"Wens ‘{wish.Activity}’ van {wish.GroupName} bewerken";
        var action = wish is null ? $"/beheer/planning/rondes/{round.Id}/wensen/nieuw" : $"/beheer/planning/rondes/{round.Id}/wensen/{wish.Id}/bewerken";
        var cancel = $"/beheer/planning/rondes/{round.Id}/wensen{(form.CentreId is { } c ? $"?buurtcentrum={c.ToString(CultureInfo.InvariantCulture)}" : "")}";
        ViewData[nameof(WishFormPage)] = await choices.PageAsync(title, action, cancel, round, round.ManagedCentres, isStaff: true,
            isEdit: wish is not null, isContinuity: wish?.IsContinuity == true, wish?.GroupName);
        return View("WishForm", form);
    }
}
