using System.Security.Claims;
using Buurtcentra.Web.Infrastructure.Auth;
using Buurtcentra.Web.Infrastructure.Web;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;

namespace Buurtcentra.Web.Features.Meldingen;

public sealed record ReportCentre(long Id, string Name, string Slug);

public sealed record ReportPage(ReportCentre Centre, IReadOnlyList<SelectListItem> Rooms, string Action, bool IsPublic,
    IReadOnlyList<SimilarMelding> Similar, IReadOnlyList<ResponseTarget> Targets, string? RoomName)
{
    /// <summary>Photos that were chosen but not kept because the form came back (errors or the similar-meldingen question).</summary>
    public int PhotosLost { get; init; }
}

/// <summary>
/// Melden: signed in (/meldingen/nieuw: every role) or through the QR code on a room's door (/melden/{centre}/{room}: no
/// account needed, name and e-mail address required). Before sending, open meldingen for the same room and category are
/// shown, so people can say "Ik heb dit ook" instead of reporting it again.
/// </summary>
public sealed class ReportController(NpgsqlDataSource dataSource, IValidator<MeldingForm> validator, ReportMeldingHandler handler,
    CentreAccess access, TargetTimesQuery targets, AlsoAffectedHandler also) : Controller
{
    [Authorize]
    [HttpGet("/meldingen/nieuw")]
    public async Task<IActionResult> New(string? centrum, long? ruimte)
    {
        var centre = await FindCentreAsync(centrum, ruimte);
        if (centre is null)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var centres = await connection.QueryAsync<(string Slug, string Name)>("select slug, name from centres where active order by name");
            return View("ChooseCentre", centres.Select(c => new SelectListItem(c.Name, c.Slug)).ToList());
        }
        return await FormView(new MeldingForm { CentreId = centre.Id, RoomId = ruimte, Urgency = "normaal" }, centre, isPublic: false, similar: []);
    }

    /// <summary>Three photos of 5 MB and the text fields; a larger request is cut off before it is read.</summary>
    private const long MaxRequestBytes = 3 * Photos.MaxBytes + 1024 * 1024;

    [Authorize]
    [HttpPost("/meldingen/nieuw")]
    [RequestSizeLimit(MaxRequestBytes)]
    public async Task<IActionResult> New([FromForm] MeldingForm form, [FromForm] string? centrum)
    {
        var centre = await FindCentreAsync(centrum, null);
        if (centre is null) return NotFound();
        return await SubmitAsync(form, centre, isPublic: false);
    }

    [HttpGet("/melden/{slug}")]
    [HttpGet("/melden/{slug}/{roomId:long}")]
    public async Task<IActionResult> Public(string slug, long? roomId)
    {
        var centre = await FindCentreAsync(slug, null);
        if (centre is null || (roomId is not null && !await RoomOfCentreAsync(roomId.Value, centre.Id))) return NotFound();
        return await FormView(new MeldingForm { CentreId = centre.Id, RoomId = roomId, Urgency = "normaal" }, centre, isPublic: true, similar: []);
    }

    [HttpPost("/melden/{slug}")]
    [HttpPost("/melden/{slug}/{roomId:long}")]
    [EnableRateLimiting(WebSetup.PublicFormsRateLimit)]
    [RequestSizeLimit(MaxRequestBytes)]
    public async Task<IActionResult> Public(string slug, long? roomId, [FromForm] MeldingForm form)
    {
        var centre = await FindCentreAsync(slug, null);
        if (centre is null) return NotFound();
        return await SubmitAsync(form, centre, isPublic: true);
    }

    [HttpGet("/melden/verstuurd")]
    public IActionResult Sent(bool ook = false) => View("Sent", ook);

    /// <summary>"Ik heb dit ook" from someone with an account.</summary>
    [Authorize]
    [HttpPost("/meldingen/{id:long}/ook-last")]
    public async Task<IActionResult> AlsoAffected(long id, [FromForm] string? comment, [FromForm] string? offer)
    {
        var outcome = await also.HandleAsync(id, offer, await ReporterAsync(null, null, await CentreOfAsync(id)), comment, Request.PublicBaseUrl());
        if (!outcome.Succeeded)
        {
            TempData["error"] = outcome.Error;
            return Redirect("/meldingen");
        }
        this.Flash("Dank u wel. U volgt deze melding nu en krijgt een mail als er iets verandert.");
        return Redirect(User.IsInRole(Roles.Gebruiker) || !(await IsStaffForAsync(id)) ? $"/meldingen/{id}" : $"/beheer/meldingen/{id}");
    }

    /// <summary>"Ik heb dit ook" from the public form: name and e-mail address as on the form.</summary>
    [HttpPost("/melden/ook-last/{id:long}")]
    [EnableRateLimiting(WebSetup.PublicFormsRateLimit)]
    public async Task<IActionResult> AlsoAffectedPublic(long id, [FromForm] AlsoAffectedForm form, [FromServices] IValidator<AlsoAffectedForm> contact)
    {
        form.Normalise();
        var validation = await contact.ValidateAsync(form);
        if (!validation.IsValid) return View("AlsoFailed", string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
        var outcome = await also.HandleAsync(id, form.Offer, new Reporter(null, form.ReporterName!, form.ReporterEmail, "melder"), form.Comment,
            Request.PublicBaseUrl());
        if (!outcome.Succeeded) return View("AlsoFailed", outcome.Error);
        return Redirect("/melden/verstuurd?ook=true");
    }

    private async Task<IActionResult> SubmitAsync(MeldingForm form, ReportCentre centre, bool isPublic)
    {
        // A browser cannot be given files back: when the form returns, the page says plainly to choose them again.
        var chosen = form.Photos.Count(f => f.Length > 0);
        form.CentreId = centre.Id;
        form.NeedsContact = User.Identity?.IsAuthenticated != true;
        form.Normalise();
        var validation = await validator.ValidateAsync(form);
        validation.AddTo(ModelState);
        if (!ModelState.IsValid) return await FormView(form, centre, isPublic, similar: [], photosLost: chosen);

        if (!form.DuplicatesSeen)
        {
            var similar = await handler.SimilarAsync(centre.Id, form.RoomId, form.Category);
            if (similar.Count > 0)
            {
                form.DuplicatesSeen = true;
                ViewData["AlsoAffectedOffer"] = also.Offer(centre.Id, form.RoomId, form.Category!, similar.Select(s => s.Id));
                return await FormView(form, centre, isPublic, similar, photosLost: chosen);
            }
        }

        // Photos are decoded last, only for a report that will be stored: the costly part never runs for a form that comes back.
        var photos = new List<ProcessedPhoto>();
        foreach (var file in form.Photos.Where(f => f.Length > 0))
        {
            await using var stream = file.OpenReadStream();
            var (photo, error) = await Photos.ProcessAsync(stream, file.Length, Path.GetFileName(file.FileName), HttpContext.RequestAborted);
            if (photo is null) ModelState.AddModelError("Photos", error!);
            else photos.Add(photo);
        }
        if (!ModelState.IsValid) return await FormView(form, centre, isPublic, similar: [], photosLost: chosen);

        var reporter = await ReporterAsync(form.ReporterName, form.ReporterEmail, centre.Id);
        var outcome = await handler.HandleAsync(form, reporter, Request.PublicBaseUrl(), photos);
        if (reporter.UserId is null) return Redirect("/melden/verstuurd");
        this.Flash($"Uw melding is verstuurd. Het nummer is {outcome.MeldingId}.");
        return Redirect(reporter.Role == "melder" ? $"/meldingen/{outcome.MeldingId}" : $"/beheer/meldingen/{outcome.MeldingId}");
    }

    /// <summary>Who reports: the signed-in account, or the name and address from the form.</summary>
    private async Task<Reporter> ReporterAsync(string? name, string? email, long? centreId)
    {
        if (User.Identity?.IsAuthenticated != true) return new Reporter(null, name!, email, "melder");
        var role = User.IsInRole(Roles.Stadsbedrijven) ? "stadsbedrijven"
            : centreId is not null && await access.CanManageAsync(centreId.Value) ? "beheerder" : "melder";
        return new Reporter(User.UserId(), User.Identity.Name ?? "", User.FindFirstValue(ClaimTypes.Email), role);
    }

    private async Task<bool> IsStaffForAsync(long meldingId) =>
        User.IsInRole(Roles.Stadsbedrijven) || (await CentreOfAsync(meldingId) is { } c && await access.CanManageAsync(c));

    private async Task<long?> CentreOfAsync(long meldingId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>("select centre_id from meldingen where id = @meldingId", new { meldingId });
    }

    private async Task<ReportCentre?> FindCentreAsync(string? slug, long? roomId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        if (!string.IsNullOrWhiteSpace(slug))
        {
            return await connection.QuerySingleOrDefaultAsync<ReportCentre>(
                "select id, name, slug from centres where slug = @slug and active", new { slug });
        }
        if (roomId is null) return null;
        return await connection.QuerySingleOrDefaultAsync<ReportCentre>(
            "select c.id, c.name, c.slug from rooms r join centres c on c.id = r.centre_id where r.id = @roomId and c.active", new { roomId });
    }

    private async Task<bool> RoomOfCentreAsync(long roomId, long centreId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from rooms where id = @roomId and centre_id = @centreId and active)", new { roomId, centreId });
    }

    private async Task<IActionResult> FormView(MeldingForm form, ReportCentre centre, bool isPublic, IReadOnlyList<SimilarMelding> similar,
        int photosLost = 0)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rooms = (await connection.QueryAsync<(long Id, string Name)>(
                "select id, name from rooms where centre_id = @id and active order by name", new { id = centre.Id }))
            .Select(r => new SelectListItem(r.Name, r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var roomName = form.RoomId is null ? null : rooms.FirstOrDefault(r => r.Value == form.RoomId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))?.Text;
        var action = isPublic
            ? form.RoomId is null || Request.RouteValues["roomId"] is null ? $"/melden/{centre.Slug}" : $"/melden/{centre.Slug}/{Request.RouteValues["roomId"]}"
            : "/meldingen/nieuw";
        ViewData[nameof(ReportPage)] = new ReportPage(centre, rooms, action, isPublic, similar, await targets.LoadAsync(), roomName)
        {
            PhotosLost = photosLost,
        };
        return View("Report", form);
    }
}
