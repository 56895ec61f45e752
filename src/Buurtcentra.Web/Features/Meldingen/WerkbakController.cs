using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using QRCoder;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>
/// The werkbak (/beheer/meldingen) for Stadsbedrijven and functioneel beheer (all centres) and for sociaal beheerders and
/// SMO-coördinatoren (their own centres); one melding with its clock, status form and thread; the target times
/// (Stadsbedrijven and functioneel beheer); the printable QR code of a room (beheerders of its centre).
/// A melding of a centre the person may not see answers 404.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class WerkbakController(NpgsqlDataSource dataSource, MeldingAccessQuery access, TimeProvider time, TargetTimesQuery targets) : Controller
{
    private bool MaySetTargets => User.IsInRole(Roles.Stadsbedrijven) || User.IsInRole(Roles.FunctioneelBeheerder);

    [HttpGet("/beheer/meldingen")]
    public async Task<IActionResult> Index([FromQuery] WerkbakFilter filter, [FromServices] WerkbakQuery query)
    {
        ViewData["MaySetTargets"] = MaySetTargets;
        return View("Werkbak", await query.LoadAsync(filter));
    }

    [HttpGet("/beheer/meldingen/export.csv")]
    public async Task<IActionResult> Export([FromQuery] WerkbakFilter filter, [FromServices] WerkbakQuery query)
    {
        var page = await query.LoadAsync(filter, limit: 20000);
        var name = $"meldingen-{Infrastructure.Time.AmsterdamTime.Today(time):yyyy-MM-dd}.csv";
        return File(WerkbakCsv.Write(page), "text/csv; charset=utf-8", name);
    }

    [HttpGet("/beheer/meldingen/{id:long}")]
    public async Task<IActionResult> Details(long id)
    {
        var loaded = await LoadAsync(id);
        if (loaded is null) return NotFound();
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, null);
    }

    [HttpPost("/beheer/meldingen/{id:long}/status")]
    public async Task<IActionResult> Status(long id, [FromForm(Name = "Form")] StatusForm form, [FromServices] IValidator<StatusForm> validator,
        [FromServices] ChangeStatusHandler handler)
    {
        var loaded = await LoadAsync(id);
        if (loaded is null) return NotFound();
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState, "Form");
        if (ModelState.IsValid)
        {
            var (result, released) = await handler.HandleAsync(id, form, loaded.Value.Viewer, Request.PublicBaseUrl());
            if (result.Succeeded)
            {
                this.Flash($"Melding {id} staat nu op ‘{MeldingStatus.Name(form.To!)}’." + (released is null ? "" : $" {released}"));
                return Redirect($"/beheer/meldingen/{id}");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"Form.{result.Field}", result.Error!);
        }
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, form);
    }

    [HttpPost("/beheer/meldingen/{id:long}/reactie")]
    public async Task<IActionResult> Comment(long id, [FromForm] string? comment, [FromServices] AddCommentHandler handler)
    {
        var loaded = await LoadAsync(id);
        if (loaded is null) return NotFound();
        var result = await handler.HandleAsync(id, comment, loaded.Value.Viewer);
        if (result.AddErrorTo(ModelState)) return await PageView(loaded.Value.Melding, loaded.Value.Viewer, null);
        this.Flash("Uw reactie is geplaatst.");
        return Redirect($"/beheer/meldingen/{id}");
    }

    /// <summary>Takes the melding's room out of use; the affected bookings are listed on the page and their groups mailed.</summary>
    [HttpPost("/beheer/meldingen/{id:long}/buiten-gebruik")]
    public async Task<IActionResult> OutOfUse(long id, [FromForm(Name = "OutOfUse")] OutOfUseForm form, [FromServices] IValidator<OutOfUseForm> validator,
        [FromServices] OutOfUseHandler handler)
    {
        var loaded = await LoadAsync(id);
        if (loaded is null) return NotFound();
        if (loaded.Value.Melding.RoomId is null) return NotFound();
        var validation = await validator.ValidateAsync(form);
        var errors = validation.Errors.Where(e => !(ModelState.TryGetValue($"OutOfUse.{e.PropertyName}", out var entry) && entry.Errors.Count > 0)).ToList();
        new FluentValidation.Results.ValidationResult(errors).AddTo(ModelState, "OutOfUse");
        if (ModelState.IsValid)
        {
            var (result, mailed) = await handler.HandleAsync(id, form, loaded.Value.Viewer, Request.PublicBaseUrl());
            if (result.Succeeded)
            {
                this.Flash(mailed == 0 ? "De ruimte is buiten gebruik gezet. Er waren geen reserveringen in die periode."
                    : $"De ruimte is buiten gebruik gezet. {mailed} {(mailed == 1 ? "groep heeft" : "groepen hebben")} een mail gekregen met vrije ruimtes.");
                return Redirect($"/beheer/meldingen/{id}");
            }
            result.AddErrorTo(ModelState);
        }
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, null, form);
    }

    /// <summary>Plans a repair visit: it shows in the room's week grid and feeds; optionally the room is blocked then.</summary>
    [HttpPost("/beheer/meldingen/{id:long}/bezoek")]
    public async Task<IActionResult> Visit(long id, [FromForm(Name = "Visit")] VisitForm form, [FromServices] IValidator<VisitForm> validator,
        [FromServices] PlanVisitHandler handler)
    {
        var loaded = await LoadAsync(id);
        if (loaded?.Melding.RoomId is null) return NotFound();
        form.Normalise();
        (await validator.ValidateAsync(form)).AddTo(ModelState, "Visit");
        if (ModelState.IsValid)
        {
            var result = await handler.HandleAsync(id, form, loaded.Value.Viewer);
            if (result.Succeeded)
            {
                this.Flash(form.BlockRoom ? "Het bezoek staat in de agenda van de ruimte. De ruimte is dan buiten gebruik."
                    : "Het bezoek staat in de agenda van de ruimte.");
                return Redirect($"/beheer/meldingen/{id}");
            }
            ModelState.AddModelError(string.IsNullOrEmpty(result.Field) ? "" : $"Visit.{result.Field}", result.Error!);
        }
        return await PageView(loaded.Value.Melding, loaded.Value.Viewer, null, visit: form);
    }

    [HttpPost("/beheer/meldingen/{id:long}/bezoek/afzeggen")]
    public async Task<IActionResult> CancelVisit(long id, [FromForm] long visitId, [FromServices] CancelVisitHandler handler)
    {
        var loaded = await LoadAsync(id);
        if (loaded is null) return NotFound();
        var result = await handler.HandleAsync(id, visitId, loaded.Value.Viewer);
        if (result.Succeeded) this.Flash("Het bezoek is afgezegd.");
        else TempData["error"] = result.Error;
        return Redirect($"/beheer/meldingen/{id}");
    }

    [HttpGet("/beheer/meldingen/cijfers")]
    public async Task<IActionResult> Figures(long? centrum, string? categorie, [FromServices] FiguresQuery query) =>
        View("Figures", await query.LoadAsync(centrum, categorie));

    [HttpGet("/beheer/meldingen/streeftijden")]
    public async Task<IActionResult> Targets()
    {
        if (!MaySetTargets) return Forbid();
        return View("TargetTimes", TargetTimesForm.From(await targets.LoadAsync()));
    }

    [HttpPost("/beheer/meldingen/streeftijden")]
    public async Task<IActionResult> Targets([FromForm] TargetTimesForm form, [FromServices] IValidator<TargetTimesForm> validator,
        [FromServices] SaveTargetTimesHandler handler)
    {
        if (!MaySetTargets) return Forbid();
        var validation = await validator.ValidateAsync(form);
        var errors = validation.Errors.Where(e => !(ModelState.TryGetValue(e.PropertyName, out var entry) && entry.Errors.Count > 0)).ToList();
        new FluentValidation.Results.ValidationResult(errors).AddTo(ModelState);
        if (!ModelState.IsValid) return View("TargetTimes", form);
        await handler.HandleAsync(form);
        this.Flash("De streeftijden zijn opgeslagen. Ze gelden voor nieuwe meldingen.");
        return Redirect("/beheer/meldingen/streeftijden");
    }

    /// <summary>A printable page with the QR code for the room's door: it leads to the public form for that room.</summary>
    [HttpGet("/beheer/ruimtes/{roomId:long}/qr")]
    public async Task<IActionResult> Qr(long roomId, [FromServices] CentreAccess centres)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var room = await connection.QuerySingleOrDefaultAsync<(long CentreId, string CentreName, string Slug, string RoomName)?>("""
            select c.id, c.name, c.slug, r.name from rooms r join centres c on c.id = r.centre_id where r.id = @roomId
            """, new { roomId });
        if (room is null || !await centres.CanManageAsync(room.Value.CentreId)) return NotFound();
        var url = $"{Request.PublicBaseUrl().TrimEnd('/')}/melden/{room.Value.Slug}/{roomId}";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        return View("Qr", new QrPage(room.Value.CentreId, room.Value.CentreName, room.Value.RoomName, url, svg));
    }

    private async Task<IActionResult> PageView(MeldingDetails m, MeldingViewer viewer, StatusForm? form, OutOfUseForm? outOfUse = null,
        VisitForm? visit = null)
    {
        if (m.RoomId is not null)
        {
            ViewData[nameof(OutOfUseSection)] = await OutOfUseHandler.SectionAsync(dataSource, m, outOfUse);
            ViewData[nameof(VisitsSection)] = await RepairVisits.SectionAsync(dataSource, m, visit);
        }
        var page = MeldingPage.For(m, viewer, $"/beheer/meldingen/{m.Id}", time.GetUtcNow(), await targets.LoadAsync(), form) with
        {
            BackLink = "/beheer/meldingen",
            BackText = "Naar de werkbak",
        };
        return View("Melding", page);
    }

    private async Task<(MeldingDetails Melding, MeldingViewer Viewer)?> LoadAsync(long id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var m = await MeldingDetails.LoadAsync(connection, null, id);
        if (m is null) return null;
        var viewer = await access.ViewerAsync(connection, id, m.CentreId, m.ReporterUserId);
        // Staff pages are for staff only; a beheerder of another centre who reported it sees it on /meldingen/{id}.
        return viewer is { IsStaff: true } ? (m, viewer) : null;
    }
}

public sealed record QrPage(long CentreId, string CentreName, string RoomName, string Url, string Svg);
