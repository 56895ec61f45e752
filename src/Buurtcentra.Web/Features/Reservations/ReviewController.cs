using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// Beoordelen: the sociaal beheerder's queue of new requests and the page of one reservation with its decisions.
/// Only for people who manage the reservation's centre; everyone else gets a 404.
/// </summary>
[Authorize(Roles = $"{Roles.FunctioneelBeheerder},{Roles.SociaalBeheerder},{Roles.SmoCoordinator}")]
public sealed class ReviewController(NpgsqlDataSource dataSource, CentreAccess access) : Controller
{
    [HttpGet("/beheer/aanvragen")]
    public async Task<IActionResult> Queue([FromServices] ReviewQueueQuery query)
    {
        var centres = await access.ManageableCentreIdsAsync();
        return View("Queue", await query.LoadAsync(centres));
    }

    [HttpGet("/beheer/reserveringen/{id:long}")]
    public async Task<IActionResult> Details(long id, [FromServices] ReviewQueueQuery query)
    {
        var r = await LoadManageableAsync(id);
        if (r is null) return NotFound();
        var competing = (await query.LoadAsync(new HashSet<long> { r.CentreId }, id)).FirstOrDefault();
        ViewData["Competitors"] = competing?.Competitors ?? [];
        ViewData["ConfirmedConflicts"] = competing?.ConfirmedConflicts ?? 0;
        return View("Details", r);
    }

    [HttpPost("/beheer/reserveringen/{id:long}/goedkeuren")]
    public async Task<IActionResult> Approve(long id, [FromForm] string? note, [FromServices] ReviewReservationHandler handler)
    {
        if (await LoadManageableAsync(id) is null) return NotFound();
        var result = await handler.ApproveAsync(id, Actor(), ReservationForm.Clean(note), BaseUrl);
        return AfterDecision(id, result, "De aanvraag is goedgekeurd. De aanvrager krijgt een bevestiging met een agenda-uitnodiging.");
    }

    [HttpPost("/beheer/reserveringen/{id:long}/afwijzen")]
    public async Task<IActionResult> Reject(long id, [FromForm] string? reason, [FromServices] ReviewReservationHandler handler)
    {
        if (await LoadManageableAsync(id) is null) return NotFound();
        var result = await handler.RejectAsync(id, Actor(), reason, BaseUrl);
        return AfterDecision(id, result, "De aanvraag is afgewezen. De aanvrager krijgt een mail met de reden.");
    }

    [HttpPost("/beheer/reserveringen/{id:long}/annuleren")]
    public async Task<IActionResult> Cancel(long id, [FromForm] string? scope, [FromForm] DateOnly? seriesDate, [FromForm] string? reason,
        [FromServices] CancelReservationHandler handler)
    {
        if (await LoadManageableAsync(id) is null) return NotFound();
        var result = await handler.HandleAsync(id, CancelReservationHandler.ParseScope(scope), seriesDate, Actor(), byRequester: false, ReservationForm.Clean(reason), BaseUrl);
        return AfterDecision(id, result, "De annulering is verwerkt. De aanvrager krijgt een mail.");
    }

    [HttpGet("/beheer/reserveringen/{id:long}/wijzigen")]
    public async Task<IActionResult> Change(long id, [FromQuery] DateOnly? datum)
    {
        var r = await LoadManageableAsync(id);
        if (r is null) return NotFound();
        var first = r.Active.FirstOrDefault(o => datum is null || o.SeriesDate == datum) ?? r.Active.FirstOrDefault();
        var form = new ChangeForm
        {
            Scope = datum is null && r.Occurrences.Count > 1 ? ChangeForm.All : ChangeForm.One,
            SeriesDate = first?.SeriesDate,
            RoomId = first?.RoomId ?? r.RoomId,
            StartTime = first is null ? null : TimeOnly.FromDateTime(first.LocalStart),
            EndTime = first is null ? null : TimeOnly.FromDateTime(first.LocalEnd),
        };
        return await ChangeView(r, form);
    }

    [HttpPost("/beheer/reserveringen/{id:long}/wijzigen")]
    public async Task<IActionResult> Change(long id, ChangeForm form, [FromServices] IValidator<ChangeForm> validator,
        [FromServices] ChangeReservationHandler handler)
    {
        var r = await LoadManageableAsync(id);
        if (r is null) return NotFound();
        form.Normalise();
        (await validator.ValidateAsync(form)).AddTo(ModelState);
        if (!ModelState.IsValid) return await ChangeView(r, form);
        var outcome = await handler.HandleAsync(id, form, Actor(), BaseUrl);
        if (outcome.Result.AddErrorTo(ModelState)) return await ChangeView(r, form);
        this.Flash(outcome.ReservationId == id
            ? "De wijziging is opgeslagen. De aanvrager krijgt een mail met de bijgewerkte agenda-uitnodiging."
            : $"De wijziging is opgeslagen. De data vanaf de wijziging staan nu in deze nieuwe reservering; reservering {id} houdt de data ervoor. De aanvrager krijgt twee mails met agenda-uitnodigingen.");
        return Redirect($"/beheer/reserveringen/{outcome.ReservationId}");
    }

    [HttpGet("/beheer/reserveringen/{id:long}/voorstel")]
    public async Task<IActionResult> Propose(long id)
    {
        var r = await LoadManageableAsync(id);
        if (r is null) return NotFound();
        var first = r.Active.FirstOrDefault();
        return await ProposeView(r, new ProposalForm
        {
            RoomId = r.RoomId,
            StartTime = first is null ? null : TimeOnly.FromDateTime(first.LocalStart),
            EndTime = first is null ? null : TimeOnly.FromDateTime(first.LocalEnd),
        });
    }

    [HttpPost("/beheer/reserveringen/{id:long}/voorstel")]
    public async Task<IActionResult> Propose(long id, ProposalForm form, [FromServices] IValidator<ProposalForm> validator,
        [FromServices] ProposeAlternativeHandler handler)
    {
        var r = await LoadManageableAsync(id);
        if (r is null) return NotFound();
        form.Normalise();
        (await validator.ValidateAsync(form)).AddTo(ModelState);
        if (!ModelState.IsValid) return await ProposeView(r, form);
        var result = await handler.HandleAsync(id, form, Actor(), BaseUrl);
        if (result.AddErrorTo(ModelState)) return await ProposeView(r, form);
        this.Flash("Uw voorstel is verstuurd. De aanvrager kan het aannemen of afwijzen; u krijgt dan een mail.");
        return Redirect($"/beheer/reserveringen/{id}");
    }

    private async Task<IActionResult> ChangeView(ReservationDetails r, ChangeForm form)
    {
        ViewData[nameof(ReservationDetails)] = r;
        ViewData[nameof(RoomChoice)] = await RoomsAsync(r.CentreId);
        return View("Change", form);
    }

    private async Task<IActionResult> ProposeView(ReservationDetails r, ProposalForm form)
    {
        ViewData[nameof(ReservationDetails)] = r;
        ViewData[nameof(RoomChoice)] = await RoomsAsync(r.CentreId);
        return View("Propose", form);
    }

    private async Task<IReadOnlyList<RoomChoice>> RoomsAsync(long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await ChangePlanner.RoomsAsync(connection, centreId);
    }

    private IActionResult AfterDecision(long id, CommandResult result, string success)
    {
        if (result.Succeeded) this.Flash(success);
        else TempData["error"] = result.Error;
        return Redirect($"/beheer/reserveringen/{id}");
    }

    private async Task<ReservationDetails?> LoadManageableAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var r = await ReservationDetails.LoadAsync(connection, null, id);
        return r is not null && await access.CanManageAsync(r.CentreId) ? r : null;
    }

    private Booker Actor() => new(FormRole.Staff, User.UserId(), User.Identity?.Name ?? "Beheerder");

    private string BaseUrl => Request.PublicBaseUrl();

}
