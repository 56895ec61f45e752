using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;

namespace Buurtcentra.Web.Features.Reservations;

/// <summary>
/// "Ruimte aanvragen": residents (after confirming their e-mail address), gebruikers, and beheerders who book directly,
/// also on behalf of someone at the desk or on the phone.
/// </summary>
public sealed class RequestController(NpgsqlDataSource dataSource, IValidator<ReservationForm> validator, CentreAccess access,
    RequestReservationHandler handler) : Controller
{
    [HttpGet("/reserveren/nieuw")]
    public async Task<IActionResult> New(long? ruimte, string? centrum, DateOnly? datum, TimeOnly? van, TimeOnly? tot)
    {
        var centre = await FindCentreAsync(ruimte, centrum);
        if (centre is null) return Redirect("/ruimte-zoeken");
        var form = new ReservationForm { RoomId = ruimte, Date = datum, StartTime = van, EndTime = tot };
        form.Role = await RoleForAsync(centre.Id);
        if (form.Role == FormRole.Gebruiker) form.ContactName = User.Identity!.Name;
        return await FormView(form, centre, preview: null);
    }

    [HttpPost("/reserveren/nieuw")]
    [EnableRateLimiting("public-forms")]
    public async Task<IActionResult> New([FromForm] ReservationForm form, [FromForm] string? centrum, [FromForm] string? actie)
    {
        var centre = await FindCentreAsync(form.RoomId, centrum);
        if (centre is null) return NotFound();
        form.Role = await RoleForAsync(centre.Id);
        form.Normalise();
        if (User.Identity?.IsAuthenticated == true && form.Role == FormRole.Resident)
        {
            // Signed-in staff of another centre: they may look, but a request must come from a gebruiker or resident.
            ModelState.AddModelError("", "U kunt alleen reserveren in de buurtcentra die u beheert.");
            return await FormView(form, centre, null);
        }

        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState);
        if (!ModelState.IsValid) return await FormView(form, centre, null);
        if (!await RoomBelongsToAsync(form.RoomId!.Value, centre.Id))
        {
            ModelState.AddModelError("RoomId", "Kies een ruimte uit de lijst.");
            return await FormView(form, centre, null);
        }

        var booker = Booker(form.Role);
        if (actie == "controleren")
        {
            var preview = await handler.PreviewAsync(form, booker);
            foreach (var v in preview?.Plan.Violations ?? []) ModelState.AddModelError(v.Field, v.Message);
            return await FormView(form, centre, preview);
        }

        var outcome = await handler.HandleAsync(form, booker, BaseUrl);
        if (!outcome.Succeeded)
        {
            foreach (var v in outcome.Violations) ModelState.AddModelError(v.Field, v.Message);
            return await FormView(form, centre, await handler.PreviewAsync(form, booker));
        }

        var skipped = outcome.Skipped.Count == 0 ? "" :
            $" Niet op: {string.Join(", ", outcome.Skipped.Select(s => $"{BookingRules.LongDate(s.Date)} ({s.Reason})"))}.";
        switch (form.Role)
        {
            case FormRole.Staff:
                this.Flash($"De reservering is geboekt en bevestigd.{skipped}");
                return Redirect($"/beheer/reserveringen/{outcome.ReservationId}");
            case FormRole.Gebruiker:
                this.Flash($"Uw aanvraag is verstuurd. U krijgt een mail zodra de beheerder heeft gekeken.{skipped}");
                return Redirect($"/mijn/reserveringen/{outcome.ReservationId}");
            default:
                TempData["skipped"] = skipped;
                return Redirect("/reserveren/controleer-uw-mail");
        }
    }

    [HttpGet("/reserveren/controleer-uw-mail")]
    public IActionResult CheckYourMail() => View("CheckYourMail", TempData["skipped"] as string);

    private Booker Booker(FormRole role) => User.Identity?.IsAuthenticated == true
        ? new Booker(role, User.UserId(), User.Identity.Name ?? "")
        : Reservations.Booker.Resident("Bewoner (zonder account)");

    private async Task<FormRole> RoleForAsync(long centreId)
    {
        if (User.Identity?.IsAuthenticated != true) return FormRole.Resident;
        if (User.IsInRole(Roles.Gebruiker)) return FormRole.Gebruiker;
        return await access.CanManageAsync(centreId) ? FormRole.Staff : FormRole.Resident;
    }

    private string BaseUrl => Request.PublicBaseUrl();

    public sealed record CentreChoice(long Id, string Name, string Slug);

    private async Task<CentreChoice?> FindCentreAsync(long? roomId, string? slug)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return roomId is not null
            ? await connection.QuerySingleOrDefaultAsync<CentreChoice>(
                "select c.id, c.name, c.slug from rooms r join centres c on c.id = r.centre_id where r.id = @roomId and c.active", new { roomId })
            : await connection.QuerySingleOrDefaultAsync<CentreChoice>(
                "select id, name, slug from centres where slug = @slug and active", new { slug });
    }

    private async Task<bool> RoomBelongsToAsync(long roomId, long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from rooms where id = @roomId and centre_id = @centreId and active)", new { roomId, centreId });
    }

    private async Task<IActionResult> FormView(ReservationForm form, CentreChoice centre, ReservationPreview? preview)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        using var grid = await connection.QueryMultipleAsync("""
            select code, name from target_groups order by sort_order;
            select code, name from facilities order by sort_order;
            select id::text as code, name from organisations where kind = 'gebruikersgroep' and active order by name;
            """);
        var targetGroups = (await grid.ReadAsync<(string Code, string Name)>()).Select(x => new SelectListItem(x.Name, x.Code)).ToList();
        var facilities = (await grid.ReadAsync<(string Code, string Name)>()).Select(x => new SelectListItem(x.Name, x.Code)).ToList();
        var organisations = (await grid.ReadAsync<(string Code, string Name)>()).Select(x => new SelectListItem(x.Name, x.Code)).ToList();
        var rooms = await RequestReservationHandler.FittingRoomsAsync(connection, centre.Id, form);
        ViewData[nameof(RequestPage)] = new RequestPage(centre, rooms, targetGroups, facilities, organisations, preview);
        return View("Request", form);
    }
}

public sealed record RequestPage(
    RequestController.CentreChoice Centre,
    IReadOnlyList<FittingRoom> Rooms,
    IReadOnlyList<SelectListItem> TargetGroups,
    IReadOnlyList<SelectListItem> Facilities,
    IReadOnlyList<SelectListItem> Organisations,
    ReservationPreview? Preview);
