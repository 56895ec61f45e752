using Buurtcentra.Web.Features.Planning.Rounds;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Time;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Buurtcentra.Web.Features.Planning.Wishes;

/// <summary>
/// Voorkeursplanning for groups (a gebruiker with an organisation): the rounds open for wishes, their own wishes, and
/// handing in, changing, confirming (continuity) or withdrawing them while the round is open and the deadline has not
/// passed. A wish of another organisation answers 404.
/// </summary>
[Authorize(Roles = Roles.Gebruiker)]
public sealed class WishPortalController(RoundQuery rounds, SaveWishHandler handler, WishChoicesQuery choices, IValidator<WishForm> validator,
    TimeProvider time) : Controller
{
    private const string ErrorKey = RoundsController.ErrorKey;

    [HttpGet("/planning")]
    public async Task<IActionResult> Index([FromServices] WishPortalQuery query)
    {
        var page = await query.LoadAsync(User.UserId());
        if (page is null) return NotFound();
        ViewData[ErrorKey] = TempData[ErrorKey];
        return View("WishPortal", page);
    }

    [HttpGet("/planning/rondes/{id:long}/wensen/nieuw")]
    public async Task<IActionResult> Create(long id, long? buurtcentrum)
    {
        var round = await rounds.LoadAsync(id);
        if (round is null || round.IsConcept) return NotFound();
        if (ClosedMessage(round) is { } closed) return Refuse(closed);
        var form = new WishForm
        {
            RoundId = id, Frequency = "wekelijks", DurationMinutes = 120,
            CentreId = buurtcentrum is { } c && round.Centres.Any(x => x.Id == c) ? c : round.Centres.Count == 1 ? round.Centres[0].Id : null,
        };
        form.PadOptions();
        return await FormView(round, form, null);
    }

    [HttpPost("/planning/rondes/{id:long}/wensen/nieuw")]
    public async Task<IActionResult> Create(long id, [FromForm] WishForm form)
    {
        var round = await rounds.LoadAsync(id);
        if (round is null || round.IsConcept) return NotFound();
        if (ClosedMessage(round) is { } closed) return Refuse(closed);
        Prepare(form, id, null);
        if (!await ValidateAsync(form)) return await FormView(round, form, null);
        var result = await handler.CreateAsync(form, Actor);
        if (result.AddErrorTo(ModelState)) return await FormView(round, form, null);
        this.Flash($"Uw wens ‘{form.Activity}’ is ingediend. U kunt hem veranderen tot en met {Deadline(round)}.");
        return Redirect("/planning");
    }

    [HttpGet("/planning/wensen/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id)
    {
        var (round, wish) = await FindOwnAsync(id);
        if (round is null || wish is null) return NotFound();
        if (ClosedMessage(round) is { } closed) return Refuse(closed);
        if (wish.IsWithdrawn) return Refuse("Deze wens is ingetrokken. Dien een nieuwe wens in als u toch ruimte wilt.");
        return await FormView(round, SaveWishHandler.FormFor(wish, byStaff: false), wish);
    }

    [HttpPost("/planning/wensen/{id:long}/bewerken")]
    public async Task<IActionResult> Edit(long id, [FromForm] WishForm form)
    {
        var (round, wish) = await FindOwnAsync(id);
        if (round is null || wish is null) return NotFound();
        if (ClosedMessage(round) is { } closed) return Refuse(closed);
        Prepare(form, round.Id, id);
        if (!await ValidateAsync(form)) return await FormView(round, form, wish);
        var result = await handler.UpdateAsync(wish, form, Actor);
        if (result.AddErrorTo(ModelState)) return await FormView(round, form, wish);
        this.Flash($"Uw wens ‘{form.Activity}’ is opgeslagen.");
        return Redirect("/planning");
    }

    [HttpPost("/planning/wensen/{id:long}/intrekken")]
    public async Task<IActionResult> Withdraw(long id, [FromServices] WithdrawWishHandler withdraw)
    {
        var (round, wish) = await FindOwnAsync(id);
        if (round is null || wish is null) return NotFound();
        var result = await withdraw.HandleAsync(wish, Actor);
        if (!result.Succeeded) return Refuse(result.Error!);
        this.Flash($"Uw wens ‘{wish.Activity}’ is ingetrokken.");
        return Redirect("/planning");
    }

    [HttpPost("/planning/wensen/{id:long}/bevestigen")]
    public async Task<IActionResult> Confirm(long id, [FromServices] ConfirmContinuityHandler confirm)
    {
        var (round, wish) = await FindOwnAsync(id);
        if (round is null || wish is null) return NotFound();
        var result = await confirm.HandleAsync(wish, Actor);
        if (!result.Succeeded) return Refuse(result.Error!);
        this.Flash($"Dank u wel. U heeft bevestigd dat ‘{wish.Activity}’ blijft zoals het was.");
        return Redirect("/planning");
    }

    private WishActor Actor => new(User.UserId(), IsStaff: false);

    /// <summary>The wish and its round, when the wish is of the person's own organisation and the round is past its concept.</summary>
    private async Task<(RoundHeader? Round, WishRow? Wish)> FindOwnAsync(long wishId)
    {
        var wish = await handler.FindAsync(wishId);
        if (wish is null || wish.OrganisationId is null || wish.OrganisationId != User.OrganisationId()) return (null, null);
        var round = await rounds.LoadAsync(wish.RoundId);
        if (round is null || round.IsConcept) return (null, null);
        return (round, wish);
    }

    private string? ClosedMessage(RoundHeader round)
    {
        if (!RoundPhase.AcceptsWishes(round.Phase)) return WishMessages.Closed;
        return round.GroupsMaySubmit(AmsterdamTime.Today(time)) ? null : WishMessages.PastDeadline(round.WishesDeadline!.Value);
    }

    private static string Deadline(RoundHeader round) => round.WishesDeadline is { } d ? RoundText.Date(d) : "de uiterste datum";

    private static void Prepare(WishForm form, long roundId, long? wishId)
    {
        form.RoundId = roundId;
        form.WishId = wishId;
        form.ByStaff = false;
        // The group is the person's own organisation; what the beheerder's form would set is ignored.
        form.OrganisationId = null;
        form.GroupName = null;
        form.ContactName = null;
        form.ContactEmail = null;
        form.ContinuityAnswer = null;
        form.Normalise();
    }

    private IActionResult Refuse(string message)
    {
        TempData[ErrorKey] = message;
        return Redirect("/planning");
    }

    private async Task<bool> ValidateAsync(WishForm form)
    {
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState);
        return ModelState.IsValid;
    }

    private async Task<IActionResult> FormView(RoundHeader round, WishForm form, WishRow? wish)
    {
        var title = wish is null ? $"Wens indienen voor {round.Name}" : $"Wens ‘{wish.Activity}’ wijzigen";
        var action = wish is null ? $"/planning/rondes/{round.Id}/wensen/nieuw" : $"/planning/wensen/{wish.Id}/bewerken";
        ViewData[nameof(WishFormPage)] = await choices.PageAsync(title, action, "/planning", round, round.Centres, isStaff: false,
            isEdit: wish is not null, isContinuity: wish?.IsContinuity == true, wish?.GroupName);
        return View("WishForm", form);
    }
}
