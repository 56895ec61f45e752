using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>The requester's side: "Mijn reserveringen" for gebruikers, and the private link for residents without an account.</summary>
public sealed class MyReservationsController(NpgsqlDataSource dataSource) : Controller
{
    [Authorize(Roles = Roles.Gebruiker)]
    [HttpGet("/mijn/reserveringen")]
    public async Task<IActionResult> Index([FromServices] MyReservationsQuery query) => View("Mine", await query.LoadAsync(User.UserId()));

    [Authorize(Roles = Roles.Gebruiker)]
    [HttpGet("/mijn/reserveringen/{id:long}")]
    public async Task<IActionResult> Details(long id)
    {
        var r = await LoadOwnAsync(id);
        if (r is null) return NotFound();
        ViewData["Base"] = $"/mijn/reserveringen/{id}";
        return View("Own", r);
    }

    [Authorize(Roles = Roles.Gebruiker)]
    [HttpPost("/mijn/reserveringen/{id:long}/annuleren")]
    public async Task<IActionResult> Cancel(long id, [FromForm] string? scope, [FromForm] DateOnly? seriesDate, [FromForm] string? reason,
        [FromServices] CancelReservationHandler handler)
    {
        if (await LoadOwnAsync(id) is null) return NotFound();
        var result = await handler.HandleAsync(id, CancelReservationHandler.ParseScope(scope), seriesDate,
            Gebruiker(), byRequester: true, ReservationForm.Clean(reason), BaseUrl);
        Report(result, "De annulering is verwerkt. U krijgt een mail.");
        return Redirect($"/mijn/reserveringen/{id}");
    }

    [Authorize(Roles = Roles.Gebruiker)]
    [HttpPost("/mijn/reserveringen/{id:long}/voorstel-aannemen")]
    public async Task<IActionResult> AcceptProposal(long id, [FromServices] RespondToProposalHandler handler)
    {
        if (await LoadOwnAsync(id) is null) return NotFound();
        Report(await handler.AcceptAsync(id, Gebruiker(), BaseUrl, null), ProposalAccepted);
        return Redirect($"/mijn/reserveringen/{id}");
    }

    [Authorize(Roles = Roles.Gebruiker)]
    [HttpPost("/mijn/reserveringen/{id:long}/voorstel-afwijzen")]
    public async Task<IActionResult> DeclineProposal(long id, [FromForm] string? reason, [FromServices] RespondToProposalHandler handler)
    {
        if (await LoadOwnAsync(id) is null) return NotFound();
        Report(await handler.DeclineAsync(id, Gebruiker(), ReservationForm.Clean(reason), BaseUrl), ProposalDeclined);
        return Redirect($"/mijn/reserveringen/{id}");
    }

    [HttpGet("/reserveren/aanvraag/{token}")]
    public async Task<IActionResult> ByToken(string token)
    {
        var r = await LoadByTokenAsync(token);
        if (r is null) return NotFound();
        ViewData["Base"] = $"/reserveren/aanvraag/{token}";
        return View("Own", r);
    }

    [HttpPost("/reserveren/aanvraag/{token}/bevestigen")]
    public async Task<IActionResult> ConfirmEmail(string token, [FromServices] ConfirmEmailHandler handler)
    {
        if (await LoadByTokenAsync(token) is null) return NotFound();
        var result = await handler.HandleAsync(token, BaseUrl);
        Report(result, "Dank u wel. Uw e-mailadres is bevestigd en uw aanvraag is naar de beheerder gestuurd.");
        return Redirect($"/reserveren/aanvraag/{token}");
    }

    [HttpPost("/reserveren/aanvraag/{token}/annuleren")]
    public async Task<IActionResult> CancelByToken(string token, [FromForm] string? scope, [FromForm] DateOnly? seriesDate, [FromForm] string? reason,
        [FromServices] CancelReservationHandler handler)
    {
        var r = await LoadByTokenAsync(token);
        if (r is null) return NotFound();
        var result = await handler.HandleAsync(r.Id, CancelReservationHandler.ParseScope(scope), seriesDate,
            new Booker(FormRole.Resident, null, r.ContactName), byRequester: true, ReservationForm.Clean(reason), BaseUrl, token);
        Report(result, "De annulering is verwerkt. U krijgt een mail.");
        return Redirect($"/reserveren/aanvraag/{token}");
    }

    [HttpPost("/reserveren/aanvraag/{token}/voorstel-aannemen")]
    public async Task<IActionResult> AcceptProposalByToken(string token, [FromServices] RespondToProposalHandler handler)
    {
        var r = await LoadByTokenAsync(token);
        if (r is null) return NotFound();
        Report(await handler.AcceptAsync(r.Id, new Booker(FormRole.Resident, null, r.ContactName), BaseUrl, token), ProposalAccepted);
        return Redirect($"/reserveren/aanvraag/{token}");
    }

    [HttpPost("/reserveren/aanvraag/{token}/voorstel-afwijzen")]
    public async Task<IActionResult> DeclineProposalByToken(string token, [FromForm] string? reason, [FromServices] RespondToProposalHandler handler)
    {
        var r = await LoadByTokenAsync(token);
        if (r is null) return NotFound();
        Report(await handler.DeclineAsync(r.Id, new Booker(FormRole.Resident, null, r.ContactName), ReservationForm.Clean(reason), BaseUrl), ProposalDeclined);
        return Redirect($"/reserveren/aanvraag/{token}");
    }

    private const string ProposalAccepted = "U heeft het voorstel aangenomen. Uw reservering is bevestigd; u krijgt een mail met een agenda-uitnodiging.";
    private const string ProposalDeclined = "U heeft het voorstel afgewezen. De beheerder krijgt een mail en neemt contact met u op of doet een nieuw voorstel.";

    private Booker Gebruiker() => new(FormRole.Gebruiker, User.UserId(), User.Identity?.Name ?? "");

    private void Report(CommandResult result, string success)
    {
        if (result.Succeeded) this.Flash(success);
        else TempData["error"] = result.Error;
    }

    private async Task<ReservationDetails?> LoadOwnAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await MyReservationsQuery.IsOwnAsync(connection, id, User.UserId()) ? await ReservationDetails.LoadAsync(connection, null, id) : null;
    }

    private async Task<ReservationDetails?> LoadByTokenAsync(string token)
    {
        if (token.Length is < 20 or > 100) return null;
        await using var connection = await dataSource.OpenConnectionAsync();
        var id = await ConfirmEmailHandler.FindByTokenAsync(connection, token);
        return id is null ? null : await ReservationDetails.LoadAsync(connection, null, id.Value);
    }

    private string BaseUrl => Request.PublicBaseUrl();

}
